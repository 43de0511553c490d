"""Gradients as functions: `grad`, `value_and_grad`, `hvp`, `hessian`.

``grad(f)`` returns a function computing ∂f/∂x. It answers in the kind it was given: floats
for floats, arrays for arrays, and nodes with a history for nodes, which is what lets
``grad(grad(f))`` differentiate the first derivative again. These functions leave the
``.grad`` of every leaf as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine import backward, backward_lock, topological_order
from .node import Node
from .tensor import Tensor
from .tensor_args import as_array
from .value import Value


def _as_leaf(x: Any) -> Node:
    if isinstance(x, Node):
        return x
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return Value(x)
    return Tensor(as_array(x), requires_grad=True)


def _plain(x: Any) -> Any:
    return x.data if isinstance(x, Node) else x


def gradients(out: Node, wrt: Sequence[Node], create_graph: bool = False) -> list[Any]:
    """∂out/∂w for each w in ``wrt`` (zeros where out does not depend on w).

    Runs the engine's backward pass and then puts every leaf's ``.grad`` back as it was.
    """
    if not out.requires_grad:  # out does not depend on anything that takes gradients
        return [_zero(w, create_graph) for w in wrt]
    with backward_lock:  # no other thread's pass may add into the leaves meanwhile
        return _gradients(out, wrt, create_graph)


def _gradients(out: Node, wrt: Sequence[Node], create_graph: bool) -> list[Any]:
    leaves = [n for n in topological_order(out) if n.grad_fn is None]
    keep = {id(n): n for n in [*leaves, *wrt]}
    saved = [(n, n.grad) for n in keep.values()]
    try:
        for n in keep.values():
            n.grad = n._empty_grad
        backward(out, create_graph=create_graph)
        result = []
        for w in wrt:
            g = w.grad
            # None (a Tensor) or 0.0 (a Value) where out does not depend on w.
            unused = g is None or (type(g) is float and g == 0.0)
            result.append(_zero(w, create_graph) if unused else g)
        return result
    finally:
        for n, g in saved:
            n.grad = g


def _zero(w: Node, create_graph: bool) -> Any:
    """The gradient with respect to ``w`` of something that does not depend on it."""
    if isinstance(w, Value):
        return Value(0.0) if create_graph else 0.0
    return np.zeros_like(w.data)


def _argnums(argnums: int | Sequence[int]) -> tuple[tuple[int, ...], bool]:
    if isinstance(argnums, int):
        return (argnums,), True
    return tuple(argnums), False


def value_and_grad(
    f: Callable[..., Any], argnums: int | Sequence[int] = 0
) -> Callable[..., tuple[Any, Any]]:
    """A function returning ``(f(*args), ∂f/∂args[argnums])``; f must return a scalar."""
    nums, single = _argnums(argnums)

    def wrapped(*args: Any) -> tuple[Any, Any]:
        for k in nums:
            if not -len(args) <= k < len(args):
                raise ValueError(f"argnums {k} is out of range for {len(args)} arguments")
        # Nodes coming in mean an outer grad is watching: record the backward pass for it.
        nested = any(isinstance(args[k], Node) for k in nums)
        args = list(args)
        for k in nums:
            args[k] = _as_leaf(args[k])
        out = f(*args)
        if not isinstance(out, Node) or np.size(out.data) != 1:
            raise ValueError(
                "grad needs f to return a scalar Value or a one-element Tensor, "
                f"got {type(out).__name__} of shape {getattr(out, 'shape', ())}"
            )
        gs = gradients(out, [args[k] for k in nums], create_graph=nested)
        if not nested:
            gs = [_plain(g) for g in gs]
            out = _plain(out)
        return out, (gs[0] if single else tuple(gs))

    return wrapped


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """A function computing ∂f/∂x at its arguments (nestable: ``grad(grad(f))``)."""
    vg = value_and_grad(f, argnums)
    return lambda *args: vg(*args)[1]


def hvp(f: Callable[[Tensor], Tensor], x: Any, v: Any) -> np.ndarray:
    """The Hessian of f at ``x`` times the vector ``v``: ∇(∇f(x) · v), in one extra pass."""
    x = Tensor(as_array(x, what="x"), requires_grad=True)
    v = as_array(v, what="v")
    if v.shape != x.shape:
        raise ValueError(f"hvp: v has shape {v.shape} but x has shape {x.shape}")
    (g,) = gradients(_scalar(f(x)), [x], create_graph=True)
    if not isinstance(g, Node) or not g.requires_grad:  # f is linear in x: zero Hessian
        return np.zeros_like(x.data)
    (h,) = gradients((g * v).sum(), [x])
    return _plain(h)


def hessian(f: Callable[[Tensor], Tensor], x: Any) -> np.ndarray:
    """The full Hessian, one `hvp` per input element: shape ``x.shape + x.shape``."""
    x = as_array(x, what="x")
    rows = [hvp(f, x, np.eye(x.size)[i].reshape(x.shape)) for i in range(x.size)]
    return np.stack(rows).reshape(x.shape + x.shape)


def _scalar(out: Any) -> Node:
    if not isinstance(out, Tensor) or out.numel() != 1:
        raise ValueError("f must return a one-element Tensor")
    return out
