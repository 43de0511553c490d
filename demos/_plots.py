"""Pictures several demos draw: decision boundaries and loss curves (matplotlib, Agg)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._common import pyplot

#: Colours of the two classes' points, and of the regions predicted for them.
CLASSES = ("#c0392b", "#2a6fb0")
REGIONS = ("#f4c7c3", "#c6dbef")


def decision_boundary(
    ax: Any,
    score: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    title: str = "",
    level: float = 0.0,
    steps: int = 200,
    shade: tuple[float, float] | None = None,
    shade_label: str = "score",
    names: Sequence[str] | None = None,
    size: float = 18,
) -> None:
    """Shade where ``score(points) > level`` on a grid around ``X``, and scatter the data.

    The legend names each class's points and, without ``shade``, each side's colour; with
    ``shade`` a colourbar gives the score's scale. The axes are the inputs x₁ and x₂.

    Args:
        ax: a matplotlib axes.
        score: maps an (n, 2) array of points to n scores (a logit, a margin, ...).
        X: (n, 2) inputs; y: their labels (two classes, any two values).
        level: the score on the boundary (0 for logits and margins, 0.5 for probabilities).
        shade: a (low, high) range to shade the score itself in, instead of its two sides.
        shade_label: what the colourbar's colour measures (with ``shade``).
        names: the two classes' names, low label first (default "y = <label>").
        size: the points' marker size.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    pad = 0.25 * (X.max(axis=0) - X.min(axis=0)) + 0.1
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], steps), np.linspace(lo[1], hi[1], steps))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    zz = np.asarray(score(grid), dtype=float).reshape(xx.shape)
    classes = np.unique(y)
    names = list(names) if names is not None else [f"y = {c:g}" for c in classes]
    handles = []
    if shade is None:
        ax.contourf(xx, yy, zz > level, levels=[-0.5, 0.5, 1.5], colors=REGIONS)
        handles += [
            Patch(color=REGIONS[0], label=f"predicted {names[0]}"),
            Patch(color=REGIONS[1], label=f"predicted {names[-1]}"),
        ]
    else:
        levels = np.linspace(shade[0], shade[1], 21)
        filled = ax.contourf(xx, yy, np.clip(zz, *shade), levels=levels, cmap="RdBu", alpha=0.6)
        ax.figure.colorbar(filled, ax=ax, fraction=0.046, pad=0.04, label=shade_label)
    if np.ptp(zz) > 1e-6:  # a flat score has no boundary to draw, only rounding noise
        ax.contour(xx, yy, zz, levels=[level], colors="k", linewidths=1)
        handles.append(Line2D([], [], color="k", lw=1, label=f"boundary: score = {level:g}"))
    for c, name, color, marker in zip(classes, names, CLASSES, ["o", "s"], strict=False):
        m = y == c
        ax.scatter(
            X[m, 0], X[m, 1], s=size, c=color, marker=marker, edgecolors="k", lw=0.4, label=name
        )
    points = ax.get_legend_handles_labels()[0]
    ax.legend(  # under the axes, where it hides no point
        handles=[*points, *handles],
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=2,
        frameon=False,
    )
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
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
    """One line per named curve, against the step or epoch 1, 2, ... (integer ticks)."""
    from matplotlib.ticker import MaxNLocator

    for name, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=name)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(curves) > 1:
        ax.legend()
    if title:
        ax.set_title(title)


def figure(
    ncols: int = 1, width: float = 4.6, height: float = 4.0, nrows: int = 1
) -> tuple[Any, Any]:
    """A figure of ``nrows`` × ``ncols`` panels, each ``width`` × ``height`` inches."""
    return pyplot().subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
