"""The picture's direction by its shape: left to right while that fits a notebook cell.

Graphviz lays each op one rank further from the inputs, so a left-to-right (``"LR"``)
picture is as wide as the graph is deep: the README's 13-node neuron is ~3,400 px wide,
three screens of a Jupyter cell (~980 px). Top to bottom (``"TB"``) it is as wide as the
graph's broadest rank, and scrolls down instead. ``rankdir="auto"`` estimates both widths
from the labels (Helvetica 10 pt, about 5.2 pt a character) and keeps ``"LR"``
(micrograd's look) when it fits, else takes the narrower one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..node import Node
from .graph import constant_inputs

#: The width (pt) a picture may have and still fit a notebook cell at natural size.
CELL_PT = 735.0  # 980 px, a Jupyter cell
_CHAR, _PAD, _RANKSEP, _NODESEP, _OP, _CONST = 5.2, 16.0, 36.0, 18.0, 40.0, 90.0
RANKDIRS = ("auto", "LR", "TB", "RL", "BT")


def check(rankdir: str) -> None:
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'auto', 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")


def _record_width(fields: list[str], across: bool) -> float:
    widths = [len(f) * _CHAR + _PAD for f in fields]
    return sum(widths) if across else max(widths)


def choose(
    nodes: list[Node],
    fields: list[list[str]],
    shown: set[int] | None,
    rankdir: str,
    boxes: Sequence[str] = (),
) -> str:
    """``rankdir`` itself, or for ``"auto"`` the direction that fits (see the module)."""
    if rankdir != "auto":
        return rankdir
    width_lr, width_tb = widths(nodes, fields, shown)
    # Folded boxes (big.py) mostly follow one another (inputs, layer 1, layer 2, ...):
    # counted as one rank each across, as one row down.
    box = [max(len(line) for line in label.split("\n")) * _CHAR + _PAD for label in boxes]
    width_lr += sum(box) + _RANKSEP * len(box)
    width_tb = max(width_tb, max(box, default=0.0))
    return "LR" if width_lr <= CELL_PT or width_lr <= width_tb else "TB"


def widths(
    nodes: list[Node], fields: list[list[str]], shown: set[int] | None
) -> tuple[float, float]:
    """The estimated widths (pt) of the picture drawn left to right, and top to bottom."""
    index = {id(n): k for k, n in enumerate(nodes)}
    drawn = [k for k in range(len(nodes)) if shown is None or k in shown]
    inputs = {k: [index[id(x)] for x in nodes[k]._inputs if isinstance(x, Node)] for k in drawn}
    # Ranks as dot assigns them: each op one rank past its inputs (its node one more), a
    # leaf just before the first op that reads it (dot keeps edges short).
    level = [0] * len(nodes)
    for k in drawn:
        if nodes[k].grad_fn is not None:
            level[k] = 2 + max((level[j] for j in inputs[k]), default=0)
    first_use: dict[int, int] = {}
    for k in drawn:
        for j in inputs[k]:
            first_use[j] = min(first_use.get(j, level[k]), level[k])
    lr: dict[int, float] = {}  # rank -> its widest node (LR: ranks side by side)
    tb: dict[int, float] = {}  # rank -> its nodes' widths added up (TB: a rank is a row)
    for k in drawn:
        node = nodes[k]
        if node.grad_fn is None:
            level[k] = max(first_use.get(k, 2) - 2, 0)
        else:
            op = level[k] - 1
            lr[op] = max(lr.get(op, 0.0), _OP)
            tb[op] = tb.get(op, 0.0) + _OP + _NODESEP
            for _, c in constant_inputs(node):  # a constant's box sits beside the op's inputs
                w = _CONST if np.ndim(c) else len(f"{float(c):g}") * _CHAR + _PAD
                lr[op - 1] = max(lr.get(op - 1, 0.0), w)
                tb[op - 1] = tb.get(op - 1, 0.0) + w + _NODESEP
        w_lr = _record_width(fields[k], across=isinstance(node.data, float))
        w_tb = _record_width(fields[k], across=False)  # a TB record stacks its fields
        lr[level[k]] = max(lr.get(level[k], 0.0), w_lr)
        tb[level[k]] = tb.get(level[k], 0.0) + w_tb + _NODESEP
    return sum(lr.values()) + _RANKSEP * len(lr), max(tb.values(), default=0.0)
