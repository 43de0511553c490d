"""draw_dot's DOT text: records, ops, constants, roles, module groups, determinism."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, draw_dot
from autograd.viz.dot import FILL
from autograd.viz.graph import INPUT, OUTPUT, PARAM, walk

ROOT = Path(__file__).resolve().parents[2]
NODE = re.compile(r"^\s*(\w+) \[(.*)\]$", re.M)


def statements(source: str) -> dict[str, str]:
    """DOT node id -> its attribute text."""
    return {
        m.group(1): m.group(2)
        for m in NODE.finditer(source)
        if m.group(1) not in ("graph", "node", "edge")
    }


def expression() -> tuple[Value, Value, Value]:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    J = (a * b + b**2).tanh() + a.exp().log() - a.sigmoid() / b.relu().cos()
    J.label = "J"
    J.backward()
    return a, b, J


def test_same_graph_gives_byte_identical_dot():
    first = draw_dot(expression()[2]).source
    again = draw_dot(expression()[2]).source
    assert first == again
    J = expression()[2]
    assert draw_dot(J).source == draw_dot(J).source


def test_dot_is_identical_in_another_process_with_another_hash_seed():
    code = (
        "from tests.viz.test_dot import expression; from autograd import draw_dot; "
        "import sys; sys.stdout.write(draw_dot(expression()[2]).source)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out == draw_dot(expression()[2]).source


def test_value_records_show_label_data_grad_and_each_op_is_its_own_node():
    a, _, J = expression()
    nodes = statements(draw_dot(J).source)
    assert 'label="{ a | data 2.0000 | grad ' in nodes["n0"]
    assert f"grad {a.grad:.4f}" in nodes["n0"]
    assert 'label="{ b | data -3.0000 |' in nodes["n1"]
    records = [k for k, v in nodes.items() if 'shape="record"' in v]
    ops = [k for k in nodes if k.endswith("_op")]
    assert len(records) == 14  # every Value once: 2 leaves and 12 results
    assert len(ops) == 12  # one op node per result
    assert 'label="*"' in nodes["n2_op"] and 'tooltip="mul"' in nodes["n2_op"]


def test_constants_are_small_nodes_feeding_their_op():
    x = Value(3.0, label="x")
    y = 2 * x + 1.5
    source = draw_dot(y).source
    nodes = statements(source)
    constants = {k: v for k, v in nodes.items() if "_c" in k}
    assert sorted(v.split('"')[1] for v in constants.values()) == ["1.5", "2"]
    for k in constants:
        assert re.search(rf"\t{k} -> n\d+_op\n", source)


def test_shared_input_draws_one_arrow_per_use():
    x = Value(3.0, label="x")
    source = draw_dot(x * x).source
    assert source.count("\tn0 -> n1_op\n") == 2


def test_tensor_records_show_shape_dtype_and_a_preview_of_small_arrays():
    X = Tensor(np.arange(24.0).reshape(8, 3), label="X")
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    b = Tensor(np.array([0.5, -1.0]), requires_grad=True, label="b")
    J = (X @ W.T + b).sum()
    J.backward()
    nodes = statements(draw_dot(J).source)
    assert "X | (8, 3) float64 | data ‖·‖ " in nodes["n0"]  # big: its norm
    assert "b | (2,) float64 | data [ 0.5 -1. ] | grad [8. 8.]" in nodes["n4"]
    assert "scalar float64" in nodes["n6"]
    f32 = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    assert "(2,) float32" in draw_dot((f32 * 2).sum()).source


def test_tensor_op_options_are_named_in_the_op_node():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    nodes = statements(draw_dot(x.sum(axis=1, keepdims=True).mean()).source)
    assert 'label="Σ\\naxis=1, keepdims"' in nodes["n1_op"]
    assert nodes["n2_op"].startswith('label="mean"')


def test_colours_mark_inputs_parameters_and_the_output():
    X = Tensor(np.ones((4, 2)))
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    J = (X @ W).sum()
    nodes = statements(draw_dot(J).source)
    assert f'fillcolor="{FILL[INPUT]}"' in nodes["n0"]
    assert f'fillcolor="{FILL[PARAM]}"' in nodes["n1"]
    assert f'fillcolor="{FILL[OUTPUT]}"' in nodes["n3"]
    a, b = Value(1.0), Value(2.0)
    marked = statements(draw_dot(a * b, params={"w": b}).source)
    assert f'fillcolor="{FILL[INPUT]}"' in marked["n0"]
    assert f'fillcolor="{FILL[PARAM]}"' in marked["n1"]
    assert "{ w | data" in marked["n1"]  # unlabelled parameters show their name


def _cluster_of(source: str) -> dict[str, str]:
    """node id -> the label of the innermost cluster around it ('' at the top level)."""
    where, stack = {}, []
    for line in source.splitlines():
        s = line.strip()
        if s.startswith("subgraph cluster_"):
            stack.append("?")
        elif s.startswith("graph [label=") and stack:
            stack[-1] = s.split('"')[1]
        elif s == "}" and stack:
            stack.pop()
        elif m := re.match(r"(\w+) \[", s):
            where[m.group(1)] = stack[-1] if stack else ""
    return where


def test_value_mlp_is_grouped_per_neuron_inside_layers_with_the_loss_outside():
    model = nn.MLP(2, [3, 1], rng=0)
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    loss = (model(x) - 1.0) ** 2
    source = draw_dot(loss, model=model).source
    labels = re.findall(r'subgraph cluster_\d+ \{\n\t+graph \[label="([^"]+)"', source)
    assert labels == ["layers.0", "neurons.0", "neurons.1", "neurons.2", "layers.1.neurons.0"]
    where = _cluster_of(source)
    nodes = statements(source)
    params = [k for k, v in nodes.items() if f'fillcolor="{FILL[PARAM]}"' in v]
    assert len(params) == len(model.parameters())
    relus = [k for k, v in nodes.items() if 'tooltip="relu"' in v]
    assert [where[k] for k in relus] == ["neurons.0", "neurons.1", "neurons.2"]
    root = f"n{len(walk(loss)) - 1}"
    assert where[root] == "" and where[f"{root}_op"] == ""  # the loss J
    x1 = next(k for k, v in nodes.items() if "{ x1 |" in v)
    assert where[x1] == ""  # an input


def test_tensor_mlp_is_grouped_per_layer():
    model = nn.MLP(2, [4, 1], engine="tensor", rng=0)
    J = ((model(np.ones((5, 2))) - 1.0) ** 2).mean()
    source = draw_dot(J, model=model).source
    assert re.findall(r'graph \[label="(layers\.\d)"', source) == ["layers.0", "layers.1"]
    where = _cluster_of(source)
    W_nodes = [k for k, v in statements(source).items() if "{ W |" in v or '"W |' in v]
    assert [where[k] for k in W_nodes] == ["layers.0", "layers.1"]


def test_special_characters_in_labels_are_escaped():
    a = Value(1.0, label='odd {name} | <x> "q" \\')
    nodes = statements(draw_dot(a * 2).source)
    assert nodes["n0"].startswith('label="{ odd \\{name\\} \\| \\<x\\> \\"q\\" \\\\ | data')


def test_to_graphviz_gives_a_digraph_with_the_same_source():
    import graphviz

    view = draw_dot(expression()[2])
    g = view.to_graphviz()
    assert isinstance(g, graphviz.Digraph)
    assert g.source == view.source


def test_save_dot_writes_the_source(tmp_path):
    view = draw_dot(expression()[2])
    path = view.save(tmp_path / "graph.dot")
    assert path.read_text(encoding="utf-8") == view.source


def test_save_with_an_unknown_extension_raises_and_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match=r"\.svg"):
        draw_dot(expression()[2]).save(tmp_path / "graph.jpeg")
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments_raise_clear_errors():
    J = expression()[2]
    with pytest.raises(TypeError, match="Value or a Tensor"):
        draw_dot(3.0)
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(J, rankdir="diagonal")
    with pytest.raises(ValueError, match="backend"):
        draw_dot(J, backend="cairo")
    with pytest.raises(TypeError, match="named_parameters"):
        draw_dot(J, model=object())
