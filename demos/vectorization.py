"""Loops against matrices: the same MLP on the scalar engine and on the tensor engine.

The CS229 deep-learning notes (003, §2 "Vectorization" and §4) point out that the natural
way to compute a layer, a loop z_j = w_jᵀx + b_j over units (eq. 2.5) and over examples, is
slow, and that matrix algebra computes the same numbers at once: z = W x + b (eq. 2.9)
for one example, with W ∈ R^{m×d} (out × in, eq. 2.7), and for a batch with the examples
as rows of X ∈ R^{n×d}, eq. 4.4: Z = X W + b, where the notes' row-major W ∈ R^{d×m} is
eq. 2.7's matrix transposed. The library keeps eq. 2.7's layout, ``layer.W`` of shape
(out, in), so its batch form reads Z = X Wᵀ + b: the same product, the same numbers.

1. One layer in numpy, three ways: a loop over examples and units, a loop over examples,
   one matrix product. Same numbers, measured times.
2. One MLP, ``nn.MLP(2, [16, 16, 1])``, on both engines from the same weights: the value
   engine builds a graph of scalar nodes (one per multiply and add), the tensor engine a
   few matrix nodes. Same loss and gradients; the measured speed ratio grows with the batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import nn

from ._common import Result, equation, max_diff, out_dir, parse_args, save_figure, section, title
from ._plots import figure


def best_time(f: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The shortest of ``repeats`` runs of f, in seconds, and f's last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        result = f()
        best = min(best, time.perf_counter() - t)
    return best, result


def one_layer(n: int, d: int, m: int, rng: np.random.Generator, repeats: int) -> dict[str, Any]:
    """Eq. 2.5 as loops, eq. 2.9 per example, eq. 4.4 for the batch: times and agreement.

    W has eq. 2.7's shape (m, d); eq. 4.4's row-major matrix, of shape (d, m), is W.T.
    """
    X, W, b = rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=m)

    def units_loop() -> np.ndarray:
        Z = np.empty((n, m))
        for i in range(n):
            for j in range(m):
                Z[i, j] = W[j] @ X[i] + b[j]  # z_j = w_jᵀ x + b_j
        return Z

    def examples_loop() -> np.ndarray:
        return np.stack([W @ X[i] + b for i in range(n)])  # z = W x + b

    def batch() -> np.ndarray:
        return X @ W.T + b  # Z = X Wᵀ + b, W of shape (m, d) as in eq. 2.7

    W_row = np.ascontiguousarray(W.T)  # eq. 4.4's W ∈ R^{d×m}: the same numbers, transposed

    def notes_4_4() -> np.ndarray:
        return X @ W_row + b  # Z = X W + b with the notes' row-major W

    ways = [
        ("z_j = w_jᵀx + b_j, loop over i and j", units_loop),
        ("z = W x + b, loop over examples i", examples_loop),
        ("Z = X W + b, W ∈ R^{d×m} (eq. 4.4)", notes_4_4),
        ("Z = X Wᵀ + b, W ∈ R^{m×d} (layer.W)", batch),
    ]
    times, results = {}, {}
    for name, f in ways:
        times[name], results[name] = best_time(f, repeats)
    reference = results[ways[-1][0]]
    diff = max(max_diff(r, reference) for r in results.values())
    fastest = min(times.values())
    for name in times:
        equation(name, f"{1e3 * times[name]:8.2f} ms  ({times[name] / fastest:5.0f}×)")
    equation("largest difference between the four", f"{diff:.1e}")
    print(f"  eq. 4.4's W is {d}×{m} (d × m, row-major); layer.W is {m}×{d} (out × in, eq. 2.7):")
    print("  one is the other transposed, so X W (eq. 4.4) and X Wᵀ (the code) are one product.")
    return {"times": times, "max_diff": diff}


def engine_step(model: nn.MLP, X: np.ndarray, y: np.ndarray) -> float:
    """One forward and backward pass of J = hinge + (λ/2)ΣW² (gradients left in .grad)."""
    model.zero_grad()
    scores = [model(x) for x in X.tolist()] if model.engine == "value" else model(X)
    J = nn.losses.hinge(scores, y) + nn.losses.l2_penalty(model, 1e-4)
    J.backward()
    return float(J.data)


def grads(model: nn.MLP) -> dict[str, np.ndarray]:
    """∂J/∂W[l] and ∂J/∂b[l] of every layer, under the state_dict's names and shapes."""
    if model.engine == "tensor":
        return {k: p.grad for k, p in model.named_parameters()}
    out = {}
    for i, layer in enumerate(model.layers):  # the scalar engine keeps one Value per weight
        out[f"layers.{i}.W"] = np.array([[w.grad for w in n.w] for n in layer.neurons])
        out[f"layers.{i}.b"] = np.array([n.b.grad for n in layer.neurons])
    return out


def compare_engines(sizes: Sequence[int], seed: int, repeats: int) -> dict[str, Any]:
    """Time one step of the same MLP on both engines for each batch size; check agreement."""
    value = nn.MLP(2, [16, 16, 1], engine="value", rng=seed)
    tensor = nn.MLP(2, [16, 16, 1], engine="tensor")
    tensor.load_state_dict(value.state_dict())
    rows, gap = [], 0.0
    print(f"  {'batch n':>8} {'value (ms)':>11} {'tensor (ms)':>12} {'ratio':>7}")
    for n in sizes:
        X, y01 = nn.data.make_moons(n, noise=0.1, rng=seed)
        y = 2 * y01 - 1
        t_value, J_value = best_time(lambda X=X, y=y: engine_step(value, X, y), repeats)
        g_value = grads(value)
        t_tensor, J_tensor = best_time(lambda X=X, y=y: engine_step(tensor, X, y), repeats)
        g_tensor = grads(tensor)
        gap = max(
            gap, abs(J_value - J_tensor), *(max_diff(g_value[k], g_tensor[k]) for k in g_value)
        )
        rows.append({"n": n, "value_s": t_value, "tensor_s": t_tensor, "ratio": t_value / t_tensor})
        print(
            f"  {n:>8} {1e3 * t_value:>11.2f} {1e3 * t_tensor:>12.3f} {t_value / t_tensor:>6.0f}×"
        )
    return {"rows": rows, "max_diff": gap}


def plot(rows: list[dict[str, float]]) -> Any:
    """Time per step against batch size for both engines, and their ratio."""
    fig, axes = figure(2)
    n = [r["n"] for r in rows]
    ax = axes[0, 0]
    ax.loglog(n, [r["value_s"] for r in rows], "o-", label="value engine (loops of scalars)")
    ax.loglog(n, [r["tensor_s"] for r in rows], "s-", label="tensor engine (Z = X Wᵀ + b)")
    ax.set_xlabel("batch size n")
    ax.set_ylabel("time per forward + backward (s)")
    ax.set_title("MLP(2, [16, 16, 1]), one step")
    ax.legend()
    ax = axes[0, 1]
    ax.semilogx(n, [r["ratio"] for r in rows], "o-", color="C2")
    ax.set_xlabel("batch size n")
    ax.set_ylabel("time(value) / time(tensor)")
    ax.set_title("the gain of vectorization")
    for ax in axes[0]:  # ticks at the measured batch sizes, as plain integers
        ax.set_xticks(n, [str(v) for v in n])
        ax.minorticks_off()
    return fig


def main(argv: Sequence[str] | None = None) -> Result:
    """Both comparisons; returns times, the speed ratios and the largest differences."""
    args = parse_args("vectorization", __doc__, argv)
    out = out_dir(args.out)
    rng = np.random.default_rng(args.seed)
    repeats = 2 if args.fast else 3
    title("Vectorization: loops against matrices")
    n, d, m = (100, 24, 32) if args.fast else (500, 48, 64)  # d ≠ m: the layouts differ
    section(f"1. One layer in numpy: n = {n} examples, d = {d} inputs, m = {m} units")
    layer = one_layer(n, d, m, rng, repeats)

    sizes = [10, 40] if args.fast else [10, 30, 100, 300]
    section("2. The same MLP on the two engines (forward + backward, best of runs)")
    engines = compare_engines(sizes, args.seed, repeats)
    top = engines["rows"][-1]
    equation("same loss and gradients: largest difference", f"{engines['max_diff']:.1e}")
    equation(f"tensor engine over value engine at n = {top['n']}", f"{top['ratio']:.0f}× faster")
    print("  The value engine is for reading and drawing the chain rule; the tensor engine is")
    print("  for training: same rules, one node per matrix instead of one per number.")

    files: list = []
    save_figure(plot(engines["rows"]), out / "vectorization.png", files)
    return {
        "layer": layer,
        "rows": engines["rows"],
        "speed_ratio": top["ratio"],
        "max_diff": max(layer["max_diff"], engines["max_diff"]),
        "files": files,
    }


if __name__ == "__main__":
    main()
