"""The backward core shared by `Value` and `Tensor`.

Theorem 3.1 of the CS229 deep-learning notes says that the gradient of a circuit of size N
costs O(N). This module is that proof in code: the forward pass records, in every node,
the op that made it (``grad_fn``) and its inputs; `backward` orders the nodes once (an
explicit stack, so a chain of a million nodes needs no recursion) and runs each node's
local rule exactly once, from the root back to the leaves.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from . import saved
from .node import Node
from .rules import passthrough

# Grad mode and anomaly mode: per thread, as in PyTorch. --------------------------------


class _Modes(threading.local):
    """This thread's modes: a new thread starts with grad mode on and anomaly mode off."""

    def __init__(self) -> None:
        self.enabled = True
        self.anomaly = False  # `detect_anomaly()` checks every result for NaN and inf


grad_mode = _Modes()

#: The threads whose modes are not the defaults (in `no_grad`, or in anomaly mode). The
#: node types' fast paths test only that this set is empty, a global read ten times
#: cheaper than a thread-local one; when it is not, they read this thread's modes. A
#: thread joins the set before its modes change and leaves it after they are restored
#: (only a thread itself changes its membership, and ``set.add`` / ``discard`` are atomic
#: under the GIL), so an empty set means every thread records, without anomaly checks.
departed: set[int] = set()


@contextlib.contextmanager
def switch_modes(enabled: bool | None = None, anomaly: bool | None = None) -> Iterator[None]:
    """Set this thread's grad mode and/or anomaly mode inside a ``with`` block."""
    mode = grad_mode
    before = (mode.enabled, mode.anomaly)
    me = threading.get_ident()
    try:  # every change inside the try: Ctrl-C at any point is undone by the finally
        after = (
            before[0] if enabled is None else bool(enabled),
            before[1] if anomaly is None else bool(anomaly),
        )
        if after != (True, False):
            departed.add(me)
        mode.enabled, mode.anomaly = after
        yield
    finally:
        mode.enabled, mode.anomaly = before
        if before == (True, False):
            departed.discard(me)


def is_grad_enabled() -> bool:
    """Whether ops record a graph now in this thread (False inside `no_grad`)."""
    return grad_mode.enabled


def set_grad_enabled(enabled: bool) -> contextlib.AbstractContextManager[None]:
    """Turn graph recording on or off in this thread inside a ``with`` block."""
    return switch_modes(enabled=enabled)


def no_grad() -> contextlib.AbstractContextManager[None]:
    """``with no_grad():`` runs ops without recording a graph (evaluation, updates), in
    this thread only: other threads go on recording."""
    return switch_modes(enabled=False)


#: One backward pass at a time: passes through shared leaves (the weights of a model that
#: several threads train) add into the same ``.grad``, and a failed pass puts the leaves'
#: gradients back. Reentrant, so that a step hook may run a pass of its own. (Python
#: threads take turns under the GIL anyway: this costs no parallelism.)
backward_lock = threading.RLock()


# Traversal and the backward pass ----------------------------------------------------


def topological_order(root: Node) -> list[Node]:
    """Every node `root` depends on that needs a gradient, inputs before outputs.

    Iterative depth-first search: each node is pushed twice, once to be expanded (its
    inputs pushed above it) and once, under a ``None`` marker, to be emitted after them.
    """
    if root._float_grads:
        return _float_order(root)
    order: list[Node] = []
    # Written for speed: nodes hash by identity, so the set holds them directly (no id()),
    # and the list methods are bound once.
    seen: set[Node] = set()
    stack: list[Node | None] = [root]
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
        for x in node._inputs:
            if isinstance(x, Node) and x.requires_grad and x not in seen:
                push(x)
    return order


def _float_order(root: Node) -> list[Node]:
    """`topological_order` of a `Value` graph: the same order, found faster.

    It reads a Value's inputs from its slots (``_a``, ``_b``: see `Value`) instead of
    building the ``_inputs`` tuple; every input that is not a float constant is a Value,
    and every Value needs a gradient. A node whose inputs were all seen is emitted at once
    (an input seen before is already emitted: the graph has no cycles), skipping the
    marker's two pushes and pops.
    """
    from .value import MANY

    order: list[Node] = []
    seen: set[Node] = set()
    stack: list[Node | None] = [root]
    push, pop, emit, add = stack.append, stack.pop, order.append, seen.add
    while stack:
        node = pop()
        if node is None:
            emit(pop())
            continue
        if node in seen:
            continue
        add(node)
        a, b = node._a, node._b
        if b is None:  # a leaf, or one input (a Value)
            if a is None or a in seen:
                emit(node)
            else:
                push(node)
                push(None)
                push(a)
        elif b is MANY:
            push(node)
            push(None)
            n = len(stack)
            for x in a:
                if type(x) is not float and x not in seen:
                    push(x)
            if len(stack) == n:  # nothing new: take the node and its marker back
                pop()
                emit(pop())
        else:  # two inputs, each a Value or a float constant
            new_a = type(a) is not float and a not in seen
            new_b = type(b) is not float and b not in seen
            if new_b:
                # b would be expanded next; when it has two inputs, both seen (a product
                # of a weight and an activation, typically), it is emitted now, unpushed.
                c, d = b._a, b._b
                if (
                    d is not None
                    and d is not MANY
                    and (type(c) is float or c in seen)
                    and (type(d) is float or d in seen)
                ):
                    add(b)
                    emit(b)
                    new_b = False
            if new_a or new_b:
                push(node)
                push(None)
                if new_a:
                    push(a)
                if new_b:
                    push(b)
            else:
                emit(node)
    return order


Step = Callable[[Node, int, Any, Any], None]


def backward(
    root: Node,
    gradient: Any = None,
    create_graph: bool = False,
    on_step: Step | None = None,
) -> list[Node]:
    """Backpropagate from `root`; returns the nodes in the order their rules ran.

    Leaves accumulate across calls (zero them between steps); intermediate nodes are
    cleared first, so they always show exactly one pass. ``on_step(node, i, g, gi)``, if
    given, is called for every rule application: node's rule for input ``i`` turned the
    upstream ``g`` into ``gi`` (step-through pictures and transcripts use it).
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward() needs a root that requires grad: this node has no graph "
            "(its inputs had requires_grad=False, or it was made under no_grad())"
        )
    if grad_mode.anomaly:
        on_step = _with_anomaly_check(on_step)
    seed = root._seed(gradient, create_graph)
    with backward_lock:
        order = topological_order(root)
        leaves = []
        empty = root._empty_grad  # one graph holds one node type
        for node in order:
            if node.grad_fn is not None:
                node.grad = empty
            else:
                leaves.append((node, node.grad))
        try:
            if root._float_grads and not create_graph and on_step is None:
                return _run_float_rules(root, order, seed)
            ran = _run_rules(root, order, seed, create_graph, on_step)
        except BaseException:
            # A pass that fails (anomaly, changed data, Ctrl-C) leaves no half-summed
            # gradients.
            for node, grad in leaves:
                node.grad = grad
            raise
        for node in ran:
            node._release_saved()
    return ran


def _run_rules(
    root: Node, order: list[Node], seed: Any, create_graph: bool, on_step: Step | None
) -> list[Node]:
    """Theorem 3.1's backward sweep: each node's rule once, outputs before inputs."""
    ran: list[Node] = []
    # Rules applied to data record nothing; applied to nodes (create_graph) they must.
    recording = set_grad_enabled(True) if create_graph else contextlib.nullcontext()
    with recording, np.errstate(all="ignore"):
        root._accumulate(seed)
        for node in reversed(order):
            fn = node.grad_fn
            if fn is None:
                continue
            g = node.grad
            ran.append(node)
            raw = node._inputs
            if create_graph:  # rules applied to nodes record the backward pass too
                out, inputs = node, raw
            else:
                # The slots, not the ``data`` properties: this runs for every node.
                out = node._data
                inputs = tuple([x._data if isinstance(x, Node) else x for x in raw])
            if node._stamp != saved.begun:  # assigned since it was made: check its inputs
                saved.check(node)  # (after the data is read: see `autograd.saved`)
            for i, x in enumerate(raw):
                if isinstance(x, Node) and x.requires_grad:
                    gi = node._vjp(i, g, out, inputs)
                    if on_step is not None:
                        on_step(node, i, g, gi)
                    x._accumulate(gi, gi is g)
    return ran


def _run_float_rules(root: Node, order: list[Node], seed: float) -> list[Node]:
    """`_run_rules` for nodes whose data and gradients are Python floats (`Value`).

    Written for speed, it is the same sweep with the node hooks inlined: the inputs are
    read from the node's slots (see `Value`), each rule is called directly with positional
    arguments and its float added to the input's ``grad``; only a rule that raises on float
    arithmetic (x/0) goes through `Node._vjp`, which answers as IEEE does. The check that
    no data was assigned since the forward pass (`saved.check`) is one comparison per
    node: a node stamped with the current epoch has no input assigned after it was made,
    and an input made by an op whose data was assigned (stamp CHANGED) is caught when its
    own rule's turn comes.
    """
    from .value import MANY

    ran: list[Node] = []
    emit = ran.append
    with np.errstate(all="ignore"):
        root._accumulate(seed)
        for node in reversed(order):
            fn = node.grad_fn
            if fn is None:
                continue
            emit(node)
            g, out, a, b = node.grad, node._data, node._a, node._b
            if b is None:  # one input, a Value
                x = a._data
                try:
                    a.grad += fn.grads[0](g, out, x)
                except ArithmeticError:
                    a.grad += node._vjp(0, g, out, (x,))
            elif b is MANY:
                _many_inputs(node, g, out, a)
            elif type(a) is float:  # a constant and a Value (2 * x)
                y = b._data
                try:
                    b.grad += fn.grads[1](g, out, a, y)
                except ArithmeticError:
                    b.grad += node._vjp(1, g, out, (a, y))
            elif type(b) is float:  # a Value and a constant (x * 2)
                x = a._data
                try:
                    a.grad += fn.grads[0](g, out, x, b)
                except ArithmeticError:
                    a.grad += node._vjp(0, g, out, (x, b))
            else:  # two Values
                rule_a, rule_b = fn.grads
                if rule_a is passthrough and rule_b is passthrough:  # a sum: no call needed
                    a.grad += g
                    b.grad += g
                else:
                    x, y = a._data, b._data
                    try:
                        a.grad += rule_a(g, out, x, y)
                    except ArithmeticError:
                        a.grad += node._vjp(0, g, out, (x, y))
                    try:
                        b.grad += rule_b(g, out, x, y)
                    except ArithmeticError:
                        b.grad += node._vjp(1, g, out, (x, y))
            if node._stamp != saved.begun:  # after the data was read: see `autograd.saved`
                saved.check(node)
    return ran


def _many_inputs(node: Node, g: float, out: float, inputs: tuple) -> None:
    """`_run_float_rules` for a node with more than two inputs (a fused neuron)."""
    xs = tuple([x if type(x) is float else x._data for x in inputs])
    fn = node.grad_fn
    rules = fn.grads
    # A variadic op's rules take the data as one tuple; any other's as arguments, passed
    # from one tuple built once (rule(*args) with a list would copy it at every call).
    args = None if fn.variadic else (g, out, *xs)
    for i, x in enumerate(inputs):
        if type(x) is not float:
            try:
                x.grad += rules[i](*args) if args is not None else rules[i](g, out, xs)
            except ArithmeticError:
                x.grad += node._vjp(i, g, out, xs)


def _with_anomaly_check(on_step: Step | None) -> Step:
    from .anomaly import check_backward

    def step(node: Node, i: int, g: Any, gi: Any) -> None:
        check_backward(node, i, g, gi)
        if on_step is not None:
            on_step(node, i, g, gi)

    return step
