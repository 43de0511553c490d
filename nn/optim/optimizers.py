"""Optimizers with `torch.optim`'s update equations and defaults, on Values and Tensors alike.

Each parameter θ is a `Value` (θ and g = ∂J/∂θ are floats) or a `Tensor` (arrays); the
update is written once with arithmetic that serves both, and assigns a new ``θ.data``
without recording a graph. State (momentum buffers, running averages) is kept per
parameter. Use as in PyTorch: ``opt.zero_grad(); loss.backward(); opt.step()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .base import Optimizer, hyperparameter


def _sqrt(x: Any) -> Any:
    return np.sqrt(x) if isinstance(x, np.ndarray) else x**0.5


def _maximum(a: Any, b: Any) -> Any:
    return np.maximum(a, b) if isinstance(a, np.ndarray) else max(a, b)


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
        self.momentum = hyperparameter("momentum", momentum)
        self.dampening = hyperparameter("dampening", dampening)
        self.weight_decay = hyperparameter("weight_decay", weight_decay)
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)

    def update(self, theta: Any, g: Any, state: dict[str, Any], t: int) -> Any:
        if self.weight_decay:
            g = g + self.weight_decay * theta
        if self.momentum:
            b = 1.0 * g if t == 1 else self.momentum * state["b"] + (1.0 - self.dampening) * g
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
        self.lr_decay = hyperparameter("lr_decay", lr_decay)
        self.weight_decay = hyperparameter("weight_decay", weight_decay)
        self.initial_accumulator_value = hyperparameter(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.eps = hyperparameter("eps", eps)

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
        self.alpha = hyperparameter("alpha", alpha)
        self.eps = hyperparameter("eps", eps)
        self.weight_decay = hyperparameter("weight_decay", weight_decay)
        self.momentum = hyperparameter("momentum", momentum)
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
        self.betas = (
            hyperparameter("betas[0]", betas[0], 0, 1),
            hyperparameter("betas[1]", betas[1], 0, 1),
        )
        self.eps = hyperparameter("eps", eps)
        self.weight_decay = hyperparameter("weight_decay", weight_decay)
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
