"""Learning-rate schedules: α_k for step k, set on the optimizer by ``scheduler.step()``.

As in PyTorch: build the scheduler after the optimizer, call ``scheduler.step()`` after
each ``optimizer.step()`` (per epoch or per batch, as you choose). Each schedule is
written as a closed form of the step count k and the initial α₀, and computed as PyTorch
computes it: `StepLR`, `ExponentialLR` and `LinearLR` scale the current α (so they
compose with a change made by hand or by another scheduler, as there), `LambdaLR` scales α₀.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any


class LRScheduler:
    """Base class: sets each parameter group's ``lr`` to α_k (`next_lr`), k = 0, 1, 2, ...

    As PyTorch's: each group's initial α is ``base_lrs[i]``, kept as the group's
    ``"initial_lr"`` (a later scheduler on the same optimizer keeps it), and
    ``state_dict()`` / ``load_state_dict()`` carry k and the initial α's so that a resumed
    run follows the same schedule.
    """

    def __init__(self, optimizer: Any) -> None:
        groups = getattr(optimizer, "param_groups", None)
        if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
            raise TypeError(
                f"expected an optimizer with an lr in each of its param_groups, got "
                f"{type(optimizer).__name__}"
            )
        for i, group in enumerate(groups):
            lr = group.get("lr")
            if not isinstance(lr, numbers.Real) or isinstance(lr, bool) or not 0 <= lr < math.inf:
                raise ValueError(
                    f"optimizer.param_groups[{i}]['lr'] must be a finite number >= 0, got {lr!r}"
                )
        self.optimizer = optimizer
        # PyTorch's rule: a group keeps the "initial_lr" an earlier scheduler gave it
        self.base_lrs = [float(g.get("initial_lr", g["lr"])) for g in groups]
        self.last_epoch = 0
        lrs = self._checked(0)
        for group, base, lr in zip(groups, self.base_lrs, lrs, strict=True):
            group["initial_lr"], group["lr"] = base, lr

    def _checked(self, k: int) -> list[float]:
        """α_k for every group, refused (ValueError) unless each is a finite number >= 0."""
        lrs = []
        for i, group in enumerate(self.optimizer.param_groups):
            lr = self.next_lr(k, i, group["lr"])
            if not isinstance(lr, numbers.Real) or not 0 <= lr < math.inf:
                group = f" of parameter group {i}" if len(self.base_lrs) > 1 else ""
                raise ValueError(
                    f"{type(self).__name__}: the learning rate{group} at step {k} would be "
                    f"{lr!r}; it must be a finite number >= 0 (the optimizer's lr was left as "
                    "it was)"
                )
            lrs.append(float(lr))
        return lrs

    def lr_at(self, k: int, i: int) -> float:
        """α_k of parameter group i (its initial α is ``self.base_lrs[i]``)."""
        raise NotImplementedError

    def next_lr(self, k: int, i: int, lr: float) -> float:
        """α_k of group i, whose α is now ``lr``: `lr_at`, unless a schedule scales ``lr``."""
        return self.lr_at(k, i)

    def step(self) -> None:
        """Advance k by one and set every group's α to α_k (all or nothing, even on Ctrl-C)."""
        k = self.last_epoch + 1
        lrs = self._checked(k)
        groups = self.optimizer.param_groups
        old = [g["lr"] for g in groups]
        try:
            for group, lr in zip(groups, lrs, strict=True):
                group["lr"] = lr
            self.last_epoch = k
        finally:
            if self.last_epoch != k:
                for group, lr in zip(groups, old, strict=True):
                    group["lr"] = lr

    def get_last_lr(self) -> list[float]:
        """The current α of every group (PyTorch's form)."""
        return [g["lr"] for g in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """``{"last_epoch": k, "base_lrs": [...]}``: what a resumed schedule needs."""
        return {"last_epoch": self.last_epoch, "base_lrs": list(self.base_lrs)}

    def load_state_dict(self, state_dict: Any) -> None:
        """Continue the schedule saved by `state_dict` (the optimizer's α is loaded with it)."""
        self.base_lrs, self.last_epoch = self.prepare_load(state_dict)

    def prepare_load(self, state_dict: Any) -> tuple[list[float], int]:
        """The (base_lrs, last_epoch) that `load_state_dict` would set, checked."""
        if (
            not isinstance(state_dict, Mapping)
            or not {"last_epoch", "base_lrs"} <= state_dict.keys()
        ):
            raise ValueError("a scheduler state dict has 'last_epoch' and 'base_lrs'")
        k, bases = state_dict["last_epoch"], state_dict["base_lrs"]
        if not isinstance(k, int) or isinstance(k, bool) or k < 0:
            raise ValueError(f"scheduler 'last_epoch' must be an int >= 0, got {k!r:.40}")
        ok = isinstance(bases, (list, tuple)) and len(bases) == len(self.base_lrs)
        if not ok or not all(
            isinstance(b, numbers.Real) and not isinstance(b, bool) and 0 <= b < math.inf
            for b in bases
        ):
            raise ValueError(
                f"scheduler 'base_lrs' must be {len(self.base_lrs)} finite numbers >= 0, got "
                f"{bases!r:.60}"
            )
        return [float(b) for b in bases], k


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

    def lr_at(self, k: int, i: int) -> float:
        return self.base_lrs[i] * self.gamma ** (k // self.step_size)

    def next_lr(self, k: int, i: int, lr: float) -> float:
        return lr * self.gamma if k and k % self.step_size == 0 else lr


class ExponentialLR(LRScheduler):
    """α_k = α₀ · γ^k."""

    def __init__(self, optimizer: Any, gamma: float) -> None:
        self.gamma = _positive("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, k: int, i: int) -> float:
        return self.base_lrs[i] * self.gamma**k

    def next_lr(self, k: int, i: int, lr: float) -> float:
        return lr * self.gamma if k else lr


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

    def lr_at(self, k: int, i: int) -> float:
        s, e = self.start_factor, self.end_factor
        return self.base_lrs[i] * (s + (e - s) * min(k, self.total_iters) / self.total_iters)

    def next_lr(self, k: int, i: int, lr: float) -> float:
        s, e, n = self.start_factor, self.end_factor, self.total_iters
        if k == 0:
            return lr * s
        return lr if k > n else lr * (1.0 + (e - s) / (n * s + (k - 1) * (e - s)))


class LambdaLR(LRScheduler):
    """α_k = α₀ · f(k) for a function f the user passes in (or one per parameter group)."""

    def __init__(
        self,
        optimizer: Any,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
    ) -> None:
        fs = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else None
        n = len(getattr(optimizer, "param_groups", []))
        if fs is not None and len(fs) != n:
            raise ValueError(f"lr_lambda: expected {n} functions (one per group), got {len(fs)}")
        if not all(callable(f) for f in fs or [lr_lambda]):
            raise TypeError(f"lr_lambda must be a function of the step k, got {lr_lambda!r}")
        self.lr_lambda = lr_lambda
        self.lr_lambdas = fs or [lr_lambda] * n
        super().__init__(optimizer)

    def lr_at(self, k: int, i: int) -> float:
        f = self.lr_lambdas[i](k)
        if not isinstance(f, numbers.Real) or isinstance(f, bool):
            raise TypeError(f"lr_lambda({k}) must return a number, got {f!r}")
        return self.base_lrs[i] * float(f)
