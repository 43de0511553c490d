"""The backward core shared by `Value` and `Tensor`: the reference engine.

Theorem 3.1 of the CS229 deep-learning notes says that the gradient of a circuit of size N
costs O(N). This module is that proof in code: the forward pass records, in every node,
the op that made it (``grad_fn``) and its inputs (``_inputs``); `backward` orders the
nodes once (`topological_order`, an explicit stack, so a chain of a million nodes needs
no recursion) and runs each node's derivative rules exactly once, from the root back to
the leaves (`_sweep`), each input's share of ∂J/∂node added into its ``.grad``.

Whether ops record at all is this thread's grad mode (`autograd.modes`: `no_grad`). It
knows no node type: a node gives it its data (``_data``), its gradient (``grad``,
``_accumulate``), the rule of each input (``_vjp``) and, optionally, a faster way to do
the same for its own type (the one hook, ``_fast_path``, see `backward`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from . import saved
from .modes import grad_mode, set_grad_enabled
from .op import NODE_TYPES

#: One backward pass at a time: passes through shared leaves (the weights of a model that
#: several threads train) add into the same ``.grad``, and a failed pass puts the leaves'
#: gradients back. Reentrant, so that a step hook may run a pass of its own. (Python
#: code runs one thread at a time anyway: this costs no parallelism.)
backward_lock = threading.RLock()


# The order and the backward pass. ---------------------------------------------------


def walk(root: Any, everything: bool = False) -> list[Any]:
    """Every node `root` depends on, itself included, inputs before outputs.

    Iterative depth-first search: each node is pushed twice, once to be expanded (its
    inputs pushed above it) and once, under a ``None`` marker, to be emitted after them.

    Args:
        root: the node to start from.
        everything: False (backward's order): only nodes that need a gradient, the last
            input expanded first. True (pictures): every node, data tensors too, the first
            input expanded first, so that node k of a picture is the same every time.
    """
    order: list[Any] = []
    seen: set[Any] = set()  # nodes hash by identity: the set holds them, no id() needed
    stack: list[Any] = [root]
    push, pop, emit = stack.append, stack.pop, order.append
    while stack:
        node = pop()
        if node is None:  # the marker: the node below it has all its inputs emitted
            emit(pop())
            continue
        if node in seen:
            continue
        seen.add(node)
        push(node)
        push(None)
        inputs = node._inputs
        for x in reversed(inputs) if everything else inputs:
            if x.__class__ in NODE_TYPES and (everything or x.requires_grad) and x not in seen:
                push(x)
    return order


def topological_order(root: Any) -> list[Any]:
    """Every node `root` depends on that needs a gradient, inputs before outputs."""
    return walk(root)


Step = Callable[[Any, int, Any, Any], None]


def backward(
    root: Any,
    gradient: Any = None,
    create_graph: bool = False,
    on_step: Step | None = None,
    retain_graph: bool | None = None,
) -> list[Any]:
    """Backpropagate from `root`; returns the nodes in the order their rules ran.

    Leaves accumulate across calls (zero them between steps); intermediate nodes are
    cleared first, so they always show exactly one pass. ``on_step(node, i, g, gi)``, if
    given, is called for every rule application: node's rule for input ``i`` turned the
    upstream ``g`` into ``gi`` (step-through pictures and transcripts use it).
    ``retain_graph=False`` releases the graph afterwards (see `Node.backward`).

    The fast path: a node type may set ``_fast_path`` to an object with ``order(root)``
    and ``sweep(root, order, seed)`` that do what `topological_order` and `_sweep` do,
    with the same order and bit for bit the same gradients, faster for its own nodes
    (`Value`: `autograd.value_fast`). It is used when nothing but the gradients is asked
    (no ``create_graph``, no ``on_step``, no anomaly mode).
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward() needs a root that requires grad: this node has no graph "
            "(its inputs had requires_grad=False, or it was made under no_grad())"
        )
    if create_graph and retain_graph is False:
        raise ValueError(
            "backward(create_graph=True, retain_graph=False): the recorded backward pass "
            "uses the forward graph, so it cannot be released; leave retain_graph out"
        )
    if grad_mode.anomaly:
        on_step = _with_anomaly_check(on_step)
    fast = root._fast_path if not create_graph and on_step is None else None
    seed = root._seed(gradient, create_graph)
    with backward_lock:
        order = fast.order(root) if fast is not None else topological_order(root)
        leaves = []
        empty = root._empty_grad  # one graph holds one node type
        for node in order:
            if node.grad_fn is not None:
                node.grad = empty
            else:
                leaves.append((node, node.grad))
        try:
            if fast is not None:
                ran = fast.sweep(root, order, seed)
            else:
                ran = _sweep(root, order, seed, create_graph, on_step)
        except BaseException:
            # A pass that fails (anomaly, changed data, Ctrl-C) leaves no half-summed
            # gradients.
            for node, grad in leaves:
                node.grad = grad
            raise
        for node in ran:
            node._release_saved()
            if retain_graph is False:
                node._release_graph()
    return ran


def _sweep(
    root: Any, order: list[Any], seed: Any, create_graph: bool, on_step: Step | None
) -> list[Any]:
    """Theorem 3.1's backward sweep: each node's rules once, outputs before inputs."""
    ran: list[Any] = []
    # Rules applied to data record nothing; applied to nodes (create_graph) they must.
    recording = set_grad_enabled(True) if create_graph else contextlib.nullcontext()
    with recording, np.errstate(all="ignore"):
        root._accumulate(seed)
        for node in reversed(order):
            if node.grad_fn is None:  # a leaf: nothing to pass on
                continue
            ran.append(node)
            apply_rules(node, create_graph, on_step)
    return ran


def apply_rules(node: Any, create_graph: bool = False, on_step: Step | None = None) -> None:
    """One step of the sweep: each input of ``node`` gets its share of ``node.grad``.

    micrograd's ``node._backward()`` (the lecture's backpropagation by hand) is this call.
    """
    g = node.grad
    raw = node._inputs
    if create_graph:  # rules applied to nodes record the backward pass too
        out, inputs = node, raw
    else:  # the rules read plain numbers: the slots, not the ``data`` properties
        out = node._data
        inputs = tuple([x._data if x.__class__ in NODE_TYPES else x for x in raw])
    if node._stamp != saved.begun:  # assigned since it was made: check its inputs
        saved.check(node)  # (after the data is read: see `autograd.saved`)
    for i, x in enumerate(raw):
        if x.__class__ in NODE_TYPES and x.requires_grad:
            gi = node._vjp(i, g, out, inputs)  # g · ∂out/∂input i (chain rule 3.3)
            if on_step is not None:
                on_step(node, i, g, gi)
            x._accumulate(gi, gi is g)


def _with_anomaly_check(on_step: Step | None) -> Step:
    from .anomaly import check_backward

    def step(node: Any, i: int, g: Any, gi: Any) -> None:
        check_backward(node, i, g, gi)
        if on_step is not None:
            on_step(node, i, g, gi)

    return step
