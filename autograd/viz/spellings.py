"""graphviz's own spellings on a `GraphView`: ``render``, ``view``, ``pipe``, ``format``.

micrograd's ``draw_dot`` returns a ``graphviz.Digraph(format="svg")``, and the lecture calls
``dot.render("gout")`` (writing ``gout``, the DOT text, and ``gout.svg``) or ``dot.view()``.
The same calls work here with the same files and return values. What needs graphviz's own
machinery (other layout engines, renderers and formatters) is refused, naming
``.to_graphviz()``, which gives the real ``Digraph``.
"""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path
from typing import Any

from .files import write_atomic


class GraphvizSpellings:
    """The ``graphviz.Digraph`` methods that make sense for a picture made elsewhere."""

    #: graphviz's default file name; the output goes to ``<filename>.<format>``.
    filename = "Digraph.gv"
    engine = "dot"

    source: str
    format: str

    def _bytes(self, format: str) -> bytes:  # provided by GraphView
        raise NotImplementedError

    def pipe(
        self, format: str | None = None, *, engine: str | None = None, encoding: str | None = None
    ) -> bytes | str:
        """The rendered picture as bytes (text with ``encoding=``), as graphviz's ``pipe``."""
        _only_dot(engine, "pipe")
        data = self._bytes(format or self.format)
        return data.decode(encoding) if encoding else data

    def render(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        view: bool = False,
        cleanup: bool = False,
        format: str | None = None,
        renderer: str | None = None,
        formatter: str | None = None,
        quiet: bool = False,
        *,
        outfile: str | os.PathLike[str] | None = None,
        engine: str | None = None,
        raise_if_result_exists: bool = False,
    ) -> str:
        """Write the DOT text to ``filename`` and the picture to ``filename.format``.

        As ``graphviz.Digraph.render``: returns the picture's path; ``outfile="x.svg"``
        names the picture itself (its extension gives the format), ``cleanup=True`` removes
        the DOT file afterwards, ``view=True`` opens the picture (see `view`). Formats other
        than SVG and DOT need the system Graphviz.
        """
        _only_dot(engine, "render")
        if renderer is not None or formatter is not None:
            raise ValueError(
                "render: renderer= and formatter= choose graphviz's own plugins; use "
                ".to_graphviz().render(...) for them (it needs the system Graphviz)"
            )
        if outfile is not None:
            outfile = Path(outfile)
            if format is None:
                format = outfile.suffix.lstrip(".").lower() or self.format
            if filename is None:
                filename = outfile.with_suffix(".gv")
        folder = Path(directory) if directory is not None else None
        source_path = Path(filename if filename is not None else self.filename)
        if folder is not None:
            source_path = folder / source_path
        format = (format or self.format).lower()
        if outfile is not None:
            out = outfile if folder is None or outfile.is_absolute() else folder / outfile
        else:
            out = Path(f"{source_path}.{format}")
        if raise_if_result_exists and out.exists():
            raise FileExistsError(f"render: {str(out)!r} exists (raise_if_result_exists=True)")
        data = self._bytes(format)  # made first: a failed render writes nothing
        source_path.parent.mkdir(parents=True, exist_ok=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(source_path, self.source.encode("utf-8"))
        write_atomic(out, data)
        if cleanup:
            source_path.unlink()
        if view:
            _open(out)
        return str(out)

    def view(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        cleanup: bool = False,
        quiet: bool = False,
        quiet_view: bool = False,
    ) -> str:
        """Render (SVG unless ``.format`` says otherwise) and open it in the web browser.

        Raises:
            RuntimeError: no browser could be started (a server, a container); the picture
                is written all the same, and the message gives its path.
        """
        return self.render(filename, directory, view=True, cleanup=cleanup, quiet=quiet)

    def _repr_svg_(self) -> str:
        return self._bytes("svg").decode("utf-8")


def _only_dot(engine: str | None, what: str) -> None:
    if engine not in (None, "dot"):
        raise ValueError(
            f"{what}: the picture is laid out for Graphviz's dot engine, not {engine!r}; "
            "use .to_graphviz() for graphviz's other engines"
        )


def _open(path: Path) -> Any:
    if not webbrowser.open(path.resolve().as_uri()):
        raise RuntimeError(
            f"view: no web browser could be started here to show {str(path)!r} (the file is "
            "written); open it yourself, or display the view in Jupyter"
        )
    return path
