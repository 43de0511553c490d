"""Training with `autograd.trace`: micrograd's demo, replayed, follows the dynamic engine."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value, replay, trace


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


def _fit_both(engine: str, loss, X, y, batch_size: int, epochs: int, monkeypatch) -> tuple:
    made = []
    original = replay.trace

    def counting(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(replay, "trace", counting)
    results = []
    for traced in (False, True):
        model = nn.MLP(2, [8, 8, 3 if loss == "cross_entropy" else 1], engine=engine, rng=3)
        opt = nn.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        history = nn.fit(
            model,
            X,
            y,
            loss,
            opt,
            epochs=epochs,
            batch_size=batch_size,
            rng=7,
            metrics=["accuracy"],
            trace=traced,
        )
        results.append(
            (history, np.concatenate([np.ravel(v) for v in model.state_dict().values()]))
        )
    (h_d, w_d), (h_r, w_r) = results
    np.testing.assert_allclose(h_r.loss, h_d.loss, rtol=1e-10)
    np.testing.assert_allclose(h_r.accuracy, h_d.accuracy, rtol=1e-12)
    np.testing.assert_allclose(w_r, w_d, rtol=1e-9, atol=1e-12)
    return made


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_fit_with_mini_batches_replayed_equals_dynamic(engine: str, monkeypatch) -> None:
    X, y = nn.data.make_moons(40, noise=0.1, rng=0)
    made = _fit_both(engine, "hinge", X, 2 * y - 1, 10, 12, monkeypatch)
    assert made and sum(step.calls for step in made) > 12  # most batches were replayed


def test_fit_replays_a_ragged_last_batch_and_cross_entropy(monkeypatch) -> None:
    X, y = nn.data.make_moons(30, noise=0.1, rng=1)
    y = (y + (X[:, 0] > 0.5)).astype(int)  # three classes
    made = _fit_both("tensor", "cross_entropy", X, y, 30, 6, monkeypatch)  # full batch
    assert len(made) == 1 and made[0].calls == 5
    _fit_both("tensor", "cross_entropy", X, y, 12, 6, monkeypatch)  # 12, 12, then 6
