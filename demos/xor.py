"""XOR: why a network needs a hidden layer *and* a non-linear activation.

The CS229 deep-learning notes (003, eqs. 2.16–2.20) ask why σ(z) = z is not used: with
linear activations a two-layer network collapses,

    h(x) = W[2] a[1] + b[2] = W[2] (W[1] x + b[1]) + b[2] = W̃ x + b̃,
    W̃ = W[2] W[1],  b̃ = W[2] b[1] + b[2],

one linear map, however many layers: the network "will simply perform linear regression".
No line separates XOR's four points (at most 3 of the 4 can be on the right side), so the
linear network cannot learn XOR; the same network with a tanh hidden layer can. The demo
trains both with the notes' squared loss and gradient descent, and shows the collapse on
two trained linear networks: on AND, where W̃ ≠ 0 and W̃x + b̃ is the least-squares line,
and on XOR, whose least-squares fit is flat (W̃ = 0, h = ½ on all four points: four ties,
neither right nor wrong). It draws the decision regions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd import Tensor

from ._common import (
    Result,
    equation,
    fmt,
    max_diff,
    out_dir,
    parse_args,
    save_figure,
    section,
    title,
)
from ._plots import decision_boundary, figure, loss_curves

#: The four XOR points and their labels: y = x₁ XOR x₂ (and y = x₁ AND x₂).
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([0.0, 1.0, 1.0, 0.0])
Y_AND = np.array([0.0, 0.0, 0.0, 1.0])

#: |h − ½| below this is a tie: the point sits on the boundary, neither side.
TIE = 1e-6


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


def train(model: TwoLayer, steps: int, lr: float, targets: np.ndarray = Y) -> list[float]:
    """Gradient descent on J = (1/4) Σ ½(h(x) − y)²; returns J per step."""
    losses = []
    for _ in range(steps):
        J = (0.5 * (model(X) - targets) ** 2).mean()
        for p in model.params():
            p.grad = None
        J.backward()
        for p in model.params():
            p.data -= lr * p.grad
        losses.append(float(J.data))
    return losses


def verdicts(model: TwoLayer, targets: np.ndarray = Y) -> dict[str, int]:
    """How many of the four points are right, wrong, or tied on the boundary h = ½."""
    h = model(X).data
    tie = np.abs(h - 0.5) < TIE
    right = ~tie & ((h > 0.5) == (targets == 1))
    return {"right": int(right.sum()), "wrong": int((~tie & ~right).sum()), "ties": int(tie.sum())}


def collapse(model: TwoLayer, targets: np.ndarray) -> dict[str, np.ndarray | float]:
    """W̃ = W[2]W[1], b̃ = W[2]b[1] + b[2], how far h is from W̃x + b̃, and the best line."""
    W_tilde = model.W2.data @ model.W1.data
    b_tilde = model.W2.data @ model.b1.data + model.b2.data
    gap = float(np.max(np.abs(model(X).data - (X @ W_tilde.T + b_tilde).ravel())))
    design = np.column_stack([X, np.ones(len(X))])
    line = np.linalg.lstsq(design, targets, rcond=None)[0]  # least squares: (w₁, w₂, b)
    equation("W̃ = W[2] W[1]", W_tilde.ravel())
    equation("b̃ = W[2] b[1] + b[2]", b_tilde)
    equation("max |h(x) − (W̃x + b̃)|", f"{gap:.1e}  (the network is one linear map)")
    equation("least-squares line (w₁, w₂, b) by lstsq", line)
    return {"W_tilde": W_tilde.ravel(), "b_tilde": float(b_tilde[0]), "gap": gap, "line": line}


def main(argv: Sequence[str] | None = None) -> Result:
    """Train linear and tanh networks on XOR (and linear on AND); returns what each shows."""
    args = parse_args("xor", __doc__, argv)
    out = out_dir(args.out)
    rng = np.random.default_rng(args.seed)
    steps = 500 if args.fast else 2000
    title("XOR needs a hidden layer and a non-linearity")
    equation("y = x₁ XOR x₂ on (0,0), (0,1), (1,0), (1,1)", Y)
    equation("J = (1/4) Σ ½(h(x) − y)²,  gradient descent, α = 0.5, steps", steps)

    section("1. Two layers, linear activation σ(z) = z, on AND: the collapse with W̃ ≠ 0")
    equation("y = x₁ AND x₂", Y_AND)
    linear_and = TwoLayer(4, "identity", rng)
    and_losses = train(linear_and, steps, 0.5, Y_AND)
    and_collapse = collapse(linear_and, Y_AND)
    line_gap = max_diff([*and_collapse["W_tilde"], and_collapse["b_tilde"]], and_collapse["line"])
    equation("max |(W̃, b̃) − least-squares (w₁, w₂, b)|", f"{line_gap:.1e}")
    and_verdicts = verdicts(linear_and, Y_AND)
    equation("right / wrong / ties at h = ½", "{right} / {wrong} / {ties}".format(**and_verdicts))
    print("  Trained, the two layers are the least-squares line: linear regression, as the")
    print("  notes say. AND is linearly separable, so the line gets all four right.")

    section("2. The same linear network on XOR")
    linear = TwoLayer(4, "identity", rng)
    lin_losses = train(linear, steps, 0.5)
    xor_collapse = collapse(linear, Y)
    equation("h(x) on the four points", linear(X).data)
    lin = verdicts(linear)
    lin_acc = lin["right"] / 4
    equation("final J", lin_losses[-1])
    equation("right / wrong / ties at h = ½", "{right} / {wrong} / {ties}".format(**lin))
    equation("accuracy (a tie is not right)", f"{lin_acc:.0%}  (any line gets at most 3 of 4)")
    print("  XOR's least-squares line is flat, W̃ = 0 and b̃ = ½: h = ½ on every point, so")
    print("  every point is a tie, on the boundary, decided neither way.")

    section("3. The same network with a tanh hidden layer, on XOR")
    deep = TwoLayer(4, "tanh", rng)
    tanh_losses = train(deep, steps, 0.5)
    tanh_verdicts = verdicts(deep)
    tanh_acc = tanh_verdicts["right"] / 4
    equation("a[1] = tanh(W[1] x + b[1]),  h = W[2] a[1] + b[2]")
    equation("h(x) on the four points", fmt(deep(X).data))
    equation("final J", tanh_losses[-1])
    equation("right / wrong / ties at h = ½", "{right} / {wrong} / {ties}".format(**tanh_verdicts))
    equation("accuracy", f"{tanh_acc:.0%}")

    fig, axes = figure(2, width=5.2, height=4.4, nrows=2)
    panels = [
        (axes[0, 0], linear_and, Y_AND, "AND, linear: h = W̃x + b̃"),
        (axes[0, 1], linear, Y, "XOR, linear: h = ½ everywhere (4 ties)"),
        (axes[1, 0], deep, Y, "XOR, tanh hidden layer"),
    ]
    for ax, model, targets, name in panels:
        decision_boundary(
            ax,
            lambda P, m=model: m(P).data,
            X,
            targets,
            name,
            0.5,
            shade=(0.0, 1.0),
            shade_label="network output h(x)",
            size=60,
        )
    curves = {
        "AND, σ(z) = z": and_losses,
        "XOR, σ(z) = z": lin_losses,
        "XOR, σ = tanh": tanh_losses,
    }
    loss_curves(
        axes[1, 1], curves, log=True, ylabel="J = (1/4) Σ ½(h − y)²", title="J during training"
    )
    files: list = []
    save_figure(fig, out / "xor.png", files)
    return {
        "linear_accuracy": lin_acc,
        "linear_verdicts": lin,
        "tanh_accuracy": tanh_acc,
        "collapse_diff": max(xor_collapse["gap"], and_collapse["gap"]),
        "and_collapse": and_collapse,
        "and_line_gap": line_gap,
        "and_verdicts": and_verdicts,
        "xor_collapse": xor_collapse,
        "files": files,
    }


if __name__ == "__main__":
    main()
