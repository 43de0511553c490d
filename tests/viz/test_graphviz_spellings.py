"""graphviz's spellings on draw_dot's GraphView: render, view, pipe, format, _repr_svg_."""

from __future__ import annotations

import webbrowser
import xml.etree.ElementTree as ET

import pytest

from autograd import Value, draw_dot
from autograd.viz import GraphvizError


def picture():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    J = (a * b).tanh()
    J.backward()
    return draw_dot(J, backend="wasm")


def test_render_writes_the_dot_file_and_the_svg_as_graphviz_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    view = picture()
    assert view.format == "svg"
    out = view.render("gout")  # the lecture's call
    assert out == "gout.svg"
    assert (tmp_path / "gout").read_text(encoding="utf-8") == view.source
    ET.fromstring((tmp_path / "gout.svg").read_text(encoding="utf-8"))
    assert view.render() == "Digraph.gv.svg"  # graphviz's default name
    assert (tmp_path / "Digraph.gv").exists()


def test_render_with_directory_format_cleanup_and_outfile(tmp_path):
    view = picture()
    out = view.render("g", directory=tmp_path / "pics", format="dot", cleanup=True)
    assert out == str(tmp_path / "pics" / "g.dot")
    assert not (tmp_path / "pics" / "g").exists()  # cleanup removed the DOT source
    assert (tmp_path / "pics" / "g.dot").read_text(encoding="utf-8") == view.source
    out = view.render(outfile=tmp_path / "named.svg")
    assert out == str(tmp_path / "named.svg") and (tmp_path / "named.gv").exists()
    with pytest.raises(FileExistsError):
        view.render(outfile=tmp_path / "named.svg", raise_if_result_exists=True)


def test_render_refuses_what_needs_graphvizs_own_machinery(tmp_path, no_system_dot):
    view = picture()
    with pytest.raises(ValueError, match="to_graphviz"):
        view.render(tmp_path / "g", engine="neato")
    with pytest.raises(ValueError, match="to_graphviz"):
        view.render(tmp_path / "g", renderer="cairo")
    with pytest.raises(GraphvizError, match="svg only"):
        view.render(tmp_path / "g", format="pdf")
    assert list(tmp_path.iterdir()) == [no_system_dot]  # nothing written by a failed call


def test_pipe_and_repr_svg(no_system_dot):
    view = picture()
    assert view.pipe().startswith(b"<?xml") or view.pipe().lstrip().startswith(b"<svg")
    assert view.pipe(format="dot", encoding="utf-8") == view.source
    assert view._repr_svg_() == view.svg()
    view.format = "dot"
    assert view.pipe() == view.source.encode("utf-8")


def test_view_opens_the_picture_in_the_browser(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    out = picture().view(tmp_path / "v")
    assert out == str(tmp_path / "v.svg")
    assert opened == [(tmp_path / "v.svg").resolve().as_uri()]


def test_view_without_a_browser_says_where_the_file_is(tmp_path, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    with pytest.raises(RuntimeError, match="no web browser") as info:
        picture().view(tmp_path / "v")
    assert str(tmp_path / "v.svg") in str(info.value)
    assert (tmp_path / "v.svg").exists()
