"""Optimizers with `torch.optim`'s update equations and defaults, on Values and Tensors alike.

Each parameter θ is a `Value` (θ and g = ∂J/∂θ are floats) or a `Tensor` (arrays); the
update is written once with arithmetic that serves both, and assigns a new ``θ.data``
without recording a graph. State (momentum buffers, running averages) is kept per
parameter. Use as in PyTorch: ``opt.zero_grad(); loss.backward(); opt.step()``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad
from autograd.node import Node


def _sqrt(x: Any) -> Any:
    return np.sqrt(x) if isinstance(x, np.ndarray) else x**0.5


def _maximum(a: Any, b: Any) -> Any:
    return np.maximum(a, b) if isinstance(a, np.ndarray) else max(a, b)


class Optimizer:
    """Base class: holds the parameters, ``lr``, and per-parameter state; `step` updates.

    Subclasses implement ``update(theta, g, state, t) -> new theta`` for one parameter,
    where ``t`` counts this parameter's steps from 1 (PyTorch's ``state["step"]``).
    """

    def __init__(self, params: Iterable[Any], lr: float) -> None:
        if isinstance(params, (Value, Tensor)):
            raise TypeError("params must be an iterable of parameters, e.g. model.parameters()")
        params = list(params)
        if not params:
            raise ValueError("the optimizer got an empty parameter list")
        for i, p in enumerate(params):
            if not isinstance(p, (Value, Tensor)) or p.grad_fn is not None:
                raise TypeError(
                    f"params[{i}] is not a leaf Value or Tensor ({type(p).__name__}); pass "
                    "model.parameters()"
                )
        if len({id(p) for p in params}) != len(params):
            raise ValueError("a parameter appears more than once in params")
        self.params = params
        self.lr = _check("lr", lr)
        self.state: list[dict[str, Any]] = [{} for _ in params]

    def zero_grad(self) -> None:
        """Forget the gradients: a Value's grad becomes 0.0, a Tensor's None (PyTorch's default)."""
        for p in self.params:
            p.grad = 0.0 if isinstance(p, Value) else None

    def step(self) -> None:
        """Update every parameter that has a gradient (Tensors with ``grad=None`` are skipped)."""
        with no_grad():
            for p, state in zip(self.params, self.state, strict=True):
                g = p.grad
                if g is None:
                    continue
                if isinstance(g, Node):  # a gradient recorded with create_graph=True
                    g = g.data
                t = state["step"] = state.get("step", 0) + 1
                new = self.update(p.data, g, state, t)
                p.data = float(new) if isinstance(p, Value) else np.asarray(new, p.data.dtype)

    def update(self, theta: Any, g: Any, state: dict[str, Any], t: int) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        opts = ", ".join(
            f"{k}={v!r}" for k, v in vars(self).items() if k not in ("params", "state")
        )
        return f"{type(self).__name__}({opts})"


def _check(name: str, x: Any, low: float = 0.0, high: float | None = None) -> float:
    if not isinstance(x, numbers.Real) or isinstance(x, bool) or not x >= low:
        raise ValueError(f"{name} must be a number >= {low}, got {x!r}")
    if high is not None and not x < high:
        raise ValueError(f"{name} must be < {high}, got {x!r}")
    return float(x)


class SGD(Optimizer):
    """Stochastic gradient descent, with PyTorch's momentum, Nesterov and weight decay.

    g ← g + λθ;  with momentum μ: b ← g at t = 1, else b ← μ b + (1 − τ) g;
    g ← g + μ b (Nesterov) or g ← b;  θ ← θ − α g.   (α = lr, λ = weight_decay, τ = dampening)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _check("momentum", momentum)
        self.dampening = _check("dampening", dampening)
        self.weight_decay = _check("weight_decay", weight_decay)
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)

    def update(self, theta: Any, g: Any, state: dict[str, Any], t: int) -> Any:
        if self.weight_decay:
            g = g + self.weight_decay * theta
        if self.momentum:
            b = g if t == 1 else self.momentum * state["b"] + (1.0 - self.dampening) * g
            state["b"] = b
            g = g + self.momentum * b if self.nesterov else b
        return theta - self.lr * g


class Adagrad(Optimizer):
    """AdaGrad: per-coordinate steps shrinking with the sum of squared gradients.

    g ← g + λθ;  α_t = α / (1 + (t − 1)·η);  G ← G + g²;  θ ← θ − α_t g / (√G + ε).
    (α = lr, η = lr_decay, λ = weight_decay, G starts at initial_accumulator_value.)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr)
        self.lr_decay = _check("lr_decay", lr_decay)
        self.weight_decay = _check("weight_decay", weight_decay)
        self.initial_accumulator_value = _check(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.eps = _check("eps", eps)

    def update(self, theta: Any, g: Any, state: dict[str, Any], t: int) -> Any:
        if self.weight_decay:
            g = g + self.weight_decay * theta
        lr_t = self.lr / (1.0 + (t - 1) * self.lr_decay)
        G = state.get("G", self.initial_accumulator_value) + g * g
        state["G"] = G
        return theta - lr_t * g / (_sqrt(G) + self.eps)


class RMSprop(Optimizer):
    """RMSprop: steps scaled by a running root-mean-square of the gradient.

    g ← g + λθ;  v ← ρ v + (1 − ρ) g²;  centred: ḡ ← ρ ḡ + (1 − ρ) g, ṽ = v − ḡ², else ṽ = v;
    with momentum μ: b ← μ b + g / (√ṽ + ε), θ ← θ − α b;  else θ ← θ − α g / (√ṽ + ε).
    (α = lr, ρ = alpha, λ = weight_decay.)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = _check("alpha", alpha)
        self.eps = _check("eps", eps)
        self.weight_decay = _check("weight_decay", weight_decay)
        self.momentum = _check("momentum", momentum)
        self.centered = bool(centered)

    def update(self, theta: Any, g: Any, state: dict[str, Any], t: int) -> Any:
        if self.weight_decay:
            g = g + self.weight_decay * theta
        a = self.alpha
        v = state["v"] = a * state.get("v", 0.0) + (1.0 - a) * g * g
        if self.centered:
            g_avg = state["g_avg"] = a * state.get("g_avg", 0.0) + (1.0 - a) * g
            v = v - g_avg * g_avg
        step = g / (_sqrt(v) + self.eps)
        if self.momentum:
            step = state["b"] = self.momentum * state.get("b", 0.0) + step
        return theta - self.lr * step


class Adam(Optimizer):
    """Adam: bias-corrected running averages of g and g².

    g ← g + λθ (AdamW: θ ← θ − αλθ instead);  m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
    m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ) (amsgrad: of the running max of v);
    θ ← θ − α m̂ / (√v̂ + ε).   (α = lr, λ = weight_decay.)
    """

    decoupled = False

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_check("betas[0]", betas[0], 0, 1), _check("betas[1]", betas[1], 0, 1))
        self.eps = _check("eps", eps)
        self.weight_decay = _check("weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)

    def update(self, theta: Any, g: Any, state: dict[str, Any], t: int) -> Any:
        b1, b2 = self.betas
        if self.weight_decay and self.decoupled:
            theta = theta - self.lr * self.weight_decay * theta
        elif self.weight_decay:
            g = g + self.weight_decay * theta
        m = state["m"] = b1 * state.get("m", 0.0) + (1.0 - b1) * g
        v = state["v"] = b2 * state.get("v", 0.0) + (1.0 - b2) * g * g
        if self.amsgrad:
            v = state["v_max"] = _maximum(state.get("v_max", v), v)
        m_hat = m / (1.0 - b1**t)
        v_hat = v / (1.0 - b2**t)
        return theta - self.lr * m_hat / (_sqrt(v_hat) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay: θ ← θ − αλθ, then Adam's step without λ in g.

    Same equations as `Adam` otherwise; PyTorch's default ``weight_decay`` is 0.01.
    """

    decoupled = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
