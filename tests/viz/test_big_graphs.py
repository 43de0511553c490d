"""Big graphs give an overview: modules, per-example sums and penalties folded into boxes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import nn
from autograd import Value, backward_frames, draw_dot, save_backward_html
from autograd.viz import big

from .test_dot import _cluster_of, statements

BOX = re.compile(r'^\t([gsl]\d+) \[label="([^"]+)"', re.M)


def micrograd_demo_loss(n: int = 100):
    """micrograd's demo: MLP(2, [16, 16, 1]), n moons, hinge + 1e-4 · Σ p² over all p."""
    X, y = nn.data.make_moons(n, noise=0.1, rng=0)
    model = nn.MLP(2, [16, 16, 1], rng=0)
    inputs = [list(map(Value, row)) for row in X.tolist()]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip((2 * y - 1).tolist(), scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    return model, data_loss + reg_loss


@pytest.fixture(scope="module")
def demo():
    model, J = micrograd_demo_loss()
    J.backward()
    return model, J


def drawn_records(source: str) -> list[str]:
    return re.findall(r"^\t+(n\d+) \[label=", source, re.M)


def test_micrograd_demo_loss_with_model_folds_layers_and_the_losss_structure(demo):
    model, J = demo
    view = draw_dot(J, model=model, backend="wasm")
    assert view.nodes == 65_614
    boxes = dict(BOX.findall(view.source))
    labels = list(boxes.values())
    assert [lab.split("\\n")[0] for lab in labels[:3]] == [
        "layers.0",
        "layers.1",
        "layers.2",
    ]
    reg = [lab for lab in labels if lab.startswith("regulariser (parameters only): Σ of 337 ")]
    assert reg == ["regulariser (parameters only): Σ of 337 terms · * ·\\n674 nodes"]
    assert "Σ of 100 terms relu(c + c * ·)\\n400 nodes" in labels  # one term per example
    assert "200 inputs\\n200 nodes" in labels
    shown = drawn_records(view.source)
    assert f"n{view.nodes - 1}" in shown  # J itself
    assert len(shown) + len(boxes) <= big.DEFAULT_MAX_NODES
    assert "nearest the output" not in view.source
    svg = view.svg()
    assert svg.count('class="node"') >= len(boxes)
    # The README's picture is this overview (made by the README's own code).
    docs = Path(__file__).resolve().parents[2] / "docs" / "micrograd_loss.svg"
    assert svg_words(docs.read_text(encoding="utf-8")) == svg_words(svg)


def svg_words(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return sorted(" ".join(t.text or "" for t in root.iter() if t.tag.endswith("text")).split())


def test_without_a_model_repeated_terms_fold_instead_of_a_cut(demo):
    _, J = demo
    view = draw_dot(J)
    labels = [lab for _, lab in BOX.findall(view.source)]
    assert "Σ of 337 terms · * ·\\n674 nodes" in labels
    assert any(
        re.fullmatch(r"Σ of 100 terms relu\(c \+ c \* …\)\\n64,600 nodes", x) for x in labels
    )
    assert "337 leaves\\n337 nodes" in labels  # the parameters, shared by both sums
    assert "nearest the output" not in view.source
    assert len(drawn_records(view.source)) <= 10


def test_a_sum_of_unlike_terms_folds_each_kind_of_term():
    xs = [Value(float(i), label=f"x{i}") for i in range(20)]
    terms = [x.tanh() if i % 2 else x.exp() * 2 for i, x in enumerate(xs)]
    J = sum(terms)
    labels = [lab for _, lab in BOX.findall(draw_dot(J, max_nodes=30).source)]
    assert "Σ of 20 terms\\n20 nodes" in labels
    # each term's box holds what only it uses: its own leaf x_i too
    assert "10 terms tanh(·)\\n20 nodes" in labels and "10 terms exp(·) * c\\n30 nodes" in labels


def test_neuron_boxes_come_in_natural_number_order():
    model = nn.MLP(2, [12, 1], rng=0)
    xs = [[Value(0.1 * i), Value(-0.3)] for i in range(6)]
    loss = sum((model(x) - 1.0) ** 2 for x in xs)
    view = draw_dot(loss, model=model, max_nodes=60)
    names = [lab.split("\\n")[0] for _, lab in BOX.findall(view.source)]
    assert names[:12] == [f"layers.0.neurons.{i}" for i in range(12)]
    unfolded = draw_dot(loss, model=model, max_nodes=None).source
    clusters = re.findall(r'graph \[label="(neurons\.\d+)"', unfolded)
    assert clusters == [f"neurons.{i}" for i in range(12)]


def test_weight_penalty_nodes_are_drawn_outside_the_modules():
    model = nn.MLP(2, [2, 1], rng=0)
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    J = (model(x) - 1.0) ** 2 + nn.losses.l2_penalty(model, 0.01)
    source = draw_dot(J, model=model).source
    where = _cluster_of(source)
    nodes = statements(source)
    squares = [k for k, v in nodes.items() if k.endswith("_op") and 'label="*"' in v]
    products = [k for k in squares if where[k] != ""]
    penalty = [k for k in squares if where[k] == ""]
    assert len(products) == 6  # w·x inside the neurons
    assert len(penalty) == 6 + 1  # p * p for every weight, and (λ/2)·Σ, all outside


def test_a_layers_transpose_stays_in_it_and_the_penalty_is_outside():
    import numpy as np

    from autograd import Tensor

    X = Tensor(np.ones((4, 2)), label="X")
    W = Tensor(np.full((3, 2), 0.5), requires_grad=True, label="W")
    b = Tensor(np.zeros(3), requires_grad=True, label="b")
    J = (X @ W.T + b).relu().sum() + 0.01 * (W * W).sum()
    source = draw_dot(J, params={"layer.W": W, "layer.b": b}).source
    where = _cluster_of(source)
    nodes = statements(source)
    ops = {v.split('tooltip="')[1].split('"')[0]: k for k, v in nodes.items() if "tooltip=" in v}
    assert where[ops["transpose"]] == where[ops["matmul"]] == "layer"
    squares = [k for k, v in nodes.items() if 'tooltip="mul"' in v]
    assert [where[k] for k in squares] == ["", ""]  # W * W and 0.01 · Σ


def test_the_player_refusal_suggests_an_expression_it_accepts(tmp_path):
    _, J = micrograd_demo_loss(n=2)
    with pytest.raises(ValueError, match=r"nn\.MLP\(2, \[2, 1\]\)"):
        backward_frames(J)
    small = nn.MLP(2, [2, 1], rng=0)
    one = (1 + -1.0 * small([Value(0.5), Value(-0.2)])).relu()
    assert len(backward_frames(one, model=small)) > 5
    assert save_backward_html(one, tmp_path / "one.html", model=small, backend="wasm").exists()
