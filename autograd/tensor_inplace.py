"""In-place updates of a `Tensor` (``+=``, ``add_``, ``zero_``, ...), with PyTorch's rules.

``with no_grad(): for p in params: p -= lr * p.grad`` updates each parameter itself, as in
PyTorch. The rules:

* under `no_grad`, or when neither side requires grad, the tensor's entries change: written
  into its array (so views and aliases of it see the change, as in PyTorch) or, when a graph
  waiting for ``backward()`` holds that array read-only (`autograd.saved`), by assigning a
  new array to ``.data``, which makes that ``backward()`` raise instead of returning
  gradients of values that are gone (a view of a held array refuses instead: a new array
  would no longer change the tensor it views);
* outside `no_grad`, a leaf that requires grad refuses, with PyTorch's error ("a leaf
  Variable that requires grad is being used in an in-place operation"); so does a tensor
  with a history, or one taking in a tensor that requires grad, naming the out-of-place form
  (PyTorch would record an in-place node; the out-of-place form gives the same numbers).

`Value` keeps micrograd's meaning: ``v -= x`` makes a new node and rebinds ``v``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .modes import is_grad_enabled
from .node import Node
from .tensor_torch import bound


def _writeable(a: Any) -> bool:
    """Whether ``a`` and every array it is a view of may be written."""
    while isinstance(a, np.ndarray):
        if not a.flags.writeable:
            return False
        a = a.base
    return True


def _operand(name: str, x: Any) -> Any:
    """The array or number an in-place op combines with the tensor's entries."""
    if isinstance(x, Node):
        data = getattr(x, "_data", None)
        if not isinstance(data, np.ndarray):
            raise TypeError(f"{name}: cannot combine a Tensor with a {type(x).__name__}")
        return data
    if isinstance(x, (int, float)):
        return x
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name}: cannot combine a Tensor with {type(x).__name__} of dtype {arr.dtype}"
        )
    return arr


class InPlace:
    """`Tensor`'s in-place methods (mixed into `Tensor`, which supplies ``_data``, ``data``)."""

    __slots__ = ()

    def _check_inplace(self, name: str, form: str, *others: Any) -> None:
        """PyTorch's refusals outside `no_grad`, each naming what to write instead."""
        if not is_grad_enabled():
            return
        if self.requires_grad and self.grad_fn is None:
            raise RuntimeError(
                f"a leaf Variable that requires grad is being used in an in-place operation "
                f"({name}); update parameters under `with no_grad():`, or write {form} to "
                "make a new node"
            )
        if self.requires_grad:
            raise RuntimeError(
                f"in-place {name} on a tensor made by op '{self.grad_fn.name}' is not "
                f"supported while recording a graph; write {form} (the same numbers, as a "
                "new node), or run it under `with no_grad():`"
            )
        if any(isinstance(x, Node) and x.requires_grad for x in others):
            raise RuntimeError(
                f"in-place {name} of a tensor that requires grad into one that does not is "
                f"not supported while recording a graph; write {form} (a new node that "
                "requires grad), or run it under `with no_grad():`"
            )

    def _write(self, name: str, new: Any, casting: str = "same_kind") -> Any:
        """Put ``new`` (the updated entries) into this tensor; returns self."""
        data = self._data
        new = np.asarray(new)
        if new.shape != data.shape:
            try:
                new = np.broadcast_to(new, data.shape)
            except ValueError:
                raise RuntimeError(
                    f"{name}: the result has shape {new.shape}, but an in-place op keeps the "
                    f"tensor's shape {data.shape}; use the out-of-place form"
                ) from None
        if not np.can_cast(new.dtype, data.dtype, casting):
            raise TypeError(
                f"{name}: a result of dtype {new.dtype} cannot be written into a tensor of "
                f"dtype {data.dtype}; use the out-of-place form"
            )
        if _writeable(data):
            data[...] = new
        elif data.base is None and data.dtype.kind == "f":
            self.data = new.astype(data.dtype)  # a new array: moves the data clock
        else:
            # A view would stop sharing the array it views (whose tensor PyTorch would
            # change); a mask or indices cannot take a float array through ``.data``.
            raise RuntimeError(
                f"{name}: this tensor's array is read-only (a graph waiting for backward() "
                "holds it or the array it is a view of, or it was given read-only) and "
                f"{'is a view' if data.base is not None else f'is {data.dtype}'}; run "
                "backward() (or drop that graph) first, or update a copy"
            )
        return self

    def _update(self, name: str, form: str, fn: Any, other: Any) -> Any:
        self._check_inplace(name, form, other)
        return self._write(name, fn(self._data, _operand(name, other)))

    # The augmented assignments: in place, as in PyTorch (a Value rebinds instead). -------
    def __iadd__(self, other: Any) -> Any:
        return self._update("+=", "t = t + x", np.add, other)

    def __isub__(self, other: Any) -> Any:
        return self._update("-=", "t = t - x", np.subtract, other)

    def __imul__(self, other: Any) -> Any:
        return self._update("*=", "t = t * x", np.multiply, other)

    def __itruediv__(self, other: Any) -> Any:
        return self._update("/=", "t = t / x", np.true_divide, other)

    def __ipow__(self, other: Any) -> Any:
        return self._update("**=", "t = t ** x", np.power, other)

    # PyTorch's in-place methods (a trailing underscore); each returns the tensor. --------
    def add_(self, other: Any, alpha: float = 1) -> Any:
        """self += alpha · other, in place."""
        self._check_inplace("add_", "t = t + alpha * x", other)
        b = _operand("add_", other)
        return self._write("add_", self._data + (b if alpha == 1 else alpha * b))

    def sub_(self, other: Any, alpha: float = 1) -> Any:
        """self −= alpha · other, in place."""
        self._check_inplace("sub_", "t = t - alpha * x", other)
        b = _operand("sub_", other)
        return self._write("sub_", self._data - (b if alpha == 1 else alpha * b))

    def mul_(self, other: Any) -> Any:
        """self *= other, in place."""
        return self._update("mul_", "t = t * x", np.multiply, other)

    def div_(self, other: Any) -> Any:
        """self /= other, in place."""
        return self._update("div_", "t = t / x", np.true_divide, other)

    def zero_(self) -> Any:
        """Every entry 0, in place."""
        self._check_inplace("zero_", "t = t * 0")
        return self._write("zero_", np.zeros((), self._data.dtype))

    def fill_(self, value: Any) -> Any:
        """Every entry ``value`` (a number or a one-element tensor), in place."""
        self._check_inplace("fill_", "a new Tensor", value)
        v = np.asarray(_operand("fill_", value))
        if v.size != 1:
            raise RuntimeError(f"fill_ takes a number or a one-element tensor, got shape {v.shape}")
        return self._write("fill_", v.reshape(()), casting="unsafe")

    def copy_(self, src: Any) -> Any:
        """The entries of ``src`` (broadcast to this shape, converted to this dtype)."""
        self._check_inplace("copy_", "a new Tensor", src)
        return self._write("copy_", _operand("copy_", src), casting="unsafe")

    def clamp_(self, min: Any = None, max: Any = None) -> Any:
        """Entries limited to [min, max], in place."""
        self._check_inplace("clamp_", "t = t.clamp(min, max)")
        lo, hi = bound(min, "min"), bound(max, "max")
        if lo is None and hi is None:
            raise ValueError("clamp_ needs min or max (at least one of them not None)")
        return self._write("clamp_", np.clip(self._data, lo, hi))
