"""Saved pictures and pages: the mode a plain open() gives (the umask), written atomically."""

from __future__ import annotations

import os
import stat

import pytest

from autograd import Value, draw_dot, save_backward_html
from autograd.viz import files
from autograd.viz import view as V


@pytest.fixture
def umask():
    """Set a umask for one test and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def plain_open_mode(path, mask: int) -> int:
    """What open(path, "w") gives under the umask ``mask``."""
    os.umask(mask)
    with open(path, "w") as f:
        f.write("x")
    return mode(path)


def neuron():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    return (a * b).tanh()


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
@pytest.mark.parametrize("name", ["graph.svg", "graph.dot", "graph.gv"])
def test_saved_pictures_get_the_mode_of_a_plain_open(tmp_path, umask, mask, name):
    expected = plain_open_mode(tmp_path / f"plain{name}", mask)
    umask(mask)
    path = draw_dot(neuron(), backend="wasm").save(tmp_path / name)
    assert mode(path) == expected == 0o666 & ~mask


@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_the_html_player_gets_the_mode_of_a_plain_open(tmp_path, umask, mask):
    expected = plain_open_mode(tmp_path / "plain.html", mask)
    umask(mask)
    path = save_backward_html(neuron(), tmp_path / "backward.html", backend="wasm")
    assert mode(path) == expected


def test_replacing_a_file_keeps_its_mode_as_open_does(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "graph.dot"
    target.write_text("old")
    target.chmod(0o640)
    draw_dot(neuron()).save(target)
    assert mode(target) == 0o640
    assert target.read_text(encoding="utf-8").startswith("digraph {")


def test_the_umask_is_read_without_changing_it(umask):
    umask(0o027)
    assert files.current_umask() == 0o027
    assert os.umask(0o027) == 0o027  # still set


def test_a_failed_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "graph.dot"
    target.write_text("old")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        draw_dot(neuron()).save(target)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.dot"]


def test_save_writes_through_one_rename(tmp_path, monkeypatch):
    renames = []
    real = os.replace

    def spy(src, dst):
        renames.append((os.path.basename(src), os.path.basename(dst)))
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    draw_dot(neuron()).save(tmp_path / "graph.dot")
    [(src, dst)] = renames
    assert dst == "graph.dot" and src.startswith(".graph.dot.")
    assert V.write_atomic is files.write_atomic
