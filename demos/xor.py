"""XOR: why a network needs a hidden layer *and* a non-linear activation.

The CS229 deep-learning notes (003, eqs. 2.16–2.20) ask why σ(z) = z is not used: with
linear activations a two-layer network collapses,

    h(x) = W[2] a[1] + b[2] = W[2] (W[1] x + b[1]) + b[2] = W̃ x + b̃,
    W̃ = W[2] W[1],  b̃ = W[2] b[1] + b[2],

one linear map, however many layers. No line separates XOR's four points (at most 3 of the
4 can be on the right side), so the linear network cannot learn XOR; the same network
with a tanh hidden layer can. The demo trains both with the notes' squared loss and
gradient descent, shows that the trained linear network is exactly W̃x + b̃, and draws
both decision regions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd import Tensor

from ._common import Result, equation, fmt, out_dir, parse_args, save_figure, section, title
from ._plots import decision_boundary, figure, loss_curves

#: The four XOR points and their labels: y = x₁ XOR x₂.
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([0.0, 1.0, 1.0, 0.0])


class TwoLayer:
    """h(x) = W[2] g(W[1] x + b[1]) + b[2] with examples as rows (Z = X W[1]ᵀ + b[1])."""

    def __init__(self, hidden: int, activation: str, rng: np.random.Generator) -> None:
        self.activation = activation
        self.W1 = Tensor(rng.normal(0.0, 0.5, (hidden, 2)), requires_grad=True)
        self.b1 = Tensor(np.zeros(hidden), requires_grad=True)
        self.W2 = Tensor(rng.normal(0.0, 0.5, (1, hidden)), requires_grad=True)
        self.b2 = Tensor(np.zeros(1), requires_grad=True)

    def params(self) -> list[Tensor]:
        return [self.W1, self.b1, self.W2, self.b2]

    def __call__(self, x: np.ndarray | Tensor) -> Tensor:
        z = Tensor(x) @ self.W1.T + self.b1
        a = z if self.activation == "identity" else z.tanh()
        return (a @ self.W2.T + self.b2).reshape(-1)


def train(model: TwoLayer, steps: int, lr: float) -> list[float]:
    """Gradient descent on J = (1/4) Σ ½(h(x) − y)²; returns J per step."""
    losses = []
    for _ in range(steps):
        J = (0.5 * (model(X) - Y) ** 2).mean()
        for p in model.params():
            p.grad = None
        J.backward()
        for p in model.params():
            p.data -= lr * p.grad
        losses.append(float(J.data))
    return losses


def accuracy(model: TwoLayer, margin: float = 1e-6) -> float:
    """Share of the four points on their class's side of h = ½ (a tie at ½ counts as wrong)."""
    return float(np.mean(np.abs(model(X).data - Y) < 0.5 - margin))


def main(argv: Sequence[str] | None = None) -> Result:
    """Train linear and tanh networks on XOR; returns accuracies and the collapse gap."""
    args = parse_args("xor", __doc__, argv)
    out = out_dir(args.out)
    rng = np.random.default_rng(args.seed)
    steps = 500 if args.fast else 2000
    title("XOR needs a hidden layer and a non-linearity")
    equation("y = x₁ XOR x₂ on (0,0), (0,1), (1,0), (1,1)", Y)
    equation("J = (1/4) Σ ½(h(x) − y)²,  gradient descent, α = 0.5, steps", steps)

    section("1. Two layers, linear activation σ(z) = z")
    linear = TwoLayer(4, "identity", rng)
    lin_losses = train(linear, steps, 0.5)
    W_tilde = linear.W2.data @ linear.W1.data
    b_tilde = linear.W2.data @ linear.b1.data + linear.b2.data
    collapse = float(np.max(np.abs(linear(X).data - (X @ W_tilde.T + b_tilde).ravel())))
    equation("W̃ = W[2] W[1]", W_tilde.ravel())
    equation("b̃ = W[2] b[1] + b[2]", b_tilde)
    equation("max |h(x) − (W̃x + b̃)|", f"{collapse:.1e}  (the network is one linear map)")
    equation("h(x) on the four points", linear(X).data)
    lin_acc = accuracy(linear)
    equation("final J", lin_losses[-1])
    equation("accuracy", f"{lin_acc:.0%}  (any line gets at most 3 of 4 right)")
    print("  The best linear fit under squared loss is the mean: h(x) = ½ for every point.")

    section("2. The same network with a tanh hidden layer")
    deep = TwoLayer(4, "tanh", rng)
    tanh_losses = train(deep, steps, 0.5)
    tanh_acc = accuracy(deep)
    equation("a[1] = tanh(W[1] x + b[1]),  h = W[2] a[1] + b[2]")
    equation("h(x) on the four points", fmt(deep(X).data))
    equation("final J", tanh_losses[-1])
    equation("accuracy", f"{tanh_acc:.0%}")

    fig, axes = figure(3)
    for ax, model, name in [
        (axes[0, 0], linear, "linear: h = W̃x + b̃ = ½"),
        (axes[0, 1], deep, "tanh hidden layer"),
    ]:
        decision_boundary(ax, lambda P, m=model: m(P).data, X, Y, name, 0.5, shade=(0.0, 1.0))
    curves = {"σ(z) = z": lin_losses, "σ = tanh": tanh_losses}
    loss_curves(axes[0, 2], curves, log=True, title="J during training")
    files: list = []
    save_figure(fig, out / "xor.png", files)
    return {
        "linear_accuracy": lin_acc,
        "tanh_accuracy": tanh_acc,
        "collapse_diff": collapse,
        "files": files,
    }


if __name__ == "__main__":
    main()
