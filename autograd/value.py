"""`Value`: a scalar node holding one Python float (micrograd's API, on the shared core)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import saved
from .anomaly import check_forward
from .closure import ClosureOp, closure_node_op
from .engine import apply_rules
from .modes import departed, grad_mode
from .node import Node, released_input
from .op import Op
from .value_fast import MANY, install


def _as_float(x: Any, what: str = "Value data") -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    if isinstance(x, np.ndarray) and x.size == 1 and x.dtype.kind in "biuf":
        return float(x.reshape(()))
    raise TypeError(f"{what} must be a real number, got {type(x).__name__}: {x!r}")


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
    _empty_grad = 0.0

    def __init__(self, data: Any, _children: Any = (), _op: Any = "", label: str = "") -> None:
        """micrograd's signature: ``Value(data)``, or ``Value(data, children, "op")`` for a
        node made by hand, whose ``_backward`` you then assign (see `autograd.closure`)."""
        self._stamp = saved.epoch
        self._data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        if label:
            self._label = label
        if isinstance(_op, Op):
            self.grad_fn = _op
        elif _children or _op != "":
            self.grad_fn = closure_node_op(_op, _children, Value)
        else:
            self.grad_fn = None
        self._set_inputs(tuple(_children))

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
        # This thread's modes, read only when some thread left the defaults (`departed`):
        # two thread-local reads cost ~5% of a 16-input neuron's forward (4.1 against 3.9 µs).
        enabled, anomaly = (grad_mode.enabled, grad_mode.anomaly) if departed else (True, False)
        if enabled:
            if converted:  # constants are stored as floats so the rules see one type
                inputs = tuple(x if type(x) is Value else float(x) for x in inputs)
            node = _node(out, inputs, op, now)
        else:
            node = _node(out, (), None, now)
        if anomaly:
            check_forward(node, op, args)
        return node

    def __repr__(self) -> str:
        # micrograd's repr, every digit of the float (the label, if any, after it).
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self._data}, grad={self.grad}{label})"

    @property
    def _prev(self) -> set:
        """The input Values as a set, as micrograd has it (``(a*a)._prev == {a}``); the
        engine keeps them in order in ``_inputs``."""
        return {x for x in self._inputs if type(x) is not float}

    @property
    def _backward(self) -> Any:
        """Apply this node's local rule once: add its share of ``self.grad`` to each input's
        ``.grad`` (micrograd's ``_backward``; the lecture calls it node by node).

        Assign a function to make this a node of your own op (micrograd's way): backward()
        then runs it at the node's turn, and pictures draw the node as its ``_op``.
        """
        fn = self.grad_fn
        if isinstance(fn, ClosureOp):
            return fn.backward
        return lambda: None if fn is None else apply_rules(self)

    @_backward.setter
    def _backward(self, function: Any) -> None:
        if not callable(function):
            raise TypeError(f"_backward must be a function of no arguments, got {function!r}")
        fn = self.grad_fn
        if not isinstance(fn, ClosureOp):  # the closure replaces the op's rules
            children = tuple([x for x in self._inputs if type(x) is not float])
            fn = self.grad_fn = ClosureOp(self._op, children)
            self._set_inputs(children)
        fn.backward = function

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
        if type(g) is float:
            self.grad = grad + g  # as the fast sweep adds: the same bits, -0.0 included
        else:
            # Assigning on the first contribution keeps create_graph gradients free of "0 +".
            self.grad = g if (type(grad) is float and grad == 0.0) else grad + g

    def _release_graph(self) -> None:
        self._a, self._b = _RELEASED, None

    def _vjp(self, i: int, g: Any, out: Any, inputs: tuple) -> Any:
        try:
            return Node._vjp(self, i, g, out, inputs)
        except ArithmeticError:
            # Float arithmetic raises on x/0; PyTorch (float64) gives inf or nan: so does numpy.
            f64 = np.float64
            return float(Node._vjp(self, i, f64(g), f64(out), tuple([f64(x) for x in inputs])))


def _node(data: float, inputs: tuple, op: Op | None, now: int) -> Value:
    """A Value made by an op (no checks: ``data`` is already a float, ``inputs`` in order,
    ``now`` the epoch read before their data): the slots set directly, not by ``__init__``.
    (`autograd.value_fast` makes its nodes the same way, inline.)"""
    node = object.__new__(Value)
    node._data = data
    node.grad = 0.0
    node.grad_fn = op
    node._set_inputs(inputs)
    node._stamp = now  # the epoch read before the inputs' data
    return node


_RELEASED = released_input(Value, _data=0.0, _a=None, _b=None, _label="released")

install(Value)  # the fast path: its operators, and the engine's hook (`autograd.value_fast`)
