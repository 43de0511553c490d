"""micrograd's way of adding an op: a node made by hand, with a ``_backward`` closure.

micrograd's lecture teaches an op as its forward value and a closure that pushes the
node's gradient into its children::

    out = Value(t, (self,), "tanh")
    def _backward():
        self.grad += (1 - t**2) * out.grad
    out._backward = _backward

Such a node's ``grad_fn`` is a `ClosureOp`: an op of one node, whose derivative rule for
input ``i`` runs the closure and reports what it added to that input's ``.grad``. So the
engine's sweeps, the pictures and `explain` treat it as any other op, with no path of its
own; the closure runs once per input, and keeps micrograd's cost (the closure holds its
node, a reference cycle the collector frees).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .node import Node


def _nothing() -> None:
    """A node's ``_backward`` before one is assigned (micrograd's default)."""


class ClosureOp:
    """The op of one node built as ``Value(data, children, "name")``.

    Attributes mirror `Op` (``name``, ``symbol``, ``grads``, ``local``...) so that every
    part of the library reads it as an op; ``scalar`` and ``array`` are None because the
    forward value was computed by the user.
    """

    __slots__ = ("backward", "children", "grads", "name", "symbol")

    scalar = None
    array = None
    local: tuple[str, ...] = ()
    variadic = False
    saves = None

    def __init__(self, symbol: str, children: tuple[Node, ...]) -> None:
        self.name = self.symbol = symbol
        self.children = children
        self.backward: Callable[[], None] = _nothing
        self.grads = tuple(self._share_rule(i) for i in range(len(children)))

    def _share_rule(self, i: int) -> Callable[..., float]:
        def rule(g: Any, out: Any, *inputs: Any) -> float:
            return self.share(i, g)

        return rule

    def share(self, i: int, g: Any) -> float:
        """What the closure adds to child ``i``'s grad (the node's grad is ``g``).

        The closure reads the node's ``.grad``, which the sweep has set to ``g``. The other
        children's grads are set aside meanwhile, since the closure adds to all of them;
        a child listed twice gets its whole share at its first place and 0 at later ones.
        """
        if isinstance(g, Node):
            raise TypeError(
                f"backward(create_graph=True) cannot differentiate the '{self.name}' node's "
                "_backward closure (it works on floats); write the op as an autograd.Op, "
                "whose rule records a graph (README: How to add an op)"
            )
        children = self.children
        if children[i] in children[:i]:
            return 0.0
        before = [c.grad for c in children]
        for c in children:
            c.grad = 0.0
        try:
            self.backward()
            return children[i].grad
        finally:
            for c, grad in zip(children, before, strict=True):
                c.grad = grad

    def __repr__(self) -> str:
        return f"ClosureOp({self.name!r})"


def closure_node_op(symbol: Any, children: Any, node_type: type) -> ClosureOp:
    """The `ClosureOp` of ``node_type(data, children, symbol)``, after checking both."""
    if not isinstance(symbol, str):
        raise TypeError(
            f"Value(data, _children, _op): _op must be a string naming the op (micrograd's "
            f"'+', 'tanh'), got {type(symbol).__name__}: {symbol!r}"
        )
    children = tuple(children)
    bad = [type(c).__name__ for c in children if not isinstance(c, node_type)]
    if bad:
        raise TypeError(
            f"Value(data, _children, _op): every child must be a {node_type.__name__}, got "
            f"{', '.join(bad)}; wrap numbers as {node_type.__name__}(x) first"
        )
    return ClosureOp(symbol, children)
