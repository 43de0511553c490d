"""What a training run measures: `accuracy`, and the metrics `fit` records per epoch."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from . import checks


def accuracy(pred: Any, y: Any, threshold: float = 0.0) -> float:
    """The fraction of examples classified right.

    ``pred`` may be labels, class scores of shape (n, k) (logits or probabilities: argmax),
    or one score per example (n,) or (n, 1), read as class 1 (or +1) above ``threshold``
    (0 for logits and micrograd's ±1 scores; pass 0.5 for probabilities). ``y`` holds
    labels (0..k−1 for class scores, 0/1 or ±1 for one score) or one-hot rows.
    """
    p, t = checks.array("accuracy: pred", pred), checks.array("accuracy: y", y)
    threshold = checks.number("threshold", threshold)
    if t.ndim == 2 and t.shape == p.shape and t.shape[1] > 1:
        t = t.argmax(axis=-1)
    if t.dtype.kind == "f" and not np.all(np.mod(t, 1) == 0):
        raise ValueError(
            "accuracy: y must hold class labels (whole numbers) or one-hot rows, found "
            f"{t[np.mod(t, 1) != 0].flat[0].item()!r}; accuracy is for classification"
        )
    if p.ndim == t.ndim + 1 and p.shape[-1] > 1:
        checks.labels("accuracy: y", t, p.shape[-1])
        guess = p.argmax(axis=-1)
    else:
        if p.ndim == t.ndim + 1 and p.shape[-1] == 1:
            p = p[..., 0]
        if p.dtype.kind in "iub":
            guess = p
        else:
            kinds = set(np.unique(t).tolist())
            if not (kinds <= {0, 1} or kinds <= {-1, 1}):
                raise ValueError(
                    f"accuracy: with one score per example y must hold 0/1 or -1/+1 labels, "
                    f"got the values {sorted(kinds)[:5]}"
                )
            guess = np.where(p > threshold, 1, -1 if -1 in kinds else 0)
    if guess.shape != t.shape:
        raise ValueError(f"accuracy: predictions of shape {p.shape} do not match labels {t.shape}")
    return float(np.mean(guess == t))


Metric = Callable[[Any, Any], float]


def resolve(metrics: Any) -> dict[str, Metric]:
    """``fit``'s ``metrics`` argument as ``{name: f(outputs, y) -> float}``."""
    if isinstance(metrics, Mapping):
        items = list(metrics.items())
    elif isinstance(metrics, (str, Sequence)):
        seq = [metrics] if isinstance(metrics, str) else list(metrics)
        items = [(m if isinstance(m, str) else getattr(m, "__name__", "metric"), m) for m in seq]
    else:
        raise TypeError(f"metrics must be a list of names or functions, or a dict, got {metrics!r}")
    out = {}
    for name, m in items:
        if m == "accuracy":
            m = accuracy
        if not callable(m):
            raise ValueError(f"unknown metric {m!r}: use 'accuracy' or a function (outputs, y)")
        out[name] = m
    return out


def measure(name: str, metric: Metric, out: Any, y: Any) -> float:
    """``metric(out, y)`` as a Python float, or a TypeError naming the metric."""
    value = metric(out, y)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"metric {name!r} must return a number, got {type(value).__name__} {value!r:.40}"
        ) from None
