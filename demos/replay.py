"""Replay: record a training step once, run it again by whole levels of the graph at once.

Most training loops build the same graph every step. ``step = autograd.trace(f, *args)``
records it once; ``step(*new_args)`` runs it again on the parameters' current data. On the
value engine the replay sorts the nodes into levels (a node's level is one more than its
inputs' highest), and all nodes of one level and one op run as one numpy call of the op's
own forward, then of its own derivative rule, from the last level back to the first. That
is the notes' vectorisation (003 §2, §4) applied to the recorded circuit, and Theorem 3.1
on whole levels at once: the same rules, many scalar nodes per call.

1. A small graph, one neuron a = ReLU(w·x + b) on three examples with the hinge loss: its
   level schedule as a picture (``levels.png``: one column per level, one box per group
   of nodes that run together) and the recorded graph itself (``graph.svg``, `draw_dot`).
2. micrograd's demo step, MLP(2, [16, 16, 1]) with the hinge loss and L2: the dynamic
   step against the replayed one, with the same numbers, and the measured speed-up.

The limit, as for JAX's ``jit``: the replay runs the recorded graph; Python control flow
that depends on values is frozen at trace time (``step.check`` compares with the dynamic
engine).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import nn
from autograd import Value, draw_dot, trace

from ._common import Result, equation, out_dir, parse_args, save_figure, section, title, wrote
from ._plots import figure


def hinge_loss(model: nn.MLP, inputs: list, y: Sequence[float], lam: float = 0.0) -> Value:
    """J = mean max(0, 1 − y·s) + (λ/2) ΣW² for inputs that are Values already."""
    scores = [model(x) for x in inputs]
    J = nn.losses.hinge(scores, y)
    return J + nn.losses.l2_penalty(model, lam) if lam else J


def small_graph(out: Any, files: list) -> dict[str, Any]:
    """One neuron on three examples: its levels as a picture, and its graph."""
    model = nn.MLP(2, [1], rng=0)
    X = [[0.5, -1.0], [1.5, 0.25], [-0.5, 2.0]]
    y = [1.0, -1.0, 1.0]
    step = trace(lambda xs: hinge_loss(model, xs, y), X)
    groups = step.schedule
    equation("nodes in the graph", f"{len(step.order)}")
    equation("numpy calls per pass (groups)", f"{len(groups)}")
    for lvl, op, nodes in groups:
        equation(f"level {lvl}: {op.name} × {len(nodes)}", "one call")
    save_figure(level_picture(step), out / "levels.png", files)
    draw_dot(step.root).save(out / "graph.svg")
    wrote(out / "graph.svg", files)
    return {"nodes": len(step.order), "groups": [(lvl, op.name, len(n)) for lvl, op, n in groups]}


def level_picture(step: Any) -> Any:
    """One column per level, each node a dot, each group that runs together a box."""
    fig, axes = figure(1, width=8.0, height=4.2)
    ax = axes[0, 0]
    position: dict[int, tuple[float, float]] = {}
    for v in step.order:
        if v.grad_fn is None:  # leaves: level 0, stacked in order
            position[id(v)] = (0, sum(1 for p in position.values() if p[0] == 0))
    colours = {}
    for lvl, op, nodes in step.schedule:
        used = sum(1 for p in position.values() if p[0] == lvl)
        colour = colours.setdefault(op.name, f"C{len(colours) % 10}")
        ys = []
        for k, v in enumerate(nodes):
            position[id(v)] = (lvl, used + k)
            ys.append(used + k)
        box = {"boxstyle": "round", "fc": colour, "alpha": 0.25, "ec": colour}
        ax.text(
            lvl, max(ys) + 0.55, f"{op.symbol} ×{len(nodes)}", ha="center", fontsize=8, bbox=box
        )
        ax.scatter([lvl] * len(ys), ys, s=60, color=colour, zorder=3)
    for v in step.order:
        for x in v._inputs:
            if isinstance(x, Value):
                (x0, y0), (x1, y1) = position[id(x)], position[id(v)]
                ax.plot([x0, x1], [y0, y1], color="0.7", lw=0.6, zorder=1)
    leaves = [p[1] for p in position.values() if p[0] == 0]
    ax.scatter([0] * len(leaves), leaves, s=60, color="0.3", zorder=3)
    ax.set_xlabel("level (the nodes of one box run as one numpy call)")
    ax.set_yticks([])
    ax.set_title(f"{len(step.order)} nodes, {len(step.schedule)} calls per pass")
    return fig


def median_time(f: Callable[[], Any], repeats: int) -> float:
    """The median of ``repeats`` runs of f, in seconds."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def demo_step(n: int, repeats: int, seed: int) -> dict[str, Any]:
    """micrograd's demo step on n moons, dynamic and replayed: times and agreement."""
    X, y = nn.data.make_moons(n, noise=0.1, rng=seed)
    X, y = X.tolist(), (2 * y - 1).tolist()
    model = nn.MLP(2, [16, 16, 1], rng=seed)
    lam = 2e-4  # micrograd's 1e-4 Σ p², on the weights

    def dynamic() -> float:
        J = hinge_loss(model, [[Value(v) for v in row] for row in X], y, lam)
        model.zero_grad()
        J.backward()
        return J.data

    t = time.perf_counter()
    step = trace(lambda xs: hinge_loss(model, xs, y, lam), X)
    traced = time.perf_counter() - t

    def replayed() -> float:
        model.zero_grad()
        return step(X)

    J_d, g_d = dynamic(), [p.grad for p in model.parameters()]
    J_r, g_r = replayed(), [p.grad for p in model.parameters()]
    diff = max(abs(J_d - J_r), float(np.max(np.abs(np.subtract(g_d, g_r)))))
    t_d, t_r = median_time(dynamic, repeats), median_time(replayed, 3 * repeats)
    equation(f"nodes, in {len(step.schedule)} groups", f"{len(step.order)}")
    equation("max |dynamic − replayed| over J and ∂J/∂θ", f"{diff:.1e}")
    equation("tracing, once", f"{1e3 * traced:.0f} ms")
    equation("dynamic step (forward + backward)", f"{1e3 * t_d:.1f} ms")
    equation("replayed step", f"{1e3 * t_r:.2f} ms")
    equation("speed-up", f"{t_d / t_r:.0f}×")
    return {"max_diff": diff, "dynamic": t_d, "replayed": t_r, "speedup": t_d / t_r}


def replayed_step_time(
    model: nn.MLP, X: np.ndarray, y: np.ndarray, lam: float, steps: int
) -> float:
    """Seconds per replayed training step (replay and SGD update) of the moons loss, on a
    copy of ``model`` (the model itself is left as it is)."""
    copy = nn.MLP(2, model.nouts, fused=True)
    copy.load_state_dict(model.state_dict())
    step = trace(lambda xs: hinge_loss(copy, xs, list(y), lam), X.tolist())
    opt = nn.optim.SGD(copy.parameters(), lr=0.1)

    def one() -> None:
        opt.zero_grad()
        step(X.tolist())
        opt.step()

    return median_time(one, steps)


def main(argv: Sequence[str] | None = None) -> Result:
    """Both parts; returns the small graph's schedule, the times and the speed-up."""
    args = parse_args("replay", __doc__, argv)
    out = out_dir(args.out)
    files: list = []
    title("Replay: one recorded graph, run by levels")
    section("A small graph: one neuron on three examples, J = mean max(0, 1 − y·a)")
    small = small_graph(out, files)
    n, repeats = (30, 2) if args.fast else (100, 3)
    section(f"micrograd's demo step, MLP(2, [16, 16, 1]) on {n} moons")
    timing = demo_step(n, repeats, args.seed)
    return {"small": small, **timing, "files": files}


if __name__ == "__main__":
    main()
