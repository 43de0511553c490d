"""Shapes and dimensions of a `Tensor`, spelled as in PyTorch.

``size()`` and ``dim()`` are methods, ``transpose(d0, d1)`` swaps two dimensions and
``permute`` takes a full order. numpy's spellings whose meaning differs (``transpose()``
with no or many axes) raise a TypeError naming the PyTorch one, so that code written for
either library never gets a silently different result.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from . import tensor_rules as T
from .tensor_args import new_shape


def _dim(d: Any, ndim: int, what: str = "dim") -> int:
    """``d`` as an index in ``range(ndim)`` (negative counts from the end), or an error."""
    if not isinstance(d, (int, np.integer)) or isinstance(d, bool):
        raise TypeError(f"{what} must be an int, got {d!r}")
    n = max(ndim, 1)  # a 0-d tensor takes dim 0 and -1, as in PyTorch
    if not -n <= d < n:
        raise IndexError(
            f"{what} {d} is out of range for a tensor with {ndim} dimensions "
            f"(expected a value in [{-n}, {n - 1}])"
        )
    return int(d) % n


def _dims(dims: tuple, what: str) -> tuple:
    """``f(0, 1)`` and ``f((0, 1))`` alike: the sizes or dimensions as one tuple."""
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        return tuple(dims[0])
    return dims


class ShapeMethods:
    """`Tensor`'s shape methods (mixed into `Tensor`, which supplies ``_data``, ``_apply``)."""

    __slots__ = ()

    def size(self, dim: int | None = None) -> Any:
        """The shape as a tuple, or the size of dimension ``dim`` (PyTorch's ``size``)."""
        shape = self._data.shape
        if dim is None:
            return shape
        if not shape:
            raise IndexError(f"size({dim!r}): a 0-d tensor has no dimensions")
        return shape[_dim(dim, len(shape))]

    def numel(self) -> int:
        """The number of entries."""
        return self._data.size

    def dim(self) -> int:
        """The number of dimensions (``ndim``)."""
        return self._data.ndim

    @property
    def T(self) -> Any:
        """The transpose: a matrix's, or the axes reversed (see `mT` for batches)."""
        if self._data.ndim > 2:
            # PyTorch reverses them too, with this warning (it means to refuse in future).
            warnings.warn(
                "x.T on a tensor of more than 2 dimensions reverses all of them, as PyTorch "
                "does (and deprecates); use x.mT to transpose a batch of matrices or "
                "x.permute(...) for another order",
                UserWarning,
                stacklevel=2,
            )
        return self._apply(T.TRANSPOSE, self, None)

    @property
    def mT(self) -> Any:
        """The last two dimensions swapped: the transpose of each matrix of a batch."""
        if self._data.ndim < 2:
            raise RuntimeError(
                f"mT needs a matrix or a batch of matrices, got a tensor of shape {self.shape}"
            )
        return self.transpose(-2, -1)

    def transpose(self, *dims: Any) -> Any:
        """Swap dimensions ``d0`` and ``d1`` (PyTorch's ``transpose(d0, d1)``)."""
        if len(dims) != 2 or any(isinstance(d, (tuple, list)) or d is None for d in dims):
            raise TypeError(
                f"transpose(d0, d1) swaps two dimensions, as in PyTorch; got transpose"
                f"{tuple(dims)!r}: for numpy's full order use permute(...), for the reversed "
                "axes of a matrix .T"
            )
        nd = self._data.ndim
        d0, d1 = _dim(dims[0], nd), _dim(dims[1], nd)
        axes = list(range(nd))
        if nd:  # (a 0-d tensor has nothing to swap)
            axes[d0], axes[d1] = axes[d1], axes[d0]
        return self._apply(T.TRANSPOSE, self, tuple(axes))

    def permute(self, *dims: Any) -> Any:
        """The dimensions in the order ``dims`` (numpy's ``transpose(axes)``)."""
        dims = _dims(dims, "permute")
        nd = self._data.ndim
        axes = tuple(_dim(d, nd) for d in dims)
        if sorted(axes) != list(range(nd)):
            raise ValueError(
                f"permute: dims {dims} are not a permutation of the {nd} dimensions of a "
                f"tensor of shape {self.shape} (each dimension once)"
            )
        return self._apply(T.TRANSPOSE, self, axes)

    def unsqueeze(self, dim: int) -> Any:
        """A new dimension of size 1 at position ``dim``."""
        shape = self._data.shape
        d = _dim(dim, len(shape) + 1)
        return self._apply(T.RESHAPE, self, shape[:d] + (1,) + shape[d:])

    def squeeze(self, dim: Any = None) -> Any:
        """Dimensions of size 1 removed: all of them, or those of ``dim`` that have size 1
        (PyTorch's rule: a ``dim`` of another size is left as it is, not an error)."""
        shape = self._data.shape
        if dim is None:
            drop = {i for i, n in enumerate(shape) if n == 1}
        else:
            dims = dim if isinstance(dim, (tuple, list)) else (dim,)
            drop = {d for d in (_dim(d, len(shape)) for d in dims) if shape and shape[d] == 1}
        return self._apply(T.RESHAPE, self, tuple(n for i, n in enumerate(shape) if i not in drop))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Any:
        """Dimensions ``start_dim`` to ``end_dim`` (both included) merged into one."""
        shape = self._data.shape
        if not shape:
            return self._apply(T.RESHAPE, self, (1,))
        s, e = _dim(start_dim, len(shape), "start_dim"), _dim(end_dim, len(shape), "end_dim")
        if s > e:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        merged = (math.prod(shape[s : e + 1]),)
        return self._apply(T.RESHAPE, self, shape[:s] + merged + shape[e + 1 :])

    def view(self, *shape: Any) -> Any:
        """The same entries in a new shape, sharing memory; an error where PyTorch's
        ``view`` gives one (the entries are not laid out for it: use ``reshape``)."""
        shape = _dims(shape, "view")
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            raise TypeError(
                f"view takes sizes (view(2, -1)), got {shape[0]!r}; to change the dtype use "
                ".float(), .double(), .long() or .bool()"
            )
        new = new_shape(self._data.shape, shape)
        data = self._data
        # numpy's reshape copies exactly where PyTorch's view refuses; a copy never
        # overlaps the original's memory.
        if data.size and not np.may_share_memory(data.reshape(new), data):
            raise RuntimeError(
                f"view of shape {new} is not compatible with how this tensor of shape "
                f"{self.shape} is laid out in memory (a transpose, a strided slice); use "
                ".reshape(...) instead, which copies"
            )
        return self._apply(T.RESHAPE, self, new)
