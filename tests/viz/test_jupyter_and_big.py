"""The Jupyter display (without a system dot, and when rendering fails) and big graphs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import nn
from autograd import Value, draw_dot
from autograd.viz import big
from autograd.viz import view as V


def chain(n: int) -> Value:
    """A graph of about 2n nodes: acc = acc · 0.999 + x_(i mod 50)."""
    xs = [Value(float(i), label=f"x{i}") for i in range(50)]
    acc = xs[0]
    for i in range(n):
        acc = acc * 0.999 + xs[i % 50]
    return acc


def records(source: str) -> list[str]:
    return re.findall(r"^\t+(n\d+) \[label=", source, re.M)


def test_jupyter_bundle_has_svg_and_text_without_a_system_dot(no_system_dot):
    view = draw_dot(Value(2.0, label="a") * Value(3.0, label="b"))
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    ET.fromstring(bundle["image/svg+xml"])
    assert "GraphView" in bundle["text/plain"]


def test_jupyter_bundle_falls_back_to_text_when_rendering_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(V, "render", broken)
    bundle = draw_dot(Value(1.0) * 2)._repr_mimebundle_(include=None, exclude=None)
    assert list(bundle) == ["text/plain"]
    assert "renderer crashed" in bundle["text/plain"]


def test_a_hundred_thousand_node_graph_is_cut_to_max_nodes():
    J = chain(50_000)  # 100,050 nodes
    view = draw_dot(J)
    assert view.nodes == 100_050
    shown = records(view.source)
    assert len(shown) == big.DEFAULT_MAX_NODES
    assert f"n{view.nodes - 1}" in shown  # the output is always drawn
    assert "100,050" in view.source and "max_nodes=None draws all" in view.source
    assert "⋯" in view.source  # inputs left out are marked


def test_a_cut_graph_renders():
    view = draw_dot(chain(2_000), max_nodes=40, backend="wasm")
    titles = [
        g.find("{http://www.w3.org/2000/svg}title").text
        for g in ET.fromstring(view.svg()).iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "node"
    ]
    assert len([t for t in titles if re.fullmatch(r"n\d+", t)]) == 40


def test_overflow_error_says_how_to_get_a_picture():
    with pytest.raises(ValueError, match="max_nodes=100") as info:
        draw_dot(chain(100), max_nodes=100, overflow="error")
    assert "max_nodes=None" in str(info.value) and "model=" in str(info.value)
    with pytest.raises(ValueError, match="overflow"):
        draw_dot(chain(3), overflow="truncate")
    with pytest.raises(ValueError, match="max_nodes"):
        draw_dot(chain(3), max_nodes=0)


def test_max_nodes_none_draws_every_node():
    view = draw_dot(chain(200), max_nodes=None)
    assert len(records(view.source)) == view.nodes == 450


def test_with_a_model_a_big_graph_folds_each_module_into_one_box():
    model = nn.MLP(3, [8, 8, 1], rng=0)
    xs = [[Value(0.1 * i), Value(-0.2 * i), Value(0.3)] for i in range(4)]
    loss = sum((model(x) - 1.0) ** 2 for x in xs)
    view = draw_dot(loss, model=model, max_nodes=300)
    assert view.nodes > 300
    boxes = re.findall(r'^\t(g\d+) \[label="([^"]+)"', view.source, re.M)
    assert len(boxes) == 17  # 8 + 8 + 1 neurons
    assert boxes[0][1].startswith("layers.0.neurons.0\\n")
    assert "each module folded into one box" in view.source
    assert len(records(view.source)) + len(boxes) <= 300
