"""Training with `autograd.trace`: micrograd's demo, replayed, follows the dynamic engine."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value, trace


def _demo_data() -> tuple[list, list]:
    X, y = nn.data.make_moons(n_samples=100, noise=0.1, rng=0)
    return X.tolist(), (y * 2 - 1).tolist()


def _demo_loss(model, inputs, y):
    """micrograd's demo loss, its inputs already Values: hinge + 1e-4 Σ p²."""
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + 1e-4 * sum(p * p for p in model.parameters())


def test_micrograd_demo_replayed_for_100_steps_equals_dynamic() -> None:
    """micrograd's graph (65 614 nodes) and the fused one, replayed, against the dynamic
    engine (run on the fused graph, whose numbers are micrograd's, to keep the test short)."""
    X, y = _demo_data()
    dynamic = nn.MLP(2, [16, 16, 1], rng=1337, fused=True)
    models = {fused: nn.MLP(2, [16, 16, 1], rng=1337, fused=fused) for fused in (False, True)}
    steps = {
        fused: trace(lambda inputs, labels, m=m: _demo_loss(m, inputs, labels), X, y)
        for fused, m in models.items()
    }
    for k in range(100):
        J = _demo_loss(dynamic, [[Value(v) for v in row] for row in X], y)
        dynamic.zero_grad()
        J.backward()
        lr = 1.0 - 0.9 * k / 100
        for fused, model in models.items():
            model.zero_grad()
            assert steps[fused](X, y) == pytest.approx(J.data, rel=1e-12, abs=0)
            for p in model.parameters():
                p.data -= lr * p.grad
        for p in dynamic.parameters():
            p.data -= lr * p.grad
    a = np.array([p.data for p in dynamic.parameters()])
    for model in models.values():
        b = np.array([p.data for p in model.parameters()])
        assert np.max(np.abs(a - b)) <= 1e-12 * np.max(np.abs(a))
        assert nn.accuracy(nn.predict(model, np.array(X)), np.array(y)) == 1.0
