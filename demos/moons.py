"""micrograd's demo: a 2-16-16-1 MLP learns the two moons, on the value and tensor engines.

The network of micrograd's demo, ``nn.MLP(2, [16, 16, 1])`` (ReLU hidden layers, a linear
output score s), trained on 100 noisy moons with labels y = ±1 by full-batch gradient
descent on the max-margin (hinge) loss plus weight decay, UFLDL's (λ/2)ΣW² over the
weights only (micrograd's demo adds α Σ p² over every parameter, biases included):

    J = (1/n) Σᵢ max(0, 1 − y(i) s(i)) + (λ/2) Σ W²,    θ := θ − α_k ∇θ J,
    α_k = 1 − 0.9 k/100 (micrograd's schedule).

The value engine computes every z_j = w_jᵀx + b_j as one scalar node (``fused=True``,
`autograd.neuron`); the tensor engine computes Z = X Wᵀ + b as one matrix product.
Started from the same weights, the two follow the same path to rounding level, at very
different speeds. Writes ``moons.png`` (decision boundary and loss curve) and ``mlp.svg``
(the trained network, as the notes draw it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

import nn
from autograd.viz import GraphView
from nn.draw import NEGATIVE, POSITIVE

from ._common import (
    Result,
    equation,
    out_dir,
    parser,
    progress,
    save_figure,
    section,
    title,
    wrote,
)
from ._plots import decision_boundary, figure, loss_curves
from .replay import replayed_step_time

#: UFLDL's (λ/2) Σ W² with λ = 2α gives the weights micrograd's decay α Σ p² (α = 1e-4);
#: micrograd's sum runs over the biases too, UFLDL's (and `nn.losses.l2_penalty`) does not,
#: so the two losses differ by α Σ b².
LAMBDA = 2e-4


def moons(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n noisy moons, labels ±1 (micrograd's y * 2 − 1)."""
    X, y = nn.data.make_moons(n, noise=0.1, rng=seed)
    return X, 2 * y - 1


def train(model: nn.MLP, X: np.ndarray, y: np.ndarray, steps: int) -> dict[str, Any]:
    """micrograd's loop: full-batch SGD, hinge + L2, α from 1.0 down to 0.1."""
    opt = nn.optim.SGD(model.parameters(), lr=1.0)
    schedule = nn.optim.LinearLR(opt, start_factor=1.0, end_factor=0.1, total_iters=steps)
    losses, accuracies = [], []
    start = time.perf_counter()
    for _ in progress(range(steps), steps, f"{model.engine} engine"):
        # value: a loop over examples, one scalar node per z_j = w_jᵀx + b_j (fused);
        # tensor: one matrix product per layer (Z = X Wᵀ + b).
        scores = [model(x) for x in X.tolist()] if model.engine == "value" else model(X)
        J = nn.losses.hinge(scores, y) + nn.losses.l2_penalty(model, LAMBDA)
        opt.zero_grad()
        J.backward()
        opt.step()
        schedule.step()
        losses.append(float(J.data))
        accuracies.append(nn.accuracy(scores, y))
    seconds = time.perf_counter() - start
    final = nn.accuracy(nn.predict(model, X), y)
    return {"losses": losses, "accuracy": final, "accuracies": accuracies, "seconds": seconds}


def report(engine: str, r: dict[str, Any], steps: int) -> None:
    """Print one engine's final loss, accuracy and time per step."""
    equation("final J", r["losses"][-1])
    equation("training accuracy", f"{r['accuracy']:.0%}")
    equation("time per step", f"{1e3 * r['seconds'] / steps:.1f} ms ({engine} engine)")


def plot(model: nn.MLP, X: np.ndarray, y: np.ndarray, curves: dict[str, list[float]]) -> Any:
    """The decision boundary s(x) = 0 over the data, and the loss curves."""
    fig, axes = figure(2)
    decision_boundary(
        axes[0, 0],
        lambda P: nn.predict(model, P).ravel(),
        X,
        y,
        "decision boundary: score s(x) = 0",
        names=["y = −1", "y = +1"],
    )
    loss_curves(
        axes[0, 1],
        curves,
        xlabel="gradient-descent step k",
        ylabel="J (log scale)",
        log=True,
        title="J = hinge + (λ/2)ΣW²",
    )
    lines = axes[0, 1].get_lines()
    if len(lines) > 1:  # the two engines overlap: draw the second dashed so both show
        lines[1].set_linestyle("--")
        axes[0, 1].legend()
    return fig


def mlp_with_key(model: nn.MLP) -> GraphView:
    """``nn.draw_mlp(model)`` with a colour key under the units: blue +, red −, width |W|."""
    view = nn.draw_mlp(model)
    spots = [tuple(map(float, m)) for m in re.findall(r'pos="(-?[\d.]+),(-?[\d.]+)!"', view.source)]
    left = min(x for x, _ in spots)
    right = max(x for x, _ in spots)
    below = min(y for _, y in spots) - 0.7
    keys = [
        (left, "edge width ∝ |W[l]ji|", "black"),
        ((left + right) / 2, "blue: positive weight", POSITIVE),
        (right, "red: negative weight", NEGATIVE),
    ]
    body = [
        f'key{i} [label="{text}" shape="plaintext" fixedsize="false" style="solid" '
        f'fontcolor="{color}" fontsize="12" pos="{x:.3f},{below:.3f}!"]'
        for i, (x, text, color) in enumerate(keys)
    ]
    return GraphView([*view.body, *body], backend=view.backend)


def run(out: Any, fast: bool, seed: int, engines: Sequence[str] = ("value", "tensor")) -> Result:
    """Train on each engine from the same initial weights; write the pictures into ``out``."""
    out = out_dir(out)
    n, steps = (30, 50) if fast else (100, 100)
    X, y = moons(n, seed)
    equation(f"data: make_moons, n = {n}, noise 0.1, labels y = ±1")
    equation("model: MLP(2, [16, 16, 1]), a = ReLU(z) inside, linear score s")
    equation(f"J = mean max(0, 1 − y·s) + (λ/2)ΣW², λ = {LAMBDA:g}")
    equation(f"  (micrograd: + α Σ p² over weights and biases, α = {LAMBDA / 2:g})")
    equation(f"α_k = 1 − 0.9·k/{steps}, k = 0..{steps - 1}")
    start = nn.MLP(2, [16, 16, 1], engine="value", rng=seed).state_dict()
    results: dict[str, Any] = {}
    models = {}
    for i, engine in enumerate(engines):
        section(f"{'The same network' if i else 'Training'} on the {engine} engine, {steps} steps")
        # fused: each neuron's z = w·x + b is one node on the value engine (ignored on the
        # tensor engine, whose layers are one matrix product already).
        model = nn.MLP(2, [16, 16, 1], engine=engine, fused=True)
        if engine == "value":
            equation("fused=True: each neuron's z = w·x + b is one node")
        model.load_state_dict(start)  # the same initial weights on every engine
        results[engine] = train(model, X, y, steps)
        models[engine] = model
        report(engine, results[engine], steps)
        if engine == "value":  # the same step recorded once and replayed (autograd.trace)
            replayed = replayed_step_time(model, X, y, LAMBDA, 5)
            equation("time per step, replayed", f"{1e3 * replayed:.1f} ms (autograd.trace)")
            results[engine]["replayed_seconds"] = replayed
    if len(models) == 2:
        a, b = (m.state_dict() for m in models.values())
        gap = max(float(np.max(np.abs(a[k] - b[k]))) for k in a)
        ratio = results["value"]["seconds"] / results["tensor"]["seconds"]
        section("Two engines, one network")
        equation("max |W_value − W_tensor| after training", f"{gap:.1e}")
        equation("speed: tensor engine over value engine", f"{ratio:.0f}× faster")
        results["max_weight_diff"], results["speed_ratio"] = gap, ratio
    files: list = []
    # The boundary needs the score at 40,000 grid points: the tensor engine's job. A model
    # trained on the value engine loads into a tensor MLP and gives the same scores.
    model = models.get("tensor")
    if model is None:
        model = nn.MLP(2, [16, 16, 1], engine="tensor")
        model.load_state_dict(models["value"].state_dict())
    curves = {f"{e} engine": results[e]["losses"] for e in engines}
    save_figure(plot(model, X, y, curves), out / "moons.png", files)
    mlp_with_key(model).save(out / "mlp.svg")
    wrote(out / "mlp.svg", files)
    print("  mlp.svg: edge width ∝ |W[l]ji|, blue = positive weight, red = negative weight")
    results["files"] = files
    return results


def main(argv: Sequence[str] | None = None) -> Result:
    """Train micrograd's moons classifier; returns per-engine losses, accuracy and time."""
    cli = parser("moons", __doc__)
    cli.add_argument(
        "--engine", choices=["value", "tensor", "both"], default="both", help="which engine"
    )
    args = cli.parse_args(argv)
    title("micrograd's moons, on both engines")
    engines = ("value", "tensor") if args.engine == "both" else (args.engine,)
    return run(args.out, args.fast, args.seed, engines)


if __name__ == "__main__":
    main()
