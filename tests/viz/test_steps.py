"""Step-through frames, the offline HTML player, and the chain-rule transcript."""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograd import Tensor, Value, backward_frames, explain, save_backward_html
from autograd.engine import backward
from autograd.viz.dot import ACTIVE, SHARED
from autograd.viz.graph import walk


def expression() -> tuple[Value, Value, Value]:
    """J = tanh(a·b + b²) + a·a: b and a are shared, a*a uses a twice."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    J = (a * b + b**2).tanh() + a * a
    return a, b, J


def engine_steps(J):
    """What the engine itself does on this graph: rule order and every (node, i, gi)."""
    calls = []
    ran = backward(J, on_step=lambda node, i, g, gi: calls.append((node, i, gi)))
    return ran, calls


def test_one_frame_per_backward_step_in_the_engine_order():
    *_, J = expression()
    frames = backward_frames(J)
    *_, J2 = expression()
    ran, _ = engine_steps(J2)
    assert len(frames) == len(ran) == 6
    assert [f.node.data for f in frames] == [n.data for n in ran]
    assert [f.step for f in frames] == list(range(1, 7))


def test_each_frame_highlights_the_node_whose_rule_runs_and_its_arrows():
    a, _, J = expression()
    frames = backward_frames(J)
    first = frames[0].source
    assert re.search(rf'\tn7 \[label="[^"]+".*color="{ACTIVE}" penwidth="3"', first)
    assert len(re.findall(rf'-> n7_op \[color="{ACTIVE}"', first)) == 2  # J = v5 + v6
    assert "grad ?" in first  # a and b are not reached yet
    last = frames[-1].source  # v6 = a * a: two contributions to a
    assert len(re.findall(rf'\tn0 -> n6_op \[color="{ACTIVE}"[^\n]*label="← 2.0000', last)) == 2
    assert re.search(
        rf'\tn0 \[label="{{ a \| data 2.0000 \| grad {a.grad:.4f}[^"]*".*color="{SHARED}"', last
    )


def test_frames_leave_the_grads_a_normal_backward_leaves():
    a, b, J = expression()
    backward_frames(J)
    a2, b2, J2 = expression()
    J2.backward()
    assert (a.grad, b.grad) == (a2.grad, b2.grad)
    backward_frames(J)  # leaves accumulate, as a second backward() does
    J2.backward()
    assert (a.grad, b.grad) == (a2.grad, b2.grad)


def test_frames_refuse_big_graphs_with_advice():
    x = Value(1.0)
    for _ in range(100):
        x = x * 1.01
    with pytest.raises(ValueError, match="max_nodes=100"):
        backward_frames(x)  # 101 nodes
    y = Value(1.0)
    for _ in range(20):
        y = y * 1.01
    with pytest.raises(ValueError, match="max_nodes=10"):
        backward_frames(y, max_nodes=10)
    assert len(backward_frames(y, max_nodes=21)) == 20


def test_tensor_frames_with_a_gradient_for_a_non_scalar_root():
    X = Tensor(np.ones((3, 2)), label="X")
    W = Tensor(np.eye(2), requires_grad=True, label="W")
    Z = (X @ W).tanh()
    seed = np.full((3, 2), 0.5)
    frames = backward_frames(Z, gradient=seed)
    W2 = Tensor(np.eye(2), requires_grad=True)
    ran = backward((X @ W2).tanh(), seed)
    assert len(frames) == len(ran) == 2
    np.testing.assert_array_equal(W.grad, W2.grad)
    assert "X | (3, 2) float64 | data ‖·‖ 2.449 | grad none" in frames[0].source


def test_html_player_is_one_offline_file(tmp_path):
    *_, J = expression()
    path = save_backward_html(J, tmp_path / "backward.html", backend="wasm")
    html = path.read_text(encoding="utf-8")
    assert html.count("<svg") == 6
    assert html.count('class="frame"') == 6
    assert 'type="range" min="0" max="5"' in html
    assert 'id="prev"' in html and 'id="next"' in html and "<script>" in html
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)  # nothing fetched
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # frames do not clash
    assert "∂J/∂a += ∂J/∂v6 · ∂v6/∂a" in html  # captions carry the chain rule


def test_html_of_a_leaf_explains_there_is_nothing_to_play(tmp_path):
    with pytest.raises(ValueError, match="leaf"):
        save_backward_html(Value(1.0), tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_transcript_reads_like_the_chain_rule():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    c.label = "c"
    J = c * 2.0
    text = explain(J)
    assert "∂J/∂a = ∂J/∂c · ∂c/∂a = 2.0 · 3.0 = 6.0" in text
    assert "c  = a * b = 6.0" in text
    assert text.index("Forward pass") < text.index("Backward pass") < text.index("Gradients")


def test_transcript_numbers_equal_the_engine_gradients_exactly():
    a, b, J = expression()
    text = explain(J, digits=17)
    a2, b2, J2 = expression()
    ran, calls = engine_steps(J2)
    # Every equation's result, in order, is the engine's gi of that rule application.
    equations = [line for line in text.splitlines() if re.match(r"    ∂J/∂\w+ \+?= ", line)]
    sent = [float(eq.split("   [")[0].split(";")[0].rsplit(" = ", 1)[1]) for eq in equations]
    assert sent == [gi for _, _, gi in calls]
    assert f"∂J/∂a = {a2.grad!r}" in text and f"∂J/∂b = {b2.grad!r}" in text
    assert (a.grad, b.grad) == (a2.grad, b2.grad)  # and it left the grads of one backward
    index = {id(n): k for k, n in enumerate(walk(J2))}
    steps = re.findall(r"^  step \d+: (\w+) = ", text, re.M)
    assert steps == [f"v{index[id(n)]}" for n in ran]


def test_transcript_shows_accumulation_at_shared_nodes():
    *_, J = expression()
    text = explain(J)
    assert "∂J/∂a += ∂J/∂v6 · ∂v6/∂a = 1.0 · 2.0 = 2.0" in text
    assert "(3 contributions)" in text


def test_tensor_transcript_gives_shapes_and_norms():
    X = Tensor(np.arange(6.0).reshape(3, 2))
    W = Tensor(np.array([[1.0, -1.0], [0.5, 2.0]]), requires_grad=True, label="W")
    J = (X @ W.T).relu().sum()
    text = explain(J, digits=17)
    W2 = Tensor(W.data.copy(), requires_grad=True)
    (X @ W2.T).relu().sum().backward()
    norm = float(np.linalg.norm(W2.grad))
    assert f"∂J/∂W = shape (2, 2), ‖·‖ = {norm!r}" in text
    assert "v2 = transpose(W) = shape (2, 2)" in text
    assert "‹(3, 2), ‖·‖ =" in text  # the gradient sent to the data tensor's product


def test_markdown_transcript():
    *_, J = expression()
    md = explain(J, markdown=True)
    assert md.startswith("### Forward pass (Wengert list)")
    assert "| node | definition | value |" in md and "| `v2` | a * b | -6.0 |" in md
    assert re.search(r"^6\. \*\*v6 = a \* a\*\*: `∂J/∂a \+= ", md, re.M)
    assert "| `a` | 3.9704" in md


def test_transcript_warns_when_leaves_held_earlier_gradients():
    *_, J = expression()
    J.backward()
    assert "held gradients from earlier passes" in explain(J)


def test_player_page_has_zoom_fit_and_follows_the_address(tmp_path):
    *_, J = expression()
    html = save_backward_html(J, tmp_path / "b.html", backend="wasm").read_text(encoding="utf-8")
    for control in ("zoomin", "zoomout", "zoomlabel", "fit", "stage"):
        assert f'id="{control}"' in html
    assert "max-width: 100%" not in html  # the graph keeps its natural size
    assert "'hashchange'" in html and "e.preventDefault()" in html
    assert '<link rel="icon" href="data:,">' in html  # not even a favicon is fetched


def test_a_root_named_J_gives_no_circular_equation():
    e = Value(2.0, label="e")
    J = 0.5 * e**2
    J.label = "J"
    text = explain(J)
    assert "∂J/∂v1 = ∂J/∂J · ∂(0.5 * v1)/∂v1 = 1.0 · 0.5 = 0.5   [∂(0.5 * v1)/∂v1 = 0.5]" in text
    for line in text.splitlines():
        if line.startswith("    ∂J/∂"):
            lhs, rhs = re.split(r" \+?= ", line.split("   [")[0], maxsplit=1)
            assert lhs not in rhs, line
    frames = backward_frames(J)
    assert "∂J/∂J · ∂(0.5 * v1)/∂v1" in frames[0].caption
