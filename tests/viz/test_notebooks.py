"""The notebooks under docs/ run in a real Jupyter kernel and show rich output (SVG, Markdown).

Skipped without nbclient and ipykernel (``pip install -e ".[notebooks]"``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "docs").glob("*.ipynb"))
#: What each notebook must display, by MIME type.
EXPECTED = {
    "backprop_by_hand": {"image/svg+xml", "text/markdown"},
    "chain_rule": {"image/svg+xml", "text/markdown"},
    "moons": {"image/svg+xml"},
    "theorem31": {"text/markdown"},
}


def test_every_notebook_is_listed_and_stripped_of_outputs():
    import json

    assert sorted(p.stem for p in NOTEBOOKS) == sorted(EXPECTED)
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_a_kernel_and_shows_rich_output(path, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # The kernel imports this checkout's autograd and nn, wherever it runs.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("AUTOGRAD_GRAPHVIZ_BACKEND", "wasm")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    shown = set()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out
            shown |= set(out.get("data", {}))
    assert EXPECTED[path.stem] <= shown
    svgs = [
        out["data"]["image/svg+xml"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "image/svg+xml" in out.get("data", {})
    ]
    for svg in svgs:  # each picture shrinks to the cell when it is wider
        assert 'style="max-width:100%;height:auto"' in svg
