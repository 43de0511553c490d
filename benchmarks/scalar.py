"""The value engine against micrograd 0.1.0 on micrograd's own demo step.

The demo (micrograd's ``demo.ipynb``): an MLP(2, [16, 16, 1]) on 100 moons points, the
hinge loss mean(relu(1 − y·score)) plus 1e-4·Σp², then backward, an SGD update, and the
graph dropped. The model and the step below are written once and run with either
library's ``Value`` class, so both engines do exactly the same computation from the same
initial weights. The "fused" variant computes each neuron's z = w·x + b as one node.
"""

from __future__ import annotations

import gc
import random
import statistics
import tracemalloc
import weakref
from typing import Any

from .timing import clock, moons

LIBS = ("micrograd", "value", "value-fused", "value-replay", "value-fused-replay")


class Neuron:
    """micrograd's neuron: z = Σ wᵢxᵢ + b, a = relu(z) unless it is the output."""

    def __init__(self, Value: type, nin: int, nonlin: bool, rnd: random.Random, fused) -> None:
        self.w = [Value(rnd.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin
        self.fused = fused

    def __call__(self, x: list) -> Any:
        if self.fused is not None:
            z = self.fused(self.w, x, self.b)
        else:
            z = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        return z.relu() if self.nonlin else z

    def parameters(self) -> list:
        return [*self.w, self.b]


class MLP:
    """micrograd's MLP: layers of neurons, ReLU everywhere but the last layer."""

    def __init__(self, Value: type, nin: int, nouts: list[int], seed: int = 0, fused=None):
        rnd = random.Random(seed)
        sizes = [nin, *nouts]
        self.layers = [
            [Neuron(Value, sizes[i], i != len(nouts) - 1, rnd, fused) for _ in range(sizes[i + 1])]
            for i in range(len(nouts))
        ]

    def __call__(self, x: list) -> Any:
        for layer in self.layers:
            out = [n(x) for n in layer]
            x = out[0] if len(out) == 1 else out
        return x

    def parameters(self) -> list:
        return [p for layer in self.layers for n in layer for p in n.parameters()]


def library(lib: str) -> tuple[type, Any]:
    """The ``Value`` class of ``lib`` and its fused neuron (or None); "-replay" libraries
    use the engine's (replayed by `autograd.trace`)."""
    lib = lib.removesuffix("-replay")
    if lib == "micrograd":
        from micrograd.engine import Value

        return Value, None
    from autograd import Value

    if lib == "value-fused":
        from autograd import neuron

        return Value, neuron
    return Value, None


def demo_loss(Value: type, model: MLP, X: list, y: list) -> Any:
    """micrograd's demo loss: hinge mean + 1e-4·Σp² (the notes' J)."""
    return loss_of(model, [list(map(Value, row)) for row in X], y)


def loss_of(model: MLP, inputs: list, y: list) -> Any:
    """The demo loss of inputs that are Values already (as `autograd.trace` makes them)."""
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def count_nodes(root: Any) -> int:
    """Nodes in the graph of ``root`` (either library), by an explicit stack."""
    seen = {id(root)}
    stack = [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def demo(lib: str, steps: int, points: int = 100, hidden: int = 16, warmup: int = 1) -> dict:
    """Time each phase of the demo step: forward, backward, update, freeing the graph."""
    if lib.endswith("-replay"):
        return demo_replayed(lib, steps, points, hidden, warmup)
    Value, fused = library(lib)
    X, y = moons(points)
    model = MLP(Value, 2, [hidden, hidden, 1], fused=fused)
    params = model.parameters()
    first_loss = demo_loss(Value, model, X, y).data
    phases: dict[str, list[float]] = {k: [] for k in ("forward", "backward", "update", "free")}
    for k in range(warmup + steps):
        t0 = clock()
        loss = demo_loss(Value, model, X, y)
        t1 = clock()
        for p in params:
            p.grad = 0.0
        loss.backward()
        t2 = clock()
        lr = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= lr * p.grad
        t3 = clock()
        del loss
        t4 = clock()
        if k >= warmup:
            for name, dt in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                phases[name].append(dt)
    phases["step"] = [sum(ts) for ts in zip(*phases.values(), strict=True)]
    nodes = count_nodes(demo_loss(Value, model, X, y))
    return {"lib": lib, "times": phases, "nodes": nodes, "first_loss": first_loss}


def demo_replayed(lib: str, steps: int, points: int, hidden: int, warmup: int = 1) -> dict:
    """The demo step replayed by `autograd.trace`: the cost of tracing once, then each
    step's replay (forward and backward in one call, timed as "forward") and update."""
    from autograd import trace

    Value, fused = library(lib)
    X, y = moons(points)
    model = MLP(Value, 2, [hidden, hidden, 1], fused=fused)
    params = model.parameters()
    first_loss = demo_loss(Value, model, X, y).data
    t0 = clock()
    step = trace(lambda inputs: loss_of(model, inputs, y), X)  # labels: constants, as above
    traced = clock() - t0
    phases: dict[str, list[float]] = {"forward": [], "update": []}
    for k in range(warmup + steps):
        t0 = clock()
        for p in params:
            p.grad = 0.0
        step(X)
        t1 = clock()
        lr = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= lr * p.grad
        t2 = clock()
        if k >= warmup:
            phases["forward"].append(t1 - t0)
            phases["update"].append(t2 - t1)
    phases["step"] = [a + b for a, b in zip(phases["forward"], phases["update"], strict=True)]
    nodes = len(step.order)
    return {"lib": lib, "times": phases, "nodes": nodes, "first_loss": first_loss, "trace": traced}


def memory(lib: str) -> dict:
    """Bytes per node of the demo graph (tracemalloc), after forward and after backward."""
    Value, fused = library(lib)
    X, y = moons(100)
    model = MLP(Value, 2, [16, 16, 1], fused=fused)
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    loss = demo_loss(Value, model, X, y)
    forward = tracemalloc.get_traced_memory()[0] - base
    loss.backward()
    after = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    nodes = count_nodes(loss)
    return {"lib": lib, "nodes": nodes, "forward": forward / nodes, "backward": after / nodes}


def freed(lib: str) -> dict:
    """Whether dropping the loss frees the graph with the cycle collector switched off."""
    Value, fused = library(lib)
    X, y = moons(100)
    model = MLP(Value, 2, [16, 16, 1], fused=fused)
    gc.collect()
    gc.disable()
    try:
        loss = demo_loss(Value, model, X, y)
        loss.backward()
        inner = loss
        for _ in range(3):  # a node inside the graph, a few steps below the root
            inner = max(inner._prev, key=lambda v: len(v._prev))
        probes = [weakref.ref(loss), weakref.ref(inner)]
        del loss, inner
        result = {"lib": lib, "freed": all(p() is None for p in probes)}
    finally:
        gc.enable()
    return result


def chain(Value: type, n: int) -> tuple[Any, int]:
    """x ← x·a + b repeated: a graph of depth n (its root, its node count)."""
    a, b, x = Value(0.5), Value(0.5), Value(1.0)
    for _ in range(n // 2):
        x = x * a + b
    return x, 2 * (n // 2) + 3


def wide(Value: type, n: int) -> tuple[Any, int]:
    """n/2 products a·cᵢ of one leaf (fan-out n/2), summed by a balanced tree of additions."""
    a = Value(0.5)
    terms = [a * (i % 7 - 3.0) for i in range(n // 2)]
    nodes = len(terms) + 1
    while len(terms) > 1:
        pairs = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        nodes += len(pairs)
        terms = pairs + terms[2 * len(pairs) :]
    return terms[0], nodes


def scaling(kind: str, n: int, repeats: int = 1) -> dict:
    """Theorem 3.1: forward, backward and freeing time of a value graph of about n nodes.

    One small graph is built first so that every size is timed in a warmed-up interpreter;
    with ``repeats`` > 1 the medians of that many graphs are returned.
    """
    from autograd import Value

    build = {"chain": chain, "wide": wide}[kind]
    build(Value, 1000)[0].backward()
    times: dict[str, list[float]] = {"forward": [], "backward": [], "free": []}
    for _ in range(repeats):
        t0 = clock()
        root, nodes = build(Value, n)
        t1 = clock()
        root.backward()
        t2 = clock()
        del root
        t3 = clock()
        for phase, dt in zip(times, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            times[phase].append(dt)
    return {"kind": kind, "nodes": nodes, **{p: statistics.median(ts) for p, ts in times.items()}}
