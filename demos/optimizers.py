"""Gradient descent and its variants on one problem: loss curves and paths side by side.

The course-club notes (001) describe a per-step "gradient update schedule": a rule that
rescales or transforms the gradient g before the parameters move, such as the normalised
step α·g/‖g‖ or AdaGrad, or a rule the user writes. The CS229 notes (003) give plain
gradient descent θ := θ − α∇J. This demo runs, from the same start on the same function,

    SGD         θ := θ − α g
    momentum    b := μ b + g,  θ := θ − α b
    AdaGrad     G := G + g²,   θ := θ − α g / (√G + ε)
    normalised  θ := θ − α_k g / ‖g‖,  α_k = α₀ γᵏ (a learning-rate schedule)
    Adam        m := β₁m + (1 − β₁)g,  v := β₂v + (1 − β₂)g²,  θ := θ − α m̂ / (√v̂ + ε)
    your rule   θ := θ − α_k sign(g)   (a function passed to nn.optim.GradientUpdate)

on a curved valley, J(x, y) = (1 − x)² + 5(y − x²)² (minimum J = 0 at (1, 1)), with the
gradient from the engine, and draws each optimizer's path and loss curve.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import nn
from autograd import Tensor

from ._common import Result, out_dir, parse_args, save_figure, section, title
from ._plots import figure, loss_curves

START = np.array([-1.5, 2.0])
MINIMUM = np.array([1.0, 1.0])


def valley(theta: Any) -> Any:
    """J(x, y) = (1 − x)² + 5(y − x²)², on a Tensor θ = (x, y) or on numpy grids."""
    x, y = theta[0], theta[1]
    return (1 - x) ** 2 + 5 * (y - x * x) ** 2


def sign_rule(grads: list[Any], lr: float, state: dict[str, Any]) -> list[Any]:
    """A gradient update schedule of one's own: step α·sign(g) in every coordinate."""
    return [lr * np.sign(g) for g in grads]


Make = Callable[[list[Tensor]], Any]
optim = nn.optim
#: name → (update, how to build the optimizer, learning-rate schedule or None)
OPTIMIZERS: dict[str, tuple[str, Make, Any]] = {
    "SGD": ("θ := θ − α g,  α = 0.02", lambda p: optim.SGD(p, lr=0.02), None),
    "momentum": (
        "b := 0.9 b + g,  θ := θ − α b,  α = 0.005",
        lambda p: optim.SGD(p, lr=0.005, momentum=0.9),
        None,
    ),
    "AdaGrad": ("θ := θ − α g/(√G + ε),  α = 0.5", lambda p: optim.Adagrad(p, lr=0.5), None),
    "normalised": (
        "θ := θ − α_k g/‖g‖,  α_k = 0.2·0.98ᵏ",
        lambda p: optim.GradientUpdate(p, rule="normalized", lr=0.2),
        lambda opt: optim.ExponentialLR(opt, gamma=0.98),
    ),
    "Adam": ("θ := θ − α m̂/(√v̂ + ε),  α = 0.1", lambda p: optim.Adam(p, lr=0.1), None),
    "sign (yours)": (
        "θ := θ − α_k sign(g),  α_k = 0.05·0.99ᵏ",
        lambda p: optim.GradientUpdate(p, rule=sign_rule, lr=0.05),
        lambda opt: optim.ExponentialLR(opt, gamma=0.99),
    ),
}


def descend(make: Make, schedule: Any, steps: int) -> tuple[list[float], np.ndarray]:
    """Run one optimizer from START; returns J per step and the path of θ (steps + 1, 2)."""
    theta = Tensor(START.copy(), requires_grad=True)
    opt = make([theta])
    sched = schedule(opt) if schedule is not None else None
    losses, path = [], [theta.data.copy()]
    for _ in range(steps):
        J = valley(theta)
        opt.zero_grad()
        J.backward()
        opt.step()
        if sched is not None:
            sched.step()
        losses.append(float(J.data))
        path.append(theta.data.copy())
    return losses, np.array(path)


def plot(paths: dict[str, np.ndarray], curves: dict[str, list[float]]) -> Any:
    """Every path on the contours of J, and every loss curve."""
    fig, axes = figure(2, width=5.2)
    ax = axes[0, 0]
    xx, yy = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-1, 3, 300))
    from matplotlib.colors import LogNorm

    levels = np.logspace(-2, 2.5, 16)
    contours = ax.contour(
        xx, yy, valley((xx, yy)), levels=levels, cmap="Greys", norm=LogNorm(), linewidths=0.6
    )
    fig.colorbar(contours, ax=ax, fraction=0.046, pad=0.04, label="J(x, y), contour levels")
    for name, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=1, label=name)
    ax.plot(*START, "ko")
    ax.plot(*MINIMUM, "k*", ms=12)
    ax.set_title("paths from ● to the minimum ★")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=8)
    loss_curves(
        axes[0, 1],
        curves,
        xlabel="step",
        ylabel="J(x, y) (log scale)",
        log=True,
        title="J(x, y) = (1 − x)² + 5(y − x²)²",
    )
    return fig


def main(argv: Sequence[str] | None = None) -> Result:
    """Run every optimizer; returns the final J and distance to the minimum of each."""
    args = parse_args("optimizers", __doc__, argv)
    out = out_dir(args.out)
    steps = 60 if args.fast else 200
    title("Optimizers on one problem")
    J0 = float(valley(START))
    print(f"  J(x, y) = (1 − x)² + 5(y − x²)²,  start (x, y) = (-1.5, 2), J = {J0:g}")
    print(f"  minimum J = 0 at (1, 1); {steps} steps each, g = ∂J/∂θ from J.backward()")
    section("Update rules and where they got")
    print(f"  {'optimizer':<13} {'update':<42} {'final J':>10} {'‖θ − θ*‖':>9}")
    paths, curves, final = {}, {}, {}
    for name, (update, make, schedule) in OPTIMIZERS.items():
        losses, path = descend(make, schedule, steps)
        paths[name], curves[name] = path, losses
        dist = float(np.linalg.norm(path[-1] - MINIMUM))
        final[name] = {"J": float(valley(path[-1])), "distance": dist}
        print(f"  {name:<13} {update:<42} {final[name]['J']:>10.2e} {dist:>9.3f}")
    files: list = []
    save_figure(plot(paths, curves), out / "optimizers.png", files)
    return {"start_J": J0, "final": final, "losses": curves, "files": files}


if __name__ == "__main__":
    main()
