"""The benchmark harness runs end to end on tiny sizes and writes its Markdown table."""

from __future__ import annotations

from benchmarks.__main__ import main


def test_smoke_run_writes_the_results_table(tmp_path) -> None:
    out = tmp_path / "RESULTS.md"
    assert main(["--smoke", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results")
    for heading in ("## Machine", "micrograd's demo step", "one training step", "Theorem 3.1"):
        assert heading in text
    assert "numpy by hand (ms)" in text and "| chain | 1003 |" in text
    assert "freed by refcount alone" in text
