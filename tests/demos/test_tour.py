"""The tour and the chain-rule demo: the pictures they write, the numbers they claim."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

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
