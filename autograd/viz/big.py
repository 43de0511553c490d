"""Big graphs: what to draw when a graph has more nodes than ``max_nodes``.

Graphviz needs seconds for a few hundred nodes and minutes (or forever) for 10⁵, so
`draw_dot` never hands it more than ``max_nodes`` graph nodes. Beyond the limit, with
``overflow="collapse"`` (the default), the first of these that fits is drawn:

1. with a model (``model=``), each module (a neuron, a layer) as one box
   (``layers.0.neurons.3 · 503 nodes``), the rest as it is;
2. the same, and the loss's own repeated structure folded (`autograd.viz.fold`): a sum of
   alike terms (the per-example losses, a weight penalty's Σ p²) as one labelled box, and
   leaves that feed the same boxes as one box;
3. the same with coarser modules (one box per layer instead of per neuron);
4. the ``max_nodes`` nodes nearest the output (breadth-first from the root); a small
   ``⋯`` beside a node marks inputs left out.

A line under the picture says what was folded or left out. With ``overflow="error"`` a
ValueError says how to get a picture instead. Choosing costs O(N): micrograd's 65,614-node
demo loss is planned in well under a second.
"""

from __future__ import annotations

from collections import deque

from ..node import Node
from .dot import Layout
from .fold import Folding, fold_leaves, fold_sums
from .graph import INPUT, PARAM, natural_key

DEFAULT_MAX_NODES = 300
OVERFLOW = ("collapse", "error")
#: The most arrows a folded picture may have before modules fold coarser (readability).
MAX_ARROWS = 150


def plan(
    nodes: list[Node],
    group: list[str | None],
    tree: dict[str, str],
    max_nodes: int | None,
    overflow: str,
    role: list[str] | None = None,
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
    role = role or [INPUT] * n
    params = {k for k, r in enumerate(role) if r == PARAM}
    levels = _module_levels(group, tree)
    for level in levels:
        folding = Folding(nodes, _module_boxes(group, level))
        fold_sums(folding, params)
        fold_leaves(folding, role, bool(params))
        # Box-to-box arrows can still be a tangle (16 x 16 neurons: 256): then coarser.
        if folding.drawn() <= max_nodes and folding.arrows() <= MAX_ARROWS:
            return _layout(folding, group, level, max_nodes), {}
    layout = _nearest_root(nodes, max_nodes)
    return layout, _keep(tree, group, layout.shown)


def _module_levels(group: list[str | None], tree: dict[str, str]) -> list[dict[str, str]]:
    """Module key -> box key, finest first: each module, then each enclosing cluster."""
    keys = sorted({g for g in group if g}, key=natural_key)
    levels = [{k: k for k in keys}]
    while True:
        last = levels[-1]
        up = {k: tree.get(b) or _container(b) for k, b in last.items()}
        if up == last:
            return levels
        levels.append(up)


def _container(key: str) -> str:
    """The module that holds a list's item: ``layers.2.neurons.0`` -> ``layers.2``."""
    parts = key.split(".")
    return ".".join(parts[:-2]) if len(parts) > 2 and parts[-1].isdigit() else key


def _module_boxes(group: list[str | None], level: dict[str, str]) -> dict[int, str]:
    boxes = sorted(set(level.values()), key=natural_key)
    pid = {b: f"g{i}" for i, b in enumerate(boxes)}
    return {k: pid[level[g]] for k, g in enumerate(group) if g}


def _layout(folding: Folding, group: list[str | None], level: dict[str, str], limit: int) -> Layout:
    boxes = sorted(set(level.values()), key=natural_key)
    size = dict.fromkeys(boxes, 0)
    for g in group:
        if g:
            size[level[g]] += 1
    proxies = [(f"g{i}", f"{b}\n{size[b]:,} nodes") for i, b in enumerate(boxes)]
    proxies += folding.labels
    shown = set(range(len(folding.nodes))) - set(folding.box)
    what = []
    if boxes:
        what.append(
            "each module" if level and all(k == v for k, v in level.items()) else "each layer"
        )
    if folding.labels:
        what.append("sums of alike terms; leaves they share")
    note = (
        f"{len(folding.nodes):,} nodes, folded into boxes: {'; '.join(what) or 'nothing'}\n"
        f"(max_nodes={limit}; max_nodes=None draws every node)"
    )
    return Layout(shown, dict(folding.box), proxies, note)


def _per_module(group: list[str | None], max_nodes: int) -> Layout | None:
    keys = sorted({g for g in group if g}, key=natural_key)
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
