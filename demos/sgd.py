"""Algorithm 1, Algorithm 2 and batch gradient descent side by side, on one problem.

The CS229 deep-learning notes (003, §1) give three ways to follow −∇J, J = (1/n) Σⱼ J⁽ʲ⁾:

    GD (eq. 1.3)           θ := θ − α ∇J(θ)                       all n examples a step
    SGD (Algorithm 1)      sample j from {1..n};  θ := θ − α ∇J⁽ʲ⁾(θ)      one example
    mini-batch (Alg. 2)    sample B examples j₁..j_B without replacement;
                           θ := θ − (α/B) Σₖ ∇J⁽ʲᵏ⁾(θ)                     B examples

The demo trains one network (``nn.MLP(2, [16, 1])``, logistic loss on the moons, the tensor
engine) from the same start with the same α by each rule, for the same number of examples
seen, and draws J over the whole training set against the examples seen and against the
time spent, for the same time (the time to evaluate J for the picture is not counted),
and prints which rule got lowest each way. B examples in one matrix product cost little
more than one (the notes: "hardware parallelization"), so time and examples rank the
rules differently.
Algorithm 2's sampling is ``nn.data.batches(X, y, B, scheme="sample", n_iter=T)``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

import nn
from autograd import no_grad

from ._common import Result, equation, out_dir, parse_args, save_figure, section, title
from ._plots import figure

#: The learning rate α of every rule, and Algorithm 2's batch size B.
ALPHA, B = 0.3, 20


def cost(model: nn.MLP, X: np.ndarray, y: np.ndarray) -> Any:
    """J = (1/n) Σⱼ J⁽ʲ⁾, the logistic loss of the network's score on the rows of X."""
    return nn.losses.bce_with_logits(model(X).reshape(-1), y)


def draws(
    rule: str, X: np.ndarray, y: np.ndarray, steps: int, rng: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The examples each step of ``rule`` uses."""
    n = len(y)
    if rule == "SGD":  # Algorithm 1: j uniform on {1..n}, afresh each step
        for _ in range(steps):
            j = int(rng.integers(n))
            yield X[j : j + 1], y[j : j + 1]
    elif rule == "mini-batch":  # Algorithm 2: B of the n without replacement, afresh
        yield from nn.data.batches(X, y, B, rng=rng, scheme="sample", n_iter=steps)
    else:  # gradient descent: every example, every step
        for _ in range(steps):
            yield X, y


def run(
    rule: str,
    per_step: int,
    X: np.ndarray,
    y: np.ndarray,
    seed: int,
    examples: int | None = None,
    seconds: float | None = None,
) -> dict:
    """Train by ``rule`` until ``examples`` are seen or ``seconds`` spent; J along the way."""
    steps = examples // per_step if examples is not None else 10**9  # drawn lazily
    model = nn.MLP(2, [16, 1], engine="tensor", rng=seed)  # the same start for every rule
    opt = nn.optim.SGD(model.parameters(), lr=ALPHA)
    every = max(1, steps // 40) if examples is not None else 1
    with no_grad():
        curve = [(0, 0.0, float(cost(model, X, y).data))]
    clock, k, last = 0.0, 0, 0.0
    for k, (Xb, yb) in enumerate(draws(rule, X, y, steps, np.random.default_rng(seed)), 1):
        t = time.perf_counter()
        J = cost(model, Xb, yb)  # the mean over the batch: (α/B) Σ ∇J⁽ʲ⁾ in opt.step()
        opt.zero_grad()
        J.backward()
        opt.step()
        clock += time.perf_counter() - t
        done = k == steps or (seconds is not None and clock >= seconds)
        # About 40 points per curve: every few steps, or every 1/40 of the time budget.
        due = k % every == 0 if seconds is None else clock - last >= seconds / 40
        if due or done:
            last = clock
            with no_grad():
                curve.append((k * per_step, clock, float(cost(model, X, y).data)))
        if done:
            break
    seen, spent, losses = (np.array(c) for c in zip(*curve, strict=True))
    return {"steps": k, "seen": seen, "seconds": spent, "losses": losses}


def plot(by_examples: dict[str, dict], by_time: dict[str, dict]) -> Any:
    """J against examples seen (same examples), and against seconds (same time)."""
    fig, axes = figure(2, width=5.0)
    for name in by_examples:
        r, q = by_examples[name], by_time[name]
        axes[0, 0].plot(r["seen"], r["losses"], ".-", label=name)
        axes[0, 1].plot(q["seconds"], q["losses"], ".-", label=name)
    labels = ["examples seen (gradients ∇J⁽ʲ⁾ computed)", "training time (s)"]
    for ax, xlabel in zip(axes[0], labels, strict=True):
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("J over all n examples (log scale)")
        ax.legend(fontsize=8)
    axes[0, 0].set_title("the same examples for each rule")
    axes[0, 1].set_title("the same time for each rule")
    return fig


def main(argv: Sequence[str] | None = None) -> Result:
    """Run the three rules for the same examples; returns their curves and step counts."""
    args = parse_args("sgd", __doc__, argv)
    out = out_dir(args.out)
    n, epochs = (100, 5) if args.fast else (200, 20)
    title("SGD (Algorithm 1), mini-batch SGD (Algorithm 2) and gradient descent")
    X, y = nn.data.make_moons(n, noise=0.1, rng=args.seed)
    equation(f"J = (1/n) Σⱼ logistic loss of MLP(2, [16, 1]),  n = {n} moons")
    equation(f"the same start and α = {ALPHA:g} for every rule; examples seen each", epochs * n)
    rules = {"SGD (Alg. 1, B = 1)": 1, f"mini-batch (Alg. 2, B = {B})": B, f"GD (B = n = {n})": n}
    by_examples, by_time = {}, {}
    budget = 0.3 if args.fast else 1.5
    section(f"Measured: J over the whole training set, {epochs * n} examples or {budget:g} s each")
    print(
        f"  {'rule':<28} {'steps':>6} {'examples':>9} {'seconds':>8} {'J start':>8} "
        f"{'J end':>8}   {'in ' + format(budget, 'g') + ' s':>8} {'examples':>9}"
    )
    for name, per_step in rules.items():
        rule = name.split(" ")[0]
        r = run(rule, per_step, X, y, args.seed, examples=epochs * n)
        q = run(rule, per_step, X, y, args.seed, seconds=budget)
        by_examples[name], by_time[name] = r, q
        print(
            f"  {name:<28} {r['steps']:>6} {int(r['seen'][-1]):>9} {r['seconds'][-1]:>8.3f} "
            f"{r['losses'][0]:>8.4f} {r['losses'][-1]:>8.4f}   {q['losses'][-1]:>8.4f} "
            f"{int(q['seen'][-1]):>9}"
        )
    best_examples = min(by_examples, key=lambda k: by_examples[k]["losses"][-1])
    best_time = min(by_time, key=lambda k: by_time[k]["losses"][-1])
    section("What this shows")
    print("  The same examples buy n steps of SGD, n/B of Algorithm 2 and one of GD; a batch")
    print("  of B in one matrix product costs little more than one example, so per second the")
    print("  batched rules see far more examples.")
    print(f"  lowest J for the same examples: {best_examples}")
    print(f"  lowest J for the same time ({budget:g} s): {best_time}")
    files: list = []
    save_figure(plot(by_examples, by_time), out / "sgd.png", files)
    runs = {
        name: {
            "steps": r["steps"],
            "seen": int(r["seen"][-1]),
            "losses": r["losses"].tolist(),
            "timed_losses": by_time[name]["losses"].tolist(),
            "timed_seconds": float(by_time[name]["seconds"][-1]),
            "timed_seen": int(by_time[name]["seen"][-1]),
        }
        for name, r in by_examples.items()
    }
    return {"runs": runs, "best_examples": best_examples, "best_time": best_time, "files": files}


if __name__ == "__main__":
    main()
