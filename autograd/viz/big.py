"""Big graphs: what to draw when a graph has more nodes than ``max_nodes``.

Graphviz needs seconds for a few hundred nodes and minutes (or forever) for 10⁵, so
`draw_dot` never hands it more than ``max_nodes`` graph nodes. Beyond the limit, with
``overflow="collapse"`` (the default):

1. when a model is given (``model=``), each module group becomes one box
   (``layers.0 · 1,204 nodes``), if that brings the count under the limit;
2. otherwise the ``max_nodes`` nodes nearest the output are drawn (breadth-first from the
   root); a small ``⋯`` beside a node marks inputs left out, and a line under the picture
   says how many nodes it shows.

With ``overflow="error"`` a ValueError says how to get a picture instead. Choosing
costs O(N), so a graph of 10⁵ nodes returns at once.
"""

from __future__ import annotations

from collections import deque

from ..node import Node
from .dot import Layout

DEFAULT_MAX_NODES = 300
OVERFLOW = ("collapse", "error")


def plan(
    nodes: list[Node],
    group: list[str | None],
    tree: dict[str, str],
    max_nodes: int | None,
    overflow: str,
) -> tuple[Layout, dict[str, str]]:
    """The layout to draw and the clusters left in it."""
    if overflow not in OVERFLOW:
        raise ValueError(f"overflow must be 'collapse' or 'error', got {overflow!r}")
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"max_nodes must be a positive int or None, got {max_nodes!r}")
    n = len(nodes)
    if max_nodes is None or n <= max_nodes:
        return Layout(), tree
    if overflow == "error":
        raise ValueError(
            f"the graph has {n:,} nodes, more than max_nodes={max_nodes}: pass "
            "overflow='collapse' to draw the part nearest the output (and model= to fold "
            "each module into one box), a larger max_nodes, or max_nodes=None to draw every "
            "node (Graphviz may take minutes)"
        )
    by_module = _per_module(group, max_nodes)
    if by_module is not None:
        return by_module, {}
    layout = _nearest_root(nodes, max_nodes)
    return layout, _keep(tree, group, layout.shown)


def _per_module(group: list[str | None], max_nodes: int) -> Layout | None:
    keys = sorted({g for g in group if g})
    loose = sum(1 for g in group if g is None)
    if not keys or loose + len(keys) > max_nodes:
        return None
    pid = {key: f"g{i}" for i, key in enumerate(keys)}
    size = dict.fromkeys(keys, 0)
    for g in group:
        if g:
            size[g] += 1
    proxy = {k: pid[g] for k, g in enumerate(group) if g}
    shown = {k for k, g in enumerate(group) if g is None}
    proxies = [(pid[key], f"{key}\n{size[key]:,} nodes") for key in keys]
    note = f"{len(group):,} nodes, each module folded into one box (max_nodes={max_nodes})"
    return Layout(shown, proxy, proxies, note)


def _nearest_root(nodes: list[Node], max_nodes: int) -> Layout:
    index = {id(n): k for k, n in enumerate(nodes)}
    root = len(nodes) - 1
    shown = {root}
    queue = deque([root])
    while queue and len(shown) < max_nodes:
        for x in nodes[queue.popleft()]._inputs:
            if isinstance(x, Node):
                j = index[id(x)]
                if j not in shown:
                    shown.add(j)
                    queue.append(j)
                    if len(shown) == max_nodes:
                        break
    note = (
        f"the {len(shown):,} nodes nearest the output, of {len(nodes):,}; ⋯ marks inputs left "
        f"out (max_nodes={max_nodes}; max_nodes=None draws all)"
    )
    return Layout(shown, note=note)


def _keep(tree: dict[str, str], group: list[str | None], shown: set[int] | None) -> dict[str, str]:
    """The clusters that still hold a drawn node, with their enclosing clusters."""
    used = {g for k, g in enumerate(group) if g and (shown is None or k in shown)}
    keep = set()
    for key in used:
        while key and key not in keep:
            keep.add(key)
            key = tree.get(key, "")
    return {key: parent for key, parent in tree.items() if key in keep}
