"""One real backward pass, recorded step by step through the engine's ``on_step`` hook.

Step-through pictures and the chain-rule transcript both read this record, so they show
the engine's own order and the engine's own numbers. Recording runs
`autograd.engine.backward` once: afterwards every ``.grad`` is what ``root.backward()``
would leave (leaves accumulate across passes, as always: zero them first for a fresh
picture).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine import backward
from ..node import Node


def snapshot(g: Any) -> Any:
    """A copy of a gradient that later passes cannot change."""
    if isinstance(g, Node):
        g = g.data
    if isinstance(g, np.ndarray):
        return g.copy()
    return g


@dataclass
class Part:
    """Node ``k``'s rule for input ``i`` (node ``j``) sent ``sent`` = ∂J/∂k · ∂k/∂j.

    ``total`` is node ``j``'s grad right after adding it; ``nth`` counts the contributions
    ``j`` has received so far (2 or more: accumulation at a shared node).
    """

    i: int
    j: int
    sent: Any
    total: Any = None
    nth: int = 1


@dataclass
class Step:
    """Node ``k``'s rule ran with upstream gradient ``g`` = ∂J/∂k."""

    k: int
    g: Any
    parts: list[Part] = field(default_factory=list)


@dataclass
class Record:
    nodes: list[Node]
    steps: list[Step]
    seed: Any
    prior: dict[int, Any] = field(default_factory=dict)  # leaves with a grad before the pass


def record_backward(root: Node, nodes: list[Node], gradient: Any = None) -> Record:
    """Run the engine's backward from ``root`` and keep every rule application.

    Args:
        root: the output J.
        nodes: the walk of the graph (`autograd.viz.graph.walk`), which gives the indices.
        gradient: ∂J/∂root for a non-scalar root (as ``backward``'s).
    """
    index = {id(n): k for k, n in enumerate(nodes)}
    prior = {k: snapshot(n.grad) for k, n in enumerate(nodes) if n.grad_fn is None and _nonzero(n)}
    steps: list[Step] = []
    count: dict[int, int] = {}
    pending: list[tuple[Part, Node]] = []

    def settle() -> None:
        # The engine adds gi to the input right after on_step returns: read it at the next call.
        if pending:
            part, target = pending.pop()
            part.total = snapshot(target.grad)

    def on_step(node: Node, i: int, g: Any, gi: Any) -> None:
        settle()
        k = index[id(node)]
        if not steps or steps[-1].k != k:
            steps.append(Step(k, snapshot(g)))
        x = node._inputs[i]
        j = index[id(x)]
        count[j] = count.get(j, 0) + 1
        part = Part(i, j, snapshot(gi), nth=count[j])
        steps[-1].parts.append(part)
        pending.append((part, x))

    ran = backward(root, gradient, on_step=on_step)
    settle()
    # A rule with no input to send to (all inputs constant) calls no hook: keep its step.
    if len(ran) != len(steps):
        by_k = {s.k: s for s in steps}
        steps = [by_k.get(index[id(n)]) or Step(index[id(n)], snapshot(n.grad)) for n in ran]
    return Record(nodes, steps, snapshot(root.grad), prior)


def _nonzero(node: Node) -> bool:
    g = node.grad
    if g is None or not getattr(node, "requires_grad", True):
        return False
    if isinstance(g, Node):
        g = g.data
    return bool(np.any(np.asarray(g) != 0))
