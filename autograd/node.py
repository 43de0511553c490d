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
    Every operator and method here is one line: the op does the work.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        NODE_TYPES.add(cls)  # ops hand inputs of this type to its `_apply`

    #: True for node types whose data and gradients are Python floats: the engine then
    #: runs their rules in a loop written for speed (`engine._run_float_rules`).
    _float_grads = False

    #: What ``grad`` holds before a pass reaches the node (0.0 for a Value, None for a
    #: Tensor); intermediate nodes are reset to it, so they show one pass only.
    _empty_grad: Any = None

    # Arithmetic, with numbers on either side (constants are kept inside the node). ---
    def __add__(self, other: Any) -> Any:
        return self._binary(R.ADD, self, other)

    def __radd__(self, other: Any) -> Any:
        return self._binary(R.ADD, other, self)

    def __sub__(self, other: Any) -> Any:
        return self._binary(R.SUB, self, other)

    def __rsub__(self, other: Any) -> Any:
        return self._binary(R.SUB, other, self)

    def __mul__(self, other: Any) -> Any:
        return self._binary(R.MUL, self, other)

    def __rmul__(self, other: Any) -> Any:
        return self._binary(R.MUL, other, self)

    def __truediv__(self, other: Any) -> Any:
        return self._binary(R.DIV, self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return self._binary(R.DIV, other, self)

    def __pow__(self, other: Any) -> Any:
        return self._binary(R.POW, self, other)

    def __rpow__(self, other: Any) -> Any:
        return self._binary(R.POW, other, self)

    def __neg__(self) -> Any:
        return self._apply(R.NEG, self)

    # Elementwise functions: a = g(z). ---------------------------------------------------
    def exp(self) -> Any:
        return self._apply(R.EXP, self)

    def log(self) -> Any:
        return self._apply(R.LOG, self)

    def relu(self) -> Any:
        return self._apply(R.RELU, self)

    def tanh(self) -> Any:
        return self._apply(R.TANH, self)

    def sigmoid(self) -> Any:
        return self._apply(R.SIGMOID, self)

    def sin(self) -> Any:
        return self._apply(R.SIN, self)

    def cos(self) -> Any:
        return self._apply(R.COS, self)

    def abs(self) -> Any:
        return self._apply(R.ABS, self)

    def __abs__(self) -> Any:
        return self._apply(R.ABS, self)

    def sqrt(self) -> Any:
        return self._apply(R.SQRT, self)

    # The backward pass. ------------------------------------------------------------------
    def backward(self, gradient: Any = None, create_graph: bool = False) -> None:
        """Fill ``.grad`` of every node this one depends on with ∂self/∂node.

        Args:
            gradient: ∂J/∂self; needed when self is not a scalar (as in PyTorch).
            create_graph: record the backward pass too, so that the gradients are nodes
                with a history and can be differentiated again.
        """
        from .engine import backward

        backward(self, gradient, create_graph)

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

    def _release_saved(self) -> None:
        """A backward pass has run this node's rules: what they read may change now."""

    def _vjp(self, i: int, g: Any, out: Any, inputs: tuple) -> Any:
        """The derivative rule of input ``i``: its share of ∂J/∂input."""
        op = self.grad_fn
        return op.grads[i](g, out, inputs) if op.variadic else op.grads[i](g, out, *inputs)
