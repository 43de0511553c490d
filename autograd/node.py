"""`Node`: what `Value` and `Tensor` share: operators, elementwise methods, `backward`."""

from __future__ import annotations

from typing import Any

from . import rules as R
from . import saved
from .op import NODE_TYPES, Op


class Node:
    """A node of the computation graph: a value, its gradient, and how it was made.

    Subclasses have the attributes ``data`` (a property over the slot ``_data``, which the
    engine reads), ``grad``, ``grad_fn`` (the `Op` that made the node, None for a leaf),
    ``_inputs`` (that op's inputs in order, nodes and constants, as a tuple: a slot or a
    property) and ``_stamp`` (see `autograd.saved`), and implement ``_apply`` (run an op on nodes
    and constants) and the grad hooks below.
    The operators and elementwise methods are made from `OPERATORS` and `FUNCTIONS`
    below: each applies its op, which does the work.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        NODE_TYPES.add(cls)  # ops hand inputs of this type to its `_apply`

    #: The engine's one hook for a faster backward pass of this node type, or None (the
    #: reference sweep): see `autograd.engine.backward`.
    _fast_path: Any = None

    #: What ``grad`` holds before a pass reaches the node (0.0 for a Value, None for a
    #: Tensor); intermediate nodes are reset to it, so they show one pass only.
    _empty_grad: Any = None

    # The backward pass. ------------------------------------------------------------------
    def backward(
        self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False
    ) -> None:
        """Fill ``.grad`` of every node this one depends on with ∂self/∂node.

        Args:
            gradient: ∂J/∂self; needed when self is not a scalar (as in PyTorch).
            retain_graph: False releases the graph once the pass has run: each node made
                by an op forgets its inputs, so holding the root (``losses.append(J)``)
                keeps one node, not the whole graph; nodes you hold keep their ``data``
                and ``grad`` (z.grad = δ), and a second backward through them raises.
                None or True (the default, unlike PyTorch's) keep the graph, so that it can
                be drawn after backward and backpropagated again.
            create_graph: record the backward pass too, so that the gradients are nodes
                with a history and can be differentiated again.
        """
        from .engine import backward

        backward(self, gradient, create_graph, retain_graph=retain_graph)

    @property
    def is_leaf(self) -> bool:
        """True for nodes made by the user rather than by an op."""
        return self.grad_fn is None

    @property
    def _prev(self) -> tuple:
        """The input nodes (micrograd's name; constants left out)."""
        return tuple(x for x in self._inputs if isinstance(x, Node))

    @property
    def _op(self) -> str:
        """The op's symbol, '' for a leaf (micrograd's name)."""
        return self.grad_fn.symbol if self.grad_fn is not None else ""

    # Hooks the backward core calls. --------------------------------------------------------
    @classmethod
    def _apply(cls, op: Op, *inputs: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def _binary(cls, op: Op, a: Any, b: Any) -> Any:
        """An arithmetic operator: `_apply`, after any operand conversion the node needs."""
        return cls._apply(op, a, b)

    def _seed(self, gradient: Any, create_graph: bool) -> Any:
        """∂J/∂root to start the pass from."""
        raise NotImplementedError

    def _accumulate(self, g: Any, passed_through: bool = False) -> None:
        """``self.grad += g``, summing a broadcast gradient back to this node's shape.

        ``passed_through`` says that ``g`` is the upstream gradient itself (a rule such as
        addition's hands it on unchanged), so it may be shared with other nodes.
        """
        raise NotImplementedError

    def __setstate__(self, state: Any) -> None:
        attrs, slots = state if isinstance(state, tuple) else (state, None)
        for name, value in {**(attrs or {}), **(slots or {})}.items():
            setattr(self, name, value)
        saved.restamp(self)

    def _release_graph(self) -> None:
        """Forget the inputs (``backward(retain_graph=False)``): they become one released
        input whose gradient cannot be read, so that a later pass through it raises."""
        raise NotImplementedError

    def _release_saved(self) -> None:
        """A backward pass has run this node's rules: what they read may change now."""

    def _vjp(self, i: int, g: Any, out: Any, inputs: tuple) -> Any:
        """The derivative rule of input ``i``: its share of ∂J/∂input."""
        op = self.grad_fn
        return op.grads[i](g, out, inputs) if op.variadic else op.grads[i](g, out, *inputs)


RELEASED = (
    "backward(): this graph was released by an earlier backward(retain_graph=False); "
    "run the forward pass again, or pass retain_graph=True to the first backward()"
)


def released_input(cls: type, **slots: Any) -> Any:
    """The input a node of type ``cls`` has after `Node._release_graph`: a leaf of a
    subclass whose ``grad`` raises, so that any backward pass reaching it stops there."""

    def grad(self: Any) -> Any:
        raise RuntimeError(RELEASED)

    def describe(self: Any) -> str:
        return "<an input released by backward(retain_graph=False)>"

    body = {"__slots__": (), "grad": property(grad), "__repr__": describe}
    released = type(f"Released{cls.__name__}", (cls,), body)
    node = object.__new__(released)
    for name, value in {"grad_fn": None, "_stamp": 0, **slots}.items():
        object.__setattr__(node, name, value)
    return node


#: The arithmetic operators, with numbers on either side (``2 * a``: constants are kept
#: inside the node): ``a + b`` is ADD(a, b) (``__add__``), ``2 + a`` is ADD(2, a)
#: (``__radd__``). The one list: `Value`'s fast operators are made from it too.
OPERATORS = {"add": R.ADD, "sub": R.SUB, "mul": R.MUL, "truediv": R.DIV, "pow": R.POW}

#: The functions of one node, a = g(z): ``x.exp()``, ``-x``, ``abs(x)``, ...
FUNCTIONS = {
    "__neg__": R.NEG,
    "__abs__": R.ABS,
    **R.UNARY,  # exp log relu tanh sigmoid sin cos abs sqrt
}


def _operator(op: Op, reflected: bool) -> Any:
    if reflected:

        def method(self: Node, other: Any) -> Any:
            return self._binary(op, other, self)
    else:

        def method(self: Node, other: Any) -> Any:
            return self._binary(op, self, other)

    return method


def _function(op: Op) -> Any:
    def method(self: Node) -> Any:
        return self._apply(op, self)

    return method


def method_name(name: str, reflected: bool) -> str:
    """``__mul__`` (``__rmul__`` if reflected) for the operator ``mul`` of `OPERATORS`."""
    return f"__{'r' if reflected else ''}{name}__"


for _name, _op in OPERATORS.items():
    for _reflected in (False, True):
        _method = _operator(_op, _reflected)
        _method.__name__ = _method.__qualname__ = method_name(_name, _reflected)
        _method.__doc__ = f"The op {_op.name!r} ({_op.symbol}), recorded as a node."
        setattr(Node, _method.__name__, _method)
for _name, _op in FUNCTIONS.items():
    _method = _function(_op)
    _method.__name__ = _method.__qualname__ = _name
    _method.__doc__ = f"The op {_op.name!r} ({_op.symbol}), recorded as a node."
    setattr(Node, _name, _method)
del _name, _op, _reflected, _method
