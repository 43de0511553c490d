"""UFLDL's batch gradient descent, as written: ΔW accumulated example by example.

UFLDL (002), "one iteration of batch gradient descent":

    1. Set ΔW(l) := 0, Δb(l) := 0 for all l.
    2. For i = 1 to m: backpropagate (x(i), y(i)) to get ∇W(l) J(W,b;x,y), ∇b(l) J(W,b;x,y);
       ΔW(l) := ΔW(l) + ∇W(l) J(W,b;x,y),  Δb(l) := Δb(l) + ∇b(l) J(W,b;x,y).
    3. W(l) := W(l) − α[(1/m) ΔW(l) + λ W(l)],  b(l) := b(l) − α[(1/m) Δb(l)].

with sigmoid units f, the cost J(W,b;x,y) = ½‖h(x) − y‖², and for one example
δ(n_l) = −(y − a(n_l)) • f′(z(n_l)), δ(l) = ((W(l))ᵀ δ(l+1)) • f′(z(l)), f′(z) = a(1 − a),
∇W(l) J = δ(l+1) (a(l))ᵀ, ∇b(l) J = δ(l+1). The layer numbers are UFLDL's: the input is
layer 1, W(l) maps layer l to layer l+1.

The demo runs those three steps in numpy, one example at a time, next to the engine's
update of the same network on J(W,b) = (1/m) Σᵢ ½‖h(x(i)) − y(i)‖² + (λ/2) Σ W² (one
``J.backward()`` on the batch, then θ := θ − α∇θ J): after every iteration the two agree
to rounding. Then it shows what λ does: the same training for several λ, drawn in
``ufldl.png`` (the weights' size ΣW², the data cost, the decision boundaries).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import nn

from ._common import Result, equation, out_dir, parse_args, save_figure, section, title
from ._nets import Net, half_squared_error
from ._plots import CLASSES, figure, loss_curves

#: Units per layer (s_1, s_2, s_3), learning rate α, UFLDL's ε, and the λ's compared.
SIZES, ALPHA, EPSILON = (2, 6, 1), 10.0, 0.01
LAMBDAS = (0.0, 1e-3, 3e-3, 1e-2)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def ufldl_iteration(W: list, b: list, X: np.ndarray, Y: np.ndarray, lam: float) -> None:
    """One iteration of UFLDL's batch gradient descent, in place on W(l) and b(l)."""
    m, n_l = len(X), len(W) + 1
    dW = [np.zeros_like(Wl) for Wl in W]  # step 1
    db = [np.zeros_like(bl) for bl in b]
    for i in range(m):  # step 2
        a = {1: X[i]}  # UFLDL's numbers: a(1) = x, z(l+1) = W(l) a(l) + b(l)
        for ell in range(1, n_l):
            a[ell + 1] = sigmoid(W[ell - 1] @ a[ell] + b[ell - 1])
        delta = {n_l: -(Y[i] - a[n_l]) * a[n_l] * (1.0 - a[n_l])}
        for ell in range(n_l - 1, 1, -1):
            delta[ell] = (W[ell - 1].T @ delta[ell + 1]) * a[ell] * (1.0 - a[ell])
        for ell in range(1, n_l):
            dW[ell - 1] += np.outer(delta[ell + 1], a[ell])  # ∇W(l) J = δ(l+1) a(l)ᵀ
            db[ell - 1] += delta[ell + 1]  # ∇b(l) J = δ(l+1)
    for ell in range(n_l - 1):  # step 3
        W[ell] -= ALPHA * (dW[ell] / m + lam * W[ell])
        b[ell] -= ALPHA * (db[ell] / m)


def cost(net: Net, X: np.ndarray, Y: np.ndarray, lam: float) -> Any:
    """J(W,b) = (1/m) Σᵢ ½‖h(x(i)) − y(i)‖² + (λ/2) Σ W², biases excluded."""
    decay = sum((W * W).sum() for W in net.weights())
    return half_squared_error(net(X), Y) + (lam / 2) * decay


def as_written(X: np.ndarray, Y: np.ndarray, lam: float, iterations: int, seed: int) -> float:
    """UFLDL's loop against the engine's update, from one start; the largest gap seen."""
    net = Net(SIZES, ("sigmoid", "sigmoid"), EPSILON, np.random.default_rng(seed))
    W = [Wl.data.copy() for Wl in net.weights()]
    b = [bl.data.copy() for _, bl in net.layers]
    worst = 0.0
    for _ in range(iterations):
        ufldl_iteration(W, b, X, Y, lam)
        J = cost(net, X, Y, lam)
        net.zero_grad()
        J.backward()
        net.step(ALPHA)
        for (We, be), Wl, bl in zip(net.layers, W, b, strict=True):
            worst = max(
                worst, float(np.max(np.abs(We.data - Wl))), float(np.max(np.abs(be.data - bl)))
            )
    return worst


def train(X: np.ndarray, Y: np.ndarray, lam: float, steps: int, seed: int) -> dict[str, Any]:
    """The engine's batch gradient descent for one λ: ΣW², the data cost, the network."""
    net = Net(SIZES, ("sigmoid", "sigmoid"), EPSILON, np.random.default_rng(seed))
    squares, data_cost = [], []
    for _ in range(steps):
        J = cost(net, X, Y, lam)
        net.zero_grad()
        J.backward()
        net.step(ALPHA)
        squares.append(float(sum(np.sum(W.data**2) for W in net.weights())))
        data_cost.append(float(half_squared_error(net(X), Y).data))
    accuracy = nn.accuracy((net(X).data.ravel() > 0.5).astype(int), Y.ravel())
    return {"net": net, "squares": squares, "data_cost": data_cost, "accuracy": accuracy}


def plot(X: np.ndarray, y: np.ndarray, runs: dict[float, dict[str, Any]]) -> Any:
    """ΣW² and the data cost over iterations for each λ, and each λ's boundary h = ½."""
    fig, axes = figure(3, width=4.8)
    name = {lam: f"λ = {lam:g}" for lam in runs}
    loss_curves(
        axes[0, 0],
        {name[k]: r["squares"] for k, r in runs.items()},
        xlabel="iteration",
        ylabel="Σ W²  (weights only)",
        title="weight decay shrinks W",
    )
    loss_curves(
        axes[0, 1],
        {name[k]: r["data_cost"] for k, r in runs.items()},
        xlabel="iteration",
        ylabel="(1/m) Σ ½‖h(x) − y‖²",
        log=True,
        title="what the decay costs in the data term",
    )
    ax = axes[0, 2]
    for c, color in zip((0, 1), CLASSES, strict=True):
        ax.scatter(*X[y == c].T, s=14, c=color, edgecolors="k", lw=0.3, label=f"y = {c}")
    xx, yy = np.meshgrid(np.linspace(-1.5, 2.5, 200), np.linspace(-1.0, 1.5, 200))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    for k, (lam, r) in enumerate(runs.items()):
        h = r["net"](grid).data.reshape(xx.shape)
        ax.contour(xx, yy, h, levels=[0.5], colors=[f"C{k}"], linewidths=1.5)
        ax.plot([], [], color=f"C{k}", label=f"h = ½, {name[lam]}")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title("decision boundaries")
    ax.legend(fontsize=7)
    return fig


def main(argv: Sequence[str] | None = None) -> Result:
    """UFLDL's loop against the engine, then λ's effect; returns the gap and each λ's run."""
    args = parse_args("ufldl", __doc__, argv)
    out = out_dir(args.out)
    title("UFLDL's batch gradient descent, as written, against the engine")
    X, y = nn.data.make_moons(100, noise=0.1, rng=args.seed)
    Y = y[:, None].astype(float)
    iterations, steps = (5, 800) if args.fast else (20, 3000)
    equation(f"layers s_l = {SIZES}, sigmoid f; Normal(0, ε²) start, ε = {EPSILON}")
    equation(f"m = {len(X)} moons, α = {ALPHA:g}")

    lam = 1e-2
    section(f"1. {iterations} iterations, λ = {lam:g}: the loop over i against J.backward()")
    equation("ΔW(l) := ΔW(l) + δ(l+1) a(l)ᵀ,  Δb(l) := Δb(l) + δ(l+1),  i = 1..m")
    equation("W(l) := W(l) − α[(1/m) ΔW(l) + λ W(l)],  b(l) := b(l) − α (1/m) Δb(l)")
    equation("engine: J = (1/m) Σ ½‖h − y‖² + (λ/2)ΣW²;  θ := θ − α ∇θ J")
    gap = as_written(X, Y, lam, iterations, args.seed)
    equation("largest |θ_UFLDL − θ_engine| over the iterations", f"{gap:.1e}")

    section(f"2. What λ does: {steps} iterations for each λ")
    print(f"  {'λ':>8} {'Σ W²':>9} {'data cost':>10} {'accuracy':>9}")
    runs = {}
    for lam_k in LAMBDAS:
        r = train(X, Y, lam_k, steps, args.seed)
        runs[lam_k] = r
        squares, data_cost = r["squares"][-1], r["data_cost"][-1]
        print(f"  {lam_k:>8g} {squares:>9.3f} {data_cost:>10.4f} {r['accuracy']:>9.0%}")
    print("  A larger λ keeps the weights smaller (a flatter h, closer to ½) and pays for it in")
    print("  the data cost; the biases are not decayed (UFLDL's note).")
    files: list = []
    save_figure(plot(X, y, runs), out / "ufldl.png", files)
    return {
        "max_diff": gap,
        "runs": {lam_k: {k: v for k, v in r.items() if k != "net"} for lam_k, r in runs.items()},
        "files": files,
    }


if __name__ == "__main__":
    main()
