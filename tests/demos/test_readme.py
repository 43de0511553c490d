"""README.md: its Python examples run as printed, and it lists every demo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from demos import DEMOS

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_blocks() -> list[str]:
    """Each ```python block, preceded by blank lines so that tracebacks give README's lines."""
    text = README.read_text(encoding="utf-8")
    return [
        "\n" * text.count("\n", 0, m.start(1)) + m.group(1)
        for m in re.finditer(r"```python\n(.*?)```", text, re.S)
    ]


PYTHON = _python_blocks()


def test_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    first, second = re.findall(r"```bash\n(.*?)```", text, re.S)[:2]
    assert first.strip().endswith('pip install -e ".[demos]" && python -m demos')
    assert second.strip().endswith('pip install -e ".[test,demos]" && pytest')
    assert text.index(first) < text.index("```python")


@pytest.mark.parametrize("code", PYTHON, ids=[f"block{i}" for i in range(len(PYTHON))])
def test_readme_python_block_runs(code, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # files an example writes land here
    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})
    if 'draw_dot(J).save("graph.svg")' in code:
        assert (tmp_path / "graph.svg").stat().st_size > 0


def test_readme_has_the_value_tensor_and_mlp_examples():
    assert len(PYTHON) >= 4
    value, tensor, mlp = PYTHON[:3]
    assert "Value(" in value and ".backward()" in value
    assert "Tensor(" in tensor and ".backward()" in tensor
    assert "nn.MLP(" in mlp and "opt.step()" in mlp
    for code in (value, tensor, mlp):  # about ten lines each
        assert len(code.strip().splitlines()) <= 13


def test_readme_lists_every_demo_and_embeds_the_graph():
    text = README.read_text(encoding="utf-8")
    for name in DEMOS:
        assert f"python -m demos.{name}`" in text, name
    assert "](docs/graph.svg)" in text
    assert "python -m benchmarks" in text and "benchmarks/RESULTS.md" in text
