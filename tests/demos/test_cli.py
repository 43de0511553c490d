"""The command line: ``python -m demos`` and ``python -m demos.<name>`` with their options."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from demos import DEMOS
from demos._common import out_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", [*DEMOS, "tour"])
def test_every_demo_has_a_main_and_the_common_options(name, capsys):
    module = importlib.import_module(f"demos.{name}")
    with pytest.raises(SystemExit) as exit_:
        module.main(["--help"])
    assert exit_.value.code == 0
    help_text = capsys.readouterr().out
    for option in ("--out", "--fast", "--seed"):
        assert option in help_text
    assert module.__doc__ and module.main.__doc__


def test_python_dash_m_runs_a_demo_and_the_tour_help(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "demos.backprop_by_hand", "--fast", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "largest difference between the recipe by hand and the engine" in run.stdout
    tour = subprocess.run(
        [sys.executable, "-m", "demos", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert tour.returncode == 0 and "python -m demos" in tour.stdout
    assert "default: demo-output" in tour.stdout


def test_out_must_be_a_folder(tmp_path):
    file = tmp_path / "a_file"
    file.write_text("x")
    with pytest.raises(ValueError, match="is a file"):
        out_dir(file)
    assert out_dir(tmp_path / "new" / "folder").is_dir()
