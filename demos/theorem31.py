"""Theorem 3.1: the gradient of a circuit of size N costs O(N), measured from 10³ to 10⁶ nodes.

CS229 deep-learning notes (003), Theorem 3.1: if a differentiable circuit of size N computes
f: Rˡ → R, then ∇f can be computed in time O(N). The engine is that proof: the forward pass
records each node's op and inputs, and ``backward()`` runs each node's local rule exactly
once, in one topological order. This demo builds random circuits of growing size from
``Value`` nodes (+, ×, sin, tanh over ℓ inputs), times f and ∇f, counts the rules the engine
ran, and plots cost against N: both lines have slope 1 and their ratio stays flat. A
numerical gradient by central differences would need 2ℓ evaluations of f instead.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from autograd import Value
from autograd.engine import backward, topological_order

from ._common import Result, equation, out_dir, parse_args, pyplot, save_figure, section, title

#: The number of inputs ℓ of every circuit.
N_INPUTS = 100


def circuit(n_ops: int, rng: np.random.Generator, n_inputs: int = N_INPUTS) -> tuple[list, Value]:
    """A random circuit of ``n_ops`` operations on ``n_inputs`` inputs: (inputs, output f).

    Each operation combines the running value h with a random input (h·x or h + x) or
    applies sin or tanh to it, so the values stay bounded and the inputs are shared by
    many operations (their gradients are sums, as in the chain rule 3.3).
    """
    xs = [Value(v) for v in rng.uniform(-1.0, 1.0, n_inputs).tolist()]
    kinds = rng.integers(0, 4, n_ops).tolist()
    picks = rng.integers(0, n_inputs, n_ops).tolist()
    h = xs[0]
    for kind, i in zip(kinds, picks, strict=True):
        if kind == 0:
            h = h * xs[i]
        elif kind == 1:
            h = h + xs[i]
        elif kind == 2:
            h = h.sin()
        else:
            h = h.tanh()
    return xs, h


def measure(n_ops: int, seed: int, repeats: int) -> dict[str, float]:
    """Time f and ∇f on a circuit of ``n_ops`` operations (best of ``repeats``) and count work."""
    best_f = best_g = float("inf")
    for _ in range(repeats):
        rng = np.random.default_rng(seed)
        t0 = time.perf_counter()
        _, f = circuit(n_ops, rng)
        t1 = time.perf_counter()
        f.backward()
        t2 = time.perf_counter()
        best_f, best_g = min(best_f, t1 - t0), min(best_g, t2 - t1)
    applications = 0

    def count(node: Value, i: int, g: float, gi: float) -> None:
        nonlocal applications
        applications += 1

    ran = backward(f, on_step=count)  # the same pass again, counted
    return {
        "n_ops": n_ops,
        "nodes": len(topological_order(f)),
        "rules_run": len(ran),
        "rule_applications": applications,
        "forward_s": best_f,
        "backward_s": best_g,
        "ratio": best_g / best_f,
    }


def plot(rows: list[dict[str, float]]) -> object:
    """Cost of f and ∇f against N (log-log) and their ratio."""
    plt = pyplot()
    N = np.array([r["n_ops"] for r in rows], dtype=float)
    tf = np.array([r["forward_s"] for r in rows])
    tg = np.array([r["backward_s"] for r in rows])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.loglog(N, tf, "o-", label="f (forward: build the circuit)")
    ax1.loglog(N, tg, "s-", label="∇f (backward: every rule once)")
    ax1.loglog(N, tf[0] * N / N[0], "k:", label="slope 1: O(N)")
    ax1.set_xlabel("circuit size N (operations)")
    ax1.set_ylabel("seconds")
    ax1.set_title("Theorem 3.1: ∇f costs O(N)")
    ax1.legend()
    ax2.semilogx(N, tg / tf, "o-", color="C2")
    ax2.set_ylim(0, max(3.0, 1.2 * float(np.max(tg / tf))))
    ax2.set_xlabel("circuit size N (operations)")
    ax2.set_ylabel("time(∇f) / time(f)")
    ax2.set_title("the ratio stays flat as N grows")
    return fig


def main(argv: Sequence[str] | None = None) -> Result:
    """Measure f and ∇f from 10³ to 10⁶ operations (10³ to 3·10⁴ with ``--fast``)."""
    args = parse_args("theorem31", __doc__, argv)
    out = out_dir(args.out)
    title("Theorem 3.1: the gradient costs O(N)")
    equation("f: R^ℓ → R computed by a circuit of N operations, ℓ = " + str(N_INPUTS))
    equation("backprop: one pass back, each node's rule once  → O(N)")
    equation(f"central differences: 2ℓ = {2 * N_INPUTS} evaluations of f  → O(ℓ·N)")

    sizes = [1_000, 3_000, 10_000, 30_000] if args.fast else [10**3, 10**4, 10**5, 10**6]
    section("Measured (best of 3 runs; 1 run at 10⁶ or with --fast)")
    print(f"  {'N':>9} {'nodes':>9} {'rules run':>9} {'f (ms)':>9} {'∇f (ms)':>9} {'∇f / f':>7}")
    rows = []
    for n in sizes:
        r = measure(n, args.seed, 1 if args.fast or n >= 10**6 else 3)
        rows.append(r)
        print(
            f"  {n:>9,} {r['nodes']:>9,} {r['rules_run']:>9,} {1e3 * r['forward_s']:>9.1f} "
            f"{1e3 * r['backward_s']:>9.1f} {r['ratio']:>7.2f}"
        )
    log_n = np.log([r["n_ops"] for r in rows])
    slope = float(np.polyfit(log_n, np.log([r["backward_s"] for r in rows]), 1)[0])
    section("What this shows")
    last = rows[-1]
    print("  nodes = N operations + the inputs they use; the engine ran one rule per operation.")
    print(
        f"  at N = {last['n_ops']:,}: {last['rules_run']:,} rules run, "
        f"{last['rule_applications']:,} rule applications (one per edge, at most 2N)"
    )
    print(f"  log-log slope of the backward time: {slope:.2f} (1 means linear in N)")
    print(f"  ∇f costs {np.median([r['ratio'] for r in rows]):.1f}× f, at every size:")
    print("  the constant of Theorem 3.1, not a growing factor.")

    files: list = []
    save_figure(plot(rows), out / "theorem31.png", files)
    return {"rows": rows, "slope": slope, "files": files}


if __name__ == "__main__":
    main()
