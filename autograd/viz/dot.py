"""DOT text for a computation graph: records for nodes, small nodes for ops and constants.

Ids follow the walk order (``n0``, ``n0_op``, ``n0_c1``, ``g0`` for a collapsed group,
``more`` for the summary of hidden nodes), never ``id()``, so the same graph always gives
the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..node import Node
from .graph import (
    INNER,
    INPUT,
    OUTPUT,
    PARAM,
    constant_inputs,
    natural_key,
    num,
    op_options,
    preview,
)

FILL = {INPUT: "#dbeafe", PARAM: "#dcfce7", OUTPUT: "#fde68a", INNER: "#ffffff"}
OP_FILL, CONST_FILL, GROUP_FILL = "#f3f4f6", "#eff6ff", "#e5e7eb"
ACTIVE, ACTIVE_FILL, SHARED = "#dc2626", "#fecaca", "#7c3aed"
NBSP = "\u00a0"  # Graphviz keeps it (it trims plain spaces): fixed-width blank labels


@dataclass
class Overlay:
    """What a step-through frame adds to a picture.

    Attributes:
        grads: node index -> grad text known at this step (other nodes show ``grad ?``).
        active: index of the node whose rule runs (drawn red), or None.
        edges: (node index, input position) -> the contribution ∂J/∂input sent along it.
        shared: nodes that just received a second (or later) contribution.
        widths: (node index, input position) -> the room kept for that arrow's label.
    """

    grads: dict[int, str] = field(default_factory=dict)
    active: int | None = None
    edges: dict[tuple[int, int], str] = field(default_factory=dict)
    shared: set[int] = field(default_factory=set)
    widths: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass
class Layout:
    """Which nodes are drawn: all, or some, the rest folded into group boxes or left out.

    A hidden node in ``proxy`` is drawn as its group's box; any other hidden input of a
    drawn node is marked by a small ``⋯`` beside it (one long edge per hidden input would
    make Graphviz's layout slow, even endless, on big graphs).
    """

    shown: set[int] | None = None  # None: every node
    proxy: dict[int, str] = field(default_factory=dict)  # hidden node -> group box id
    proxies: list[tuple[str, str]] = field(default_factory=list)  # (id, label), in order
    note: str = ""  # a line under the picture saying what was left out


def quote(text: str) -> str:
    """A DOT string (backslash sequences in ``text`` are escaped, lines joined by \\n)."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", "\\n") + '"'


class Raw(str):
    """DOT text that goes into an attribute as it is (already quoted)."""


def record(fields: list[str], flip: bool = True) -> Raw:
    """A record label ``{ a | data 2.0 | grad 0.0 }`` with its special characters escaped.

    ``flip`` turns the fields across the rank direction (side by side in an LR graph).
    """
    out = []
    for f in fields:
        f = f.replace("\\", "\\\\")
        for ch in '{}|<>"':
            f = f.replace(ch, "\\" + ch)
        out.append(f)
    body = " | ".join(out)
    return Raw(f'"{{ {body} }}"' if flip else f'"{body}"')


def attrs(**kw: Any) -> str:
    parts = []
    for key, value in kw.items():
        if value is None:
            continue
        text = value if isinstance(value, Raw) else quote(str(value))
        parts.append(f"{key}={text}")
    return "[" + " ".join(parts) + "]"


def grad_text(g: Any, digits: int = 4) -> str:
    """A gradient as a record shows it: a number, a small array, or an array's norm."""
    if g is None:
        return "none"
    if isinstance(g, Node):  # create_graph=True: the gradient is itself a node
        g = g.data
    if isinstance(g, float):
        return num(g, digits)
    return preview(g, digits - 1)


def node_fields(node: Node, grad: str | None, digits: int = 4, name: str = "") -> list[str]:
    """The record of a node: its label (or ``name``), data and grad (a Tensor's shape too)."""
    label = [node.label or name] if node.label or name else []
    grad = grad_text(node.grad, digits) if grad is None else grad
    if isinstance(node.data, float):
        return [*label, f"data {num(node.data, digits)}", f"grad {grad}"]
    data = np.asarray(node.data)
    shape = f"{tuple(data.shape) if data.ndim else 'scalar'} {data.dtype}"
    return [*label, shape, f"data {preview(data, digits - 1)}", f"grad {grad}"]


def constant_label(x: Any) -> str:
    if isinstance(x, np.ndarray) and x.ndim:
        return f"const {tuple(x.shape)}\n{preview(x)}"
    return f"{float(np.asarray(x)):g}"


def build(
    nodes: list[Node],
    role: list[str],
    group: list[str | None],
    tree: dict[str, str],
    *,
    rankdir: str = "LR",
    digits: int = 4,
    layout: Layout | None = None,
    overlay: Overlay | None = None,
    caption: str = "",
    names: list[str] | None = None,
) -> list[str]:
    """The body lines of the DOT text (as ``graphviz.Digraph(body=...)`` takes them)."""
    layout = layout or Layout()
    index = {id(n): k for k, n in enumerate(nodes)}
    shown = layout.shown

    def is_shown(k: int) -> bool:
        return shown is None or k in shown

    head = ["\tgraph " + attrs(rankdir=rankdir, fontname="Helvetica", fontsize=12)]
    caption = caption or layout.note
    if caption:
        head.append("\tgraph " + attrs(label=caption, labelloc="t", labeljust="l"))
    head.append("\tnode " + attrs(fontname="Helvetica", fontsize=10))
    head.append("\tedge " + attrs(fontname="Helvetica", fontsize=9, color="#4b5563"))

    members: dict[str, list[str]] = {key: [] for key in tree}
    top: list[str] = []
    edges: list[str] = []
    seen_edges: set[tuple[str, str]] = set()

    def edge(src: str, dst: str) -> None:
        if src == dst or (src, dst) in seen_edges:
            return
        seen_edges.add((src, dst))
        edges.append(f"\t{src} -> {dst}")

    for k, node in enumerate(nodes):
        if not is_shown(k):
            dst = layout.proxy.get(k)
            if dst is None:
                continue
            for x in node._inputs:
                if isinstance(x, Node):
                    j = index[id(x)]
                    edge(f"n{j}" if is_shown(j) else layout.proxy.get(j, dst), dst)
            continue
        name = names[k] if names else ""
        stmts = _node_stmts(k, node, role[k], digits, overlay, name, rankdir)
        members.get(group[k], top).extend(stmts)
        if node.grad_fn is None:
            continue
        op_id = f"n{k}_op"
        edge(op_id, f"n{k}")
        for i, _ in constant_inputs(node):
            edge(f"n{k}_c{i}", op_id)
        for i, x in enumerate(node._inputs):
            if not isinstance(x, Node):
                continue
            j = index[id(x)]
            if not is_shown(j):
                src = layout.proxy.get(j)
                if src is None:
                    src = f"n{k}_more"
                    if (src, op_id) not in seen_edges:
                        top.append(
                            f"\t{src} "
                            + attrs(
                                label="⋯", shape="plaintext", tooltip="inputs not drawn (max_nodes)"
                            )
                        )
                edge(src, op_id)
                continue
            line = f"\tn{j} -> {op_id}"  # one arrow per use: x * x draws two
            if overlay is not None:
                line += " " + _edge_style(overlay, (k, i))
            edges.append(line)

    for pid, label in layout.proxies:
        top.append(
            f"\t{pid} " + attrs(label=label, shape="box3d", style="filled", fillcolor=GROUP_FILL)
        )
    return head + _clusters(tree, members) + top + edges


def _edge_style(overlay: Overlay, key: tuple[int, int]) -> str:
    # Every arrow of a frame keeps room for its label, so the layout holds still.
    width = overlay.widths.get(key, 0)
    sent = overlay.edges.get(key)
    if sent is None:
        return attrs(label=NBSP * width) if width else ""
    text = f"← {sent}".ljust(width, NBSP)
    return attrs(color=ACTIVE, fontcolor=ACTIVE, penwidth=2, label=text)


def _node_stmts(
    k: int, node: Node, role: str, digits: int, overlay: Overlay | None, name: str, rankdir: str
) -> list[str]:
    grad = None
    style: dict[str, Any] = {}
    if overlay is not None:
        grad = overlay.grads.get(k, "?" if getattr(node, "requires_grad", True) else "none")
        if k == overlay.active:
            style = {"color": ACTIVE, "penwidth": 3}
        elif k in overlay.shared:
            style = {"color": SHARED, "penwidth": 3}
    # A Value reads across, as micrograd draws it; a Tensor's longer fields stack up.
    across = isinstance(node.data, float) or rankdir in ("TB", "BT")
    label = record(node_fields(node, grad, digits, name), flip=across)
    out = [
        f"\tn{k} "
        + attrs(label=label, shape="record", style="filled", fillcolor=FILL[role], **style)
    ]
    if node.grad_fn is None:
        return out
    op = node.grad_fn
    options = op_options(node)
    op_label = op.symbol + (f"\n{options}" if options else "")
    active = overlay is not None and k == overlay.active
    out.append(
        f"\tn{k}_op "
        + attrs(
            label=op_label,
            shape="ellipse",
            style="filled",
            fillcolor=ACTIVE_FILL if active else OP_FILL,
            color=ACTIVE if active else None,
            tooltip=op.name,
        )
    )
    for i, x in constant_inputs(node):
        out.append(
            f"\tn{k}_c{i} "
            + attrs(
                label=constant_label(x),
                shape="box",
                style="rounded,filled",
                fillcolor=CONST_FILL,
                fontsize=9,
            )
        )
    return out


def _clusters(tree: dict[str, str], members: dict[str, list[str]]) -> list[str]:
    """Nested ``subgraph cluster_i`` blocks, numbered in sorted path order."""
    number = {key: i for i, key in enumerate(sorted(tree, key=natural_key))}
    children: dict[str, list[str]] = {}
    for key in sorted(tree, key=natural_key):
        children.setdefault(tree[key], []).append(key)
    out: list[str] = []
    stack: list[tuple[str, int, bool]] = [(k, 1, False) for k in reversed(children.get("", []))]
    while stack:
        key, depth, closing = stack.pop()
        pad = "\t" * depth
        if closing:
            out.append(pad + "}")
            continue
        parent = tree[key]
        name = key[len(parent) + 1 :] if parent else key
        out.append(f"{pad}subgraph cluster_{number[key]} {{")
        out.append(f"{pad}\tgraph " + attrs(label=name, style="rounded,dashed", color="#94a3b8"))
        out.extend("\t" * depth + line for line in members.get(key, []))
        stack.append((key, depth, True))
        stack.extend((c, depth + 1, False) for c in reversed(children.get(key, [])))
    return out
