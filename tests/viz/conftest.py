"""Fixtures for the graph-picture tests: a machine without a system Graphviz, or a fake one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

FAKE_DOT = """#!/bin/sh
# A stand-in for Graphviz's `dot`: records its arguments and input, answers -Tsvg and -Tpng.
here=$(dirname "$0")
echo "$@" > "$here/args"
cat > "$here/stdin.dot"
case "$1" in
  -Tsvg) printf '<svg xmlns="http://www.w3.org/2000/svg">'
         printf '<g class="node"><title>fake</title></g></svg>' ;;
  -Tpng) printf '\\211PNG\\r\\n\\032\\nfake' ;;
  *) echo "unsupported $1" >&2; exit 1 ;;
esac
"""


@pytest.fixture
def no_system_dot(monkeypatch, tmp_path) -> Path:
    """PATH without `dot` (and no backend forced by the environment)."""
    empty = tmp_path / "empty_bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("AUTOGRAD_GRAPHVIZ_BACKEND", raising=False)
    return empty


@pytest.fixture
def fake_dot(monkeypatch, tmp_path) -> Path:
    """A fake `dot` first on PATH; returns its folder (it writes `args` and `stdin.dot` there)."""
    folder = tmp_path / "fake_bin"
    folder.mkdir()
    script = folder / "dot"
    script.write_text(FAKE_DOT)
    script.chmod(script.stat().st_mode | stat.S_IEXEC | stat.S_IXGRP | stat.S_IXOTH)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("AUTOGRAD_GRAPHVIZ_BACKEND", raising=False)
    return folder
