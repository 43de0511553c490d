"""The course-club notes' own form (001): C = ‖a − y‖², no ½, no 1/N, and the DP on ∂C/∂a.

"Working out Backpropagation" (001) writes the cost of one example without the ½ and sums
over the examples without the 1/N, since "we only care about the direction":

    C_k = ‖a(L) − y‖²,   ∇C ≈ ∇C_1 + ... + ∇C_N   (≈: the same direction)

and backpropagates ∂C/∂a instead of δ = ∂J/∂z, as a dynamic programme from the output:

    ∂C/∂a(L) = 2(a(L) − y)                                  (the base case)
    ∂C/∂b(ℓ) = σ̇(z(ℓ)) ⊙ ∂C/∂a(ℓ),   ∂C/∂W(ℓ) = ∂C/∂b(ℓ) a(ℓ−1)ᵀ
    ∂C/∂a(ℓ−1) = W(ℓ)ᵀ (σ̇(z(ℓ)) ⊙ ∂C/∂a(ℓ))                  (the recursion)

The demo runs that programme by hand, one example at a time, next to the engine's
gradients of C = Σ_k C_k; then it takes the same network's gradient in the convention of
the CS229 and UFLDL notes, J = (1/N) Σ_k ½‖a(L) − y‖², and shows ∇C = 2N ∇J: the same
direction, so 001's normalised step α g/‖g‖ is the same step in both conventions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd import Tensor

from ._common import Result, compare, equation, parse_args, section, title
from ._nets import Net


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def by_hand(net: Net, x: np.ndarray, y: np.ndarray) -> dict[str, list[np.ndarray]]:
    """001's programme for one example (column vectors): ∂C/∂a(ℓ), ∂C/∂W(ℓ), ∂C/∂b(ℓ)."""
    Ws = [W.data for W, _ in net.layers]
    bs = [b.data for _, b in net.layers]
    a, zs = [x], []
    for W, b in zip(Ws, bs, strict=True):
        zs.append(W @ a[-1] + b)
        a.append(sigmoid(zs[-1]))
    L = len(Ws)
    dC_da = [np.empty(0)] * (L + 1)
    dC_db, dC_dW = [np.empty(0)] * L, [np.empty(0)] * L
    dC_da[L] = 2.0 * (a[L] - y)  # the base case: C = ‖a(L) − y‖², no ½
    for ell in range(L, 0, -1):
        sigma_dot = a[ell] * (1.0 - a[ell])  # σ̇(z(ℓ)) = σ(z)(1 − σ(z))
        dC_db[ell - 1] = sigma_dot * dC_da[ell]
        dC_dW[ell - 1] = np.outer(dC_db[ell - 1], a[ell - 1])
        dC_da[ell - 1] = Ws[ell - 1].T @ (sigma_dot * dC_da[ell])  # the recursion
    return {"dC_da": dC_da, "dC_db": dC_db, "dC_dW": dC_dW}


def main(argv: Sequence[str] | None = None) -> Result:
    """001's programme against the engine, then ∇C against ∇J; returns the differences."""
    args = parse_args("conventions", __doc__, argv)
    rng = np.random.default_rng(args.seed)
    sizes, N = (3, 4, 2), 5
    title("001's own form: C = ‖a − y‖², the programme on ∂C/∂a, and the dropped 1/N")
    net = Net(sizes, ("sigmoid", "sigmoid"), 0.7, rng)
    X, Y = rng.normal(size=(N, sizes[0])), rng.uniform(size=(N, sizes[-1]))
    L = len(net.layers)
    equation("a(0) = x,  z(ℓ) = W(ℓ) a(ℓ−1) + b(ℓ),  a(ℓ) = σ(z(ℓ)),  L", L)
    equation("layer sizes n_ℓ", str(sizes))

    section(f"1. The programme by hand, example by example, summed over N = {N}")
    per_example = [by_hand(net, X[k], Y[k]) for k in range(N)]
    hand_W = [sum(p["dC_dW"][i] for p in per_example) for i in range(L)]
    hand_b = [sum(p["dC_db"][i] for p in per_example) for i in range(L)]
    hand_a = [np.stack([p["dC_da"][ell] for p in per_example]) for ell in range(1, L + 1)]
    equation("∂C/∂a(L) = 2(a(L) − y)")
    equation("∂C/∂a(ℓ−1) = W(ℓ)ᵀ (σ̇(z(ℓ)) ⊙ ∂C/∂a(ℓ)),  σ̇ = σ(1 − σ)")
    equation("∂C/∂b(ℓ) = σ̇(z(ℓ)) ⊙ ∂C/∂a(ℓ),  ∂C/∂W(ℓ) = ∂C/∂b(ℓ) a(ℓ−1)ᵀ")
    equation("∇C = Σ_k ∇C_k   (001: the 1/N dropped)")

    # The engine: C = Σ_k ‖a(L)_k − y_k‖², examples as rows; keep each a(ℓ) to read its grad.
    A, acts = Tensor(X), []
    for W, b in net.layers:
        A = (A @ W.T + b).sigmoid()
        acts.append(A)
    C = ((A - Y) ** 2).sum()
    net.zero_grad()
    C.backward()
    worst = 0.0
    for ell in range(L, 0, -1):
        W, b = net.layers[ell - 1]
        print(f"\n  layer ℓ = {ell}")
        worst = max(
            worst,
            compare(
                f"∂C/∂a({ell}), one row per k",
                hand_a[ell - 1],
                f"a({ell}).grad",
                acts[ell - 1].grad,
            ),
            compare(f"Σ_k ∂C_k/∂W({ell})", hand_W[ell - 1], f"W({ell}).grad", W.grad),
            compare(f"Σ_k ∂C_k/∂b({ell})", hand_b[ell - 1], f"b({ell}).grad", b.grad),
        )
    grad_C = [p.grad.copy() for p in net.params()]

    section("2. The same network in the CS229 / UFLDL convention")
    J = (0.5 * ((net(X) - Y) ** 2).sum(axis=1)).mean()
    net.zero_grad()
    J.backward()
    grad_J = [p.grad.copy() for p in net.params()]
    equation("J = (1/N) Σ_k ½‖a(L) − y‖²,  so C = Σ_k ‖a(L) − y‖² = 2N·J, 2N", 2 * N)
    flat_C = np.concatenate([g.ravel() for g in grad_C])
    flat_J = np.concatenate([g.ravel() for g in grad_J])
    scale_gap = float(np.max(np.abs(flat_C - 2 * N * flat_J)))
    cosine = float(flat_C @ flat_J / (np.linalg.norm(flat_C) * np.linalg.norm(flat_J)))
    step_gap = float(
        np.max(np.abs(flat_C / np.linalg.norm(flat_C) - flat_J / np.linalg.norm(flat_J)))
    )
    equation("‖∇C‖ / ‖∇J‖", float(np.linalg.norm(flat_C) / np.linalg.norm(flat_J)))
    equation("max |∇C − 2N ∇J| over every parameter", f"{scale_gap:.1e}")
    equation("cos(∇C, ∇J)  (1: the same direction, 001's ≈)", f"{cosine:.15f}")
    equation("max |∇C/‖∇C‖ − ∇J/‖∇J‖|  (001's step α g/‖g‖)", f"{step_gap:.1e}")
    print("  The ½ and the 1/N scale the gradient by 2N and change nothing else: a plain step")
    print("  θ := θ − α∇ needs an α 2N times smaller on C, the normalised step is the same.")
    section("Result")
    print(f"  001's programme by hand against the engine: largest difference {worst:.1e}")
    return {
        "max_diff": worst,
        "scale_gap": scale_gap,
        "cosine": cosine,
        "step_gap": step_gap,
        "N": N,
        "files": [],
    }


if __name__ == "__main__":
    main()
