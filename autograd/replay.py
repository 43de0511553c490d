"""`trace`: record a training step once, replay it many times at vectorised speed.

Most training loops build the same graph every step. ``step = trace(f, *args)`` runs
``f`` once on nodes made from ``args``, with the engine recording as usual, and keeps the
graph; ``step(*new_args)`` runs that graph again on the current data of every leaf and on
``new_args``, filling the leaves' ``.grad`` as ``backward()`` does. It runs the op table's
own ``array`` forward and derivative rules (no rule is written twice): a `Value` graph by
whole levels of nodes at once (`autograd.replay_scalar`), a `Tensor` graph node by node,
as generated straight-line code that makes no node (`autograd.replay_tensor`). The
arguments' structure lives in `autograd.replay_args`, the checks in `autograd.replay_graph`.

The limit, as for JAX's ``jit``: the replay runs the graph that was recorded. Python
control flow that depends on values (``if x.data > 0``, a loss that looks at the numbers,
a constant computed from an argument with numpy) is frozen at trace time. What can be
detected raises: new arguments of another structure or shape, a leaf whose ``.data`` was
replaced by an array of another shape, an argument that never reaches the graph as a
node. ``step.check(*args)`` (or ``trace(..., check_every=k)``) runs the dynamic engine on
the same arguments and compares.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .engine import topological_order
from .modes import grad_mode
from .replay_args import array_of, make_nodes, numbers_of, rectangle, signature
from .replay_graph import (
    ReplayMismatchError,
    accumulate,
    check_replayable,
    check_values,
    compare,
    dynamic_grads,
    outputs_of,
    root_value,
    run_f,
)
from .replay_scalar import ScalarProgram
from .replay_tensor import TensorProgram
from .value import Value


class Trace:
    """A recorded graph that replays on new arguments; made by `trace`.

    Attributes:
        root: the recorded output node (``draw_dot(step.root)`` draws the traced graph).
        engine: ``"value"`` or ``"tensor"``.
        params: the leaves that get gradients, in the recorded order.
        order: every recorded node, inputs before outputs.
    """

    def __init__(self, f: Callable[..., Any], args: tuple, check_every: int | None) -> None:
        if not callable(f):
            raise TypeError(f"trace: f must be callable, got {type(f).__name__}")
        if check_every is not None and (
            not isinstance(check_every, int) or isinstance(check_every, bool) or check_every < 1
        ):
            raise ValueError(f"trace: check_every must be an int >= 1 or None, got {check_every!r}")
        self.f = f
        self.check_every = check_every
        self.calls = 0
        self.signature = [signature(a, f"args[{k}]") for k, a in enumerate(args)]
        self._shapes = [rectangle(sig) for sig in self.signature]
        nodes, self.arg_leaves = make_nodes(args, self.signature)
        root, aux = run_f(f, nodes)
        order = topological_order(root)
        check_replayable(order)
        reached = set(order)  # nodes hash by identity
        self.outputs, self._shape_outputs = outputs_of(aux, reached)
        for k, leaves in enumerate(self.arg_leaves):
            if leaves and not any(v in reached for v in leaves):
                raise ValueError(
                    f"trace: args[{k}] never reaches the result as a node: f turned it into "
                    "plain numbers (a constant the replay would keep), so new values of it "
                    "could not change anything; use it through node operations, or leave it "
                    "out of args and trace again when it changes"
                )
        flat = [v for leaves in self.arg_leaves for v in leaves]
        self.root = root
        self.order = order
        self.engine = "value" if isinstance(root, Value) else "tensor"
        if self.engine == "value":
            self.program: Any = ScalarProgram(order, root, flat, self.outputs)
        else:
            self.program = TensorProgram(order, root, flat, self.outputs)
        self.params = self.program.params
        value, grads, _ = self._run(self._flatten_traced())
        if self.engine == "value":
            check_values(order, self.program.values())
        else:
            # The dynamic backward pass once: its gradients to compare with, and it releases
            # the arrays the recorded graph holds read-only. Every .grad is left as it was.
            dynamic = dynamic_grads(root, self.params)
            compare("trace", value, dynamic[0], grads, dynamic[1], 1e-9)

    # Running ------------------------------------------------------------------------------
    def __call__(self, *args: Any) -> Any:
        """Replay on ``args``: fill every parameter's ``.grad`` (accumulating); J's value,
        or ``(J, outputs)`` when ``f`` returned ``(J, outputs)``."""
        self.calls += 1
        flat = self._flatten(args)
        if grad_mode.anomaly:  # the dynamic engine checks every op and names the first
            return self._dynamic_step(args)
        if self.check_every is not None and self.calls % self.check_every == 0:
            self.check(*args)
        value, grads, outs = self._run(flat)
        accumulate(self.params, grads, self.engine)
        return value if self._shape_outputs is None else (value, self._shape_outputs(outs))

    def _dynamic_step(self, args: tuple) -> Any:
        """The step on the dynamic engine (in anomaly mode): record f, run backward()."""
        nodes, _ = make_nodes(args, self.signature)
        root, aux = run_f(self.f, nodes)
        root.backward()
        if self._shape_outputs is None:
            return root_value(root)
        outs, _ = outputs_of(aux, set(topological_order(root)))
        return root_value(root), self._shape_outputs([np.array(v.data) for v in outs])

    def check(self, *args: Any, rtol: float = 1e-9) -> float:
        """Run the dynamic engine on ``args`` too and compare it with the replay.

        Leaves every ``.grad`` as it was. Returns the largest relative difference found
        (the root's value and every gradient).

        Raises:
            ReplayMismatchError: the graph of ``f(*args)`` is not the recorded one (control flow
                that depends on values), or the numbers differ by more than ``rtol``.
        """
        flat = self._flatten(args)
        nodes, _ = make_nodes(args, self.signature)
        root, _ = run_f(self.f, nodes)
        order = topological_order(root)
        ops = [v.grad_fn for v in order]
        if ops != [v.grad_fn for v in self.order]:
            raise ReplayMismatchError(
                f"check: f(*args) recorded another graph ({len(order)} nodes) than the one "
                f"traced ({len(self.order)} nodes): its Python control flow depends on values, "
                "so the replay would run the wrong graph; trace again for these arguments, or "
                "keep the dynamic engine for this f"
            )
        value_d, grads_d = dynamic_grads(root, self.params)
        value, grads, _ = self._run(flat)
        return compare("check", value, value_d, grads, grads_d, rtol)

    def _run(self, flat: Any) -> tuple[Any, list[Any], list[Any]]:
        value, grads, outs = self.program.run(flat)
        if self.engine == "tensor":
            value = np.array(value)  # the caller's own, as every output
            outs = [np.array(x) for x in outs]
        return value, grads, outs

    # Arguments ----------------------------------------------------------------------------
    def _flatten_traced(self) -> Any:
        leaves = [v for group in self.arg_leaves for v in group]
        if self.engine == "value":
            return np.array([v.data for v in leaves], dtype=float)
        return [v.data for v in leaves]

    def _flatten(self, args: tuple) -> Any:
        if len(args) != len(self.signature):
            raise TypeError(
                f"replay: the trace takes {len(self.signature)} argument"
                f"{'s' if len(self.signature) != 1 else ''} (as when traced), got {len(args)}"
            )
        if self.engine == "value":
            parts = [
                numbers_of(a, sig, f"args[{k}]", shape)
                for k, (a, sig, shape) in enumerate(
                    zip(args, self.signature, self._shapes, strict=True)
                )
            ]
            return np.concatenate(parts) if parts else np.empty(0)
        return [
            array_of(a, sig, f"args[{k}]")
            for k, (a, sig) in enumerate(zip(args, self.signature, strict=True))
        ]

    @property
    def schedule(self) -> list[tuple[int, Any, list[Any]]]:
        """Value graphs: the groups that run together, in order: ``(level, op, nodes)``."""
        if self.engine != "value":
            raise AttributeError("schedule: a Tensor graph runs node by node")
        order = self.order
        return [
            (lvl, grp.op, [order[i] for i in grp.out.ravel().tolist()])
            for lvl, grp in zip(self.program.levels, self.program.groups, strict=True)
        ]

    @property
    def levels(self) -> dict[int, int]:
        """Value graphs: each node's level (by ``id``): nodes of one level and op run together."""
        if self.engine != "value":
            raise AttributeError("levels: a Tensor graph runs node by node")
        return {id(v): lvl for v, lvl in zip(self.order, self.program.node_level, strict=True)}

    def __repr__(self) -> str:
        kind = f"{len(self.program.groups)} groups" if self.engine == "value" else "node by node"
        return f"Trace({self.engine}, {len(self.order)} nodes, {len(self.params)} params, {kind})"


def trace(f: Callable[..., Any], *args: Any, check_every: int | None = None) -> Trace:
    """Record ``f(*args)`` once; the returned `Trace` replays it on new arguments.

    ``args`` are data: numbers or (nested) lists of numbers become `Value` leaves, numpy
    arrays become `Tensor` leaves, and ``f`` receives those nodes in the same structure.
    The leaves that get gradients are the others the graph reaches (the parameters ``f``
    uses); arguments get none. ``step(*new_args)``, with arguments of the same structure
    and shapes, replays the graph on the parameters' current data, adds ∂J/∂p to each
    parameter's ``.grad`` (as ``backward()`` does: zero them between steps) and returns J
    (a float, or an ndarray for a Tensor root). ``f`` must return one number (a Value, or
    a Tensor of one element).

    Python control flow that depends on values is frozen at trace time (as in JAX's
    ``jit``): the replay runs the recorded graph whatever the new numbers are. Constants
    ``f`` computes from an argument outside node operations (numpy on ``.data``, a
    target turned into numbers) are frozen too. ``step.check(*args)`` runs the dynamic
    engine and compares; ``check_every=k`` does that on every k-th call. Inside
    ``detect_anomaly()`` the trace runs the dynamic engine, which checks every op.

    Tracing costs a dynamic forward pass and a few more (the replay is compared once with
    the recorded values; for a Tensor graph, with a dynamic backward pass) and leaves every
    ``.grad`` as it was. A trace holds its buffers: one thread replays it at a time.

    Raises:
        TypeError: an argument that is not numbers or arrays, or a node made by a rule the
            replay cannot run (a custom ``_backward`` closure, an op without ``array``).
        ValueError: ``f`` does not return one number that requires grad, or an argument
            never reaches it as a node.
    """
    return Trace(f, args, check_every)
