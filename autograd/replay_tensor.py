"""Replay of a `Tensor` graph: each node's op run on arrays, with no node made.

A Tensor node already holds a whole array, so the nodes run one by one, in the recorded
order: the op's ``array`` forward, then its derivative rules from the root back, summing
a broadcast gradient back to the input's shape (`unbroadcast`, as the engine does). What
the replay saves is the work around the arithmetic: no node is made, no array is held
read-only, no order is searched, and rules are run only for inputs that lead to a
parameter.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .node import Node
from .tensor_rules import unbroadcast


class TensorProgram:
    """A recorded Tensor graph as a list of array operations.

    Args:
        order: the nodes that require grad, inputs before outputs (`topological_order`).
        root: the node whose value is returned and from which gradients flow.
        args: the leaves made from the trace's arguments (they get no gradient).
    """

    def __init__(self, order: list[Any], root: Any, args: list[Any]) -> None:
        slot: dict[int, int] = {id(v): i for i, v in enumerate(order)}
        arg_ids = {id(v) for v in args}
        self.data_leaves: list[Any] = []  # nodes outside the order (no grad): read each run
        self.params: list[Any] = []
        self.param_slots: list[int] = []
        self.arg_slots = [(k, slot[id(v)]) for k, v in enumerate(args) if id(v) in slot]
        self.shapes: list[tuple[int, ...]] = [v.shape for v in order]
        self.dtypes: list[Any] = [v.dtype for v in order]
        needs = [False] * len(order)
        forward, backward = [], []
        for i, v in enumerate(order):
            op = v.grad_fn
            if op is None:
                if id(v) not in arg_ids:
                    self.params.append(v)
                    self.param_slots.append(i)
                    needs[i] = True
                continue
            template: list[Any] = []
            fill: list[tuple[int, int]] = []
            edges = []
            for j, x in enumerate(v._inputs):
                if isinstance(x, Node):
                    s = slot.get(id(x))
                    if s is None:
                        s = len(order) + len(self.data_leaves)
                        self.data_leaves.append(x)
                    elif needs[s]:
                        rule = op.grads[j]
                        if rule is not None:
                            edges.append((s, rule, self.shapes[s], self.dtypes[s]))
                    fill.append((j, s))
                    template.append(None)
                else:
                    template.append(x)
            needs[i] = bool(edges)
            forward.append((op.array, i, fill, template))
            if edges:
                backward.append((i, template, edges, op.variadic))
        backward.reverse()
        self.forward, self.backward = forward, backward
        self.leaf_shapes = [(x.shape, x.dtype) for x in self.data_leaves]
        self.vals: list[Any] = [v.data for v in order] + [x.data for x in self.data_leaves]
        self.root = slot[id(root)]
        self.order = order

    def run(self, arg_arrays: list[np.ndarray]) -> tuple[np.ndarray, list[Any]]:
        """Forward and backward on the parameters' current data and ``arg_arrays``.

        Returns the root's array and the gradient of every parameter (in `params` order).
        """
        vals = self.vals
        for p, s in zip(self.params, self.param_slots, strict=True):
            vals[s] = p.data
        base = len(self.order)
        for k, x in enumerate(self.data_leaves):
            vals[base + k] = x.data
        for k, s in self.arg_slots:
            vals[s] = arg_arrays[k]
        for fn, o, fill, template in self.forward:
            for j, s in fill:
                template[j] = vals[s]
            out = fn(*template)
            if type(out) is not np.ndarray:  # full reductions give numpy scalars
                out = np.asarray(out)
            vals[o] = out
        root = vals[self.root]
        grads: list[Any] = [None] * len(vals)
        seed = np.empty_like(root)
        seed.fill(1)
        grads[self.root] = seed
        with np.errstate(all="ignore"):
            for o, template, edges, variadic in self.backward:
                g = grads[o]
                if g is None:
                    continue
                out = vals[o]
                for s, rule, shape, dtype in edges:
                    gi = rule(g, out, tuple(template)) if variadic else rule(g, out, *template)
                    if gi.shape != shape:
                        gi = unbroadcast(gi, shape)
                    if gi.dtype != dtype:
                        gi = gi.astype(dtype)
                    prev = grads[s]
                    grads[s] = gi if prev is None else prev + gi
        return root, [grads[s] for s in self.param_slots]

    def check_leaves(self) -> None:
        """Raise if a leaf's ``.data`` was replaced by an array of another shape or dtype."""
        for p, s in zip(self.params, self.param_slots, strict=True):
            _same(p, self.shapes[s], self.dtypes[s])
        for x, (shape, dtype) in zip(self.data_leaves, self.leaf_shapes, strict=True):
            _same(x, shape, dtype)


def _same(x: Any, shape: tuple[int, ...], dtype: Any) -> None:
    d = x.data
    if d.shape != shape or d.dtype != dtype:
        name = f" {x.label!r}" if getattr(x, "label", "") else ""
        raise ValueError(
            f"replay: the leaf{name} was traced with shape {shape} and dtype {dtype}, but its "
            f".data is now {d.shape} {d.dtype}; the recorded graph cannot take it: call "
            "autograd.trace again"
        )
