"""`Value`: a scalar node holding one Python float (micrograd's API, on the shared core)."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from . import rules as R
from .anomaly import check_forward
from .engine import grad_mode
from .node import Node
from .ops import Op


def _as_float(x: Any, what: str = "Value data") -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    if isinstance(x, np.ndarray) and x.size == 1 and x.dtype.kind in "biuf":
        return float(x.reshape(()))
    raise TypeError(f"{what} must be a real number, got {type(x).__name__}: {x!r}")


_new = object.__new__


def _fast_operator(op: Op, reflected: bool = False) -> Callable[[Value, Any], Value]:
    """The method ``self <op> other`` (``other <op> self`` if reflected) of `Value`.

    Written for speed (these are the scalar engine's hottest lines): with a Value, float or
    int on the other side, while recording outside anomaly mode, the node is made right
    here; anything else goes through `Value._apply`.
    """
    f = op.scalar

    def method(self: Value, other: Any) -> Value:
        t = type(other)
        if t is Value:
            b = other.data
        elif t is float:
            b = other
        elif t is int:
            b = other = float(other)
        else:
            return self._binary(op, other, self) if reflected else self._binary(op, self, other)
        if not grad_mode.enabled or grad_mode.anomaly:
            return self._apply(op, other, self) if reflected else self._apply(op, self, other)
        node = _new(Value)
        if reflected:
            node.data = f(b, self.data)
            node._inputs = (other, self)
        else:
            node.data = f(self.data, b)
            node._inputs = (self, other)
        node.grad = 0.0
        node.label = ""
        node.grad_fn = op
        return node

    method.__name__ = f"__{'r' if reflected else ''}{op.name}__"
    return method


def _fast_unary(op: Op) -> Callable[[Value], Value]:
    """The method ``x.relu()`` (``x.exp()``, ...) of `Value`, written for speed as
    `_fast_operator`: while recording outside anomaly mode the node is made directly."""
    f = op.scalar

    def method(self: Value) -> Value:
        if grad_mode.enabled and not grad_mode.anomaly:
            return _node(f(self.data), (self,), op)
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

    __slots__ = ("__weakref__", "_inputs", "data", "grad", "grad_fn", "label")

    #: A Value always takes part in differentiation (micrograd's behaviour).
    requires_grad = True
    _float_grads = True

    def __init__(
        self, data: Any, _inputs: tuple = (), grad_fn: Op | None = None, label: str = ""
    ) -> None:
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        self.grad_fn = grad_fn
        self._inputs = _inputs

    @classmethod
    def _apply(cls, op: Op, *inputs: Any) -> Value:
        """Run ``op`` on Values and numbers: the forward value, and the node if recording."""
        args = []
        converted = False
        for x in inputs:
            if type(x) is Value:
                args.append(x.data)
            elif type(x) is float:
                args.append(x)
            elif isinstance(x, numbers.Real) and not isinstance(x, bool):
                args.append(float(x))
                converted = True
            else:
                return NotImplemented
        out = op.scalar(*args)
        if grad_mode.enabled:
            if converted:  # constants are stored as floats so the rules see one type
                inputs = tuple(x if type(x) is Value else float(x) for x in inputs)
            node = _node(out, inputs, op)
        else:
            node = _node(out, (), None)
        if grad_mode.anomaly:
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
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    def item(self) -> float:
        """The float held (as ``Tensor.item()``)."""
        return self.data

    def detach(self) -> Value:
        """The same number with no history."""
        return Value(self.data, label=self.label)

    # Hooks the backward core calls. ------------------------------------------------------
    def _seed(self, gradient: Any, create_graph: bool) -> Any:
        seed = 1.0 if gradient is None else _as_float(gradient, "gradient")
        return Value(seed) if create_graph else seed

    def _clear_grad(self) -> None:
        self.grad = 0.0

    def _accumulate(self, g: Any, passed_through: bool = False) -> None:
        grad = self.grad
        # Assigning on the first contribution keeps create_graph gradients free of "0 +".
        self.grad = g if (type(grad) is float and grad == 0.0) else grad + g

    def _vjp(self, i: int, g: Any, out: Any, inputs: tuple) -> Any:
        rule = self.grad_fn.grads[i]
        try:
            return rule(g, out, *inputs)
        except ArithmeticError:
            # Float arithmetic raises on x/0; PyTorch (float64) gives inf or nan: so does numpy.
            f64 = np.float64
            return float(rule(f64(g), f64(out), *[f64(x) for x in inputs]))


def _node(data: float, inputs: tuple, op: Op | None) -> Value:
    """A Value made by an op (no checks: ``data`` is already a float, ``inputs`` in order).

    Written for speed: it sets the slots directly instead of going through ``__init__``.
    """
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node.grad_fn = op
    node._inputs = inputs
    return node
