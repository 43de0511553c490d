"""The pictures a teacher projects: labelled axes, a key for every colour, integer epochs."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from demos._plots import decision_boundary, figure, loss_curves

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([0, 1, 1, 0])


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_a_decision_boundary_names_its_classes_regions_and_axes():
    fig, axes = figure(1)
    ax = axes[0, 0]
    decision_boundary(ax, lambda P: P[:, 0] - 0.5, X, Y, "t", names=["no", "yes"])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x₁", "x₂")
    assert _legend(ax) == ["no", "yes", "predicted no", "predicted yes", "boundary: score = 0"]
    assert len(fig.axes) == 1  # two flat colours need no colourbar


def test_a_shaded_score_gets_a_colourbar_with_its_meaning():
    fig, axes = figure(1)
    ax = axes[0, 0]
    decision_boundary(
        ax, lambda P: P[:, 0], X, Y, "t", 0.5, shade=(0.0, 1.0), shade_label="output h(x)"
    )
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "output h(x)"
    assert _legend(ax)[:2] == ["y = 0", "y = 1"]


def test_loss_curves_count_epochs_in_integers():
    fig, axes = figure(1)
    ax = axes[0, 0]
    loss_curves(ax, {"train": [3.0, 2.0, 1.5], "test": [3.1, 2.2, 1.9]}, xlabel="epoch")
    fig.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 1 <= t <= 3]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert ax.get_xlabel() == "epoch" and _legend(ax) == ["train", "test"]


def test_mlp_svg_carries_its_colour_key():
    import nn
    from demos.moons import mlp_with_key

    svg = mlp_with_key(nn.MLP(2, [3, 1], rng=0)).svg()
    for key in ("blue: positive weight", "red: negative weight", "edge width ∝ |W[l]ji|"):
        assert key in svg
