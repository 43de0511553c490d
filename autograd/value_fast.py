"""The fast path of `Value`: what the scalar engine does per node, written for speed.

Skip this module on a first read: it does what `autograd.node` and `autograd.engine` do,
with the same order and bit for bit the same results, for nodes that hold one Python float
(``tests/autograd/test_fast_path.py`` runs both on the fuzzing programs). It has two
parts, each behind one door:

* **Operators** (`install`): ``w * x``, ``x.relu()``, ... on Values and numbers build the
  node right in the method, setting its slots, instead of going through `Node`'s method,
  ``_binary``, `Value._apply` and `value._node`. Door: `install`, which puts them on the
  class from the one list of operators and functions (`node.OPERATORS`, `node.FUNCTIONS`).
  Measured on micrograd's demo step (MLP(2, [16, 16, 1]), 100 points, 65 614 nodes): the
  forward pass takes 34 ms with them, 80 ms without.
* **Backward** (`order`, `sweep`): the engine's hook (``Value._fast_path``, see
  `engine.backward`), used when nothing but the gradients is asked. It reads a node's
  inputs from its slots (``_a``, ``_b``) instead of the ``_inputs`` tuple, calls each rule
  with positional float arguments and adds the float into ``.grad`` directly; only a rule
  that raises on float arithmetic (x/0) goes through `Value._vjp`, which answers as IEEE
  does. Measured on the same step: backward takes 37 ms with it, 137 ms without.

Slots of a Value made by an op: ``_a`` and ``_b`` hold its inputs (``_b`` None for one
input; ``_b`` `MANY` and ``_a`` a tuple for more than two), each a Value or a float.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from . import saved
from .modes import departed
from .node import FUNCTIONS, OPERATORS, method_name
from .op import Op
from .rules import passthrough

#: ``_b`` of a node with more than two inputs; its ``_a`` then holds them all as a tuple.
MANY = object()

_new = object.__new__


def install(cls: type) -> None:
    """Give the Value class ``cls`` its fast operators and the engine's hook."""
    for name, op in OPERATORS.items():
        for reflected in (False, True):
            method = _operator(cls, op, reflected)
            method.__name__ = method.__qualname__ = method_name(name, reflected)
            method.__doc__ = getattr(cls, method.__name__).__doc__
            setattr(cls, method.__name__, method)
    for name, op in FUNCTIONS.items():
        method = _function(cls, op)
        method.__name__ = method.__qualname__ = name
        method.__doc__ = getattr(cls, name).__doc__
        setattr(cls, name, method)
    cls._fast_path = sys.modules[__name__]  # this module: `order` and `sweep`


def _operator(cls: type, op: Op, reflected: bool) -> Any:
    """``self <op> other`` (``other <op> self`` if reflected): while every thread records
    without anomaly checks, with a Value, float or int on the other side, the node is made
    here (as `value._node` makes it); anything else goes through ``_binary``/``_apply``."""
    f = op.scalar

    def method(self: Any, other: Any) -> Any:
        now = saved.epoch  # before the data is read: see `autograd.saved`, "Threads"
        t = type(other)
        if t is cls:
            b = other._data
        elif t is float:
            b = other
        elif t is int:
            b = other = float(other)
        else:
            return self._binary(op, other, self) if reflected else self._binary(op, self, other)
        if departed:  # some thread is in no_grad or anomaly mode: this one may be
            return self._apply(op, other, self) if reflected else self._apply(op, self, other)
        node = _new(cls)
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

    return method


def _function(cls: type, op: Op) -> Any:
    """``x.relu()``, ``-x``, ...: the node made here, as in `_operator`."""
    f = op.scalar

    def method(self: Any) -> Any:
        if departed:
            return self._apply(op, self)
        node = _new(cls)
        node._stamp = saved.epoch  # before the data is read
        node._data = f(self._data)
        node._a = self
        node._b = None
        node.grad = 0.0
        node.grad_fn = op
        return node

    return method


def order(root: Any) -> list[Any]:
    """`engine.topological_order` of a Value graph: the same order, from the slots.

    Every input that is not a float constant is a Value, and every Value needs a gradient.
    A node with no input left to expand is emitted at once, without its marker's push and
    pop (an input seen before is already emitted: the graph has no cycles).
    """
    result: list[Any] = []
    seen: set[Any] = set()
    stack: list[Any] = [root]
    push, pop, emit, add = stack.append, stack.pop, result.append, seen.add
    while stack:
        node = pop()
        if node is None:
            emit(pop())
            continue
        if node in seen:
            continue
        add(node)
        a, b = node._a, node._b
        if b is None:  # a leaf, or one input (a Value)
            if a is None or a in seen:
                emit(node)
            else:
                push(node)
                push(None)
                push(a)
        elif b is MANY:
            push(node)
            push(None)
            n = len(stack)
            for x in a:
                if type(x) is not float and x not in seen:
                    push(x)
            if len(stack) == n:  # nothing new: take the node and its marker back
                pop()
                emit(pop())
        else:  # two inputs, each a Value or a float constant
            new_a = type(a) is not float and a not in seen
            new_b = type(b) is not float and b not in seen
            if new_b:
                # b would be expanded next; when it has two inputs, both seen (a product
                # of a weight and an activation, typically), it is emitted now, unpushed:
                # 1.5 ms less of the demo's 15 ms order.
                c, d = b._a, b._b
                if (
                    d is not None
                    and d is not MANY
                    and (type(c) is float or c in seen)
                    and (type(d) is float or d in seen)
                ):
                    add(b)
                    emit(b)
                    new_b = False
            if new_a or new_b:
                push(node)
                push(None)
                if new_a:
                    push(a)
                if new_b:
                    push(b)
            else:
                emit(node)
    return result


def sweep(root: Any, order: list[Any], seed: float) -> list[Any]:
    """`engine._sweep` for a Value graph without create_graph or a step hook."""
    ran: list[Any] = []
    emit = ran.append
    with np.errstate(all="ignore"):
        root.grad += seed
        for node in reversed(order):
            fn = node.grad_fn
            if fn is None:
                continue
            emit(node)
            g, out, a, b = node.grad, node._data, node._a, node._b
            if b is None:  # one input, a Value
                x = a._data
                try:
                    a.grad += fn.grads[0](g, out, x)
                except ArithmeticError:
                    a.grad += node._vjp(0, g, out, (x,))
            elif b is MANY:
                _many_inputs(node, g, out, a)
            # Two inputs. A constant on one side has a branch of its own, and a sum calls
            # no rule: 1 ms less of the demo's 20 ms sweep than one branch testing both.
            elif type(a) is float:  # a constant and a Value (2 * x)
                y = b._data
                try:
                    b.grad += fn.grads[1](g, out, a, y)
                except ArithmeticError:
                    b.grad += node._vjp(1, g, out, (a, y))
            elif type(b) is float:  # a Value and a constant (x * 2)
                x = a._data
                try:
                    a.grad += fn.grads[0](g, out, x, b)
                except ArithmeticError:
                    a.grad += node._vjp(0, g, out, (x, b))
            else:  # two Values
                rule_a, rule_b = fn.grads
                if rule_a is passthrough and rule_b is passthrough:
                    a.grad += g
                    b.grad += g
                else:
                    x, y = a._data, b._data
                    try:
                        a.grad += rule_a(g, out, x, y)
                    except ArithmeticError:
                        a.grad += node._vjp(0, g, out, (x, y))
                    try:
                        b.grad += rule_b(g, out, x, y)
                    except ArithmeticError:
                        b.grad += node._vjp(1, g, out, (x, y))
            if node._stamp != saved.begun:  # after the data was read: see `autograd.saved`
                saved.check(node)
    return ran


def _many_inputs(node: Any, g: float, out: float, inputs: tuple) -> None:
    """`sweep` for a node with more than two inputs (a fused neuron)."""
    xs = tuple([x if type(x) is float else x._data for x in inputs])
    fn = node.grad_fn
    rules = fn.grads
    # A variadic op's rules take the data as one tuple; any other's as arguments, passed
    # from one tuple built once (rule(*args) with a list would copy it at every call).
    args = None if fn.variadic else (g, out, *xs)
    for i, x in enumerate(inputs):
        if type(x) is not float:
            try:
                x.grad += rules[i](*args) if args is not None else rules[i](g, out, xs)
            except ArithmeticError:
                x.grad += node._vjp(i, g, out, xs)
