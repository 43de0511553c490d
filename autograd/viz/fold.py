"""Folding a big graph's repeated structure into labelled boxes (used by `autograd.viz.big`).

A loss over a data set is a sum of one term per example, and a weight penalty a sum of
one term per parameter: ``Σ`` chains of hundreds of additions, each adding the output of
a subgraph built the same way. `fold_sums` finds such sums (a connected run of at least
``MIN_TERMS`` additions, each used once), gives each term the nodes only it uses (its
cone), and folds a sum whose terms are alike (same ops, same shape of graph) into one
box, "Σ of 100 terms relu(· * c + c)". `fold_leaves` puts leaves that feed the same boxes
into one box ("337 parameters"). Both cost O(N).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from ..node import Node
from .graph import PARAM, is_data_slot

#: The fewest additions a sum has for its terms to fold.
MIN_TERMS = 8
_INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "matmul": "@"}
_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "matmul": 2, "pow": 3}


class Folding:
    """The boxes chosen so far: ``box[k]`` is the box id of hidden node k."""

    def __init__(self, nodes: list[Node], hidden: dict[int, str]) -> None:
        self.nodes = nodes
        self.index = {id(n): k for k, n in enumerate(nodes)}
        self.inputs = [[self.index[id(x)] for x in n._inputs if isinstance(x, Node)] for n in nodes]
        self.consumers: list[list[int]] = [[] for _ in nodes]
        for k, ins in enumerate(self.inputs):
            for j in ins:
                self.consumers[j].append(k)
        self.box: dict[int, str] = dict(hidden)
        self.labels: list[tuple[str, str]] = []

    def add_box(self, members: list[int], label: str, prefix: str) -> None:
        pid = f"{prefix}{len(self.labels)}"
        for k in members:
            self.box[k] = pid
        self.labels.append((pid, f"{label}\n{len(members):,} nodes"))

    def arrows(self) -> int:
        """The arrows drawn between boxes and nodes (one per pair, as `build` draws them)."""
        pairs = set()
        for k, ins in enumerate(self.inputs):
            dst = self.box.get(k, k)
            for j in ins:
                src = self.box.get(j, j)
                if src != dst:
                    pairs.add((src, dst))
        return len(pairs)

    def drawn(self) -> int:
        """Graph nodes drawn plus boxes: what ``max_nodes`` bounds."""
        return len(self.nodes) - len(self.box) + len({*self.box.values()})


def _is_add(node: Node) -> bool:
    return node.grad_fn is not None and node.grad_fn.name == "add"


def _signatures(f: Folding) -> list[int]:
    """A hash of each node's graph shape (ops and wiring, not numbers), bottom up."""
    sig = [0] * len(f.nodes)
    for k, node in enumerate(f.nodes):
        if node.grad_fn is None:
            sig[k] = hash(("leaf", np.shape(node.data)))
        else:
            sig[k] = hash((node.grad_fn.name, tuple(sig[j] for j in f.inputs[k])))
    return sig


def fold_sums(f: Folding, params: set[int]) -> None:
    """Fold each long sum whose terms are alike (see the module) into one box."""
    n = len(f.nodes)
    owner: list[int] = [-1] * n  # the term (a node index) whose cone holds k
    in_sum = [False] * n
    sums: list[tuple[list[int], list[int]]] = []  # (additions, terms)
    for k in range(n - 1, -1, -1):  # every consumer before its inputs
        if k in f.box:
            continue
        if owner[k] < 0:
            heads = {owner[c] for c in f.consumers[k]}
            if f.consumers[k] and len(heads) == 1 and -1 not in heads:
                owner[k] = heads.pop()
                continue
        if owner[k] >= 0 or in_sum[k] or not _is_add(f.nodes[k]):
            continue
        adds, terms = _sum_at(f, k)
        if len(adds) < MIN_TERMS:
            continue
        for a in adds:
            in_sum[a] = True
        for t in terms:
            if owner[t] < 0 and not in_sum[t] and t not in f.box:
                owner[t] = t
        sums.append((adds, terms))
    if not sums:
        return
    cones: dict[int, list[int]] = defaultdict(list)
    for k in range(n):
        if owner[k] >= 0:
            cones[owner[k]].append(k)
    sig = _signatures(f)
    for adds, terms in sums:
        own = [t for t in terms if owner[t] == t]
        if len(own) != len(terms) or len({sig[t] for t in own}) != 1:
            f.add_box(adds, f"Σ of {len(terms):,} terms", "s")
            _fold_classes(f, own, cones, sig, owner)
            continue
        members = adds + [k for t in own for k in cones[t]]
        inside = set(members)
        leaves = {j for k in members for j in f.inputs[k] if j not in inside}
        what = "regulariser (parameters only): " if leaves and leaves <= params else ""
        label = f"{what}Σ of {len(terms):,} terms {_formula(f, own[0], owner)}"
        f.add_box(members, label, "s")


def _fold_classes(
    f: Folding, terms: list[int], cones: dict[int, list[int]], sig: list[int], owner: list[int]
) -> None:
    """Terms of mixed shapes: one box per shape that two or more terms share."""
    count = Counter(sig[t] for t in terms)
    for s, times in count.items():
        if times < 2:
            continue
        alike = [t for t in terms if sig[t] == s]
        members = [k for t in alike for k in cones[t]]
        f.add_box(members, f"{times:,} terms {_formula(f, alike[0], owner)}", "s")


def _sum_at(f: Folding, top: int) -> tuple[list[int], list[int]]:
    """The additions of the sum whose last addition is ``top``, and the terms it adds."""
    adds, terms, stack = [], [], [top]
    while stack:
        k = stack.pop()
        adds.append(k)
        for j in f.inputs[k]:
            if _is_add(f.nodes[j]) and len(f.consumers[j]) == 1 and j not in f.box:
                stack.append(j)
            else:
                terms.append(j)
    return adds, terms


def _formula(f: Folding, k: int, owner: list[int], depth: int = 0) -> str:
    """A term in a few symbols: ``relu(c + c * ·)`` (· an input from outside, c a constant)."""
    node = f.nodes[k]
    op = node.grad_fn
    args = []
    for i, x in enumerate(node._inputs):
        if isinstance(x, Node):
            j = f.index[id(x)]
            if owner[j] != owner[k] or f.nodes[j].grad_fn is None:
                args.append("·")
            elif depth >= 2:
                args.append("…")
            else:
                inner = _formula(f, j, owner, depth + 1)
                tighter = _PRECEDENCE.get(f.nodes[j].grad_fn.name, 9)
                wrap = op.name in _INFIX and tighter < _PRECEDENCE[op.name]
                args.append(f"({inner})" if wrap else inner)
        elif is_data_slot(op, i):
            args.append("c")
    if op.name in _INFIX and len(args) == 2:
        return f"{args[0]} {_INFIX[op.name]} {args[1]}"
    return f"{op.name}({', '.join(args)})"


def fold_leaves(f: Folding, role: list[str], named: bool) -> None:
    """Leaves drawn beside boxes: those that feed the same boxes share one box.

    ``named``: parameters were given, so a leaf that is not one is an input.
    """
    by_target: dict[tuple, list[int]] = defaultdict(list)
    for k, node in enumerate(f.nodes):
        if node.grad_fn is not None or k in f.box or not f.consumers[k]:
            continue
        targets = {f.box.get(c) for c in f.consumers[k]}
        if None in targets:
            continue  # it feeds a drawn node: drawn beside it
        by_target[(tuple(sorted(targets)), role[k] == PARAM)].append(k)
    for (_, is_param), leaves in by_target.items():
        if len(leaves) >= 2:
            kind = "parameters" if is_param else "inputs" if named else "leaves"
            f.add_box(leaves, f"{len(leaves):,} {kind}", "l")
