"""micrograd's demo (demo.ipynb of micrograd 0.1.0) on `nn.MLP`, unchanged apart from imports."""

from __future__ import annotations

import random

import numpy as np
import pytest

import nn
from autograd import Value
from nn import MLP


def _demo_data() -> tuple[np.ndarray, np.ndarray]:
    X, y = nn.data.make_moons(n_samples=100, noise=0.1, rng=0)
    return X, y * 2 - 1  # make y be -1 or 1


def _demo_loss(model, X, y, Value=Value):
    """The demo's loss, line for line: hinge + alpha * Σ p² over every parameter."""
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores, strict=True)]
    return total_loss, sum(accuracy) / len(accuracy)


def _demo(model, X, y, steps: int, Value=Value) -> list[tuple[float, float]]:
    trace = []
    for k in range(steps):
        total_loss, acc = _demo_loss(model, X, y, Value)
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        trace.append((float(total_loss.data), float(acc)))
    return trace


def test_demo_reaches_full_training_accuracy_on_the_value_engine():
    np.random.seed(1337)
    random.seed(1337)
    X, y = _demo_data()
    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    assert len(model.parameters()) == 337
    _demo(model, X, y, 100)
    _, acc = _demo_loss(model, X, y)
    assert acc == 1.0


def test_demo_steps_match_micrograd_bit_for_bit():
    """Same seed, same weights, same arithmetic order: the same losses as micrograd itself."""
    mg_engine = pytest.importorskip("micrograd.engine")
    mg_nn = pytest.importorskip("micrograd.nn")
    X, y = _demo_data()
    X, y = X[:24], y[:24]
    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    random.seed(1337)
    theirs = mg_nn.MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]

    trace_ours = _demo(ours, X, y, 3)
    trace_theirs = _demo(theirs, X, y, 3, Value=mg_engine.Value)
    np.testing.assert_allclose(trace_ours, trace_theirs, rtol=1e-13, atol=0)
    np.testing.assert_allclose(
        [p.data for p in ours.parameters()],
        [float(p.data) for p in theirs.parameters()],
        rtol=1e-12,
        atol=1e-15,
    )
