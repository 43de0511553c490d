"""Shared set-up for the demo tests: run a demo in fast mode into a temporary folder."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def run_demo(tmp_path: Path, capsys: pytest.CaptureFixture) -> Callable[..., dict[str, Any]]:
    """``run_demo("xor")`` runs ``demos.xor.main(["--fast", "--out", tmp])`` and returns its
    result, with the printed text under ``"stdout"``."""

    def run(name: str, *args: str) -> dict[str, Any]:
        module = importlib.import_module(f"demos.{name}")
        result = module.main(["--fast", "--out", str(tmp_path / name), *args])
        result["stdout"] = capsys.readouterr().out
        return result

    return run


def assert_files_written(result: dict[str, Any]) -> None:
    """Every file the demo says it wrote exists and is not empty."""
    assert result["files"], "the demo wrote no files"
    for path in result["files"]:
        path = Path(path)
        assert path.is_file(), f"{path} was not written"
        assert path.stat().st_size > 0, f"{path} is empty"
        assert str(path) in result["stdout"], f"the demo did not say where {path} went"
