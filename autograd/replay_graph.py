"""`autograd.trace`'s recorded graph: running f, checking what can be replayed, comparing
the replay with the dynamic engine, and handing gradients to the leaves."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from .closure import ClosureOp
from .modes import set_grad_enabled
from .node import Node
from .tensor import Tensor
from .value import Value


class ReplayMismatchError(RuntimeError):
    """`Trace.check` found the replay and the dynamic engine apart."""


def run_f(f: Callable[..., Any], nodes: list[Any]) -> tuple[Node, Any]:
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


def outputs_of(aux: Any, reached: set[Any]) -> tuple[list[Any], Callable[[list], Any] | None]:
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
        if not isinstance(v, Node) or v not in reached:
            raise ValueError(
                "trace: the outputs f returns with J must be nodes J depends on (Values, "
                f"or Tensors), got {type(v).__name__}"
            )
    return nodes, shape


def check_replayable(order: list[Node]) -> None:
    """Every node must have been made by an `Op` with an array forward and its rules."""
    # Each op once, then the first node of a bad one for the message: a graph of 10⁵ nodes
    # has a few ops (micrograd's demo, 65,614 nodes: 7.8 ms → 2.5 ms).
    bad = [op for op in {v.grad_fn for v in order} if op is not None and _unreplayable(op)]
    if not bad:
        return
    v = next(v for v in order if v.grad_fn in bad)
    op = v.grad_fn
    if isinstance(op, ClosureOp):
        raise TypeError(
            f"trace: the node {v!r} was made by hand with a _backward closure "
            f"(micrograd's way, op {op.name!r}), which the replay cannot run; write the "
            "op as an autograd.Op (README, 'How to add an op') to replay it"
        )
    name = getattr(op, "name", repr(op))
    raise TypeError(
        f"trace: op {name!r} has no array forward or no derivative rules, so it "
        "cannot be replayed; give it both (README, 'How to add an op')"
    )


def _unreplayable(op: Any) -> bool:
    return (
        isinstance(op, ClosureOp)
        or getattr(op, "array", None) is None
        or getattr(op, "grads", None) is None
    )


def root_value(root: Node) -> Any:
    return float(root.data) if isinstance(root, Value) else np.array(root.data)


def dynamic_grads(root: Node, params: list[Any]) -> tuple[Any, list[Any]]:
    """``root.backward()``'s gradients of ``params``, with their ``.grad`` left as it was."""
    before = [p.grad for p in params]
    empty = 0.0 if isinstance(root, Value) else None
    for p in params:
        p.grad = empty
    try:
        root.backward()
        return root_value(root), [p.grad for p in params]
    finally:
        for p, g in zip(params, before, strict=True):
            p.grad = g


def accumulate(params: list[Any], grads: Any, engine: str) -> None:
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


def compare(
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


# A Value's float without its property, into one array (65,614 nodes: 8.9 ms → 5.6 ms).
_data = operator.attrgetter("_data")


def check_values(order: list[Node], replayed: np.ndarray) -> None:
    """Every replayed node value against the one recorded, ReplayMismatchError if apart:
    an op whose array forward does not run elementwise on many nodes at once shows here."""
    recorded = np.fromiter(map(_data, order), float, len(order))
    # Relative to each value, but no finer than a millionth of the largest (a difference
    # that cancels to ~0 keeps its inputs' last-bit differences).
    floor = 1e-6 * float(np.max(np.abs(recorded[np.isfinite(recorded)]), initial=0.0))
    scale = np.maximum(np.abs(recorded), floor)
    bad = ~((np.abs(replayed - recorded) <= 1e-9 * scale) | (replayed == recorded))
    bad &= ~(np.isnan(replayed) & np.isnan(recorded))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ReplayMismatchError(
            f"trace: node {k} (op {order[k].grad_fn.name!r}) replays as {replayed[k]!r} but "
            f"was recorded as {recorded[k]!r}: its op's array forward does not give the "
            "numbers of its scalar forward when run on many nodes at once"
        )
