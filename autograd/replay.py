"""`trace`: record a training step once, replay it many times at vectorised speed.

Most training loops build the same graph every step. ``step = trace(f, *args)`` runs
``f`` once on nodes made from ``args``, with the engine recording as usual, and keeps the
graph; ``step(*new_args)`` runs that graph again on the current data of every leaf and on
``new_args``, filling the leaves' ``.grad`` as ``backward()`` does. It runs the op table's
own ``array`` forward and derivative rules (no rule is written twice): a `Value` graph by
whole levels of nodes at once (`autograd.replay_scalar`), a `Tensor` graph node by node
without making nodes (`autograd.replay_tensor`).

The limit, as for JAX's ``jit``: the replay runs the graph that was recorded. Python
control flow that depends on values (``if x.data > 0``, a loss that looks at the numbers,
a constant computed from an argument with numpy) is frozen at trace time. What can be
detected raises: new arguments of another structure or shape, a leaf whose ``.data`` was
replaced by an array of another shape, an argument that never reaches the graph as a
node. ``step.check(*args)`` (or ``trace(..., check_every=k)``) runs the dynamic engine on
the same arguments and compares.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .engine import grad_mode, set_grad_enabled, topological_order
from .node import Node
from .replay_scalar import ScalarProgram
from .replay_tensor import TensorProgram
from .tensor import Tensor
from .value import Value


class ReplayMismatchError(RuntimeError):
    """`Trace.check` found the replay and the dynamic engine apart."""


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
        self.signature = [_signature(a, f"args[{k}]") for k, a in enumerate(args)]
        self._shapes = [_rectangle(sig) for sig in self.signature]
        nodes, self.arg_leaves = _nodes(args, self.signature)
        root, aux = _run_f(f, nodes)
        order = topological_order(root)
        _check_replayable(order)
        reached = {id(v) for v in order}
        self.outputs, self._shape_outputs = _outputs(aux, reached)
        for k, leaves in enumerate(self.arg_leaves):
            if leaves and not any(id(v) in reached for v in leaves):
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
            # Every node's replayed value against the recorded one: an op whose array
            # forward does not run elementwise on many nodes at once shows here.
            recorded = np.array([v.data for v in order])
            _compare("trace", 0.0, 0.0, [self.program.values()], [recorded], 1e-9)
        else:
            # The dynamic backward pass once: its gradients to compare with, and it releases
            # the arrays the recorded graph holds read-only. Every .grad is left as it was.
            dynamic = _dynamic_grads(root, self.params)
            _compare("trace", value, dynamic[0], grads, dynamic[1], 1e-9)

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
        _accumulate(self.params, grads, self.engine)
        return value if self._shape_outputs is None else (value, self._shape_outputs(outs))

    def _dynamic_step(self, args: tuple) -> Any:
        """The step on the dynamic engine (in anomaly mode): record f, run backward()."""
        nodes, _ = _nodes(args, self.signature)
        root, aux = _run_f(self.f, nodes)
        root.backward()
        if self._shape_outputs is None:
            return _root_value(root)
        outs, _ = _outputs(aux, {id(v) for v in topological_order(root)})
        return _root_value(root), self._shape_outputs([np.array(v.data) for v in outs])

    def check(self, *args: Any, rtol: float = 1e-9) -> float:
        """Run the dynamic engine on ``args`` too and compare it with the replay.

        Leaves every ``.grad`` as it was. Returns the largest relative difference found
        (the root's value and every gradient).

        Raises:
            ReplayMismatchError: the graph of ``f(*args)`` is not the recorded one (control flow
                that depends on values), or the numbers differ by more than ``rtol``.
        """
        flat = self._flatten(args)
        nodes, _ = _nodes(args, self.signature)
        root, _ = _run_f(self.f, nodes)
        order = topological_order(root)
        ops = [v.grad_fn for v in order]
        if ops != [v.grad_fn for v in self.order]:
            raise ReplayMismatchError(
                f"check: f(*args) recorded another graph ({len(order)} nodes) than the one "
                f"traced ({len(self.order)} nodes): its Python control flow depends on values, "
                "so the replay would run the wrong graph; trace again for these arguments, or "
                "keep the dynamic engine for this f"
            )
        value_d, grads_d = _dynamic_grads(root, self.params)
        value, grads, _ = self._run(flat)
        return _compare("check", value, value_d, grads, grads_d, rtol)

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
                _numbers(a, sig, f"args[{k}]", shape)
                for k, (a, sig, shape) in enumerate(
                    zip(args, self.signature, self._shapes, strict=True)
                )
            ]
            return np.concatenate(parts) if parts else np.empty(0)
        return [
            _array(a, sig, f"args[{k}]")
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


# --- arguments ------------------------------------------------------------------------------


def _signature(a: Any, where: str) -> Any:
    """The structure of an argument: "v" (a number), ("a", shape, dtype), or a list of them."""
    if isinstance(a, Node):
        raise TypeError(
            f"trace: {where} is a {type(a).__name__}; pass its data (numbers or an array): "
            "trace makes the argument nodes itself, and parameters are used by f directly"
        )
    if isinstance(a, numbers.Real) and not isinstance(a, (bool, np.bool_)):
        return "v"
    if isinstance(a, np.ndarray) and a.dtype.kind in "biuf":
        dtype = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
        return ("a", a.shape, dtype)
    if isinstance(a, (list, tuple)):
        return [type(a), *(_signature(x, f"{where}[{i}]") for i, x in enumerate(a))]
    raise TypeError(
        f"trace: {where} must be numbers, (nested) lists of numbers or a numeric numpy array, "
        f"got {type(a).__name__}"
    )


def _nodes(args: tuple, signature: list) -> tuple[list[Any], list[list[Any]]]:
    """Nodes for ``args`` in their structure, and each argument's leaves in flat order."""
    leaves: list[list[Any]] = []
    nodes = []
    for a, sig in zip(args, signature, strict=True):
        mine: list[Any] = []
        nodes.append(_make(a, sig, mine))
        leaves.append(mine)
    return nodes, leaves


def _make(a: Any, sig: Any, leaves: list[Any]) -> Any:
    if sig == "v":
        v = Value(float(a))
    elif isinstance(sig, tuple):
        # A copy: the graph holds what it saves read-only, and the user's array stays theirs.
        v = Tensor(np.array(a, dtype=sig[2]), requires_grad=True)
    else:
        return sig[0](_make(x, s, leaves) for x, s in zip(a, sig[1:], strict=True))
    leaves.append(v)
    return v


def _numbers(a: Any, sig: Any, where: str, shape: Any = False) -> np.ndarray:
    """The numbers of a Value argument, flat, checked against the traced structure
    (``shape``: its `_rectangle`, when known)."""
    if sig == "v":
        if not isinstance(a, numbers.Real) or isinstance(a, (bool, np.bool_)):
            raise TypeError(f"replay: {where} was a number when traced, got {type(a).__name__}")
        return np.array([float(a)])
    if shape is False:
        shape = _rectangle(sig)
    if shape is not None:  # a list of numbers, or a list of rows: one numpy conversion
        try:
            arr = np.asarray(a, dtype=float)
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.shape != shape:
            got = "not numbers" if arr is None else f"shape {arr.shape}"
            raise ValueError(
                f"replay: {where} must have the traced structure (shape {shape}), got {got}; "
                "a new shape needs a new trace"
            )
        return arr.ravel()
    if not isinstance(a, (list, tuple, np.ndarray)) or len(a) != len(sig) - 1:
        n = len(a) if hasattr(a, "__len__") else type(a).__name__
        raise ValueError(
            f"replay: {where} must be a list of {len(sig) - 1} entries as when traced, got {n}"
        )
    parts = [
        _numbers(x, s, f"{where}[{i}]") for i, (x, s) in enumerate(zip(a, sig[1:], strict=True))
    ]
    return np.concatenate(parts) if parts else np.empty(0)


def _rectangle(sig: Any) -> tuple[int, ...] | None:
    """The shape of a list (of lists ...) of numbers, or None if ragged or mixed."""
    if sig == "v":
        return ()
    if isinstance(sig, tuple):
        return None
    inner = [_rectangle(s) for s in sig[1:]]
    if not inner or any(s is None or s != inner[0] for s in inner):
        return None if inner else (0,)
    return (len(inner), *inner[0])


def _array(a: Any, sig: Any, where: str) -> np.ndarray:
    """A Tensor argument as an array of the traced shape and dtype."""
    if not isinstance(sig, tuple):
        raise TypeError(f"replay: {where}: Tensor graphs take arrays as arguments")
    if isinstance(a, Node) or not isinstance(a, (np.ndarray, list, tuple, numbers.Real)):
        raise TypeError(f"replay: {where} must be a numeric array, got {type(a).__name__}")
    arr = np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"replay: {where} must be numeric, got an array of dtype {arr.dtype}")
    if arr.shape != sig[1]:
        raise ValueError(
            f"replay: {where} was traced with shape {sig[1]}, got {arr.shape}; a new shape "
            "needs a new trace"
        )
    return arr if arr.dtype == sig[2] else arr.astype(sig[2])


# --- the recorded graph --------------------------------------------------------------------


def _run_f(f: Callable[..., Any], nodes: list[Any]) -> tuple[Node, Any]:
    """Run ``f`` recording: its result J, and the outputs it returned with J (or None)."""
    with set_grad_enabled(True):
        result = f(*nodes)
    aux = None
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], Node):
        result, aux = result
    if not isinstance(result, Node) or np.size(result.data) != 1:
        what = type(result).__name__ if not isinstance(result, Node) else f"shape {result.shape}"
        raise ValueError(
            "trace: f must return one number (a Value or a 1-element Tensor), or that and "
            f"its outputs as a pair (J, outputs); got {what}"
        )
    if not result.requires_grad:
        raise ValueError("trace: f's result requires no grad: it uses no parameter")
    return result, aux


def _outputs(aux: Any, reached: set[int]) -> tuple[list[Any], Callable[[list], Any] | None]:
    """The nodes of the outputs f returned with J, and how to shape their replayed values:
    Values (one, or nested lists) as a float or an array, a Tensor (or a tuple of them) as
    an array (or a tuple of arrays)."""
    if aux is None:
        return [], None
    if isinstance(aux, Tensor) or (
        isinstance(aux, (list, tuple)) and aux and all(isinstance(t, Tensor) for t in aux)
    ):
        nodes = [aux] if isinstance(aux, Tensor) else list(aux)
        shape = (lambda outs: outs[0]) if isinstance(aux, Tensor) else tuple
    else:
        grid = np.empty(np.shape(np.array(aux, dtype=object)), dtype=object)
        if grid.ndim:
            grid[...] = aux
        else:
            grid[()] = aux
        nodes = list(grid.flat)
        dims = grid.shape

        def shape(outs: list) -> Any:
            arr = np.array(outs, dtype=float).reshape(dims)
            return float(arr) if not dims else arr

    for v in nodes:
        if not isinstance(v, Node) or id(v) not in reached:
            raise ValueError(
                "trace: the outputs f returns with J must be nodes J depends on (Values, "
                f"or Tensors), got {type(v).__name__}"
            )
    return nodes, shape


def _check_replayable(order: list[Node]) -> None:
    """Every node must have been made by an `Op` with an array forward and its rules."""
    for v in order:
        op = v.grad_fn
        if op is None:
            if getattr(v, "_backward", None) is not None or (isinstance(v, Value) and v._inputs):
                raise TypeError(
                    f"trace: a node ({v!r}) has inputs but no op: it was made by a custom "
                    "_backward closure, which the replay cannot run; write the op as an "
                    "autograd.Op (README, 'How to add an op') to replay it"
                )
            continue
        if getattr(op, "array", None) is None or getattr(op, "grads", None) is None:
            name = getattr(op, "name", repr(op))
            raise TypeError(
                f"trace: op {name!r} has no array forward or no derivative rules, so it "
                "cannot be replayed; give it both (README, 'How to add an op')"
            )


def _root_value(root: Node) -> Any:
    return float(root.data) if isinstance(root, Value) else np.array(root.data)


def _dynamic_grads(root: Node, params: list[Any]) -> tuple[Any, list[Any]]:
    """``root.backward()``'s gradients of ``params``, with their ``.grad`` left as it was."""
    before = [p.grad for p in params]
    empty = 0.0 if isinstance(root, Value) else None
    for p in params:
        p.grad = empty
    try:
        root.backward()
        return _root_value(root), [p.grad for p in params]
    finally:
        for p, g in zip(params, before, strict=True):
            p.grad = g


def _accumulate(params: list[Any], grads: Any, engine: str) -> None:
    """``p.grad += g`` for every parameter, as backward() accumulates."""
    if engine == "value":
        for p, g in zip(params, grads.tolist(), strict=True):
            old = p.grad
            p.grad = g if old == 0.0 else old + g
        return
    handed: set[int] = set()
    for p, g in zip(params, grads, strict=True):
        if g is None:
            continue
        base = g.base
        if id(g) in handed or (base is not None and id(base) in handed):
            g = g.copy()  # a leaf keeps its gradient across steps: its own array
        handed.add(id(g))
        if base is not None:
            handed.add(id(base))
        old = p.grad
        p.grad = g if old is None else old + g


def _compare(
    what: str, value: Any, value_d: Any, grads: Any, grads_d: list[Any], rtol: float
) -> float:
    """The largest relative difference; ReplayMismatchError beyond ``rtol``."""
    pairs = [("the result", value, value_d)]
    pairs += [
        (f"the gradient of parameter {i}", g, d)
        for i, (g, d) in enumerate(zip(grads, grads_d, strict=True))
    ]
    arrays = []
    for name, a, b in pairs:
        a = np.zeros(np.shape(b)) if a is None else np.asarray(a, dtype=float)
        b = np.zeros(np.shape(a)) if b is None else np.asarray(b, dtype=float)
        arrays.append((name, a, b))
    # Each difference relative to its own size, but no finer than a thousandth of the
    # largest gradient: a sum that cancels to ~0 differs by rounding in the last bits.
    largest = max((float(np.max(np.abs(b), initial=0.0)) for _, _, b in arrays[1:]), default=0.0)
    worst = 0.0
    for name, a, b in arrays:
        scale = max(float(np.max(np.abs(b), initial=0.0)), 1e-3 * largest, 1e-300)
        diff = float(np.max(np.abs(a - b), initial=0.0)) / scale
        if not diff <= rtol and not np.array_equal(a, b, equal_nan=True):
            raise ReplayMismatchError(
                f"{what}: the replay and the dynamic engine differ in {name} by {diff:.3g} "
                f"(relative, tolerance {rtol:g}); the recorded graph does not compute what "
                "f computes now"
            )
        worst = max(worst, diff if np.isfinite(diff) else 0.0)
    return worst
