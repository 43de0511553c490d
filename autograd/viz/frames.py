"""The backward pass step by step: one picture per rule the engine runs.

Frame t shows the graph at step t of the engine's order (notes 003, Algorithm 3): the node
whose rule runs is drawn red, the contribution ∂J/∂input it sends labels each of its
input arrows, every gradient known so far is filled in (``grad ?`` where the pass has not
arrived yet), and a node that receives a second contribution (a shared node, ``x * x``)
gets a purple border while its ``grad`` shows the running sum.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..node import Node
from . import shape
from .dot import NBSP, Overlay, build, grad_text, node_fields
from .explain import definition, names_of, step_equations
from .files import write_atomic
from .graph import cluster_tree, groups, named_params, roles, walk
from .player import page
from .steps import record_backward
from .view import GraphView

#: The most graph nodes a step-through draws (one picture per step: keep it small).
FRAMES_MAX_NODES = 100


class Frame(GraphView):
    """One step of the backward pass: ``.node`` is the node whose rule runs, ``.step`` from 1."""

    def __init__(
        self, body: list[str], backend: str | None, caption: str, nodes: int, node: Node, step: int
    ) -> None:
        super().__init__(body, backend, caption, nodes)
        self.node = node
        self.step = step


def backward_frames(
    root: Node,
    *,
    gradient: Any = None,
    rankdir: str = "auto",
    model: Any = None,
    params: Any = None,
    max_nodes: int = FRAMES_MAX_NODES,
    digits: int = 4,
    backend: str | None = None,
) -> list[Frame]:
    """One picture per step of ``root.backward()``, in the order the engine runs them.

    Runs one real backward pass through the engine's ``on_step`` hook: afterwards every
    ``.grad`` is exactly what ``root.backward()`` would leave (leaves accumulate across
    passes, so zero them first to watch them fill from 0).

    Args:
        root: the output J.
        gradient: ∂J/∂root for a non-scalar `Tensor` root.
        rankdir, model, params, digits, backend: as for `draw_dot`.
        max_nodes: a graph with more nodes is refused (a ValueError), since every step
            is one picture; default 100.
    """
    nodes = walk(root)
    if len(nodes) > max_nodes:
        raise ValueError(
            f"backward_frames draws one picture per step and this graph has {len(nodes)} "
            f"nodes, more than max_nodes={max_nodes}: step through a smaller expression (one "
            "neuron, or one example through a network of a few units such as "
            "nn.MLP(2, [2, 1])), pass a larger max_nodes (one picture per step: slow beyond "
            "a few hundred), or use draw_dot for one picture"
        )
    names = named_params(model, params)
    role, group = roles(nodes, names), groups(nodes, names)
    tree = cluster_tree(group)
    label = names_of(nodes)
    index = {id(n): k for k, n in enumerate(nodes)}
    rec = record_backward(root, nodes, gradient)

    # Pad every grad text and arrow label to its widest, so the layout holds still.
    width = {len(nodes) - 1: len(grad_text(rec.seed, digits))}
    arrows = {}
    for s in rec.steps:
        for p in s.parts:
            width[p.j] = max(width.get(p.j, 1), len(grad_text(p.total, digits)))
            arrows[(s.k, p.i)] = len(grad_text(p.sent, digits)) + 2

    shape.check(rankdir)
    if rankdir == "auto":
        fields = [
            node_fields(n, "?".ljust(width.get(k, 1)), digits, label[k])
            for k, n in enumerate(nodes)
        ]
        rankdir = shape.choose(nodes, fields, None, rankdir)

    known = {len(nodes) - 1: grad_text(rec.seed, digits)}
    frames = []
    for t, s in enumerate(rec.steps, 1):
        edges, shared = {}, set()
        for p in s.parts:
            known[p.j] = grad_text(p.total, digits)
            edges[(s.k, p.i)] = grad_text(p.sent, digits)
            if p.nth > 1:
                shared.add(p.j)
        pad = {k: text.ljust(width.get(k, 1), NBSP) for k, text in known.items()}
        unknown = {k: "?".ljust(w, NBSP) for k, w in width.items() if k not in known}
        overlay = Overlay({**unknown, **pad}, s.k, edges, shared, arrows)
        eqs = step_equations(rec, s, label, index, digits=max(digits, 4))
        title = f"step {t} of {len(rec.steps)}: {label[s.k]} = "
        title += definition(s.k, nodes, label, index, digits)
        caption = "\n".join([title, *eqs])
        # The picture's own title is one short line (the equations are in .caption).
        body = build(
            nodes,
            role,
            group,
            tree,
            rankdir=rankdir,
            digits=digits,
            overlay=overlay,
            caption=title,
            names=label,
        )
        frames.append(Frame(body, backend, caption, len(nodes), nodes[s.k], t))
    return frames


def save_backward_html(
    root: Node, path: str | os.PathLike[str], *, title: str = "", **kwargs: Any
) -> Path:
    """Write one offline HTML page that plays the backward pass (previous / next / slider).

    Everything is inside the file (the SVG pictures, the script, the style): it opens in a
    browser with no network. Takes the keyword arguments of `backward_frames`, and runs
    one real backward pass as it does.
    """
    frames = backward_frames(root, **kwargs)
    if not frames:
        raise ValueError(
            "nothing to step through: the root has no op (it is a leaf), so backward runs "
            "no rule; build an expression first"
        )
    svgs = [f.svg() for f in frames]
    html = page(svgs, [f.caption for f in frames], title or "The backward pass, step by step")
    path = Path(path)
    write_atomic(path, html.encode("utf-8"))
    return path


__all__ = ["Frame", "backward_frames", "save_backward_html"]
