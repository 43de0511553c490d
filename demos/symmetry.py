"""Symmetry breaking: hidden units that start equal stay equal; a random start splits them.

UFLDL (002): "it is important to initialize the parameters randomly, rather than to all
0's. If all the parameters start off at identical values, then all the hidden layer units
will end up learning the same function of the input (more formally, W(1)ji will be the same
for all values of i, so that a1(2) = a2(2) = a3(2) = ...)". UFLDL draws each parameter from
Normal(0, ε²) with ε = 0.01 instead; CS229 (003, Algorithm 1) says "Initialize θ randomly".

The demo trains UFLDL's network, sigmoid hidden and output units with the cost
J = (1/m) Σᵢ ½‖a(i) − y(i)‖², by batch gradient descent on the two moons, twice: from all
zeros and from Normal(0, 0.01²). Every hidden unit j of the zero start gets the same
gradient at every step (the same inputs, the same weights, the same share of δ), so the
rows of W[1] stay equal to the last bit, and the network is, for ever, a network of one
hidden unit. Writes ``symmetry.png``: each hidden unit's two weights over training, for
both starts, and the cost J.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import nn

from ._common import Result, equation, out_dir, parse_args, save_figure, section, title
from ._nets import Net, half_squared_error
from ._plots import figure, loss_curves

#: Hidden units, learning rate α and UFLDL's ε.
HIDDEN, ALPHA, EPSILON = 4, 10.0, 0.01


def distinct_units(net: Net) -> int:
    """How many different hidden units there are: distinct rows of [W[1] | b[1] | W[2]ᵀ].

    Rows equal to 9 decimals count as one (a matrix product may round rows differently).
    """
    (W1, b1), (W2, _) = net.layers
    rows = np.column_stack([W1.data, b1.data, W2.data.T])
    return len({tuple(r) for r in np.round(rows, 9).tolist()})


def train(init: str | float, X: np.ndarray, y: np.ndarray, steps: int, seed: int) -> dict:
    """Batch gradient descent from ``init``; W[1] after every step, J, accuracy."""
    net = Net((2, HIDDEN, 1), ("sigmoid", "sigmoid"), init, np.random.default_rng(seed))
    W1 = net.layers[0][0]
    history, losses = [W1.data.copy()], []
    for _ in range(steps):
        J = half_squared_error(net(X), y)
        net.zero_grad()
        J.backward()
        net.step(ALPHA)
        losses.append(float(J.data))
        history.append(W1.data.copy())
    path = np.array(history)  # (steps + 1, hidden, inputs)
    spread = float(np.max(np.ptp(path, axis=1)))  # largest gap between two units' weights
    accuracy = nn.accuracy((net(X).data.ravel() > 0.5).astype(int), y)
    return {
        "path": path,
        "losses": losses,
        "spread": spread,
        "distinct": distinct_units(net),
        "accuracy": accuracy,
    }


def plot(runs: dict[str, dict]) -> Any:
    """Each hidden unit's weights W[1]j1 (solid) and W[1]j2 (dashed) over steps; J."""
    from matplotlib.lines import Line2D

    fig, axes = figure(3, width=4.8)
    for ax, (name, r) in zip(axes[0], runs.items(), strict=False):
        steps = np.arange(len(r["path"]))
        for j in range(HIDDEN):
            # Wider lines first: units that coincide still show as nested strokes.
            lw = 1.0 + 1.2 * (HIDDEN - j)
            ax.plot(steps, r["path"][:, j, 0], color=f"C{j}", lw=lw, label=f"unit {j + 1}")
            ax.plot(steps, r["path"][:, j, 1], color=f"C{j}", lw=lw, ls="--")
        handles = ax.get_legend_handles_labels()[0] + [
            Line2D([], [], color="grey", label="solid: W[1]j1 (from x₁)"),
            Line2D([], [], color="grey", ls="--", label="dashed: W[1]j2 (from x₂)"),
        ]
        ax.set_xlabel("gradient-descent step")
        ax.set_ylabel("hidden unit's weight W[1]ji")
        ax.set_title(f"{name}: {r['distinct']} distinct unit(s)")
        ax.legend(handles=handles, fontsize=7, ncol=2)
    loss_curves(
        axes[0, 2],
        {name: r["losses"] for name, r in runs.items()},
        xlabel="gradient-descent step",
        ylabel="J = (1/m) Σ ½‖a − y‖²",
        log=True,
        title="cost J",
    )
    return fig


def main(argv: Sequence[str] | None = None) -> Result:
    """Train from zeros and from Normal(0, ε²); returns both runs' spreads, units and J."""
    args = parse_args("symmetry", __doc__, argv)
    out = out_dir(args.out)
    steps = 800 if args.fast else 3000
    title("Symmetry breaking: why the weights start random")
    X, y = nn.data.make_moons(100, noise=0.1, rng=args.seed)
    equation(f"network: 2 inputs, {HIDDEN} sigmoid hidden units, 1 sigmoid output")
    equation("J = (1/m) Σᵢ ½‖a(i) − y(i)‖²,  m = 100 moons, labels y ∈ {0, 1}")
    equation(f"batch gradient descent, α = {ALPHA:g}, steps", steps)
    runs = {}
    for name, init in [("all zeros", "zeros"), (f"Normal(0, {EPSILON}²)", EPSILON)]:
        section(f"Start: {name}")
        r = train(init, X, y, steps, args.seed)
        runs[name] = r
        equation("largest |W[1]j − W[1]k| between two units, any step", f"{r['spread']:.3g}")
        equation("distinct hidden units after training", f"{r['distinct']} of {HIDDEN}")
        equation("final J", r["losses"][-1])
        equation("training accuracy (a > ½ ⇔ y = 1)", f"{r['accuracy']:.0%}")
    section("What this shows")
    zero = runs["all zeros"]
    print(f"  From zeros, the {HIDDEN} hidden units move (their weights change) but never apart:")
    print(f"  the largest gap between two of them is {zero['spread']:g}. Each unit gets the same")
    print("  gradient, since δ[1]j = W[2]j δ[2] σ′(z[1]j) is the same for every j. The network")
    print("  stays one hidden unit copied four times. Normal(0, ε²) makes the units differ from")
    print("  the start, so their gradients differ and they learn different features.")
    files: list = []
    save_figure(plot(runs), out / "symmetry.png", files)
    return {
        "zeros": {k: v for k, v in zero.items() if k != "path"},
        "normal": {k: v for k, v in runs[f"Normal(0, {EPSILON}²)"].items() if k != "path"},
        "moved": float(np.max(np.abs(zero["path"][-1]))),
        "files": files,
    }


if __name__ == "__main__":
    main()
