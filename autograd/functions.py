"""Module-level functions: `neuron` (both node types); `concatenate`, `stack`, `where`,
`linear` (tensors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import tensor_rules as T
from .rules import NEURON
from .tensor import Tensor
from .tensor_args import as_array


def _tensors(tensors: Sequence[Any], what: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{what} takes a list or tuple of tensors, got {type(tensors).__name__}")
    if not tensors:
        raise ValueError(f"{what} needs at least one tensor, got an empty sequence")
    return [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing ``axis`` (as ``np.concatenate``)."""
    ts = _tensors(tensors, "concatenate")
    shapes = [t.shape for t in ts]
    nd = ts[0].ndim
    if nd == 0 or any(t.ndim != nd for t in ts) or not -nd <= axis < nd:
        raise ValueError(f"concatenate: cannot join shapes {shapes} along axis {axis}")
    ax = axis % nd
    if any(s[:ax] + s[ax + 1 :] != shapes[0][:ax] + shapes[0][ax + 1 :] for s in shapes):
        raise ValueError(f"concatenate: shapes {shapes} differ off axis {axis}")
    return Tensor._apply(T.CONCATENATE, ax, *ts)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join same-shape tensors along a new ``axis`` (as ``np.stack``)."""
    ts = _tensors(tensors, "stack")
    shapes = {t.shape for t in ts}
    if len(shapes) != 1:
        raise ValueError(f"stack needs tensors of one shape, got {sorted(shapes)}")
    nd = ts[0].ndim + 1
    if not -nd <= axis < nd:
        raise ValueError(f"stack: axis {axis} is out of range for {nd} dimensions")
    ax = axis % nd
    grown = [t.reshape(t.shape[:ax] + (1,) + t.shape[ax:]) for t in ts]
    return concatenate(grown, axis=ax)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` holds, else ``b``; the gradient flows to the chosen side."""
    cond = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    cond = cond.astype(bool)
    a = a if isinstance(a, Tensor) else Tensor(as_array(a, what="a"))
    b = b if isinstance(b, Tensor) else Tensor(as_array(b, what="b"))
    try:
        np.broadcast_shapes(cond.shape, a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"where: condition {cond.shape}, a {a.shape} and b {b.shape} do not broadcast"
        ) from None
    return Tensor._apply(T.WHERE, cond, a, b)


def linear(x: Any, W: Any, b: Any) -> Tensor:
    """Z = x Wᵀ + b as one node: x of shape (..., nin), W (nout, nin), b (nout,).

    The same numbers and gradients as ``x @ W.T + b``, with one node instead of three, and
    W's gradient computed as its own array (``x @ W.T`` hands W a transposed view).
    """
    if not (isinstance(x, Tensor) and isinstance(W, Tensor) and isinstance(b, Tensor)):
        x, W, b = (
            t if isinstance(t, Tensor) else Tensor(as_array(t, what=name))
            for t, name in zip((x, W, b), "xWb", strict=True)
        )
    sx, sw = x._data.shape, W._data.shape  # the slots, read once: a layer runs this each step
    if len(sw) != 2 or not sx or sx[-1] != sw[1] or b._data.shape != sw[:1]:
        raise ValueError(
            f"linear: x of shape {x.shape}, W {W.shape} and b {b.shape} do not fit "
            "(x (..., nin), W (nout, nin), b (nout,))"
        )
    return Tensor._apply(T.LINEAR, x, W, b)


def neuron(w: Sequence[Any], x: Sequence[Any], b: Any) -> Any:
    """z = w·x + b = b + Σₖ wₖxₖ, recorded as one node (the ``neuron`` op, drawn as z).

    The same number as ``sum((wk * xk for wk, xk in zip(w, x)), b)``, which records 2n
    nodes: one graph node per neuron makes the scalar engine several times faster and its
    pictures smaller. Backward gives ∂J/∂b = δ, ∂J/∂wₖ = δ·xₖ and ∂J/∂xₖ = δ·wₖ with
    δ = ∂J/∂z. The entries may be Values, Tensors (elementwise) or numbers.

    Args:
        w: the weights w₁ … wₙ.
        x: the inputs x₁ … xₙ, as many as ``w``.
        b: the bias.
    """
    n = len(w)
    if len(x) != n:
        raise ValueError(f"neuron: w has {n} entries but x has {len(x)}; they must match")
    inputs: list[Any] = [b] * (2 * n + 1)
    inputs[1::2] = w  # b, w₁, x₁, w₂, x₂, ...: each weight next to its input
    inputs[2::2] = x
    # Written for speed: with b a node (a parameter, as usual) its type records the node
    # directly, skipping the op's dispatch over all 2n + 1 inputs.
    apply = getattr(type(b), "_apply", None)
    z = apply(NEURON, *inputs) if apply is not None else NEURON(*inputs)
    if z is NotImplemented:  # Values and Tensors mixed in one neuron
        kinds = sorted({type(v).__name__ for v in inputs})
        raise TypeError(
            f"neuron: w, x and b must be Values and numbers, or Tensors and arrays; got "
            f"{', '.join(kinds)} (convert them to one node type first)"
        )
    return z
