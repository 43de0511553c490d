"""`Tensor`: a node holding one numpy array (PyTorch's API, on the shared core)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import saved
from . import tensor_rules as T
from .anomaly import check_forward
from .modes import departed, grad_mode
from .node import Node, released_input
from .op import Op
from .saved import hold, release
from .tensor_args import (
    as_array,
    check_broadcast,
    check_matmul,
    new_shape,
    normalize_index,
    own_array,
)
from .tensor_inplace import InPlace
from .tensor_reduce import Reductions
from .tensor_rules import unbroadcast
from .tensor_shape import ShapeMethods
from .tensor_torch import TorchMethods, constant


class Tensor(Node, ShapeMethods, Reductions, InPlace, TorchMethods):
    """An array in the computation graph.

    ``Tensor(x, requires_grad=True)`` makes a leaf whose ``grad`` (an ndarray of the same
    shape, None until a backward pass reaches it) accumulates ∂J/∂x. The tensor holds a
    copy of an array you pass (as ``torch.tensor``): your array stays yours. Ops on tensors
    that do not require grad, or under `no_grad`, record nothing. PyTorch's methods are
    spelled and behave as there (`tensor_shape`, `tensor_reduce`, `tensor_inplace`,
    `tensor_torch`).
    """

    __slots__ = (
        "__weakref__",
        "_data",
        "_inputs",
        "_read_only",
        "_stamp",
        "grad",
        "grad_fn",
        "label",
        "requires_grad",
    )

    # numpy hands `ndarray + Tensor` to Tensor.__radd__ instead of looping over elements.
    __array_ufunc__ = None

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, label: str = ""
    ) -> None:
        self._read_only = ()  # first: __del__ reads it even when the conversion below fails
        self._stamp = saved.epoch
        self._data = own_array(data, dtype)  # a copy of the caller's array, as torch.tensor
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.grad_fn = None
        self._inputs = ()
        self.label = label

    @property
    def data(self) -> np.ndarray:
        """The array held: the tensor's own (``Tensor(X)`` and assigning ``.data = X`` copy
        ``X``, so your ``X`` stays yours and writeable).

        Assign a new array or write into this one freely between training steps. While a
        graph that used this tensor waits for ``backward()``, the array is read-only: a
        write into it (``t.data[0] = 5``, ``t.data *= 2``) fails at once with numpy's
        "assignment destination is read-only", because the pending backward() would read
        the new numbers; write after ``backward()``, or into a copy
        (``t.detach().numpy().copy()``). Assigning a new array in between makes that
        ``backward()`` raise instead of returning gradients of values no longer there.
        """
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        # ``t.data -= x`` assigns the tensor's own array back: counted, not copied.
        new = value if value is self._data else own_array(value, what="data")
        saved.assign(self, new)

    def __setstate__(self, state: Any) -> None:
        super().__setstate__(state)
        self._read_only = ()  # the arrays unpickled are new ones, held by no node

    def __del__(self) -> None:
        if self._read_only:  # dropped before its backward pass: the arrays are writeable
            release(self._read_only)

    @classmethod
    def _apply(cls, op: Op, *inputs: Any) -> Tensor:
        """Run ``op``; record a node if any input Tensor requires grad and grad mode is on."""
        # Written for speed, as it runs for every op: the slots, not the properties, and
        # the new node's slots set here, not through __init__ (which converts its data).
        now = saved.epoch  # before the data is read: see `autograd.saved`
        args = []
        record = False
        for x in inputs:
            if isinstance(x, Tensor):
                args.append(x._data)
                if x.requires_grad:
                    record = True
            elif isinstance(x, Node):
                return NotImplemented
            else:
                args.append(x)
        out = op.array(*args)
        if type(out) is not np.ndarray:  # full reductions give numpy scalars
            out = np.asarray(out)
        anomaly = False
        if departed:  # some thread is in no_grad or anomaly mode: read this one's modes
            mode = grad_mode
            record = record and mode.enabled
            anomaly = mode.anomaly
        # What the rules read, held read-only (`autograd.saved`) before the node exists, so
        # that its __del__ never meets an unset slot: the result ("out") and the Tensor
        # inputs, as ``op.saves`` lists them (None: all of them). Array constants the
        # rules read are copied instead: they are the caller's.
        read_only = ()
        try:  # Ctrl-C before the node holds its arrays: they are given back
            saves = op.saves
            if record and saves != ():
                arrays = []
                for k in ("out", *range(len(inputs))) if saves is None else saves:
                    if k == "out":
                        arrays.append(out)
                    elif isinstance(inputs[k], Tensor):
                        arrays.append(args[k])  # that input's array
                    elif type(inputs[k]) is np.ndarray:  # a constant the caller may change
                        inputs = (*inputs[:k], inputs[k].copy(), *inputs[k + 1 :])
                read_only = hold(arrays)
            node = cls.__new__(cls)
            node._data = out
            node._stamp = now
            node.grad = None
            node.requires_grad = record
            node.grad_fn = op if record else None
            node._inputs = inputs if record else ()
            node._read_only = read_only
            node.label = ""
        except BaseException:
            release(read_only)
            raise
        if anomaly:
            check_forward(node, op, args)
        return node

    @classmethod
    def _binary(cls, op: Op, a: Any, b: Any) -> Tensor:
        """An arithmetic op with a number or array on either side."""
        # Written for speed: a Tensor needs no conversion, and equal shapes no check.
        if not isinstance(a, Tensor):
            a = _operand(a)
            if a is NotImplemented:
                return NotImplemented
        if not isinstance(b, Tensor):
            b = _operand(b)
            if b is NotImplemented:
                return NotImplemented
        sa, sb = _shape(a), _shape(b)
        if sa != sb:
            check_broadcast(op.name, sa, sb)
        return cls._apply(op, a, b)

    # Properties as in numpy and PyTorch (from the slot: ops and rules read them often). -----
    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        grad = ", requires_grad=True" if self.requires_grad else ""
        body = np.array2string(self.data, precision=4, threshold=20, prefix="Tensor(")
        return f"Tensor({body}{grad})"

    def item(self) -> float:
        """The single number held, as a Python float."""
        if self._data.size != 1:
            raise ValueError(
                f"item() needs a tensor with one element, this one has shape {self.shape}"
            )
        return self._data.item()

    def numpy(self) -> np.ndarray:
        """The array held (shared, not copied, as in PyTorch); read-only while a graph
        that used it waits for backward() (see `data`)."""
        return self.data

    def detach(self) -> Tensor:
        """The same array, with no history and requires_grad=False."""
        return constant(self._data)  # shared, not copied, as in PyTorch (a mask stays bool)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Start (or stop) tracking gradients of this leaf; returns self."""
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError("requires_grad_(False) works on leaves only; use detach()")
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"only floating-point tensors can require gradients, this one is "
                f"{self._data.dtype} (a mask or indices); convert it with .double() first"
            )
        self.requires_grad = bool(requires_grad)
        return self

    # Linear algebra, reductions, shapes. ---------------------------------------------------
    def __matmul__(self, other: Any) -> Tensor:
        return _matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _matmul(other, self)

    def reshape(self, *shape: Any) -> Tensor:
        """The same entries in a new shape (one dimension may be -1)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return self._apply(T.RESHAPE, self, new_shape(self.shape, shape))

    def __getitem__(self, index: Any) -> Tensor:
        return self._apply(T.GETITEM, self, normalize_index(index))

    # Hooks the backward core calls. --------------------------------------------------------
    def _seed(self, gradient: Any, create_graph: bool) -> Any:
        data = self._data
        if gradient is None:
            if data.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs: this tensor has "
                    f"shape {self.shape}; pass gradient= (∂J/∂output, same shape) to backward()"
                )
            seed = np.empty_like(data)  # and filled: np.ones_like's wrapper costs more
            seed.fill(1)
        else:
            seed = as_array(gradient, data.dtype, "gradient")
            if seed is gradient or isinstance(gradient, Node):
                seed = seed.copy()  # the caller's array: x.grad must not become it
            if seed.shape != self.shape:
                raise ValueError(
                    f"gradient has shape {seed.shape} but the tensor has shape {self.shape}"
                )
        return constant(seed) if create_graph else seed

    def _release_graph(self) -> None:
        self._inputs = (_RELEASED,)

    def _release_saved(self) -> None:
        held = self._read_only
        if held:
            release(held)  # (interrupted, it runs again in __del__: release is idempotent)
            self._read_only = ()

    def _accumulate(self, g: Any, passed_through: bool = False) -> None:
        data = self._data  # the slot, not the property: this runs for every edge
        if g.shape != data.shape:
            g = unbroadcast(g, data.shape)  # a sum: a new array (or a node's sum)
        elif (
            self.grad_fn is None
            and type(g) is not Tensor
            and (passed_through or g.base is not None)
        ):
            # The upstream array itself, or a view of one: a leaf, which keeps its gradient
            # across steps, gets its own copy. (A new array from a rule is its own already,
            # and copying it would cost a pass over memory.)
            g = g.copy()
        if type(g) is not Tensor and g.dtype is not data.dtype and g.dtype != data.dtype:
            g = g.astype(data.dtype)  # (``is`` first, written for speed: dtypes are shared)
        grad = self.grad
        self.grad = g if grad is None else grad + g


_RELEASED = released_input(
    Tensor, _data=np.zeros(()), _inputs=(), _read_only=(), requires_grad=True, label="released"
)


def _operand(x: Any) -> Any:
    """A number or numeric array to combine with a Tensor, or NotImplemented."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Node):
        return NotImplemented
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return x
    if isinstance(x, (np.ndarray, np.generic, list, tuple, bool)):
        arr = np.asarray(x)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"cannot combine a Tensor with an array of dtype {arr.dtype}")
        return arr
    return NotImplemented


def _shape(x: Any) -> tuple[int, ...]:
    """The shape of an operand as `_operand` returns it."""
    if isinstance(x, Tensor):
        return x._data.shape
    # A number is checked before np.shape, which costs more than most ops.
    return (
        x.shape if isinstance(x, np.ndarray) else () if isinstance(x, (int, float)) else np.shape(x)
    )


def _matmul(a: Any, b: Any) -> Tensor:
    a, b = _operand(a), _operand(b)
    if a is NotImplemented or b is NotImplemented:
        return NotImplemented
    check_matmul(_shape(a), _shape(b))
    return Tensor._apply(T.MATMUL, a, b)
