"""Logistic regression as a one-layer sigmoid network: the engine's gradient is the closed form.

The CS229 additional notes (000) suggest a sanity check of the backpropagation recipe:
logistic regression is the network with N = 1 layer and g[1] = σ. With
ŷ = σ(z), z = wᵀx + b and L = −(y log ŷ + (1 − y) log(1 − ŷ)), the chain rule with
σ′(z) = σ(z)(1 − σ(z)) collapses to

    δ = ∂L/∂z = ŷ − y,    ∇w L = (ŷ − y) x,    ∇b L = ŷ − y

and over a batch of n examples (rows of X), J = (1/n) Σ L gives ∇w J = (1/n) Xᵀ(ŷ − y).
The demo checks both forms against the engine (`Value` for one example, `Tensor` for the
batch), then trains by gradient descent, checking the closed form at every step.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd import Tensor, Value

from ._common import Result, compare, equation, out_dir, parse_args, save_figure, section, title
from ._plots import decision_boundary, figure, loss_curves


def blobs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping Gaussian clouds in the plane, labels 0 and 1 (n/2 each)."""
    y = np.repeat([0.0, 1.0], n // 2)
    centers = np.array([[-1.0, -0.5], [1.0, 0.7]])
    X = centers[y.astype(int)] + rng.normal(0.0, 0.8, (len(y), 2))
    return X, y


def one_example(x: np.ndarray, y: float, w: np.ndarray, b: float) -> float:
    """Value engine, one example: the recipe's steps (1) and (3) for N = 1."""
    section("1. One example on the Value engine (the notes' sanity check)")
    wv = [Value(wi, label=f"w{i + 1}") for i, wi in enumerate(w)]
    bv = Value(b, label="b")
    z = sum((wi * xi for wi, xi in zip(wv, x.tolist(), strict=True)), bv)
    y_hat = z.sigmoid()
    L = -(y * y_hat.log() + (1 - y) * (1 - y_hat).log())
    L.backward()
    equation("z = wᵀx + b", z.data)
    equation("ŷ = σ(z)", y_hat.data)
    equation(f"L = −(y log ŷ + (1 − y) log(1 − ŷ)),  y = {y:g}", L.data)
    delta = y_hat.data - y
    return max(
        compare("δ = ŷ − y", delta, "z.grad", z.grad),
        compare("∇w L = (ŷ − y) x", delta * x, "w.grad", [wi.grad for wi in wv]),
        compare("∇b L = ŷ − y", delta, "b.grad", bv.grad),
    )


def batch_gradient(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float
) -> tuple[float, float, Tensor, Tensor, np.ndarray]:
    """Tensor engine over the batch: J, and the gap between closed form and engine."""
    wt, bt = Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)
    y_hat = (Tensor(X) @ wt + bt).sigmoid()
    J = -(y * y_hat.log() + (1 - y) * (1 - y_hat).log()).mean()
    J.backward()
    residual = y_hat.data - y
    grad_w = X.T @ residual / len(y)  # (1/n) Xᵀ(ŷ − y)
    grad_b = residual.mean()
    gap = max(np.max(np.abs(grad_w - wt.grad)), abs(grad_b - float(bt.grad)))
    return float(J.data), float(gap), wt, bt, grad_w


def main(argv: Sequence[str] | None = None) -> Result:
    """Check the closed form, then train; returns ``{"max_diff", "accuracy", "files", ...}``."""
    args = parse_args("logistic", __doc__, argv)
    out = out_dir(args.out)
    rng = np.random.default_rng(args.seed)
    title("Logistic regression: a one-layer sigmoid network")
    X, y = blobs(100, rng)
    w, b = rng.normal(0.0, 0.5, 2), 0.0

    diff_one = one_example(X[-1], float(y[-1]), w, b)

    section("2. The whole batch on the Tensor engine")
    J, _, wt, bt, grad_w = batch_gradient(X, y, w, b)
    equation("J = (1/n) Σᵢ L(ŷ(i), y(i)),  n = " + str(len(y)), J)
    diff_batch = compare("∇w J = (1/n) Xᵀ(ŷ − y)", grad_w, "w.grad", wt.grad)

    steps, lr = (60 if args.fast else 300), 0.5
    section(f"3. Gradient descent, {steps} steps of w := w − α ∇w J, α = {lr}")
    losses, worst_step = [], 0.0
    for _ in range(steps):
        J, gap, wt, bt, _ = batch_gradient(X, y, w, b)
        losses.append(J)
        worst_step = max(worst_step, gap)
        w, b = w - lr * wt.grad, b - lr * float(bt.grad)
    accuracy = float(np.mean(((X @ w + b) > 0) == (y == 1)))
    equation("final J", losses[-1])
    equation("training accuracy (ŷ > ½ ⇔ z > 0)", f"{accuracy:.0%}")
    equation("largest |closed form − engine| over all steps", f"{worst_step:.1e}")

    fig, axes = figure(2)
    decision_boundary(axes[0, 0], lambda P: P @ w + b, X, y, "the boundary z = wᵀx + b = 0")
    loss_curves(
        axes[0, 1],
        {"J": losses},
        xlabel="gradient-descent step",
        ylabel="J = (1/n) Σ L(ŷ, y)",
        title="cross-entropy during training",
    )
    files: list = []
    save_figure(fig, out / "logistic.png", files)
    worst = max(diff_one, diff_batch, worst_step)
    print(f"\n  the engine's gradient equals the closed form to {worst:.1e}")
    return {"max_diff": worst, "accuracy": accuracy, "losses": losses, "files": files}


if __name__ == "__main__":
    main()
