"""Reductions and the softmax family of a `Tensor`, with PyTorch's arguments.

``dim=`` and ``keepdim=`` are the names; numpy's ``axis=`` and ``keepdims=`` are accepted
as aliases (PyTorch accepts them too). ``max(dim)`` and ``min(dim)`` give ``(values,
indices)`` as PyTorch does, the gradient going to the entry the index names; the full
``max()``, ``amax`` and ``amin`` share the gradient equally between tied entries, as
``torch.amax`` and the full ``torch.max`` do.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from . import tensor_rules as T
from .node import Node
from .tensor_args import normalize_axis
from .tensor_torch import constant

#: What ``t.max(dim)`` and ``t.min(dim)`` return: a named pair, as ``torch.return_types``.
MaxResult = namedtuple("max", ("values", "indices"))
MinResult = namedtuple("min", ("values", "indices"))


def _alias(name: str, value: Any, alias_name: str, alias: Any, default: Any) -> Any:
    """PyTorch's argument, or numpy's spelling of it (``dim``/``axis``), not both."""
    if alias is None:
        return default if value is None else value
    if value is not None:
        raise TypeError(f"pass {name}= or {alias_name}= (the same argument), not both")
    return alias


def _axis_keep(self: Any, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> tuple:
    if axis is not None or keepdims is not None:  # numpy's spellings
        dim = _alias("dim", dim, "axis", axis, None)
        keepdim = _alias("keepdim", keepdim, "keepdims", keepdims, False)
    if dim is None:  # written for speed: a loss's full sum or mean runs this every step
        return None, bool(keepdim)
    if isinstance(dim, tuple) and not dim:  # amax's dim=(): every dimension
        return None, bool(keepdim)
    return normalize_axis(dim, self._data.ndim), bool(keepdim)


def _one_dim(self: Any, name: str, d: Any) -> None:
    if isinstance(d, Node):
        raise TypeError(
            f"{name}(other), the elementwise {name}imum of two tensors, is not supported; "
            f"use where(a > b, a, b) (or {name}(dim) to reduce over a dimension)"
        )
    if isinstance(d, (tuple, list)):
        raise TypeError(
            f"{name}(dim) takes one int dim, got {d!r}; a{name}(dim=(...)) reduces over several"
        )


def _values_indices(self: Any, d: int, keep: bool, arg: Any, result: type) -> Any:
    """``(values, indices)`` along ``d``: the gradient goes to the indexed entries only."""
    data = self._data
    if data.ndim == 0:
        return result(self._apply(T.RESHAPE, self, ()), constant(np.zeros((), np.int64)))
    along = T.MAX_ALONG if arg is np.argmax else T.MIN_ALONG
    values = self._apply(along, self, d, keep)  # an op, so replays find the extremes anew
    return result(values, constant(arg(data, axis=d, keepdims=keep).astype(np.int64)))


class Reductions:
    """`Tensor`'s reductions (mixed into `Tensor`, which supplies ``_data``, ``_apply``)."""

    __slots__ = ()

    def sum(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """Σ over ``dim`` (all dimensions by default)."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return self._apply(T.SUM, self, d, keep)

    def mean(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """Average over ``dim`` (all dimensions by default)."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return self._apply(T.MEAN, self, d, keep)

    def amax(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """Largest entry over ``dim`` (all by default); tied maxima share the gradient."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return self._apply(T.MAX, self, d, keep)

    def amin(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """Smallest entry over ``dim`` (all by default); tied minima share the gradient."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return self._apply(T.MIN, self, d, keep)

    def max(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """The largest entry (``t.max()``), or ``(values, indices)`` along ``dim``.

        As in PyTorch: ``t.max(dim)`` is a named pair whose ``values`` pass the gradient to
        the entry ``indices`` names (the first of tied maxima); ``t.max()`` shares it
        equally between tied maxima, as `amax` does.
        """
        _one_dim(self, "max", dim if axis is None else axis)
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        if d is None:
            return self._apply(T.MAX, self, None, keep)
        return _values_indices(self, d, keep, np.argmax, MaxResult)

    def min(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """The smallest entry (``t.min()``), or ``(values, indices)`` along ``dim``: `max`'s
        rules."""
        _one_dim(self, "min", dim if axis is None else axis)
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        if d is None:
            return self._apply(T.MIN, self, None, keep)
        return _values_indices(self, d, keep, np.argmin, MinResult)

    def argmax(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """Index of the largest entry (the first of ties) along ``dim``, or in the flattened
        tensor; an int64 tensor with no history."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return constant(np.argmax(self._data, axis=d, keepdims=keep).astype(np.int64))

    def argmin(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """Index of the smallest entry: `argmax`'s rules."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return constant(np.argmin(self._data, axis=d, keepdims=keep).astype(np.int64))

    def any(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """Whether any entry is nonzero (along ``dim``): a bool tensor with no history."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return constant(np.any(self._data, axis=d, keepdims=keep))

    def all(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """Whether every entry is nonzero (along ``dim``): a bool tensor with no history."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return constant(np.all(self._data, axis=d, keepdims=keep))

    def logsumexp(
        self, dim: Any = None, keepdim: Any = None, *, axis: Any = None, keepdims: Any = None
    ) -> Any:
        """log Σ exp(x) over ``dim`` (all dimensions by default), without overflow."""
        d, keep = _axis_keep(self, dim, keepdim, axis, keepdims)
        return self._apply(T.LOGSUMEXP, self, d, keep)

    def softmax(self, dim: Any = None, *, axis: Any = None) -> Any:
        """exp(x) / Σ exp(x) along ``dim`` (the last by default), stable for large inputs."""
        d = _alias("dim", dim, "axis", axis, -1)
        return self._apply(T.SOFTMAX, self, normalize_axis(d, self._data.ndim))

    def log_softmax(self, dim: Any = None, *, axis: Any = None) -> Any:
        """x − logsumexp(x) along ``dim`` (the last by default), stable for large inputs."""
        d = _alias("dim", dim, "axis", axis, -1)
        return self._apply(T.LOG_SOFTMAX, self, normalize_axis(d, self._data.ndim))
