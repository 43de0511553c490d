"""Module-level tensor functions: `concatenate`, `stack`, `where`, `linear`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import tensor_rules as T
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
