"""The tour and the chain-rule demo: the pictures they write, the numbers they claim."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from demos import tour

from .conftest import assert_files_written


def _svg_text(path: Path) -> str:
    """All text drawn in an SVG file (which must parse as XML)."""
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    return " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))


def test_chain_rule_by_hand_equals_the_engine_and_draws_it(run_demo):
    r = run_demo("chain_rule")
    assert r["max_diff"] < 1e-15
    names = sorted(p.name for p in r["files"])
    assert names == ["backward.html", "chain_rule.md", "graph.svg"]
    assert_files_written(r)
    svg = next(p for p in r["files"] if p.name == "graph.svg")
    drawn = _svg_text(svg)
    for label in ("x1", "w1", "x2", "w2", "b", "z", "a", "J"):
        assert label in drawn
    html = next(p for p in r["files"] if p.name == "backward.html").read_text(encoding="utf-8")
    assert "<html" in html.lower() and "http://" not in html.replace("http://www.w3.org", "")


def test_chain_rule_reuses_each_weight_so_the_sum_of_3_3_shows(run_demo):
    from demos.chain_rule import LAMBDA, START

    r = run_demo("chain_rule")
    g = r["grads"]
    delta = g["b"]  # ∂J/∂b = δ: b feeds z alone
    assert g["w1"] == pytest.approx(delta * START["x1"] + LAMBDA * START["w1"], abs=1e-15)
    assert g["w2"] == pytest.approx(delta * START["x2"] + LAMBDA * START["w2"], abs=1e-15)
    assert "∂J/∂w1 = δ·x1 + λ·w1   (two paths)" in r["stdout"]
    # explain adds the second path's share to w1 and w2 and says so.
    assert r["transcript"].count("(2 contributions)") == 2
    assert "∂J/∂w1 +=" in r["transcript"]
    # w1, w2 and b are drawn as parameters: one fill colour, not the inputs' one.
    svg = next(p for p in r["files"] if p.name == "graph.svg")
    fills = _node_fills(svg)
    assert fills["w1"] == fills["w2"] == fills["b"] != fills["x1"] == fills["x2"]


def _node_fills(path: Path) -> dict[str, str]:
    """The fill colour of each labelled node's record in an SVG drawn by draw_dot."""
    ns = "{http://www.w3.org/2000/svg}"
    fills = {}
    for g in ET.parse(path).getroot().iter(f"{ns}g"):
        if g.get("class") != "node":
            continue
        texts = [t.text for t in g.iter(f"{ns}text")]
        shapes = [e.get("fill") for e in g if e.tag in (f"{ns}polygon", f"{ns}path")]
        if len(texts) > 1 and shapes:
            fills[texts[0]] = shapes[0]
    return fills


def test_the_tour_trains_moons_to_100_percent_on_both_engines(tmp_path, capsys):
    out = tmp_path / "tour"
    r = tour.main(["--fast", "--out", str(out)])
    stdout = capsys.readouterr().out
    assert str(out.resolve()) in stdout  # it says where everything went
    moons = r["moons"]
    assert moons["value"]["accuracy"] == 1.0
    assert moons["tensor"]["accuracy"] == 1.0
    assert moons["max_weight_diff"] < 1e-10  # the same network, step for step
    assert moons["value"]["losses"][-1] < moons["value"]["losses"][0]
    assert r["chain_rule"]["max_diff"] < 1e-15
    written = {p.name for p in r["files"]}
    assert written == {"graph.svg", "chain_rule.md", "backward.html", "moons.png", "mlp.svg"}
    assert {p.name for p in out.iterdir()} == written  # one folder, nothing else in it
    for path in r["files"]:
        assert path.parent == out and path.stat().st_size > 0
        assert path.name in stdout


def test_docs_graph_is_the_chain_rule_demos_graph():
    from autograd import draw_dot
    from demos.chain_rule import neuron

    docs = Path(__file__).resolve().parents[2] / "docs" / "graph.svg"
    _, J = neuron()
    J.backward()
    fresh = draw_dot(J).svg()
    drawn = _svg_text(docs)
    # Layout may differ between Graphviz builds; every label, value and gradient may not.
    assert sorted(drawn.split()) == sorted(
        " ".join(
            t.text or "" for t in ET.fromstring(fresh).iter() if t.tag.endswith("text")
        ).split()
    )
    assert "grad -0.2369" in drawn or "-0.2369" in drawn  # ∂J/∂w1 = δ·x1
