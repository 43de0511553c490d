"""Optimizers with `torch.optim`'s update equations and defaults, on Values and Tensors alike.

Each parameter θ is a `Value` (θ and g = ∂J/∂θ are floats) or a `Tensor` (arrays); the
update is written once with arithmetic that serves both, and assigns a new ``θ.data``
without recording a graph. State (momentum buffers, running averages) is kept per
parameter. Use as in PyTorch: ``opt.zero_grad(); loss.backward(); opt.step()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import numpy as np

from .base import Optimizer
from .groups import Check, betas, learning_rate, nonnegative, switch
from .schedules import adagrad_step, sqrt
from .state import OptimizerState


def _maximum(a: Any, b: Any) -> Any:
    return np.maximum(a, b) if isinstance(a, np.ndarray) else max(a, b)


class SGD(Optimizer):
    """Stochastic gradient descent, with PyTorch's momentum, Nesterov and weight decay.

    g ← g + λθ;  with momentum μ: b ← g at the first step, else b ← μ b + (1 − τ) g;
    g ← g + μ b (Nesterov) or g ← b;  θ ← θ − α g.   (α = lr, λ = weight_decay, τ = dampening)
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "momentum": nonnegative,
        "dampening": nonnegative,
        "weight_decay": nonnegative,
        "nesterov": switch,
    }
    state_names = ("momentum_buffer",)
    counts_steps = False  # PyTorch's SGD keeps no step count: its state is the buffer alone

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        hyper = {"lr": lr, "momentum": momentum, "dampening": dampening}
        super().__init__(params, {**hyper, "weight_decay": weight_decay, "nesterov": nesterov})

    def check_group(
        self, group: Mapping[str, Any], where: str, loading: bool = False
    ) -> dict[str, Any]:
        out = super().check_group(group, where, loading)
        if out["nesterov"] and (out["momentum"] == 0 or out["dampening"] != 0):
            at = f"{where}: " if where else ""
            raise ValueError(f"{at}nesterov=True needs momentum > 0 and dampening = 0")
        return out

    def required_state(self, group: Mapping[str, Any]) -> tuple[str, ...]:
        return ("momentum_buffer",) if group["momentum"] else ()

    def update(
        self, theta: Any, g: Any, state: dict[str, Any], t: int, group: dict[str, Any]
    ) -> Any:
        if group["weight_decay"]:
            g = g + group["weight_decay"] * theta
        mu = group["momentum"]
        if mu:
            b = state.get("momentum_buffer")
            b = 1.0 * g if b is None else mu * b + (1.0 - group["dampening"]) * g
            state["momentum_buffer"] = b
            g = g + mu * b if group["nesterov"] else b
        return theta - group["lr"] * g


class Adagrad(Optimizer):
    """AdaGrad: per-coordinate steps shrinking with the sum of squared gradients.

    The notes' `adagrad` rule for each parameter (`adagrad_step`), with PyTorch's options:

    g ← g + λθ;  α_t = α / (1 + (t − 1)·η);  G ← G + g²;  θ ← θ − α_t g / (√G + ε).
    (α = lr, η = lr_decay, λ = weight_decay, G starts at initial_accumulator_value;
    PyTorch's state name for G is ``"sum"``. As PyTorch's, it gives the parameters it is
    built with their state at once: ``{"step": 0, "sum": G₀}``.)
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "lr_decay": nonnegative,
        "weight_decay": nonnegative,
        "initial_accumulator_value": nonnegative,
        "eps": nonnegative,
    }
    state_names = ("sum",)

    def check_group(
        self, group: Mapping[str, Any], where: str, loading: bool = False
    ) -> dict[str, Any]:
        out = super().check_group(group, where, loading)
        first = getattr(self, "defaults", out)["initial_accumulator_value"]
        if where and not loading and out["initial_accumulator_value"] != first:
            raise ValueError(
                f"{where}['initial_accumulator_value']: PyTorch starts every group's sums "
                "at the optimizer's initial_accumulator_value; give it to Adagrad(...) or use "
                "one Adagrad per value"
            )
        return out

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        hyper = {"lr": lr, "lr_decay": lr_decay, "weight_decay": weight_decay}
        super().__init__(
            params, {**hyper, "initial_accumulator_value": initial_accumulator_value, "eps": eps}
        )
        G0 = self.defaults["initial_accumulator_value"]
        sums = [
            1.0 * G0 if type(p.data) is float else np.full_like(p.data, G0) for p in self.params
        ]
        self.state = OptimizerState(self, [{"step": 0, "sum": G} for G in sums])

    def update(
        self, theta: Any, g: Any, state: dict[str, Any], t: int, group: dict[str, Any]
    ) -> Any:
        if group["weight_decay"]:
            g = g + group["weight_decay"] * theta
        lr_t = group["lr"] / (1.0 + (t - 1) * group["lr_decay"])
        G = state.get("sum", group["initial_accumulator_value"])
        step, state["sum"] = adagrad_step(g, G, lr_t, group["eps"])
        return theta - step


class RMSprop(Optimizer):
    """RMSprop: steps scaled by a running root-mean-square of the gradient.

    g ← g + λθ;  v ← ρ v + (1 − ρ) g²;  centred: ḡ ← ρ ḡ + (1 − ρ) g, ṽ = v − ḡ², else ṽ = v;
    with momentum μ: b ← μ b + g / (√ṽ + ε), θ ← θ − α b;  else θ ← θ − α g / (√ṽ + ε).
    (α = lr, ρ = alpha, λ = weight_decay; PyTorch's state names: square_avg, grad_avg,
    momentum_buffer.)
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "momentum": nonnegative,
        "alpha": nonnegative,
        "eps": nonnegative,
        "centered": switch,
        "weight_decay": nonnegative,
    }
    state_names = ("square_avg", "grad_avg", "momentum_buffer")

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
        hyper = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps}
        super().__init__(params, {**hyper, "centered": centered, "weight_decay": weight_decay})

    def required_state(self, group: Mapping[str, Any]) -> tuple[str, ...]:
        extra = ("grad_avg",) * group["centered"] + ("momentum_buffer",) * bool(group["momentum"])
        return ("step", "square_avg", *extra)

    def update(
        self, theta: Any, g: Any, state: dict[str, Any], t: int, group: dict[str, Any]
    ) -> Any:
        if group["weight_decay"]:
            g = g + group["weight_decay"] * theta
        a = group["alpha"]
        v = state["square_avg"] = a * state.get("square_avg", 0.0) + (1.0 - a) * g * g
        if group["centered"]:
            g_avg = state["grad_avg"] = a * state.get("grad_avg", 0.0) + (1.0 - a) * g
            v = v - g_avg * g_avg
        step = g / (sqrt(v) + group["eps"])
        if group["momentum"]:
            b = state.get("momentum_buffer", 0.0)
            step = state["momentum_buffer"] = group["momentum"] * b + step
        return theta - group["lr"] * step


class Adam(Optimizer):
    """Adam: bias-corrected running averages of g and g².

    g ← g + λθ (AdamW: θ ← θ − αλθ instead);  m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
    m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ) (amsgrad: of the running max of v);
    θ ← θ − α m̂ / (√v̂ + ε).   (α = lr, λ = weight_decay; PyTorch's state names: exp_avg
    for m, exp_avg_sq for v, max_exp_avg_sq for the max.)
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "betas": betas,
        "eps": nonnegative,
        "weight_decay": nonnegative,
        "amsgrad": switch,
    }
    state_names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")
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
        hyper = {"lr": lr, "betas": betas, "eps": eps}
        super().__init__(params, {**hyper, "weight_decay": weight_decay, "amsgrad": amsgrad})

    def required_state(self, group: Mapping[str, Any]) -> tuple[str, ...]:
        return ("step", "exp_avg", "exp_avg_sq") + ("max_exp_avg_sq",) * group["amsgrad"]

    def update(
        self, theta: Any, g: Any, state: dict[str, Any], t: int, group: dict[str, Any]
    ) -> Any:
        b1, b2 = group["betas"]
        lr, decay = group["lr"], group["weight_decay"]
        if decay and self.decoupled:
            theta = theta - lr * decay * theta
        elif decay:
            g = g + decay * theta
        m = state["exp_avg"] = b1 * state.get("exp_avg", 0.0) + (1.0 - b1) * g
        v = state["exp_avg_sq"] = b2 * state.get("exp_avg_sq", 0.0) + (1.0 - b2) * g * g
        if group["amsgrad"]:
            v = state["max_exp_avg_sq"] = _maximum(state.get("max_exp_avg_sq", v), v)
        m_hat = m / (1.0 - b1**t)
        v_hat = v / (1.0 - b2**t)
        return theta - lr * m_hat / (sqrt(v_hat) + group["eps"])


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
