"""`Value`: a scalar node holding one Python float (micrograd's API, on the shared core)."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from . import rules as R
from . import saved
from .anomaly import check_forward
from .engine import departed, grad_mode
from .node import Node
from .op import Op


def _as_float(x: Any, what: str = "Value data") -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    if isinstance(x, np.ndarray) and x.size == 1 and x.dtype.kind in "biuf":
        return float(x.reshape(()))
    raise TypeError(f"{what} must be a real number, got {type(x).__name__}: {x!r}")


_new = object.__new__

# ``_b`` of a node with more than two inputs; its ``_a`` then holds them all as a tuple.
MANY = object()


def _fast_operator(op: Op, reflected: bool = False) -> Callable[[Value, Any], Value]:
    """The method ``self <op> other`` (``other <op> self`` if reflected) of `Value`.

    Written for speed (these are the scalar engine's hottest lines): with a Value, float or
    int on the other side, while recording outside anomaly mode, the node is made right
    here; anything else goes through `Value._apply`.
    """
    f = op.scalar

    def method(self: Value, other: Any) -> Value:
        now = saved.epoch  # before the data is read: see `autograd.saved`, "Threads"
        t = type(other)
        if t is Value:
            b = other._data
        elif t is float:
            b = other
        elif t is int:
            b = other = float(other)
        else:
            return self._binary(op, other, self) if reflected else self._binary(op, self, other)
        if departed:  # some thread is in no_grad or anomaly mode: this one may be
            return self._apply(op, other, self) if reflected else self._apply(op, self, other)
        node = _new(Value)
        if reflected:
            node._data = f(b, self._data)
            node._a = other
            node._b = self
        else:
            node._data = f(self._data, b)
            node._a = self
            node._b = other
        node.grad = 0.0
        node.grad_fn = op
        node._stamp = now
        return node

    method.__name__ = f"__{'r' if reflected else ''}{op.name}__"
    return method


def _fast_unary(op: Op) -> Callable[[Value], Value]:
    """The method ``x.relu()`` (``x.exp()``, ...) of `Value`, written for speed as
    `_fast_operator`: while recording outside anomaly mode the node is made directly."""
    f = op.scalar

    def method(self: Value) -> Value:
        if not departed:
            node = _new(Value)
            node._stamp = saved.epoch  # before the data is read, as in `_fast_operator`
            node._data = f(self._data)
            node._a = self
            node._b = None
            node.grad = 0.0
            node.grad_fn = op
            return node
        return self._apply(op, self)

    method.__name__ = op.name
    return method


class Value(Node):
    """One scalar in the computation graph.

    ``Value(2.0, label="a")`` makes a leaf; operators and methods make new nodes whose
    ``grad_fn`` is the op and whose inputs are kept in order. After ``J.backward()`` every
    node's ``grad`` is ∂J/∂node. Numbers mixed in (``2 * a``) are kept inside the node as
    constants, not wrapped as extra leaves.
    """

    # The inputs live in the node itself (no tuple: fewer bytes, and one object instead of
    # two for the cycle collector to track): none, ``_a``, ``_a`` and ``_b``, or a tuple in
    # ``_a`` with ``_b`` MANY. ``_inputs`` gives them as a tuple.
    __slots__ = ("__weakref__", "_a", "_b", "_data", "_label", "_stamp", "grad", "grad_fn")

    #: A Value always takes part in differentiation (micrograd's behaviour).
    requires_grad = True
    _float_grads = True
    _empty_grad = 0.0

    def __init__(
        self, data: Any, _inputs: tuple = (), grad_fn: Op | None = None, label: str = ""
    ) -> None:
        self._stamp = saved.epoch
        self._data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        if label:
            self._label = label
        self.grad_fn = grad_fn
        self._set_inputs(_inputs)

    @property
    def data(self) -> float:
        """The float held.

        Assign a new number freely between training steps. Assigning one while a graph that
        used this Value waits for ``backward()`` makes that ``backward()`` raise instead of
        returning gradients of numbers that are no longer there.
        """
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        saved.assign(self, value if type(value) is float else _as_float(value))

    @property
    def label(self) -> str:
        """A name for pictures and messages ('' unless given)."""
        try:
            return self._label
        except AttributeError:  # op nodes leave the slot empty: one store less each
            return ""

    @label.setter
    def label(self, value: str) -> None:
        self._label = value

    @property
    def _inputs(self) -> tuple:
        """The op's inputs in order: nodes and constants (empty for a leaf)."""
        b = self._b
        if b is None:
            a = self._a
            return () if a is None else (a,)
        return self._a if b is MANY else (self._a, b)

    def _set_inputs(self, inputs: tuple) -> None:
        n = len(inputs)
        if n > 2:
            self._a, self._b = tuple(inputs), MANY
        else:
            self._a = inputs[0] if n else None
            self._b = inputs[1] if n == 2 else None

    @classmethod
    def _apply(cls, op: Op, *inputs: Any) -> Value:
        """Run ``op`` on Values and numbers: the forward value, and the node if recording."""
        now = saved.epoch  # before the data is read: see `autograd.saved`
        args = []
        converted = False
        for x in inputs:
            if type(x) is Value:
                args.append(x._data)
            elif type(x) is float:
                args.append(x)
            elif isinstance(x, numbers.Real) and not isinstance(x, bool):
                args.append(float(x))
                converted = True
            else:
                return NotImplemented
        out = op.scalar(*args)
        mode = grad_mode  # this thread's
        if mode.enabled:
            if converted:  # constants are stored as floats so the rules see one type
                inputs = tuple(x if type(x) is Value else float(x) for x in inputs)
            node = _node(out, inputs, op, now)
        else:
            node = _node(out, (), None, now)
        if mode.anomaly:
            check_forward(node, op, args)
        return node

    relu = _fast_unary(R.RELU)
    tanh = _fast_unary(R.TANH)
    sigmoid = _fast_unary(R.SIGMOID)
    exp = _fast_unary(R.EXP)
    log = _fast_unary(R.LOG)
    __neg__ = _fast_unary(R.NEG)
    __add__ = _fast_operator(R.ADD)
    __radd__ = _fast_operator(R.ADD, reflected=True)
    __sub__ = _fast_operator(R.SUB)
    __rsub__ = _fast_operator(R.SUB, reflected=True)
    __mul__ = _fast_operator(R.MUL)
    __rmul__ = _fast_operator(R.MUL, reflected=True)
    __truediv__ = _fast_operator(R.DIV)
    __rtruediv__ = _fast_operator(R.DIV, reflected=True)
    __pow__ = _fast_operator(R.POW)
    __rpow__ = _fast_operator(R.POW, reflected=True)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self._data:.6g}, grad={self.grad:.6g}{label})"

    def item(self) -> float:
        """The float held (as ``Tensor.item()``)."""
        return self._data

    def detach(self) -> Value:
        """The same number with no history."""
        return Value(self._data, label=self.label)

    # Hooks the backward core calls. ------------------------------------------------------
    def _seed(self, gradient: Any, create_graph: bool) -> Any:
        seed = 1.0 if gradient is None else _as_float(gradient, "gradient")
        return Value(seed) if create_graph else seed

    def _accumulate(self, g: Any, passed_through: bool = False) -> None:
        grad = self.grad
        # Assigning on the first contribution keeps create_graph gradients free of "0 +".
        self.grad = g if (type(grad) is float and grad == 0.0) else grad + g

    def _vjp(self, i: int, g: Any, out: Any, inputs: tuple) -> Any:
        try:
            return Node._vjp(self, i, g, out, inputs)
        except ArithmeticError:
            # Float arithmetic raises on x/0; PyTorch (float64) gives inf or nan: so does numpy.
            f64 = np.float64
            return float(Node._vjp(self, i, f64(g), f64(out), tuple([f64(x) for x in inputs])))


def _node(data: float, inputs: tuple, op: Op | None, now: int) -> Value:
    """A Value made by an op (no checks: ``data`` is already a float, ``inputs`` in order).

    Written for speed: it sets the slots directly instead of going through ``__init__``.
    """
    node = _new(Value)
    node._data = data
    node.grad = 0.0
    node.grad_fn = op
    node._set_inputs(inputs)
    node._stamp = now  # the epoch read before the inputs' data
    return node
