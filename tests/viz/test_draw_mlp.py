"""nn.draw_mlp: units and weighted edges as the notes draw a network."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import nn
from nn.draw import NEGATIVE, POSITIVE, draw_mlp

EDGE = re.compile(
    r'^\tu(\d+)_(\d+) -> u(\d+)_(\d+) \[penwidth="([\d.]+)" color="(#\w{6})(\w\w)"', re.M
)


def test_units_and_one_edge_per_weight():
    model = nn.MLP(3, [4, 2], rng=0)
    source = draw_mlp(model).source
    units = re.findall(r'^\t(u\d+_\d+) \[label="([^"]+)"', source, re.M)
    assert [label for _, label in units] == ["x₁", "x₂", "x₃", "a₁", "a₂", "a₃", "a₄", "ŷ₁", "ŷ₂"]
    assert len(EDGE.findall(source)) == 3 * 4 + 4 * 2
    assert "hidden layer 1\\na[1] = relu(z[1])\\nz[1] = W[1] a[0] + b[1]" in source
    assert "output\\na[2] = identity(z[2])" in source


def test_edge_width_grows_with_the_weight_and_colour_gives_its_sign():
    model = nn.MLP(3, [4, 1], rng=1)
    state = model.state_dict()
    edges = EDGE.findall(draw_mlp(model).source)
    for l0, i, _, j, _, colour, _ in edges:
        w = state[f"layers.{l0}.W"][int(j), int(i)]
        assert colour == (POSITIVE if w >= 0 else NEGATIVE)
    weights = [abs(state[f"layers.{e[0]}.W"][int(e[3]), int(e[1])]) for e in edges]
    widths = [float(e[4]) for e in edges]
    order = np.argsort(weights)
    assert np.all(np.diff(np.array(widths)[order]) >= 0)
    assert max(widths) == pytest.approx(4.0)


def test_both_engines_draw_the_same_picture():
    value = nn.MLP(2, [3, 1], rng=0)
    tensor = nn.MLP(2, [3, 1], engine="tensor")
    tensor.load_state_dict(value.state_dict())
    assert draw_mlp(value).source == draw_mlp(tensor).source


def test_wide_layers_show_a_gap():
    model = nn.MLP(30, [2], engine="tensor", rng=0)
    source = draw_mlp(model, max_units=6).source
    assert re.findall(r"^\t(u0_\w+) \[", source, re.M) == [
        "u0_0",
        "u0_1",
        "u0_2",
        "u0_3",
        "u0_gap",
        "u0_29",
    ]
    assert "⋮ 25 more" in source
    assert len(EDGE.findall(source)) == 5 * 2


def test_draw_mlp_renders_in_process():
    view = draw_mlp(nn.MLP(2, [3, 1], rng=0), backend="wasm")
    svg = ET.fromstring(view.svg())
    nodes = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    assert len(nodes) == 2 + 3 + 1 + 3  # units and one title per layer


def test_draw_mlp_rejects_what_is_not_an_mlp():
    with pytest.raises(TypeError, match="state_dict"):
        draw_mlp([1, 2, 3])
    with pytest.raises(ValueError, match="max_units"):
        draw_mlp(nn.MLP(2, [1]), max_units=2)
    with pytest.raises(ValueError, match="activations"):
        draw_mlp(nn.MLP(2, [3, 1]), activations=["relu"])
