"""Renders can be stopped (Ctrl-C / a Jupyter interrupt), and a huge one warns first."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from autograd import Value, draw_dot
from autograd.viz import HugeRenderWarning
from autograd.viz import view as V

ROOT = Path(__file__).resolve().parents[2]

# Runs in its own process (SIGINT goes to it alone): a render that would take long is
# interrupted while the WebAssembly code runs, then the same process renders again.
SCRIPT = r"""
import os, signal, threading, time
from autograd.viz import render as R, wasm

R.render("digraph { a -> b }", "svg", "wasm")  # the engine is compiled and warm
# 3,000 nodes and 4,500 edges: seconds of layout (bigger graphs trap: out of stack)
edges = (f"n{i % 3000} -> n{(i * 7919 + 13) % 3000};" for i in range(4500))
big = "digraph {" + " ".join(edges) + "}"

def interrupt():
    while not any(t.name == "graphviz-wasm" for t in threading.enumerate()):
        time.sleep(0.01)
    time.sleep(0.3)  # well inside the layout
    os.kill(os.getpid(), signal.SIGINT)

threading.Thread(target=interrupt, daemon=True).start()
try:
    R.render(big, "svg", "wasm")
    print("finished")
except KeyboardInterrupt:
    print("interrupted")
    alive = [t for t in threading.enumerate() if t.name == "graphviz-wasm" and t.is_alive()]
    print("worker alive:", bool(alive))
    print("abandoned:", wasm._abandoned is not None)
out = R.render("digraph { c -> d }", "svg", "wasm").decode()
print("next render:", "<svg" in out and ">c<" in out)
"""


def test_ctrl_c_stops_a_wasm_render_and_the_process_renders_again():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == [
        "interrupted",
        "worker alive: False",  # the WebAssembly code itself stopped (within STOP_WAIT)
        "abandoned: False",
        "next render: True",
    ]


def chain(n: int) -> Value:
    x = Value(1.0, label="x")
    for _ in range(n):
        x = x * 1.001
    return x


def test_a_huge_render_warns_before_graphviz_starts(monkeypatch):
    started = []

    def fake_render(source, format="svg", backend=None):
        started.append(len(caught))
        return b"<svg/>"

    monkeypatch.setattr(V, "render", fake_render)
    view = draw_dot(chain(V.HUGE), max_nodes=None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        view.svg()
    assert started == [1]  # the warning came first
    assert issubclass(caught[0].category, HugeRenderWarning)
    assert f"drawing {V.HUGE + 1:,} graph nodes" in str(caught[0].message)
    assert "Ctrl-C" in str(caught[0].message) and "max_nodes=300" in str(caught[0].message)


def test_default_pictures_do_not_warn(monkeypatch):
    monkeypatch.setattr(V, "render", lambda *a, **k: b"<svg/>")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_dot(chain(50_000)).svg()  # cut to max_nodes
        draw_dot(chain(V.HUGE - 1), max_nodes=None).svg()


def test_a_huge_png_warns_too(monkeypatch, fake_dot, tmp_path):
    with pytest.warns(HugeRenderWarning):
        draw_dot(chain(V.HUGE), max_nodes=None).save(tmp_path / "g.png")


def test_a_jupyter_interrupt_stops_a_render_and_the_kernel_goes_on(monkeypatch):
    jupyter_client = pytest.importorskip("jupyter_client")
    pytest.importorskip("ipykernel")
    import os

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3")
    try:
        warm = "from autograd.viz import render as R; R.render('digraph { a -> b }', 'svg', 'wasm')"
        assert kc.execute_interactive(warm, timeout=300)["content"]["status"] == "ok"
        big = (
            "R.render('digraph {' + ' '.join(f'n{i % 3000} -> n{(i * 7919 + 13) % 3000};' "
            "for i in range(4500)) + '}', 'svg', 'wasm')"
        )
        msg_id = kc.execute(big, stop_on_error=False)  # the next cell is not aborted
        busy = False
        while not busy:  # the cell has started
            msg = kc.get_iopub_msg(timeout=60)
            busy = (
                msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input"
            )
        import time

        time.sleep(0.5)  # inside Graphviz's layout (seconds long)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt", reply["content"]
        after = kc.execute_interactive(
            "assert b'<svg' in R.render('digraph { c -> d }', 'svg', 'wasm')", timeout=60
        )
        assert after["content"]["status"] == "ok"  # the same kernel renders again
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
