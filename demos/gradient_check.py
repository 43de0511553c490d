"""Gradient checking: the engine's ∂J/∂θ against central differences, and a bug it catches.

A derivative written by hand is checked against the definition of the derivative itself,

    ∂J/∂θᵢ ≈ (J(θ + ε eᵢ) − J(θ − ε eᵢ)) / 2ε,      error O(ε²),

which needs nothing but two evaluations of J per parameter: slow (2 evaluations per
parameter, against one backward pass for all of them, Theorem 3.1), but independent of
the backpropagation it checks. ``autograd.gradcheck(f, inputs)`` does it for every entry
of every input, in float64.

1. By hand for a few weights of a small sigmoid network with the notes' J, then
   ``gradcheck`` over all of its parameters.
2. A new op built with `autograd.Op` (as the README's "How to add an op"): the sigmoid
   σ(x) = 1/(1 + e⁻ˣ) with a deliberately wrong rule, σ′ = a instead of a(1 − a) (a
   forgotten factor). It runs, draws and trains without complaint; ``gradcheck`` names
   the input and the element where it is wrong. With the right rule it passes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from autograd import GradcheckError, Op, Tensor, Value, gradcheck

from ._common import Result, equation, parse_args, section, title
from ._nets import Net, half_squared_error


def _sigmoid_float(x: float) -> float:
    if x >= 0:  # the two forms never overflow
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))


def _sigmoid_array(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


#: σ with the right rule: ∂J/∂x = g · a(1 − a), a = σ(x) the op's output (UFLDL's f′).
MY_SIGMOID = Op(
    "my_sigmoid",
    "σ",
    scalar=_sigmoid_float,
    array=_sigmoid_array,
    grads=(lambda g, out, x: g * out * (1 - out),),
    local=("a·(1 − a)",),
)

#: The same op with a bug: the factor (1 − a) forgotten.
WRONG_SIGMOID = Op(
    "wrong_sigmoid",
    "σ?",
    scalar=_sigmoid_float,
    array=_sigmoid_array,
    grads=(lambda g, out, x: g * out,),  # wrong on purpose: σ′(x) is a(1 − a), not a
    local=("a",),
)


def by_hand(net: Net, X: np.ndarray, Y: np.ndarray, eps: float = 1e-6) -> float:
    """Central differences for a few weights, printed next to the engine's; largest gap."""
    J = half_squared_error(net(X), Y)
    net.zero_grad()
    J.backward()
    print(f"  {'parameter':<12} {'engine ∂J/∂θ':>14} {'(J(θ+ε) − J(θ−ε))/2ε':>24} {'|diff|':>9}")
    worst = 0.0
    for name, p, idx in [
        ("W[1]₁₁", 0, (0, 0)),
        ("W[1]₂₃", 0, (1, 2)),
        ("b[1]₂", 1, (1,)),
        ("W[2]₁₁", 2, (0, 0)),
        ("b[2]₁", 3, (0,)),
    ]:
        theta = net.params()[p]
        analytic = float(theta.grad[idx])
        base = theta.data[idx]
        theta.data[idx] = base + eps
        hi = float(half_squared_error(net(X), Y).data)
        theta.data[idx] = base - eps
        lo = float(half_squared_error(net(X), Y).data)
        theta.data[idx] = base
        numeric = (hi - lo) / (2 * eps)
        worst = max(worst, abs(analytic - numeric))
        print(f"  {name:<12} {analytic:>14.8f} {numeric:>24.8f} {abs(analytic - numeric):>9.1e}")
    return worst


def main(argv: Sequence[str] | None = None) -> Result:
    """Check a network by hand and with gradcheck, then catch the wrong op; returns both."""
    args = parse_args("gradient_check", __doc__, argv)
    rng = np.random.default_rng(args.seed)
    title("Gradient checking: backpropagation against central differences")
    equation("∂J/∂θᵢ ≈ (J(θ + ε eᵢ) − J(θ − ε eᵢ)) / 2ε,  ε = 1e-6, float64")

    section("1. A sigmoid network, J = (1/m) Σᵢ ½‖a(i) − y(i)‖²")
    net = Net((3, 4, 2), ("sigmoid", "sigmoid"), 0.7, rng)
    X, Y = rng.normal(size=(6, 3)), rng.uniform(size=(6, 2))
    hand_gap = by_hand(net, X, Y)
    params = net.params()

    def J_of(*thetas: Tensor) -> Tensor:
        A = Tensor(X)
        for W, b in zip(thetas[::2], thetas[1::2], strict=True):
            A = (A @ W.T + b).sigmoid()
        return half_squared_error(A, Y)

    n = sum(p.data.size for p in params)
    network_ok = gradcheck(J_of, params)
    equation(f"gradcheck over all {n} parameters (engine's own ops)", str(network_ok))

    section("2. A new op with a wrong derivative rule, caught")
    x = Value(0.8, label="x")
    a = WRONG_SIGMOID(x)
    a.backward()
    equation("WRONG_SIGMOID(0.8): forward a = σ(0.8)", a.data)
    equation("its rule says ∂a/∂x = a", x.grad)
    equation("the truth, a(1 − a)", a.data * (1 - a.data))
    caught = ""
    try:
        gradcheck(lambda v: WRONG_SIGMOID(v) * v, [Value(0.8)])
    except GradcheckError as err:
        caught = str(err)
    print(f"  gradcheck on the Value engine: GradcheckError: {caught}")
    caught_tensor = ""
    t = Tensor(np.linspace(-2.0, 2.0, 5))
    try:
        gradcheck(lambda v: (WRONG_SIGMOID(v) * v).sum(), [t])
    except GradcheckError as err:
        caught_tensor = str(err)
    print(f"  gradcheck on the Tensor engine: GradcheckError: {caught_tensor}")
    fixed_ok = gradcheck(lambda v: MY_SIGMOID(v) * v, [Value(0.8)]) and gradcheck(
        lambda v: (MY_SIGMOID(v) * v).sum(), [Tensor(np.linspace(-2.0, 2.0, 5))]
    )
    equation("the same op with the rule g·a(1 − a): gradcheck", str(fixed_ok))
    section("Result")
    print(f"  by hand: the engine's gradient equals central differences to {hand_gap:.1e}")
    print("  (the O(ε²) error of the differences and float64 rounding, nothing more)")
    return {
        "hand_gap": hand_gap,
        "network_ok": network_ok,
        "caught": caught,
        "caught_tensor": caught_tensor,
        "fixed_ok": fixed_ok,
        "files": [],
    }


if __name__ == "__main__":
    main()
