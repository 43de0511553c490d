"""Timing helpers used inside benchmark processes."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

_clocks = {"cpu": time.process_time, "wall": time.perf_counter}
_clock = time.perf_counter


def use_clock(name: str) -> None:
    """Time with ``"cpu"`` (this process's CPU time) or ``"wall"`` (elapsed time).

    On a shared machine CPU time leaves out the time other processes hold the cores; with
    more than one thread it would add the threads up, so wall time is used then.
    """
    global _clock
    _clock = _clocks[name]


def clock() -> float:
    return _clock()


def time_steps(
    step: Callable[[], object], warmup: int, min_steps: int, min_seconds: float
) -> list[float]:
    """Seconds per call of ``step``: ``warmup`` untimed calls, then at least ``min_steps``
    timed calls and at least ``min_seconds`` in all."""
    for _ in range(warmup):
        step()
    times: list[float] = []
    start = clock()
    while len(times) < min_steps or clock() - start < min_seconds:
        t0 = clock()
        step()
        times.append(clock() - t0)
    return times


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def moons(n: int = 100, noise: float = 0.1, seed: int = 1337) -> tuple[list, list]:
    """Two interleaving half circles (as scikit-learn's ``make_moons``), labels ±1.

    Returns plain lists: rows of two floats, and one label per row.
    """
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    x0 = np.concatenate([np.cos(t_out), 1 - np.cos(t_in)])
    x1 = np.concatenate([np.sin(t_out), 1 - np.sin(t_in) - 0.5])
    X = np.stack([x0, x1], axis=1) + rng.normal(scale=noise, size=(n, 2))
    y = np.concatenate([-np.ones(n_out), np.ones(n_in)])
    return X.tolist(), y.tolist()
