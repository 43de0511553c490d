"""The δ recipe of the notes by hand in numpy, next to the engine's z.grad and W.grad.

Three networks, each in the notation of the note it comes from:

1. CS229 deep-learning notes (003), Algorithm 4: ReLU layers, a linear output and
   J = ½(z[r] − y)², one example as a column vector.
2. CS229 additional notes (000), the three-step recipe with a softmax output and the
   cross-entropy loss, where δ[N] = ŷ − y directly.
3. UFLDL (002) in matrix form over a batch: sigmoid layers, J = (1/m)Σ ½‖a − y‖² plus
   weight decay (λ/2)ΣW², with examples as rows (Z = A Wᵀ + b).

For every layer the demo prints δ computed by hand, the engine's ``z.grad`` (the engine's
δ, since δ = ∂J/∂z) and the largest difference, which is at rounding level (about 1e-16).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from autograd import Tensor

from ._common import Result, compare, equation, parse_args, section, title


def _params(
    rng: np.random.Generator, sizes: Sequence[int], bias: float = 0.0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """W[l] of shape (m_l, m_{l−1}) and b[l] of shape (m_l,), as in the notes."""
    return [(rng.normal(0.0, 0.7, (m, n)), rng.normal(bias, 0.3, m)) for n, m in pairwise(sizes)]


def _leaves(params: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[Tensor, Tensor]]:
    return [(Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)) for W, b in params]


def _check_layers(
    deltas: list[np.ndarray],
    grads_W: list[np.ndarray],
    grads_b: list[np.ndarray],
    zs: list[Tensor],
    leaves: list[tuple[Tensor, Tensor]],
    delta_scale: float = 1.0,
    scale_note: str = "",
) -> float:
    """Print hand-made δ, ∂J/∂W, ∂J/∂b next to the engine's; return the largest difference."""
    worst = 0.0
    for k in reversed(range(len(zs))):
        n = k + 1  # the notes count layers from 1
        print(f"\n  layer {n}")
        worst = max(
            worst,
            compare(f"δ[{n}]{scale_note}", deltas[k] * delta_scale, f"z[{n}].grad", zs[k].grad),
            compare(f"∂J/∂W[{n}]", grads_W[k], f"W[{n}].grad", leaves[k][0].grad),
            compare(f"∂J/∂b[{n}]", grads_b[k], f"b[{n}].grad", leaves[k][1].grad),
        )
    return worst


def cs229_algorithm4(rng: np.random.Generator, sizes: Sequence[int] = (3, 4, 3, 1)) -> float:
    """Notes 003, Algorithm 4: ReLU layers, linear output, J = ½(z[r] − y)², one example."""
    section("1. CS229 deep-learning notes, Algorithm 4 (one example, column vectors)")
    params = _params(rng, sizes, bias=0.5)  # most ReLUs active, so δ is mostly non-zero
    x, y = rng.normal(size=sizes[0]), 0.5
    r = len(params)

    # Forward pass, by hand: store every z[k] and a[k].
    a, zs_np = [x], []
    for k, (W, b) in enumerate(params):
        z = W @ a[-1] + b
        zs_np.append(z)
        a.append(z if k == r - 1 else np.maximum(z, 0.0))
    J = 0.5 * float((a[-1][0] - y) ** 2)
    equation("z[k] = W[k] a[k−1] + b[k],  a[k] = ReLU(z[k])")
    equation("J = ½ (z[r] − y)²", J)

    # Backward pass, by hand: δ[r] = z[r] − y, then δ[k] = (W[k+1]ᵀ δ[k+1]) ⊙ 1{z[k] ≥ 0}.
    deltas = [np.empty(0)] * r
    deltas[r - 1] = zs_np[-1] - y
    for k in reversed(range(r - 1)):
        deltas[k] = (params[k + 1][0].T @ deltas[k + 1]) * (zs_np[k] >= 0)
    grads_W = [np.outer(deltas[k], a[k]) for k in range(r)]  # δ[k] a[k−1]ᵀ
    grads_b = list(deltas)  # δ[k]
    equation("δ[r] = z[r] − y")
    equation("δ[k] = (W[k+1]ᵀ δ[k+1]) ⊙ 1{z[k] ≥ 0}")
    equation("∂J/∂W[k] = δ[k] a[k−1]ᵀ,   ∂J/∂b[k] = δ[k]")

    # The engine: the same forward pass on Tensors, then one call to backward().
    leaves = _leaves(params)
    h, zs = Tensor(x), []
    for k, (W, b) in enumerate(leaves):
        z = W @ h + b
        zs.append(z)
        h = z if k == r - 1 else z.relu()
    J_engine = 0.5 * (h - y) ** 2
    J_engine.sum().backward()
    return _check_layers(deltas, grads_W, grads_b, zs, leaves)


def cs229_softmax(rng: np.random.Generator, sizes: Sequence[int] = (4, 5, 3)) -> float:
    """Notes 000: tanh hidden layer, softmax output, cross-entropy; δ[N] = ŷ − y."""
    section("2. CS229 additional notes: the three-step recipe, softmax + cross-entropy")
    params = _params(rng, sizes)
    x = rng.normal(size=sizes[0])
    y = np.eye(sizes[-1])[1]  # the true class is 1, as a one-hot vector
    N = len(params)

    a, zs_np = [x], []
    for k, (W, b) in enumerate(params):
        z = W @ a[-1] + b
        zs_np.append(z)
        a.append(np.exp(z - z.max()) / np.exp(z - z.max()).sum() if k == N - 1 else np.tanh(z))
    y_hat = a[-1]
    equation("z[l] = W[l] a[l−1] + b[l],  a[l] = tanh(z[l]),  ŷ = softmax(z[N])")
    equation("L(ŷ, y) = −Σⱼ yⱼ log ŷⱼ", -float(np.sum(y * np.log(y_hat))))

    deltas = [np.empty(0)] * N
    deltas[N - 1] = y_hat - y  # step 1, computed directly for softmax
    for k in reversed(range(N - 1)):  # step 2
        deltas[k] = (params[k + 1][0].T @ deltas[k + 1]) * (1.0 - a[k + 1] ** 2)
    grads_W = [np.outer(deltas[k], a[k]) for k in range(N)]  # step 3
    grads_b = list(deltas)
    equation("1. δ[N] = ∇z[N] L = ŷ − y")
    equation("2. δ[l] = (W[l+1]ᵀ δ[l+1]) ∘ g′(z[l]),  g′(z) = 1 − tanh²(z)")
    equation("3. ∇W[l] J = δ[l] a[l−1]ᵀ,  ∇b[l] J = δ[l]")

    leaves = _leaves(params)
    h, zs = Tensor(x), []
    for k, (W, b) in enumerate(leaves):
        z = W @ h + b
        zs.append(z)
        h = z if k == N - 1 else z.tanh()
    J_engine = -(h.log_softmax() * y).sum()
    J_engine.backward()
    return _check_layers(deltas, grads_W, grads_b, zs, leaves)


def ufldl_batch(
    rng: np.random.Generator, sizes: Sequence[int] = (3, 4, 2), m: int = 5, lam: float = 1e-2
) -> float:
    """Notes 002 in matrix form: sigmoid layers, squared error averaged over m, weight decay."""
    section(f"3. UFLDL, matrix form over a batch of m = {m} (rows are examples)")
    params = _params(rng, sizes)
    X = rng.normal(size=(m, sizes[0]))
    Y = rng.uniform(size=(m, sizes[-1]))
    L = len(params)

    A = [X]
    for W, b in params:
        A.append(1.0 / (1.0 + np.exp(-(A[-1] @ W.T + b))))
    cost = np.mean(0.5 * np.sum((A[-1] - Y) ** 2, axis=1))
    decay = 0.5 * lam * sum(np.sum(W**2) for W, _ in params)
    equation("Z[l] = A[l−1] W[l]ᵀ + b[l],  A[l] = f(Z[l]) = σ(Z[l])")
    equation("J = (1/m) Σᵢ ½‖a(i) − y(i)‖² + (λ/2) Σ W²", cost + decay)

    # One row of δ per example; f′(z) = a(1 − a) from the stored activations.
    deltas = [np.empty(0)] * L
    deltas[L - 1] = -(Y - A[-1]) * A[-1] * (1.0 - A[-1])
    for k in reversed(range(L - 1)):
        deltas[k] = (deltas[k + 1] @ params[k + 1][0]) * A[k + 1] * (1.0 - A[k + 1])
    # ΔW = Σᵢ δ(i) a(i)ᵀ accumulated over the batch, then the weight-decay term (not on b).
    grads_W = [deltas[k].T @ A[k] / m + lam * params[k][0] for k in range(L)]
    grads_b = [deltas[k].sum(axis=0) / m for k in range(L)]
    equation("δ(nl) = −(y − a(nl)) • f′(z(nl)),  f′(z) = a(1 − a)")
    equation("δ(l) = (W(l)ᵀ δ(l+1)) • f′(z(l))")
    equation("∂J/∂W = (1/m) ΔW + λW,  ΔW = Σᵢ δ(i) a(i)ᵀ = δᵀA")
    equation("∂J/∂b = (1/m) Σᵢ δ(i)   (no weight decay on b)")
    print("\n  The engine differentiates the average, so its z.grad is δ/m (one row per example).")

    leaves = _leaves(params)
    H, zs = Tensor(X), []
    for W, b in leaves:
        Z = H @ W.T + b
        zs.append(Z)
        H = Z.sigmoid()
    J_engine = (0.5 * ((H - Y) ** 2).sum(axis=1)).mean()
    J_engine = J_engine + 0.5 * lam * sum((W * W).sum() for W, _ in leaves)
    J_engine.backward()
    return _check_layers(deltas, grads_W, grads_b, zs, leaves, 1.0 / m, "/m")


def main(argv: Sequence[str] | None = None) -> Result:
    """Run the three comparisons; returns ``{"max_diff", "diffs"}``."""
    args = parse_args("backprop_by_hand", __doc__, argv)
    title("Backpropagation by hand, next to the engine")
    rng = np.random.default_rng(args.seed)
    diffs = {
        "cs229_algorithm4": cs229_algorithm4(rng),
        "cs229_softmax": cs229_softmax(rng),
        "ufldl_batch": ufldl_batch(rng),
    }
    worst = max(diffs.values())
    section("Result")
    print(f"  largest difference between the recipe by hand and the engine: {worst:.1e}")
    print("  (rounding level: float64 carries about 16 significant digits)")
    return {"max_diff": worst, "diffs": diffs, "files": []}


if __name__ == "__main__":
    main()
