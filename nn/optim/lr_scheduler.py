"""Learning-rate schedules: α_k for step k, set on the optimizer by ``scheduler.step()``.

As in PyTorch: build the scheduler after the optimizer, call ``scheduler.step()`` after
each ``optimizer.step()`` (per epoch or per batch, as you choose). Each schedule is a
closed form of the step count k and the optimizer's initial α₀.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any


class LRScheduler:
    """Base class: sets ``optimizer.lr`` to `lr_at` (k) with k = 0, 1, 2, ..."""

    def __init__(self, optimizer: Any) -> None:
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"expected an optimizer with an lr, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        lr = optimizer.lr
        if not isinstance(lr, numbers.Real) or isinstance(lr, bool) or not 0 <= lr < math.inf:
            raise ValueError(f"optimizer.lr must be a finite number >= 0, got {lr!r}")
        self.base_lr = float(lr)
        self.last_epoch = 0
        optimizer.lr = self._checked(0)

    def _checked(self, k: int) -> float:
        """α_k, refused (ValueError) unless it is a finite number >= 0."""
        lr = self.lr_at(k)
        if not isinstance(lr, numbers.Real) or not 0 <= lr < math.inf:
            raise ValueError(
                f"{type(self).__name__}: the learning rate at step {k} would be {lr!r}; it "
                "must be a finite number >= 0 (the optimizer's lr was left as it was)"
            )
        return float(lr)

    def lr_at(self, k: int) -> float:
        raise NotImplementedError

    def step(self) -> None:
        """Advance k by one and set the optimizer's α to α_k."""
        lr = self._checked(self.last_epoch + 1)
        self.last_epoch += 1
        self.optimizer.lr = lr

    def get_last_lr(self) -> list[float]:
        """The current α, in a list (PyTorch's form)."""
        return [self.optimizer.lr]


def _positive(name: str, x: Any) -> float:
    if not isinstance(x, numbers.Real) or isinstance(x, bool) or not 0 < x < math.inf:
        raise ValueError(f"{name} must be a positive number, got {x!r}")
    return x


def _steps(name: str, n: Any) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")
    return n


class StepLR(LRScheduler):
    """α_k = α₀ · γ^⌊k / step_size⌋ (multiply by γ every ``step_size`` steps)."""

    def __init__(self, optimizer: Any, step_size: int, gamma: float = 0.1) -> None:
        self.step_size, self.gamma = _steps("step_size", step_size), _positive("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        return self.base_lr * self.gamma ** (k // self.step_size)


class ExponentialLR(LRScheduler):
    """α_k = α₀ · γ^k."""

    def __init__(self, optimizer: Any, gamma: float) -> None:
        self.gamma = _positive("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        return self.base_lr * self.gamma**k


class LinearLR(LRScheduler):
    """α_k = α₀ · (s + (e − s) · min(k, T) / T): linear from factor s to e over T steps.

    micrograd's demo schedule α_k = 1.0 − 0.9·k/100 is
    ``LinearLR(SGD(params, lr=1.0), start_factor=1.0, end_factor=0.1, total_iters=100)``.
    """

    def __init__(
        self,
        optimizer: Any,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
    ) -> None:
        self.total_iters = _steps("total_iters", total_iters)
        self.start_factor = _positive("start_factor", start_factor)
        ok = isinstance(end_factor, numbers.Real) and not isinstance(end_factor, bool)
        if not ok or not 0 <= end_factor < math.inf:
            raise ValueError(f"end_factor must be a finite number >= 0, got {end_factor!r}")
        self.end_factor = end_factor
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        s, e = self.start_factor, self.end_factor
        return self.base_lr * (s + (e - s) * min(k, self.total_iters) / self.total_iters)


class LambdaLR(LRScheduler):
    """α_k = α₀ · f(k) for a function f the user passes in."""

    def __init__(self, optimizer: Any, lr_lambda: Callable[[int], float]) -> None:
        if not callable(lr_lambda):
            raise TypeError(f"lr_lambda must be a function of the step k, got {lr_lambda!r}")
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        f = self.lr_lambda(k)
        if not isinstance(f, numbers.Real) or isinstance(f, bool):
            raise TypeError(f"lr_lambda({k}) must return a number, got {f!r}")
        return self.base_lr * float(f)
