"""One training step of an MLP: the Tensor engine, PyTorch, and numpy by hand.

All three start from the same weights and data and do the same computation:
Z[l] = A[l−1] W[l]ᵀ + b[l], A[l] = relu(Z[l]) (the notes' row-major batch form), a loss
(the micrograd demo's hinge + 1e-4·Σp² for one output, softmax cross-entropy otherwise),
the backward pass, and an SGD update. The engine's layer is ``autograd.linear`` (what
``nn.Linear`` runs); PyTorch is written as a PyTorch user writes it (``nn.Linear``,
``F.cross_entropy``, ``torch.optim.SGD``); numpy follows the notes' δ recipe:
δ[L] = ∂J/∂Z[L], ∂J/∂W[l] = δ[l]ᵀ A[l−1], δ[l−1] = (δ[l] W[l]) ⊙ g′(Z[l−1]).

This module imports neither PyTorch nor the engine at the top: each library is imported
only by the process that times it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

#: name: (layer sizes, batch size)
MODELS = {
    "2-16-16-1": ([2, 16, 16, 1], 100),
    "784-256-128-10": ([784, 256, 128, 10], 128),
    "784-1024-1024-10": ([784, 1024, 1024, 10], 512),
}
LIBS = ("tensor", "tensor-replay", "torch", "numpy")
LR = 0.01
L2 = 1e-4


def problem(sizes: list[int], batch: int, dtype: str, seed: int = 0) -> tuple:
    """Data and He-initialised weights as numpy arrays, the same in every process."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, sizes[0])).astype(dtype)
    if sizes[-1] == 1:
        y = np.where(rng.random(batch) < 0.5, -1.0, 1.0).astype(dtype)
    else:
        y = rng.integers(0, sizes[-1], batch)
    params = []
    for n_in, n_out in itertools.pairwise(sizes):
        W = (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)).astype(dtype)
        params.append((W, np.zeros(n_out, dtype=dtype)))
    return X, y, params


def tensor_step(
    X: np.ndarray, y: np.ndarray, params: list, replayed: bool = False
) -> Callable[[], float]:
    """A training step on the Tensor engine (``replayed``: traced once by `autograd.trace`,
    the batch X its argument, then replayed)."""
    from autograd import Tensor, linear, no_grad, trace

    layers = [(Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)) for W, b in params]
    flat = [p for layer in layers for p in layer]
    Xt = Tensor(X)
    rows = np.arange(len(X))
    hinge = params[-1][0].shape[0] == 1

    def loss(a: Tensor) -> Tensor:
        for i, (W, b) in enumerate(layers):
            z = linear(a, W, b)  # a @ W.T + b as one node
            a = z.relu() if i < len(layers) - 1 else z
        if hinge:
            return (1 - y * a.reshape(-1)).relu().mean() + L2 * sum((p * p).sum() for p in flat)
        return -a.log_softmax(axis=1)[rows, y].mean()

    def update() -> None:
        with no_grad():
            for p in flat:
                p.data -= LR * p.grad
                p.grad = None

    def step() -> float:
        J = loss(Xt)
        J.backward()
        update()
        return J.item()

    if not replayed:
        return step
    replay = trace(loss, X)

    def replayed_step() -> float:
        J = replay(X)
        update()
        return float(J)

    return replayed_step


def torch_step(X: np.ndarray, y: np.ndarray, params: list) -> Callable[[], float]:
    """The same step as a PyTorch user writes it."""
    import torch
    import torch.nn.functional as F

    layers = []
    for i, (W, b) in enumerate(params):
        lin = torch.nn.Linear(W.shape[1], W.shape[0], dtype=getattr(torch, str(W.dtype)))
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if i < len(params) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    hinge = params[-1][0].shape[0] == 1

    def step() -> float:
        opt.zero_grad()
        out = model(Xt)
        if hinge:
            reg = sum((p * p).sum() for p in model.parameters())
            J = (1 - yt * out.reshape(-1)).relu().mean() + L2 * reg
        else:
            J = F.cross_entropy(out, yt)
        J.backward()
        opt.step()
        return J.item()

    return step


def numpy_step(X: np.ndarray, y: np.ndarray, params: list) -> Callable[[], float]:
    """The same step written by hand with the notes' δ recipe."""
    params = [(W.copy(), b.copy()) for W, b in params]
    n = len(X)
    rows = np.arange(n)
    hinge = params[-1][0].shape[0] == 1

    def step() -> float:
        A, Z = [X], []
        for i, (W, b) in enumerate(params):
            Z.append(A[-1] @ W.T + b)
            A.append(np.maximum(Z[-1], 0) if i < len(params) - 1 else Z[-1])
        out = A[-1]
        if hinge:
            margin = 1 - y * out[:, 0]
            J = np.maximum(margin, 0).mean() + L2 * sum(
                (p * p).sum() for pair in params for p in pair
            )
            delta = (-y * (margin > 0) / n)[:, None].astype(X.dtype)  # δ[L] = ∂J/∂Z[L]
        else:
            shifted = out - out.max(axis=1, keepdims=True)
            P = np.exp(shifted)
            P /= P.sum(axis=1, keepdims=True)
            J = -np.log(P[rows, y]).mean()
            P[rows, y] -= 1
            delta = P / n  # softmax - one-hot, averaged over the batch
        for i in reversed(range(len(params))):
            W, b = params[i]
            dW, db = delta.T @ A[i], delta.sum(axis=0)
            if hinge:
                dW += 2 * L2 * W
                db += 2 * L2 * b
            if i > 0:
                delta = (delta @ W) * (Z[i - 1] > 0)
            W -= LR * dW
            b -= LR * db
        return float(J)

    return step


STEPS = {
    "tensor": tensor_step,
    "tensor-replay": lambda X, y, params: tensor_step(X, y, params, replayed=True),
    "torch": torch_step,
    "numpy": numpy_step,
}
