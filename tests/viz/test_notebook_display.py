"""What a notebook shows: pictures that fit a cell, and explain() as Markdown."""

from __future__ import annotations

import re

import pytest

from autograd import Tensor, Value, draw_dot, explain
from autograd.viz import shape
from autograd.viz.dot import node_fields
from autograd.viz.explain import Explanation
from autograd.viz.graph import walk


def neuron() -> tuple[dict[str, Value], Value]:
    """The README's neuron, with its parameters."""
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2, b = Value(0.5, label="w1"), Value(1.0, label="w2"), Value(0.1)
    J = 0.5 * ((w1 * x1 + w2 * x2 + b).sigmoid() - 1.0) ** 2
    return {"w1": w1, "w2": w2, "b": b}, J


def rankdir(source: str) -> str:
    return re.search(r'rankdir="(\w+)"', source).group(1)


def svg_width_pt(svg: str) -> float:
    return float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))


def test_auto_rankdir_keeps_left_to_right_while_it_fits_a_cell():
    small = Value(1.0, label="x") * 2 + 1
    assert rankdir(draw_dot(small).source) == "LR"
    assert svg_width_pt(draw_dot(small, backend="wasm").svg()) <= shape.CELL_PT


def test_auto_rankdir_turns_a_deep_graph_top_to_bottom_so_it_fits():
    _, J = neuron()
    view = draw_dot(J, backend="wasm")
    assert rankdir(view.source) == "TB"
    assert svg_width_pt(view.svg()) <= shape.CELL_PT
    wide = draw_dot(J, rankdir="LR", backend="wasm")  # asked for: kept
    assert rankdir(wide.source) == "LR" and svg_width_pt(wide.svg()) > 2 * shape.CELL_PT


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_width_estimates_are_near_what_graphviz_draws(direction):
    _, J = neuron()
    X = Tensor([[1.0, 2.0], [3.0, 4.0]], label="X")
    W = Tensor([[0.5, -1.0]], requires_grad=True, label="W")
    T = (X @ W.T).tanh().sum()
    for root in (J, T, Value(1.0) * 2 + 1):
        nodes = walk(root)
        est = shape.widths(nodes, [node_fields(n, None, 4) for n in nodes], None)
        drawn = svg_width_pt(draw_dot(root, rankdir=direction, backend="wasm").svg())
        assert est[direction == "TB"] == pytest.approx(drawn, rel=0.4)


def test_jupyter_svg_shrinks_to_the_cell_and_natural_size_scrolls():
    _, J = neuron()
    view = draw_dot(J, rankdir="LR", backend="wasm")
    svg = view._repr_mimebundle_()["image/svg+xml"]
    assert svg.count('style="max-width:100%;height:auto"') == 1
    assert view.svg().count("max-width") == 0  # saved files keep their natural size
    html = view.natural_size()._repr_html_()
    assert html.startswith('<div style="overflow:auto') and "max-width" not in html
    assert "<?xml" not in html


def test_explain_is_the_text_and_shows_as_markdown():
    _, J = neuron()
    text = explain(J)
    assert isinstance(text, str) and isinstance(text, Explanation)
    assert str(text) == text.text and text.startswith("Forward pass (Wengert list")
    assert repr(text) == str(text)  # at a prompt: the lines, not an escaped string
    assert text._repr_markdown_().startswith("### Forward pass (Wengert list)")
    _, J2 = neuron()
    assert str(explain(J2, markdown=True)) == text._repr_markdown_()


def test_explain_is_the_same_text_as_before_for_plain_calls():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    c.label = "c"
    text = explain(c * 2.0)
    assert "∂J/∂a = ∂J/∂c · ∂c/∂a = 2.0 · 3.0 = 6.0" in text
    assert text.count("(input)") == 2 and "(parameter)" not in text


def test_explain_marks_parameters_given_by_params_or_model():
    import nn

    params, J = neuron()
    text = explain(J, params=params)
    assert re.search(r"^  w1 += 0.5   \(parameter\)$", text, re.M)
    assert re.search(r"^  b +\= 0.1   \(parameter\)$", text, re.M)  # named by params=
    assert re.search(r"^  x1 += 2.0   \(input\)$", text, re.M)
    model = nn.MLP(2, [1], rng=0)
    loss = (model([Value(1.0, label="x1"), Value(2.0, label="x2")]) - 1.0) ** 2
    text = explain(loss, model=model)
    assert text.count("(parameter)") == 3 and text.count("(input)") == 2
    with pytest.raises(TypeError, match="not both"):
        explain(loss, model=model, params=params)
