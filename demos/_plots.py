"""Pictures several demos draw: decision boundaries and loss curves (matplotlib, Agg)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._common import pyplot


def decision_boundary(
    ax: Any,
    score: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    title: str = "",
    level: float = 0.0,
    steps: int = 200,
    shade: tuple[float, float] | None = None,
) -> None:
    """Shade where ``score(points) > level`` on a grid around ``X``, and scatter the data.

    Args:
        ax: a matplotlib axes.
        score: maps an (n, 2) array of points to n scores (a logit, a margin, ...).
        X: (n, 2) inputs; y: their labels (two classes, any two values).
        level: the score on the boundary (0 for logits and margins, 0.5 for probabilities).
        shade: a (low, high) range to shade the score itself in, instead of its two sides.
    """
    pad = 0.25 * (X.max(axis=0) - X.min(axis=0)) + 0.1
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], steps), np.linspace(lo[1], hi[1], steps))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    zz = np.asarray(score(grid), dtype=float).reshape(xx.shape)
    if shade is None:
        ax.contourf(xx, yy, zz > level, levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#c6dbef"])
    else:
        levels = np.linspace(shade[0], shade[1], 21)
        ax.contourf(xx, yy, np.clip(zz, *shade), levels=levels, cmap="RdBu", alpha=0.6)
    if np.ptp(zz) > 1e-6:  # a flat score has no boundary to draw, only rounding noise
        ax.contour(xx, yy, zz, levels=[level], colors="k", linewidths=1)
    classes = np.unique(y)
    for c, color, marker in zip(classes, ["#c0392b", "#2a6fb0"], ["o", "s"], strict=False):
        m = y == c
        ax.scatter(X[m, 0], X[m, 1], s=18, c=color, marker=marker, edgecolors="k", lw=0.4)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal", adjustable="box")
    if title:
        ax.set_title(title)


def loss_curves(
    ax: Any,
    curves: dict[str, Sequence[float]],
    xlabel: str = "step",
    ylabel: str = "loss J",
    log: bool = False,
    title: str = "",
) -> None:
    """One line per named curve."""
    for name, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=name)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(curves) > 1:
        ax.legend()
    if title:
        ax.set_title(title)


def figure(ncols: int = 1, width: float = 4.6, height: float = 4.0) -> tuple[Any, Any]:
    """A figure with ``ncols`` panels side by side."""
    return pyplot().subplots(1, ncols, figsize=(width * ncols, height), squeeze=False)
