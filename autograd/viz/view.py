"""`GraphView`: DOT text with ways to show it (SVG, a file, Jupyter), and `draw_dot`."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import Any

from ..node import Node
from . import big, shape
from .dot import build, node_fields
from .files import write_atomic
from .graph import cluster_tree, groups, named_params, roles, walk
from .render import BACKENDS, GraphvizError, render, resolve_backend
from .spellings import GraphvizSpellings

#: File extensions `GraphView.save` knows, and the Graphviz format of each.
FORMATS = {".svg": "svg", ".dot": "dot", ".gv": "dot", ".png": "png", ".pdf": "pdf"}


#: Drawn nodes beyond which a render warns before it starts (layout time grows fast).
HUGE = 2_000
_NODE = re.compile(r"^\t+n\d+ \[label=")  # a graph node's record (not its op)


class HugeRenderWarning(UserWarning):
    """A picture so big that Graphviz may take minutes (a render can be stopped by Ctrl-C)."""


class GraphView(GraphvizSpellings):
    """A picture of a graph: ``.source`` (DOT), ``.svg()``, ``.save(path)``, Jupyter display.

    graphviz's spellings work too (``.render("gout")``, ``.view()``, ``.pipe()``,
    ``.format``, ``_repr_svg_``; see `autograd.viz.spellings`).

    Args:
        body: the DOT statements, one per line (as ``graphviz.Digraph(body=...)`` takes them).
        backend: the renderer (``"system"``, ``"wasm"``, ``"auto"``; None: the environment
            variable ``AUTOGRAD_GRAPHVIZ_BACKEND``, else auto).
        caption: a line of text about the picture (a step-through frame's step).
        nodes: how many graph nodes the picture stands for.
    """

    def __init__(
        self, body: list[str], backend: str | None = None, caption: str = "", nodes: int = 0
    ) -> None:
        self.body = list(body)
        self.backend = backend
        self.caption = caption
        self.nodes = nodes
        self.format = "svg"  # graphviz's attribute: what render() and pipe() make
        if backend is not None and backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}; got {backend!r}")
        self._svg: dict[str, str] = {}

    @property
    def source(self) -> str:
        """The DOT text; the same graph gives the same text, byte for byte."""
        return "digraph {\n" + "".join(line + "\n" for line in self.body) + "}\n"

    def svg(self) -> str:
        """The picture as SVG text (rendered once, then cached)."""
        which = resolve_backend(self.backend)
        if which not in self._svg:
            self.warn_if_huge()
            self._svg[which] = render(self.source, "svg", which).decode("utf-8")
        return self._svg[which]

    def warn_if_huge(self) -> None:
        """A `HugeRenderWarning` before Graphviz starts on more than `HUGE` graph nodes."""
        drawn = sum(1 for line in self.body if _NODE.match(line))
        if drawn > HUGE:
            warnings.warn(
                f"drawing {drawn:,} graph nodes: Graphviz may take minutes on this (Ctrl-C stops "
                f"it); draw_dot's default max_nodes={big.DEFAULT_MAX_NODES} draws an overview",
                HugeRenderWarning,
                stacklevel=3,
            )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the picture; the format comes from the extension (.svg .dot .gv .png .pdf).

        ``.png`` and ``.pdf`` need the system Graphviz (the in-process one makes SVG only).
        The file is written only once the picture is made, so a failed call leaves it as
        it was.
        """
        path = Path(path)
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise ValueError(
                f"save: cannot tell the format of {str(path)!r} from its extension; use one "
                f"of {', '.join(FORMATS)}"
            )
        write_atomic(path, self._bytes(fmt))
        return path

    def _bytes(self, format: str) -> bytes:
        """The picture as a file of ``format`` holds it (DOT text, SVG, or the system's)."""
        if format in ("dot", "gv"):
            return self.source.encode("utf-8")
        if format == "svg":
            return self.svg().encode("utf-8")
        self.warn_if_huge()
        return render(self.source, format, self.backend)

    def to_graphviz(self) -> Any:
        """The same graph as a ``graphviz.Digraph`` (its ``.source`` equals ours)."""
        import graphviz

        return graphviz.Digraph(body=[line + "\n" for line in self.body])

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """Jupyter's display: the SVG, shrunk to the cell's width when wider; never raises.

        ``.natural_size()`` shows it unscaled, in a box that scrolls.
        """
        bundle = {"text/plain": repr(self)}
        try:
            bundle["image/svg+xml"] = fit_width(self.svg())
        except Exception as e:  # a notebook cell must still show something
            bundle["text/plain"] += f"\n(no picture: {e})"
        return bundle

    def natural_size(self) -> NaturalSize:
        """For Jupyter: the picture at its natural size, in a box that scrolls."""
        return NaturalSize(self)

    def __repr__(self) -> str:
        caption = f", {self.caption!r}" if self.caption else ""
        return f"<GraphView of {self.nodes} nodes{caption}: .svg(), .save(path), .source>"


_SVG_TAG = re.compile(r"<svg\b")


def fit_width(svg: str) -> str:
    """The SVG made to shrink to its container's width (and never grow past its own)."""
    return _SVG_TAG.sub('<svg style="max-width:100%;height:auto"', svg, count=1)


class NaturalSize:
    """A `GraphView` shown unscaled in Jupyter, scrolling inside its cell."""

    def __init__(self, view: GraphView) -> None:
        self.view = view

    def _repr_html_(self) -> str:
        svg = re.sub(r"^.*?(?=<svg\b)", "", self.view.svg(), count=1, flags=re.S)
        return f'<div style="overflow:auto;max-height:80vh">{svg}</div>'

    def __repr__(self) -> str:
        return f"<natural size of {self.view!r}>"


def draw_dot(
    root: Node,
    rankdir: str = "auto",
    *,
    model: Any = None,
    params: Any = None,
    max_nodes: int | None = big.DEFAULT_MAX_NODES,
    overflow: str = "collapse",
    digits: int = 4,
    backend: str | None = None,
) -> GraphView:
    """Draw the graph that computed ``root``: one record per node, one small node per op.

    A `Value` shows its label, data and grad (micrograd's look); a `Tensor` its shape,
    dtype and a preview of small arrays (the norm ‖·‖ of larger ones). Colours: inputs and
    constants blue, parameters green, the output (the loss J) amber.

    Args:
        root: the output node, usually the loss J.
        rankdir: ``"LR"`` (inputs left, J right), ``"TB"`` (inputs on top), or ``"auto"``
            (the default): ``"LR"`` when the picture fits a notebook cell (~980 px) that
            way, else the narrower of the two (`autograd.viz.shape`).
        model: an ``nn`` module (anything with ``named_parameters()``): its parameters are
            coloured as such and each module's nodes are drawn in a box (a cluster per
            neuron or layer).
        params: instead of ``model``, a dict name -> parameter node (or a list of nodes).
        max_nodes: the most graph nodes drawn (default 300); None draws every node (a
            render of more than 2,000 warns first; Ctrl-C stops it).
        overflow: beyond ``max_nodes``, ``"collapse"`` (an overview: each module, each
            sum of alike terms such as the per-example losses or a weight penalty, and
            the leaves they share folded into labelled boxes; the nodes nearest ``root``
            when even that is too big; see `autograd.viz.big`) or ``"error"`` (a
            ValueError saying how to get a picture).
        digits: digits after the point in numbers.
        backend: the renderer for ``.svg()`` and ``.save()`` (see `GraphView`).
    """
    shape.check(rankdir)
    if model is not None and params is not None:
        raise TypeError("draw_dot takes model= or params=, not both")
    nodes = walk(root)
    names = named_params(model, params)
    group = groups(nodes, names)
    role = roles(nodes, names)
    layout, tree = big.plan(nodes, group, cluster_tree(group), max_nodes, overflow, role)
    # Parameters without a label show their name inside their module ("w.0", "W").
    short = None
    if names:
        short = [_short_name(names.get(id(n), ""), g) for n, g in zip(nodes, group, strict=True)]
    if rankdir == "auto":
        fields = [
            node_fields(n, None, digits, short[k] if short else "")
            if layout.shown is None or k in layout.shown
            else []
            for k, n in enumerate(nodes)
        ]
        boxes = [label for _, label in layout.proxies]
        rankdir = shape.choose(nodes, fields, layout.shown, rankdir, boxes)
    body = build(
        nodes,
        role,
        group,
        tree,
        rankdir=rankdir,
        digits=digits,
        layout=layout,
        names=short,
    )
    return GraphView(body, backend, nodes=len(nodes))


def _short_name(name: str, group: str | None) -> str:
    return name[len(group) + 1 :] if group and name.startswith(group + ".") else name


__all__ = ["GraphView", "GraphvizError", "HugeRenderWarning", "draw_dot"]
