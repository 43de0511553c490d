"""House prices: the notes' single ReLU neuron, then their two-layer networks.

CS229 deep-learning notes (003), §2, in three steps:

1. One neuron for price against size (eq. 2.1), with the least-squares cost (1.1–1.2):
   h(x) = max(w x + b, 0),   J = (1/n) Σᵢ ½(h(x(i)) − y(i))².
   Trained with mini-batch SGD on the value engine, each epoch a new random partition of
   the houses into batches (the course-club notes' scheme, 001).
2. Four features (size, bedrooms, zip code, wealth) and the network of Figure 2 (eq. 2.3):
   three hidden ReLU units that each read only the inputs the notes give them
   (family size ← size, bedrooms; walkable ← zip code; school quality ← zip code, wealth).
3. The fully connected two-layer network (eqs. 2.5–2.6): every hidden unit reads every
   input, so no prior knowledge is needed (Figure 2's network is the one with 3 units and
   some weights held at 0).

Both two-layer networks are trained by Adam (α = 0.05, on all training houses at once),
not by the plain SGD of step 1: a choice of this demo (the notes leave the optimizer open,
"GD, SGD, or their variants"; ``python -m demos.optimizers`` compares them). The
neuron and both networks are compared with a straight line (linear least squares), the
fit the notes start from, on the same houses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import nn
from autograd import Tensor, Value

from ._common import Result, equation, out_dir, parse_args, save_figure, section, title
from ._plots import figure, loss_curves

#: Hidden units of the fully connected network.
HIDDEN = 8

#: Figure 2 of the notes: which inputs (size, bedrooms, zip code, wealth) each hidden unit reads.
FIGURE2 = np.array(
    [
        [1.0, 1.0, 0.0, 0.0],  # a1, family size: size and bedrooms
        [0.0, 0.0, 1.0, 0.0],  # a2, walkable: zip code
        [0.0, 0.0, 1.0, 1.0],  # a3, school quality: zip code and wealth
    ]
)


def single_neuron(epochs: int, seed: int) -> dict[str, Any]:
    """Fit h(x) = max(w x + b, 0) with Value parameters and mini-batch SGD."""
    section("1. A single neuron: h(x) = max(w x + b, 0)   (eq. 2.1)")
    X, y = nn.data.make_housing(60, n_features=1, noise=0.1, rng=seed)
    x = X[:, 0]
    # A neuron with w x + b < 0 on every house would get no gradient (a "dead" ReLU), so
    # start it on the active side.
    w, b = Value(1.0, label="w"), Value(0.0, label="b")
    opt = nn.optim.SGD([w, b], lr=0.1)
    losses, rng = [], np.random.default_rng(seed)
    for _ in range(epochs):  # a random partition each epoch: every house once (001's scheme)
        for xb, yb in nn.data.batches(x, y, batch_size=10, rng=rng):
            h = [(w * xi + b).relu() for xi in xb.tolist()]
            J = sum(0.5 * (hi - yi) ** 2 for hi, yi in zip(h, yb.tolist(), strict=True))
            J = J / len(xb)
            opt.zero_grad()
            J.backward()
            opt.step()
        h_all = np.maximum(w.data * x + b.data, 0.0)
        losses.append(float(np.mean(0.5 * (h_all - y) ** 2)))
    equation("data: price (in $100k) against size (in 1000 sq ft), houses", len(y))
    equation("J = (1/n) Σ ½(h(x) − y)²,  SGD α = 0.1, batches of 10, epochs", epochs)
    equation("learned w", w.data)
    equation("learned b", b.data)
    equation("the kink: price 0 below size −b/w", -b.data / w.data)
    equation("final J", losses[-1])
    # The straight line the notes fitted before (least squares, h = θ₁x + θ₀), for comparison.
    line = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    line_J = float(np.mean(0.5 * (line[0] * x + line[1] - y) ** 2))
    equation("straight line h = θ₁x + θ₀ (least squares), J", line_J)
    return {
        "x": x,
        "y": y,
        "w": w.data,
        "b": b.data,
        "losses": losses,
        "line": line,
        "line_J": line_J,
    }


def two_layer(
    A_train: np.ndarray,
    y_train: np.ndarray,
    mask: np.ndarray,
    steps: int,
    rng: np.random.Generator,
    positive: bool = False,
) -> tuple[list[Tensor], list[float]]:
    """h(x) = W[2] ReLU((mask ⊙ W[1]) x + b[1]) + b[2], trained by Adam on ½-squared error.

    ``positive`` starts the weights positive: the notes' features grow with their inputs.
    """
    m, d = mask.shape
    # Adam on the full batch (the module docstring says so, and the printout).
    W1, W2 = rng.normal(0.0, 0.5, (m, d)), rng.normal(0.0, 0.5, (1, m))
    if positive:
        W1, W2 = np.abs(W1), np.abs(W2)
    W1 = Tensor(W1 * mask, requires_grad=True)
    # Units start alive (b[1] > 0) and the output at the mean price, so that the first
    # large steps do not push a unit to z < 0 on every house, where ReLU passes no gradient.
    b1 = Tensor(np.full(m, 0.5), requires_grad=True)
    W2 = Tensor(W2, requires_grad=True)
    b2 = Tensor(np.full(1, y_train.mean()), requires_grad=True)
    params = [W1, b1, W2, b2]
    opt = nn.optim.Adam(params, lr=0.05)
    losses = []
    for _ in range(steps):
        J = nn.losses.half_squared_error(predict(params, mask, A_train), y_train)
        opt.zero_grad()
        J.backward()
        opt.step()
        losses.append(float(J.data))
    return params, losses


def predict(params: list[Tensor], mask: np.ndarray, A: np.ndarray) -> Tensor:
    """The network's prices for the rows of A: Z = A (mask ⊙ W[1])ᵀ + b[1], h = a W[2]ᵀ + b[2]."""
    W1, b1, W2, b2 = params
    a = (Tensor(A) @ (W1 * mask).T + b1).relu()
    return (a @ W2.T + b2).reshape(-1)


def networks(steps: int, seed: int) -> dict[str, Any]:
    """Figure 2's network and the fully connected one on four features, against a line."""
    X, y = nn.data.make_housing(400, n_features=4, noise=0.1, rng=seed)
    X_train, X_test, y_train, y_test = nn.data.train_test_split(X, y, test_size=0.25, rng=seed)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    A_train, A_test = (X_train - mean) / std, (X_test - mean) / std
    rng = np.random.default_rng(seed)

    def test_J(pred: np.ndarray) -> float:
        return float(np.mean(0.5 * (pred - y_test) ** 2))

    section("2. Four features, the network of Figure 2   (eq. 2.3)")
    equation(
        "x = (size, bedrooms, zip code, wealth); train / test houses",
        f"{len(y_train)} / {len(y_test)}",
    )
    equation("a1 = ReLU(θ1 x1 + θ2 x2 + θ3)   family size")
    equation("a2 = ReLU(θ4 x3 + θ5)           walkable")
    equation("a3 = ReLU(θ6 x3 + θ7 x4 + θ8)   school quality")
    equation("h(x) = θ9 a1 + θ10 a2 + θ11 a3 + θ12")
    equation(
        f"trained by Adam, α = 0.05, all {len(y_train)} training houses per step, steps", steps
    )
    print("  (weights start positive: each feature grows with its inputs, as the notes tell it)")
    fig2, fig2_losses = two_layer(A_train, y_train, FIGURE2, steps, rng, positive=True)
    fig2_pred = predict(fig2, FIGURE2, A_test).data
    equation("test J = (1/n) Σ ½(h − y)²", test_J(fig2_pred))

    section("3. Fully connected: every hidden unit reads every input   (eqs. 2.5–2.6)")
    equation("z = W[1] x + b[1],  a = ReLU(z),  h(x) = W[2] a + b[2]")
    equation("trained by Adam, α = 0.05, full batch, steps", steps)
    full_mask = np.ones((HIDDEN, 4))
    full, full_losses = two_layer(A_train, y_train, full_mask, steps, rng)
    full_pred = predict(full, full_mask, A_test).data
    equation(f"m = {HIDDEN} hidden units, random signs; test J", test_J(full_pred))

    # The baseline: the best straight line, h = θᵀx + θ0, by least squares.
    design = np.column_stack([A_train, np.ones(len(A_train))])
    theta = np.linalg.lstsq(design, y_train, rcond=None)[0]
    line_pred = np.column_stack([A_test, np.ones(len(A_test))]) @ theta
    section("Against a straight line")
    equation("linear regression h = θᵀx + θ0, test J", test_J(line_pred))
    equation("Figure 2's network, test J", test_J(fig2_pred))
    equation("fully connected network, test J", test_J(full_pred))
    equation("the noise in the prices alone: ½σ², σ = 0.1", 0.005)
    print("  The line cannot bend where a feature switches on (the ReLU kinks); both")
    print("  networks can, and come close to the noise level.")
    return {
        "test_J": {
            "line": test_J(line_pred),
            "figure2": test_J(fig2_pred),
            "full": test_J(full_pred),
        },
        "losses": {"Figure 2's network": fig2_losses, "fully connected": full_losses},
        "y_test": y_test,
        "pred": {
            "straight line": line_pred,
            "Figure 2's network": fig2_pred,
            "fully connected": full_pred,
        },
        "named_J": {
            "straight line": test_J(line_pred),
            "Figure 2's network": test_J(fig2_pred),
            "fully connected": test_J(full_pred),
        },
    }


def plot(neuron: dict[str, Any], nets: dict[str, Any]) -> Any:
    """The neuron's kink against a line, the training curves, and each model's test prices."""
    fig, axes = figure(3, width=4.4, height=4.0, nrows=2)
    ax = axes[0, 0]
    ax.scatter(neuron["x"], neuron["y"], s=14, c="C0", label="houses")
    grid = np.linspace(neuron["x"].min(), neuron["x"].max(), 200)
    relu = np.maximum(neuron["w"] * grid + neuron["b"], 0.0)
    ax.plot(grid, relu, "C3", lw=2, label="h(x) = max(wx + b, 0)")
    theta1, theta0 = neuron["line"]
    ax.plot(grid, theta1 * grid + theta0, "k--", lw=1.2, label="straight line θ₁x + θ₀")
    ax.axhline(0.0, color="grey", lw=0.6)
    ax.set_xlabel("size x (1000 sq ft)")
    ax.set_ylabel("price y ($100k)")
    ax.set_title("one ReLU neuron against a line")
    ax.legend(fontsize=8)
    loss_curves(
        axes[0, 1],
        nets["losses"],
        log=True,
        xlabel="Adam step",
        ylabel="training J = (1/n) Σ ½(h − y)²",
        title="training J, two-layer networks",
    )
    ax = axes[0, 2]
    Js = list(nets["named_J"].values())
    ax.bar(range(3), Js, color=["C0", "C1", "C2"])
    ax.set_xticks(range(3), ["straight\nline", "Figure 2's\nnetwork", "fully\nconnected"])
    ax.axhline(0.005, color="k", ls=":", lw=1, label="the noise alone: ½σ² = 0.005")
    ax.set_ylabel("test J = (1/n) Σ ½(h − y)²")
    ax.set_title("held-out houses, four features")
    ax.legend(fontsize=8)
    y = nets["y_test"]
    everything = np.concatenate([y, *nets["pred"].values()])
    lo, hi = float(everything.min()) - 0.2, float(everything.max()) + 0.2
    for ax, (name, pred), color, marker in zip(
        axes[1], nets["pred"].items(), ["C0", "C1", "C2"], ["o", "^", "s"], strict=True
    ):
        ax.scatter(y, pred, s=12, c=color, marker=marker, label=name)
        ax.plot([lo, hi], [lo, hi], "k:", lw=1, label="predicted = true")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_xlabel("true price y ($100k)")
        ax.set_ylabel("predicted price h(x) ($100k)")
        ax.set_title(f"{name}, held-out houses")
        ax.legend(fontsize=8, loc="upper left")
    return fig


def main(argv: Sequence[str] | None = None) -> Result:
    """The neuron and both networks; returns their parameters, test costs and files."""
    args = parse_args("housing", __doc__, argv)
    out = out_dir(args.out)
    title("House prices: from one neuron to a two-layer network")
    neuron = single_neuron(40 if args.fast else 80, args.seed)
    nets = networks(400 if args.fast else 1000, args.seed)
    files: list = []
    save_figure(plot(neuron, nets), out / "housing.png", files)
    return {
        "neuron": {
            "w": neuron["w"],
            "b": neuron["b"],
            "J": neuron["losses"][-1],
            "line_J": neuron["line_J"],
        },
        "test_J": nets["test_J"],
        "files": files,
    }


if __name__ == "__main__":
    main()
