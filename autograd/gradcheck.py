"""`gradcheck`: the engine's gradients against central differences, in float64."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .modes import no_grad, set_grad_enabled
from .node import Node
from .tensor import Tensor
from .value import Value


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with the numerical one."""


def _scalar_output(out: Any) -> float:
    if isinstance(out, Value):
        return out.data
    if isinstance(out, Tensor):
        return float(out.data.sum())
    raise TypeError(f"gradcheck: f must return a Value or a Tensor, got {type(out).__name__}")


def gradcheck(
    f: Callable[..., Any],
    inputs: Sequence[Node],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Compare ∂f/∂input from ``backward()`` with (f(x+ε) − f(x−ε)) / 2ε, element by element.

    A Tensor output is summed first (each output element weighs 1). Tensors are checked in
    float64 whatever their dtype.

    Returns:
        True when every element agrees within ``atol + rtol·|numeric|``.

    Raises:
        GradcheckError: naming the input, the element, the analytic and numeric values.
    """
    inputs = list(inputs)
    for k, x in enumerate(inputs):
        if not isinstance(x, (Value, Tensor)):
            raise TypeError(
                f"gradcheck: inputs[{k}] must be a Value or Tensor, got {type(x).__name__}"
            )
    saved = [(x.data, x.grad, x.requires_grad) for x in inputs]
    try:
        for x in inputs:
            if isinstance(x, Tensor):
                x.data = x.data.astype(np.float64)
                x.requires_grad = True
            x.grad = None if isinstance(x, Tensor) else 0.0
        out = f(*inputs)
        _scalar_output(out)
        if out.requires_grad:  # an output that ignores its inputs has zero gradients
            (out.sum() if isinstance(out, Tensor) else out).backward()
        analytic = [
            np.zeros_like(x.data) if isinstance(x, Tensor) and x.grad is None else np.array(x.grad)
            for x in inputs
        ]
        for k, x in enumerate(inputs):
            _check_input(f, inputs, k, x, analytic[k], eps, atol, rtol)
    finally:
        for x, (data, grad, req) in zip(inputs, saved, strict=True):
            x.data, x.grad = data, grad
            if isinstance(x, Tensor):
                x.requires_grad = req
    return True


def _check_input(f, inputs, k, x, analytic, eps, atol, rtol) -> None:
    def evaluate() -> float:
        with no_grad():
            return _scalar_output(f(*inputs))

    if isinstance(x, Value):
        x0 = x.data
        x.data = x0 + eps
        hi = evaluate()
        x.data = x0 - eps
        lo = evaluate()
        x.data = x0
        _compare(k, "", float(analytic), (hi - lo) / (2 * eps), atol, rtol)
        return
    base = x.data
    for idx in np.ndindex(base.shape):
        probe = base.copy()
        probe[idx] = base[idx] + eps
        x.data = probe
        hi = evaluate()
        probe[idx] = base[idx] - eps
        x.data = probe  # (assigning copies: the tensor never shares the caller's array)
        lo = evaluate()
        x.data = base
        _compare(k, str(idx), float(analytic[idx]), (hi - lo) / (2 * eps), atol, rtol)


def _compare(k: int, idx: str, analytic: float, numeric: float, atol: float, rtol: float) -> None:
    if np.isnan(analytic) and np.isnan(numeric):
        return
    if not abs(analytic - numeric) <= atol + rtol * abs(numeric):
        where = f"inputs[{k}]" + (f" element {idx}" if idx else "")
        raise GradcheckError(
            f"gradcheck failed at {where}: analytic {analytic!r}, numeric {numeric!r} "
            f"(difference {abs(analytic - numeric):.3g} > atol {atol} + rtol {rtol}·|numeric|)"
        )


def gradgradcheck(
    f: Callable[..., Any],
    inputs: Sequence[Node],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """`gradcheck` of the first derivative: second derivatives against finite differences.

    The first derivative of f (by ``create_graph=True``) is contracted with fixed random
    weights u to a scalar Σ u·∂f/∂x, whose gradient (a Hessian-vector product) is checked.
    """
    from .transforms import gradients

    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=np.shape(x.data)) for x in inputs]

    def first_derivative(*xs: Node) -> Node:
        with set_grad_enabled(True):
            out = f(*xs)
            out = out.sum() if isinstance(out, Tensor) else out
            gs = gradients(out, list(xs), create_graph=True)
            total: Any = 0.0
            for g, w in zip(gs, weights, strict=True):
                total = total + (g * w).sum() if isinstance(g, Tensor) else total + g * float(w)
            if not isinstance(total, Node):  # f was linear: the derivative is constant
                total = Tensor(total) if isinstance(xs[0], Tensor) else Value(float(total))
            return total

    return gradcheck(first_derivative, inputs, eps=eps, atol=atol, rtol=rtol)
