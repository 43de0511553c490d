"""The δ recipe of the notes by hand in numpy, next to the engine's z.grad and W.grad.

Three networks, each in the notation of the note it comes from:

1. CS229 deep-learning notes (003), Algorithm 4: ReLU layers, a linear output and
   J = ½(z[r] − y)², one example as a column vector.
2. CS229 additional notes (000), the three-step recipe with a softmax output and the
   cross-entropy loss, where δ[N] = ŷ − y directly.
3. UFLDL (002)'s network over a batch: sigmoid layers, J = (1/m)Σ ½‖a − y‖² plus weight
   decay (λ/2)ΣW², written in the row-major batch form of 003 §4 (examples are the rows
   of A[0] = X, Z[l] = A[l−1] W[l]ᵀ + b[l]) with CS229's layer numbers, and each step named
   after the claim of 003 §3.2 (Claims 3.2–3.4) it applies, with its shapes.

ReLU has no derivative at z = 0. The notes write ReLU′(z) = 1{z ≥ 0}; the engine uses
1{z > 0}, as PyTorch does; both are valid choices there. The recipe here uses the
engine's convention, so that the two agree even where z = 0 exactly.

For every layer the demo prints δ computed by hand, the engine's ``z.grad`` (the engine's
δ, since δ = ∂J/∂z) and the largest difference, which is at rounding level (about 1e-16).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from autograd import Tensor, Value

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
    symbols: tuple[str, str] = ("δ", "z"),
) -> float:
    """Print hand-made δ, ∂J/∂W, ∂J/∂b next to the engine's; return the largest difference."""
    worst = 0.0
    d, z = symbols
    for k in reversed(range(len(zs))):
        n = k + 1  # the notes count layers from 1
        print(f"\n  layer {n}")
        worst = max(
            worst,
            compare(f"{d}[{n}]{scale_note}", deltas[k] * delta_scale, f"{z}[{n}].grad", zs[k].grad),
            compare(f"∂J/∂W[{n}]", grads_W[k], f"W[{n}].grad", leaves[k][0].grad),
            compare(f"∂J/∂b[{n}]", grads_b[k], f"b[{n}].grad", leaves[k][1].grad),
        )
    return worst


def relu_prime(z: np.ndarray) -> np.ndarray:
    """ReLU′(z) = 1{z > 0}: the engine's convention at z = 0 (the notes write 1{z ≥ 0})."""
    return (z > 0).astype(float)


def relu_at_zero() -> float:
    """Print ReLU′'s convention at z = 0, and the engine's gradient there; return it."""
    z = Value(0.0)
    z.relu().backward()
    print("  ReLU′(z) = 1{z > 0}, in this recipe and in the engine (as in PyTorch). At z = 0")
    print("  ReLU has no derivative; the notes pick 1{z ≥ 0} there, the engine 1{z > 0}.")
    equation("ReLU′(0) by hand, 1{0 > 0}", relu_prime(np.array(0.0)))
    equation("ReLU′(0) by the engine, Value(0.0).relu()", z.grad)
    return z.grad


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

    # Backward pass, by hand: δ[r] = z[r] − y, then δ[k] = (W[k+1]ᵀ δ[k+1]) ⊙ ReLU′(z[k]).
    deltas = [np.empty(0)] * r
    deltas[r - 1] = zs_np[-1] - y
    for k in reversed(range(r - 1)):
        deltas[k] = (params[k + 1][0].T @ deltas[k + 1]) * relu_prime(zs_np[k])
    grads_W = [np.outer(deltas[k], a[k]) for k in range(r)]  # δ[k] a[k−1]ᵀ
    grads_b = list(deltas)  # δ[k]
    equation("δ[r] = z[r] − y")
    equation("δ[k] = (W[k+1]ᵀ δ[k+1]) ⊙ ReLU′(z[k])")
    equation("∂J/∂W[k] = δ[k] a[k−1]ᵀ,   ∂J/∂b[k] = δ[k]")
    relu_at_zero()

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


def _shape(*arrays: np.ndarray) -> str:
    """Shapes as the notes write them: (5×2)(2×4)."""
    return "".join("(" + "×".join(map(str, x.shape)) + ")" for x in arrays)


def ufldl_batch(
    rng: np.random.Generator, sizes: Sequence[int] = (3, 4, 2), m: int = 5, lam: float = 1e-2
) -> float:
    """UFLDL's network (002) over a batch, in 003's row-major form with CS229's layer numbers."""
    section(f"3. UFLDL's network over a batch of m = {m}, row-major (notes 003 §4)")
    print("  Layer numbers are CS229's: A[0] = X (one example per row), layers l = 1, 2.")
    print("  UFLDL numbers the input layer 1: its δ(l+1) is δ[l] here (its output δ(3) is")
    print("  δ[2]); its W(l), b(l) are W[l], b[l] here (W(l) maps layer l to l+1).")
    params = _params(rng, sizes)
    X = rng.normal(size=(m, sizes[0]))
    Y = rng.uniform(size=(m, sizes[-1]))
    L = len(params)

    A = [X]
    for W, b in params:
        A.append(1.0 / (1.0 + np.exp(-(A[-1] @ W.T + b))))
    cost = np.mean(0.5 * np.sum((A[-1] - Y) ** 2, axis=1))
    decay = 0.5 * lam * sum(np.sum(W**2) for W, _ in params)
    equation("Z[l] = A[l−1] W[l]ᵀ + b[l],  A[l] = g(Z[l]) = σ(Z[l])")
    equation("J = (1/m) Σᵢ ½‖a[2](i) − y(i)‖² + (λ/2) Σ W²", cost + decay)
    print("  Δ[l] stacks the examples' δ[l](i)ᵀ as rows (δ of the per-example cost ½‖a − y‖²);")
    print("  g′(Z) = A ⊙ (1 − A) from the stored activations (UFLDL's implementation note).")
    print("  003's Claims are for one example as a column; with examples as rows each one is")
    print("  transposed (∂J/∂u = Wᵀ ∂J/∂v becomes ∂J/∂A = Δ W, and ∂J/∂W = ∂J/∂z uᵀ, summed")
    print("  over the examples, becomes Δᵀ A).")

    # One row of Δ per example. Each step is one of the claims of notes 003 §3.2, batched.
    deltas = [np.empty(0)] * L
    deltas[L - 1] = -(Y - A[-1]) * A[-1] * (1.0 - A[-1])
    equation(f"Δ[{L}] = −(Y − A[{L}]) ⊙ g′(Z[{L}])", _shape(deltas[L - 1]))
    equation("Δ[l] = (Δ[l+1] W[l+1]) ⊙ g′(Z[l])   for l = L−1, ..., 1 (here L = 2):")
    for k in reversed(range(L - 1)):
        W_next = params[k + 1][0]
        dJ_dA = deltas[k + 1] @ W_next  # Claim 3.4, batched: ∂J/∂A[l] = Δ[l+1] W[l+1]
        deltas[k] = dJ_dA * A[k + 1] * (1.0 - A[k + 1])  # Claim 3.3: ⊙ g′(Z[l])
        n = k + 1
        equation(
            f"Claim 3.4: ∂J/∂A[{n}] = Δ[{n + 1}] W[{n + 1}]",
            f"{_shape(deltas[k + 1], W_next)} → {_shape(dJ_dA)}",
        )
        equation(
            f"Claim 3.3: Δ[{n}] = (Δ[{n + 1}] W[{n + 1}]) ⊙ g′(Z[{n}])",
            f"{_shape(dJ_dA)} ⊙ {_shape(A[k + 1])} → {_shape(deltas[k])}",
        )
    # Claim 3.2, batched: UFLDL's accumulators ΔW[l] = Σᵢ δ[l](i) a[l−1](i)ᵀ = Δ[l]ᵀ A[l−1].
    acc_W = [deltas[k].T @ A[k] for k in range(L)]
    acc_b = [deltas[k].sum(axis=0) for k in range(L)]
    for k in range(L):
        equation(
            f"Claim 3.2: ΔW[{k + 1}] = Σᵢ δ[{k + 1}](i) a[{k}](i)ᵀ = Δ[{k + 1}]ᵀ A[{k}]",
            f"{_shape(deltas[k].T, A[k])} → {_shape(acc_W[k])}",
        )
    equation("           Δb[l] = Σᵢ δ[l](i), the column sums of Δ[l]")
    grads_W = [acc_W[k] / m + lam * params[k][0] for k in range(L)]
    grads_b = [acc_b[k] / m for k in range(L)]
    equation("∂J/∂W[l] = (1/m) ΔW[l] + λ W[l],  ∂J/∂b[l] = (1/m) Δb[l]  (no decay on b)")
    print("\n  The engine differentiates the average, so its Z.grad is Δ/m (one row per example).")

    leaves = _leaves(params)
    H, zs = Tensor(X), []
    for W, b in leaves:
        Z = H @ W.T + b
        zs.append(Z)
        H = Z.sigmoid()
    J_engine = (0.5 * ((H - Y) ** 2).sum(axis=1)).mean()
    J_engine = J_engine + 0.5 * lam * sum((W * W).sum() for W, _ in leaves)
    J_engine.backward()
    return _check_layers(deltas, grads_W, grads_b, zs, leaves, 1.0 / m, "/m", ("Δ", "Z"))


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
