"""Derivative rules of the ops only tensors have: matmul, reductions, shapes, indexing.

As in `rules`, each rule maps the upstream gradient ``g = ∂J/∂out`` to one input's share,
using only operators, methods that ndarrays and Tensors share (``.sum``, ``.reshape``,
``.shape``) and other ops, so each line serves arrays and, with ``create_graph=True``,
Tensors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .node import Node
from .op import Op
from .rules import EXP


def _data(x: Any) -> Any:
    """The array behind a node or the array itself (masks are constants, not nodes)."""
    return x.data if isinstance(x, Node) else x


def unbroadcast(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum a gradient of a broadcast result back to the input's ``shape``.

    Broadcasting copies an input along new leading axes and along its axes of size 1; the
    gradient of a copy is the sum of the copies' gradients.
    """
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1
    )
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g.reshape(shape)


def _norm_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(a % ndim if ndim else a for a in axes)


def expand(g: Any, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Any:
    """Undo a reduction over ``axis``: copy ``g`` back along the reduced axes."""
    if not keepdims and g.ndim:  # a 0-d g (a full reduction) broadcasts as it is
        kept = list(shape)
        for a in _norm_axes(axis, len(shape)):
            kept[a] = 1
        g = RESHAPE(g, tuple(kept))
    return BROADCAST_TO(g, shape)


def _count(shape: tuple[int, ...], axis: Any) -> int:
    n = 1
    for a in _norm_axes(axis, len(shape)):
        n *= shape[a]
    return n


def _max_share(x: Any, out: Any, axis: Any, keepdims: bool) -> np.ndarray:
    """1/k at each of the k entries that attain the max (ties share, as torch.amax)."""
    xd = _data(x)
    hit = (xd == expand(_data(out), xd.shape, axis, keepdims)).astype(xd.dtype)
    return hit / hit.sum(axis=axis, keepdims=True)


def _swap(x: Any) -> Any:
    """Swap the last two axes (the transpose of a matrix or a batch of matrices)."""
    axes = tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)
    return TRANSPOSE(x, axes)


def _col(x: Any) -> Any:
    return RESHAPE(x, x.shape + (1,))


def _matmul_da(g: Any, out: Any, a: Any, b: Any) -> Any:
    """Z = A B:  ∂J/∂A = δ Bᵀ (the notes' δ aᵀ), with 1-D operands as numpy treats them."""
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if b.ndim == 1:  # (..., n, k) @ (k,) -> (..., n)
        return _col(g) * b
    if a.ndim == 1:  # (k,) @ (..., k, m) -> (..., m)
        return RESHAPE(MATMUL(b, _col(g)), g.shape[:-1] + (a.shape[0],))
    return MATMUL(g, _swap(b))


def _matmul_db(g: Any, out: Any, a: Any, b: Any) -> Any:
    """Z = A B:  ∂J/∂B = Aᵀ δ."""
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1:  # (k,) @ (..., k, m): outer product of a and each g row
        return _col(a) * RESHAPE(g, g.shape[:-1] + (1, g.shape[-1]))
    if b.ndim == 1:  # (..., n, k) @ (k,)
        return RESHAPE(MATMUL(_swap(a), _col(g)), a.shape[:-2] + (b.shape[0],))
    if _is_transposed(b):
        # B = Wᵀ, a transposed view (Z = A Wᵀ + b): (δᵀA)ᵀ is the same number as Aᵀδ, but
        # W's gradient then comes out row-major like W, and the update stays fast.
        return _swap(MATMUL(_swap(g), a))
    return MATMUL(_swap(a), g)


def _linear(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    z = x @ W.T
    if z.dtype == np.result_type(z, b):
        return np.add(z, b, out=z)  # b added in place: one array for Z, not x Wᵀ and then Z
    return z + b


def _linear_dw(g: Any, out: Any, x: Any, W: Any, b: Any) -> Any:
    """Z = x Wᵀ + b:  ∂J/∂W = δᵀ x, a new row-major array shaped like W (an outer product
    for one example; batches of examples are summed by the engine)."""
    if x.ndim == 1:
        return _col(g) * x
    return MATMUL(_swap(g), x)


def _is_transposed(x: Any) -> bool:
    """Whether the matrix behind ``x`` is stored column by column (a transposed view)."""
    flags = _data(x).flags
    return flags.f_contiguous and not flags.c_contiguous


def _scatter_add(g: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Zeros of ``shape`` with ``g`` added at ``index``; repeated indices add up."""
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index):
        out[index] = g  # slices and integers never pick an element twice
    else:
        np.add.at(out, index, g)
    return out


def _is_basic(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice)) or p is None or p is Ellipsis for p in parts)


def _concat_grad(i: int) -> Any:
    def rule(g: Any, out: Any, axis: int, *xs: Any) -> Any:
        ax = axis % g.ndim
        start = sum(x.shape[ax] for x in xs[: i - 1])
        piece = (slice(None),) * ax + (slice(start, start + xs[i - 1].shape[ax]),)
        return GETITEM(g, piece)

    return rule


class _ConcatGrads:
    """Input 0 is the axis; input i >= 1 gets its slice of the gradient back."""

    def __getitem__(self, i: int) -> Any:
        return _concat_grad(i)


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    # Shift by the max so exp never overflows (inputs like ±1000).
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _logsumexp(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)  # all -inf (or inf) rows: no shift
    out = m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
    return out if keepdims else out.squeeze(axis=_norm_axes(axis, x.ndim))


MATMUL = Op("matmul", "@", None, np.matmul, (_matmul_da, _matmul_db), ("Bᵀ", "Aᵀ"), saves=(0, 1))
# Z = x Wᵀ + b as one node (`Linear`): W's gradient comes out as its own array.
LINEAR = Op(
    "linear",
    "xWᵀ+b",
    None,
    _linear,
    (
        lambda g, out, x, W, b: MATMUL(g, W),
        _linear_dw,
        lambda g, out, x, W, b: g,  # the engine sums it over the examples
    ),
    ("W", "x", "1"),
    saves=(0, 1),
)
SUM = Op(
    "sum",
    "Σ",
    None,
    # The ufunc's reduce directly: np.sum's Python wrapper costs more than a small sum.
    lambda x, axis, keepdims: np.add.reduce(x, axis=axis, keepdims=keepdims),
    (lambda g, out, x, axis, keepdims: expand(g, x.shape, axis, keepdims),),
    ("1",),
    saves=(1, 2),
)
MEAN = Op(
    "mean",
    "mean",
    None,
    lambda x, axis, keepdims: np.mean(x, axis=axis, keepdims=keepdims),
    # g divided before it is copied: one division of g, not one per element of x.
    (lambda g, out, x, axis, keepdims: expand(g / _count(x.shape, axis), x.shape, axis, keepdims),),
    ("1/n",),
    saves=(1, 2),
)
MAX = Op(
    "max",
    "max",
    None,
    lambda x, axis, keepdims: np.maximum.reduce(x, axis=axis, keepdims=keepdims),
    (
        lambda g, out, x, axis, keepdims: (
            expand(g, x.shape, axis, keepdims) * _max_share(x, out, axis, keepdims)
        ),
    ),
    ("1 at the max",),
    saves=("out", 0, 1, 2),
)
LOGSUMEXP = Op(
    "logsumexp",
    "logΣexp",
    None,
    _logsumexp,
    (
        lambda g, out, x, axis, keepdims: (
            expand(g, x.shape, axis, keepdims) * EXP(x - expand(out, x.shape, axis, keepdims))
        ),
    ),
    ("softmax(x)",),
    saves=("out", 0, 1, 2),
)
SOFTMAX = Op(
    "softmax",
    "softmax",
    None,
    _softmax,
    (lambda g, out, x, axis: out * (g - (g * out).sum(axis=axis, keepdims=True)),),
    ("diag(s) - s sᵀ",),
    saves=("out", 1),
)
LOG_SOFTMAX = Op(
    "log_softmax",
    "log_softmax",
    None,
    _log_softmax,
    (lambda g, out, x, axis: g - EXP(out) * g.sum(axis=axis, keepdims=True),),
    ("I - softmax",),
    saves=("out", 1),
)
RESHAPE = Op(
    "reshape",
    "reshape",
    None,
    lambda x, shape: x.reshape(shape),  # the method: np.reshape's wrapper costs more
    (lambda g, out, x, shape: RESHAPE(g, x.shape),),
    ("1",),
    saves=(),
)
TRANSPOSE = Op(
    "transpose",
    "ᵀ",
    None,
    lambda x, axes: x.transpose(axes),  # the method: np.transpose's wrapper costs more
    (lambda g, out, x, axes: TRANSPOSE(g, None if axes is None else tuple(np.argsort(axes))),),
    ("1",),
    saves=(1,),
)


def _broadcast_to(x: Any, shape: tuple[int, ...]) -> np.ndarray:
    # Written for speed: filling a new array costs less than np.broadcast_to's Python
    # wrapper at the sizes a backward pass expands (and a leaf can keep it without a copy).
    out = np.empty(shape, dtype=np.result_type(x))
    out[...] = x
    return out


# The engine sums a broadcast gradient back to the input's shape, so the rule is just g.
BROADCAST_TO = Op(
    "broadcast_to",
    "broadcast",
    None,
    _broadcast_to,
    (lambda g, out, x, shape: g,),
    ("1",),
    saves=(),
)
GETITEM = Op(
    "getitem",
    "[]",
    None,
    lambda x, index: x[index],
    (lambda g, out, x, index: SCATTER_ADD(g, index, x.shape),),
    ("1 at the index",),
    saves=(1,),
)
SCATTER_ADD = Op(
    "scatter_add",
    "scatter",
    None,
    _scatter_add,
    (lambda g, out, src, index, shape: GETITEM(g, index),),
    ("1",),
    saves=(1,),
)
CONCATENATE = Op(
    "concatenate",
    "concat",
    None,
    lambda axis, *xs: np.concatenate(xs, axis=axis),
    _ConcatGrads(),
    (),
)
WHERE = Op(
    "where",
    "where",
    None,
    np.where,
    (
        None,
        lambda g, out, cond, a, b: WHERE(cond, g, 0.0),
        lambda g, out, cond, a, b: WHERE(cond, 0.0, g),
    ),
    ("", "1 where cond", "1 where not cond"),
    saves=(0,),
)

# The smallest entry: max's rule, which finds the entries equal to the result.
MIN = Op(
    "min",
    "min",
    None,
    lambda x, axis, keepdims: np.minimum.reduce(x, axis=axis, keepdims=keepdims),
    MAX.grads,
    ("1 at the min",),
    saves=MAX.saves,
)


def _first_hit(arg: Any, x: Any, axis: int) -> np.ndarray:
    """1 at the entry ``arg`` (np.argmax or np.argmin) picks along ``axis``, 0 elsewhere."""
    xd = _data(x)
    hit = np.zeros_like(xd)
    np.put_along_axis(hit, arg(xd, axis=axis, keepdims=True), 1.0, axis=axis)
    return hit


def _along(name: str, reduce: Any, arg: Any) -> Op:
    """``t.max(dim).values`` (or min's): the gradient goes to the one entry ``indices``
    names, the first of tied extremes, as in PyTorch; found from x when the rule runs."""
    return Op(
        name,
        name.split("_")[0],
        None,
        lambda x, axis, keepdims: reduce(x, axis=axis, keepdims=keepdims),
        (
            lambda g, out, x, axis, keepdims: (
                expand(g, x.shape, axis, keepdims) * _first_hit(arg, x, axis)
            ),
        ),
        (f"1 at the {name.split('_')[0]}'s index",),
        saves=(0, 1, 2),
    )


MAX_ALONG = _along("max_along", np.maximum.reduce, np.argmax)
MIN_ALONG = _along("min_along", np.minimum.reduce, np.argmin)
