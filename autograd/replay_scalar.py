"""Replay of a `Value` graph: the nodes of one level and one op run as one numpy call.

Notes 003 §2 and §4 (vectorisation) applied to the recorded circuit: a node's level is
1 + the highest level of its inputs (leaves and constants are level 0), so the nodes of
one level depend only on lower levels and can run together. Every group of nodes with
the same level, op and number of inputs runs the op's own ``array`` forward on the
gathered inputs, and backward runs the op's own derivative rules on the same arrays
(Theorem 3.1 on whole levels at once). Gradients of shared inputs (a weight used by
every example) are summed by a sort done once at trace time (`np.add.reduceat`).

A chain of sums (``sum(...)``: s₁ = t₀ + t₁, s₂ = s₁ + t₂, ...) would take one level a
term; it runs instead as one accumulation of the op's ufunc (`_Chain`), the same
additions in the same order, at the level after its last term.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .rules import passthrough


class _Group:
    """Nodes of one level and one op: out[i] = op(x₀[i], x₁[i], ...), slots as index arrays."""

    __slots__ = ("idx", "m", "op", "out", "perm", "rules", "starts", "tgt", "uniq", "variadic")
    chain = False

    def __init__(self, op: Any, out: list[int], ins: list[int], needs: np.ndarray) -> None:
        self.op = op
        self.out = np.array(out, dtype=np.intp)
        self.m = len(out)
        # (inputs, nodes), from the inputs of every node one after the other
        self.idx = np.array(ins, dtype=np.intp).reshape(self.m, -1).T.copy()
        self.variadic = op.variadic
        # Rules only for the input positions that lead to a parameter.
        positions = [j for j in range(self.idx.shape[0]) if needs[self.idx[j]].any()]
        self.rules = [(j, op.grads[j]) for j in positions]
        tgt = self.idx[positions].ravel() if positions else np.empty(0, np.intp)
        self._plan(tgt)

    def _plan(self, tgt: np.ndarray) -> None:
        self.tgt = tgt
        self.uniq = self.perm = self.starts = None
        if len(np.unique(tgt)) != len(tgt):  # shared inputs: sum their shares first
            perm = np.argsort(tgt, kind="stable")
            ordered = tgt[perm]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            self.perm, self.starts, self.uniq = perm, starts, ordered[starts]


class _Chain(_Group):
    """Chains of a sum, s₁ = t₀ + t₁, s₂ = s₁ + t₂, ..., sₖ, all of length k and one level
    (after their last term): the op's ufunc accumulated along the chain gives every sᵢ,
    added in the recorded order, and as both rules pass g on (`rules.passthrough`), each
    term's share of ∂J/∂· is a sum of the sᵢ's gradients."""

    __slots__ = ()
    chain = True

    def __init__(self, op: Any, out: list[list[int]], terms: list[list[int]]) -> None:
        self.op = op
        self.out = np.array(out, dtype=np.intp).T.copy()  # (k, chains): s₁ … sₖ
        self.idx = np.array(terms, dtype=np.intp).T.copy()  # (k + 1, chains): t₀ … tₖ
        self.m = self.idx.shape[1]
        self.variadic = False
        self.rules = [(j, passthrough) for j in range(self.idx.shape[0])]
        self._plan(self.idx.ravel())


def _chains(op: Any) -> bool:
    """Whether a sum by ``op`` can run as an accumulation: a binary ufunc passing g on."""
    return (
        isinstance(op.array, np.ufunc)
        and op.array.nin == 2
        and not op.variadic
        and all(rule is passthrough for rule in op.grads)
    )


class ScalarProgram:
    """A recorded Value graph as groups of nodes that run together.

    Args:
        order: every node of the graph, inputs before outputs (leaves included).
        root: the node whose value is returned and from which gradients flow.
        args: the leaves made from the trace's arguments, in flattening order.
        outputs: nodes whose values each run returns too.
    """

    def __init__(self, order: list[Any], root: Any, args: list[Any], outputs: list[Any]) -> None:
        # Values hash by identity (no __eq__): the nodes themselves are the keys.
        slot: dict[Any, int] = {v: i for i, v in enumerate(order)}
        n = len(order)
        consts: dict[Any, int] = {}
        const_values: list[float] = []
        level: list[int] = []
        needs: list[bool] = []  # whether a node leads to a parameter
        arg_set = set(args)
        params, param_slots = [], []
        pending: dict[tuple[int, Any, int], tuple[list[int], list[int]]] = {}
        chainable: dict[Any, bool] = {}
        chain_at: dict[int, list] = {}  # slot of a chain's node -> [level, op, nodes, terms]
        growing: dict[int, list] = {}  # tail slot -> its chain, while nothing else read it
        chains: list[list] = []
        # Written for speed (it runs once per node of a graph of 10⁴–10⁵ nodes): one pass
        # finds slots, levels, chains of sums and which nodes need gradients; appends bound
        # once and each group's inputs kept as one flat list of ints, not a tuple a node
        # (micrograd's demo, 65,614 nodes, CPU-time medians of 8: 152 ms → 130 ms).
        level_append, needs_append = level.append, needs.append
        for i, v in enumerate(order):
            op = v.grad_fn
            if op is None:
                leaf_of_args = v in arg_set
                if not leaf_of_args:
                    params.append(v)
                    param_slots.append(i)
                level_append(0)
                needs_append(not leaf_of_args)
                continue
            ins = []
            lvl = 0
            need = False
            for x in v._inputs:
                if type(x) is float:
                    key = x if x else (x, math.copysign(1.0, x))  # 0.0 and -0.0 apart
                    s = consts.get(key)
                    if s is None:  # (nan is never found again: a slot of its own each)
                        s = consts[key] = n + len(const_values)
                        const_values.append(x)
                else:
                    s = slot[x]
                    lvl_s = level[s]
                    if lvl_s < 0:  # a node of a chain: read at the chain's level, which
                        chain = chain_at[s]  # may grow no more
                        lvl_s = chain[0]
                        if op is not chain[1] or growing.get(chain[2][-1]) is not chain:
                            growing.pop(chain[2][-1], None)
                    if lvl_s > lvl:
                        lvl = lvl_s
                    if needs[s]:
                        need = True
                ins.append(s)
            needs_append(need)
            can = chainable.get(op)
            if can is None:
                can = chainable[op] = _chains(op)
            if can and len(ins) == 2:
                a, b = ins
                chain = growing.pop(a, None)
                if chain is None or chain_at.get(b) is chain:
                    if chain is not None:
                        growing[a] = chain
                    chain = growing.pop(b, None)
                    if chain is not None and chain_at.get(a) is not chain:
                        a, b = b, a  # t + s = s + t exactly: the sum stays in order
                    elif chain is not None:
                        growing[b] = chain
                        chain = None
                if chain is None:  # a new chain: s₁ = a + b
                    chain = [lvl + 1, op, [], [a]]
                    chains.append(chain)
                    for t in (a, b):  # a chain read as a term grows no more
                        if t in chain_at:
                            growing.pop(chain_at[t][2][-1], None)
                else:
                    if b in chain_at:
                        growing.pop(chain_at[b][2][-1], None)
                    lvl_b = 0 if b >= n else level[b] if level[b] >= 0 else chain_at[b][0]
                    if lvl_b >= chain[0]:
                        chain[0] = lvl_b + 1
                chain[2].append(i)
                chain[3].append(b)
                chain_at[i] = growing[i] = chain
                level_append(-1)
                continue
            lvl += 1
            level_append(lvl)
            key = (lvl, op, len(ins))
            try:
                outs, inputs = pending[key]
            except KeyError:
                outs, inputs = pending[key] = ([], [])
            outs.append(i)
            inputs += ins
        size = n + len(const_values)
        needs_all = np.zeros(size, dtype=bool)
        needs_all[:n] = needs
        groups = [(k[0], _Group(k[1], *pending[k], needs_all)) for k in pending]
        by_shape: dict[tuple[int, Any, int], tuple[list, list]] = {}
        for lvl, op, nodes, terms in chains:
            for s in nodes:
                level[s] = lvl  # a chain runs at once: at the level of its last term
            outs, terms_of = by_shape.setdefault((lvl, op, len(nodes)), ([], []))
            outs.append(nodes)
            terms_of.append(terms)
        groups += [(k[0], _Chain(k[1], *by_shape[k])) for k in by_shape]
        groups.sort(key=lambda lg: lg[0])  # by level (stable: record order within)
        self.groups = [g for _, g in groups]
        self.levels = [lvl for lvl, _ in groups]
        self.node_level = level
        self.size = size
        self.vals = np.zeros(size)
        self.vals[n:] = const_values
        self.params = params
        self.param_slots = np.array(param_slots, dtype=np.intp)
        self.arg_slots = np.array([slot[v] for v in args], dtype=np.intp)
        self.root = slot[root]
        self.output_slots = np.array([slot[v] for v in outputs], dtype=np.intp)
        self.order = order

    def run(self, flat_args: np.ndarray) -> tuple[float, np.ndarray, list[float]]:
        """Forward and backward on the parameters' current data and ``flat_args``.

        Returns the root's value, the gradient of every parameter (in `params` order) and
        the outputs' values.
        """
        vals = self.vals
        params = self.params
        vals[self.param_slots] = np.fromiter((p.data for p in params), float, len(params))
        vals[self.arg_slots] = flat_args
        saved = []
        with np.errstate(all="ignore"):
            for grp in self.groups:
                X = vals[grp.idx]
                if grp.chain:
                    vals[grp.out] = grp.op.array.accumulate(X, axis=0)[1:]
                else:
                    vals[grp.out] = grp.op.array(*X)
                saved.append(X)
            grads = np.zeros(self.size)
            grads[self.root] = 1.0
            for grp, X in zip(reversed(self.groups), reversed(saved), strict=True):
                rules = grp.rules
                if not rules:
                    continue
                if grp.chain:
                    # sᵢ passes its gradient to sᵢ₋₁ and tᵢ: tⱼ's share is the sum of the
                    # gradients sⱼ … sₖ received from outside the chain.
                    R = np.add.accumulate(grads[grp.out][::-1], axis=0)[::-1]
                    share = np.concatenate([R[:1], R]).ravel()
                    if grp.uniq is None:
                        grads[grp.tgt] += share
                    else:
                        grads[grp.uniq] += np.add.reduceat(share[grp.perm], grp.starts)
                    continue
                g = grads[grp.out]
                out = vals[grp.out]
                parts = []
                for _, rule in rules:
                    if rule is passthrough:  # its share is g itself: no call needed
                        parts.append(g)
                        continue
                    gi = rule(g, out, tuple(X)) if grp.variadic else rule(g, out, *X)
                    if type(gi) is not np.ndarray or gi.shape != g.shape:
                        gi = np.broadcast_to(gi, g.shape)  # a rule that ignores g's shape
                    parts.append(gi)
                share = parts[0] if len(parts) == 1 else np.concatenate(parts)
                if grp.uniq is None:
                    grads[grp.tgt] += share
                else:
                    grads[grp.uniq] += np.add.reduceat(share[grp.perm], grp.starts)
        outputs = vals[self.output_slots].tolist()
        return float(vals[self.root]), grads[self.param_slots], outputs

    def values(self) -> np.ndarray:
        """The value of every node of `order` at the last run."""
        return self.vals[: len(self.order)]
