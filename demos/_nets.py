"""A fully connected network written out layer by layer, for the demos that set every
weight themselves (zero or Normal(0, ε²) starts, UFLDL's sigmoid nets, updates by hand).

``Net`` holds the notes' W[l] of shape (m_l, m_{l−1}) and b[l] of shape (m_l,) as `Tensor`
leaves and computes Z[l] = A[l−1] W[l]ᵀ + b[l], A[l] = g(Z[l]) with examples as rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from autograd import Tensor

#: The activations g a layer may use, by name.
ACTIVATIONS = ("identity", "relu", "sigmoid", "tanh")


class Net:
    """W[l], b[l] for each layer, and the activation g of each layer (the last one too)."""

    def __init__(
        self,
        sizes: Sequence[int],
        activations: Sequence[str],
        init: str | float,
        rng: np.random.Generator,
    ) -> None:
        """``init``: "zeros", or a float ε for UFLDL's Normal(0, ε²) on W and b alike."""
        if len(activations) != len(sizes) - 1 or not set(activations) <= set(ACTIVATIONS):
            raise ValueError(f"one activation of {ACTIVATIONS} per layer, got {activations!r}")
        self.activations = list(activations)
        self.layers: list[tuple[Tensor, Tensor]] = []
        for n_in, n_out in pairwise(sizes):
            if init == "zeros":
                W, b = np.zeros((n_out, n_in)), np.zeros(n_out)
            else:
                W, b = rng.normal(0.0, init, (n_out, n_in)), rng.normal(0.0, init, n_out)
            self.layers.append((Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)))

    def params(self) -> list[Tensor]:
        """W[1], b[1], W[2], b[2], ..."""
        return [p for layer in self.layers for p in layer]

    def weights(self) -> list[Tensor]:
        """W[1], W[2], ... (the ones weight decay acts on)."""
        return [W for W, _ in self.layers]

    def __call__(self, X: Any) -> Tensor:
        """A[L] for the rows of X."""
        A = X if isinstance(X, Tensor) else Tensor(np.asarray(X, dtype=float))
        for (W, b), g in zip(self.layers, self.activations, strict=True):
            Z = A @ W.T + b
            A = Z if g == "identity" else getattr(Z, g)()
        return A

    def zero_grad(self) -> None:
        for p in self.params():
            p.grad = None

    def step(self, lr: float) -> None:
        """θ := θ − α ∇θ J for every parameter (after ``J.backward()``)."""
        for p in self.params():
            p.data -= lr * p.grad

    def copy_from(self, other: Net) -> None:
        """Take another net's parameter values (same sizes)."""
        for p, q in zip(self.params(), other.params(), strict=True):
            p.data = q.data.copy()


def half_squared_error(out: Tensor, Y: np.ndarray) -> Tensor:
    """J = (1/m) Σᵢ ½‖a(i) − y(i)‖², the notes' least-squares cost averaged over the rows."""
    Y = np.asarray(Y, dtype=float).reshape(out.shape)
    return (0.5 * ((out - Y) ** 2).sum(axis=1)).mean()
