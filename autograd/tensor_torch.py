"""PyTorch's comparisons, conversions and `clamp` on a `Tensor`.

Comparisons are elementwise and give a bool tensor with no history, usable as a mask (in
indexing, `where`, arithmetic). Tensors still hash by identity (the engine keeps nodes in
sets), so ``t == u`` never decides whether two nodes are the same one: use ``is``.
``float(t)``, ``int(t)``, ``bool(t)`` and ``format(t, ".2f")`` work where PyTorch's do.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from . import tensor_elementwise as E
from .node import Node


def constant(array: np.ndarray) -> Any:
    """A Tensor with no history holding ``array`` itself, made by the library: bool masks
    and int64 indices (which the constructor, floats only, would convert), ``detach()``,
    create_graph seeds. The constructor copies a user's array; this does not."""
    from .tensor import Tensor

    t = Tensor(0.0)
    t._data = array
    return t


def _other(x: Any) -> Any:
    """The array or number on the other side of a comparison, or NotImplemented."""
    if isinstance(x, Node):
        data = getattr(x, "_data", None)  # a Tensor's array; a Value's float is not compared
        return data if isinstance(data, np.ndarray) else NotImplemented
    if isinstance(x, (int, float, bool, np.ndarray, np.generic, list, tuple)):
        arr = np.asarray(x)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"cannot compare a Tensor with an array of dtype {arr.dtype}")
        return x if isinstance(x, (int, float)) else arr
    return NotImplemented


def _compare(op: Any) -> Any:
    def method(self: Any, other: Any) -> Any:
        b = _other(other)
        if b is NotImplemented:
            return NotImplemented
        a = self._data
        try:
            np.broadcast_shapes(a.shape, np.shape(b))
        except ValueError:
            raise ValueError(
                f"comparison: shapes {a.shape} and {np.shape(b)} cannot be broadcast together"
            ) from None
        return constant(np.asarray(op(a, b)))

    method.__name__ = f"__{op.__name__}__"
    method.__doc__ = f"Elementwise ``{op.__name__}``: a bool tensor with no history."
    return method


def _logical(op: Any, name: str) -> Any:
    def method(self: Any, other: Any) -> Any:
        b = _other(other)
        if b is NotImplemented:
            return NotImplemented
        a = self._data
        if a.dtype.kind not in "biu" or np.asarray(b).dtype.kind not in "biu":
            raise TypeError(
                f"{name} works on bool (and integer) tensors, such as masks from comparisons; "
                f"got dtypes {a.dtype} and {np.asarray(b).dtype}"
            )
        return constant(np.asarray(op(a, b)))

    method.__name__ = f"__{op.__name__.strip('_')}__"
    return method


class TorchMethods:
    """Comparisons, conversions and clamp (mixed into `Tensor`)."""

    __slots__ = ()

    # Defining __eq__ would make Python drop the inherited hash: nodes hash by identity.
    __hash__ = object.__hash__

    __eq__ = _compare(operator.eq)
    __ne__ = _compare(operator.ne)
    __lt__ = _compare(operator.lt)
    __le__ = _compare(operator.le)
    __gt__ = _compare(operator.gt)
    __ge__ = _compare(operator.ge)
    __and__ = __rand__ = _logical(operator.and_, "&")
    __or__ = __ror__ = _logical(operator.or_, "|")
    __xor__ = __rxor__ = _logical(operator.xor, "^")

    def __invert__(self) -> Any:
        a = self._data
        if a.dtype.kind not in "biu":
            raise TypeError(f"~ works on bool (and integer) tensors, got dtype {a.dtype}")
        return constant(np.invert(a))

    # One number out of a one-element tensor. -------------------------------------------
    def __bool__(self) -> bool:
        size = self._data.size
        if size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with {'no values' if not size else 'more than one value'}"
                " is ambiguous: use .any() or .all() on the data, or compare one element"
            )
        return bool(self._data.item())

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())  # towards zero, as Python's and PyTorch's int()

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        if not spec:
            return str(self)
        raise TypeError(
            f"format spec {spec!r} needs a 0-d tensor (as in PyTorch), this one has shape "
            f"{self.shape}: format t.item() instead"
        )

    def __contains__(self, element: Any) -> bool:
        """``x in t``: whether any entry equals ``x`` (PyTorch's meaning, not a row)."""
        return bool(np.any(self._data == _other(element)))

    def tolist(self) -> Any:
        """The entries as (nested) Python lists of numbers."""
        return self._data.tolist()

    def clone(self) -> Any:
        """A copy with its own array; the gradient flows back through it (PyTorch's clone)."""
        if self._data.dtype.kind != "f":
            return constant(self._data.copy())
        return self._apply(E.CLONE, self)

    # dtypes (PyTorch's names: float is float32, double is float64). ----------------------
    def float(self) -> Any:
        """The tensor in float32 (itself if it is float32 already); differentiable."""
        return self._cast(np.float32)

    def double(self) -> Any:
        """The tensor in float64 (itself if it is float64 already); differentiable."""
        return self._cast(np.float64)

    def long(self) -> Any:
        """int64 entries (rounded towards zero), with no history."""
        return self if self._data.dtype == np.int64 else constant(self._data.astype(np.int64))

    def bool(self) -> Any:
        """True where nonzero, with no history."""
        return self if self._data.dtype == np.bool_ else constant(self._data != 0)

    def _cast(self, dtype: Any) -> Any:
        if self._data.dtype == dtype:
            return self
        if self._data.dtype.kind != "f":  # a mask or indices: no gradient to pass back
            return constant(self._data.astype(dtype))
        return self._apply(E.CAST, self, np.dtype(dtype))

    # clamp (elementwise, with PyTorch's gradient at the bounds). ---------------------------
    def clamp(self, min: Any = None, max: Any = None) -> Any:
        """Entries limited to [min, max]; ∂out/∂x is 1 for min ≤ x ≤ max, else 0."""
        lo, hi = bound(min, "min"), bound(max, "max")
        if lo is None and hi is None:
            raise ValueError("clamp needs min or max (at least one of them not None)")
        return self._apply(E.CLAMP, self, lo, hi)

    clip = clamp  # PyTorch's alias


def bound(x: Any, name: str) -> Any:
    if x is None or (isinstance(x, (int, float)) and not isinstance(x, bool)):
        return x
    if isinstance(x, Node):
        if x.requires_grad:
            raise TypeError(
                f"clamp: a {name} that requires grad is not supported; use "
                "where(x < lo, lo, x) to pass gradients to the bound"
            )
        return x._data
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in "biuf":
        return x
    raise TypeError(f"clamp: {name} must be a number, an array or None, got {type(x).__name__}")
