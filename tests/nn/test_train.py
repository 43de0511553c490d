"""`fit`, `predict` and `accuracy`: histories, both engines, progress bar, real learning."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, no_grad


def _spirals():
    X, y = nn.data.make_spirals(600, n_classes=3, noise=0.2, rng=0)
    return nn.data.train_test_split(X, y, test_size=0.25, rng=0)


def test_tensor_mlp_learns_spirals_to_high_test_accuracy():
    X_tr, X_te, y_tr, y_te = _spirals()
    model = nn.MLP(2, [64, 64, 3], engine="tensor", rng=0)
    opt = nn.optim.Adam(model.parameters(), lr=0.01)
    history = nn.fit(
        model, X_tr, y_tr, nn.losses.cross_entropy, opt, epochs=60, batch_size=64, rng=0
    )
    assert history.loss[-1] < 0.25 * history.loss[0]
    assert nn.accuracy(model(X_te), y_te) >= 0.9


def test_tensor_mlp_learns_handwritten_digits():
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    X, y = digits.data / 16.0, digits.target
    X_tr, X_te, y_tr, y_te = nn.data.train_test_split(X, y, test_size=0.3, rng=0)
    model = nn.MLP(64, [64, 10], engine="tensor", rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    def loss(out, yb):
        return nn.losses.cross_entropy(out, yb) + nn.losses.l2_penalty(model, 1e-4)

    nn.fit(model, X_tr, y_tr, loss, opt, epochs=8, batch_size=64, rng=0)
    assert nn.accuracy(nn.predict(model, X_te), y_te) >= 0.93


def test_history_has_one_number_per_epoch_for_loss_metrics_and_validation():
    X_tr, X_te, y_tr, y_te = _spirals()
    model = nn.MLP(2, [16, 3], engine="tensor", rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    history = nn.fit(
        model,
        X_tr,
        y_tr,
        "cross_entropy",
        opt,
        epochs=4,
        batch_size=50,
        metrics=["accuracy"],
        validation_data=(X_te, y_te),
    )
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 4 for v in history.values())
    assert history["loss"] is history.loss
    assert all(isinstance(v, float) for v in history.loss)
    assert model.training  # fit evaluates in eval mode, then switches back
    with no_grad():
        expected = nn.losses.cross_entropy(model(X_te), y_te).item()
    assert history.val_loss[-1] == pytest.approx(expected)
    assert history.val_accuracy[-1] == nn.accuracy(model(X_te), y_te)
    with pytest.raises(AttributeError, match="no 'f1'"):
        history.f1


def test_full_batch_epoch_loss_is_the_loss_before_the_step():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([1.0, 2.0, 3.0])
    model = nn.MLP(2, [1], engine="tensor", rng=0)
    first = nn.losses.mse(model(X)[:, 0], y).item()
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    history = nn.fit(model, X, y, nn.losses.mse, opt, epochs=2)
    assert history.loss[0] == pytest.approx(first)
    assert history.loss[1] < history.loss[0]


def test_fit_trains_the_value_engine_too():
    X, y = nn.data.make_moons(40, noise=0.05, rng=0)
    model = nn.MLP(2, [8, 1], rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = nn.fit(
        model,
        X,
        2 * y - 1,
        nn.losses.hinge,
        opt,
        epochs=8,
        batch_size=10,
        rng=0,
        metrics=["accuracy"],
    )
    assert history.loss[-1] < history.loss[0]
    assert history.accuracy[-1] >= 0.75
    assert nn.predict(model, X).shape == (40,)


def test_scheduler_steps_once_per_epoch():
    X, y = nn.data.make_xor(20, rng=0)
    model = nn.MLP(2, [4, 2], engine="tensor", rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=1.0)
    sched = nn.optim.StepLR(opt, step_size=1, gamma=0.5)
    nn.fit(model, X, y, nn.losses.cross_entropy, opt, epochs=3, batch_size=5, scheduler=sched)
    assert opt.lr == 0.125


def test_progress_bar_is_quiet_off_a_terminal_and_shown_when_asked(capsys):
    X, y = nn.data.make_xor(20, rng=0)
    model = nn.MLP(2, [4, 2], engine="tensor", rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    assert not sys.stderr.isatty()
    nn.fit(model, X, y, nn.losses.cross_entropy, opt, epochs=3)
    assert capsys.readouterr().err == ""
    pytest.importorskip("tqdm")
    nn.fit(model, X, y, nn.losses.cross_entropy, opt, epochs=3, progress=True)
    assert "3/3" in capsys.readouterr().err


def test_progress_without_tqdm_falls_back_to_no_bar(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now fails
    X, y = nn.data.make_xor(20, rng=0)
    model = nn.MLP(2, [4, 2], engine="tensor", rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    history = nn.fit(model, X, y, nn.losses.cross_entropy, opt, epochs=2, progress=True)
    assert len(history.loss) == 2 and capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"X": np.zeros((3, 2)), "y": np.zeros(2)}, ValueError, "y have n rows"),
        ({"epochs": -1}, ValueError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"loss": "nope"}, ValueError, "unknown loss"),
        ({"metrics": ["f1"]}, ValueError, "unknown metric"),
        ({"optimizer": object()}, TypeError, "step"),
    ],
)
def test_fit_checks_arguments_before_training(kwargs, error, match):
    model = nn.MLP(2, [2], engine="tensor", rng=0)
    before = model.state_dict()
    args = {
        "X": np.zeros((3, 2)),
        "y": np.zeros(3, dtype=int),
        "loss": "cross_entropy",
        "optimizer": nn.optim.SGD(model.parameters(), lr=0.1),
    } | kwargs
    with pytest.raises(error, match=match):
        nn.fit(model, **args)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_a_loss_that_returns_a_number_is_refused():
    model = nn.MLP(2, [2], engine="tensor", rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="must return a Value or a Tensor"):
        nn.fit(model, np.zeros((3, 2)), np.zeros(3), lambda out, y: 1.0, opt)


def test_accuracy_reads_labels_scores_and_class_scores():
    y = np.array([0, 1, 2, 1])
    assert nn.accuracy(np.array([0, 1, 1, 1]), y) == 0.75
    logits = np.eye(3)[[0, 1, 2, 0]] * 5
    assert nn.accuracy(Tensor(logits), y) == 0.75
    assert nn.accuracy(logits, nn.data.one_hot(y)) == 0.75
    assert nn.accuracy([Value(2.0), Value(-1.0)], np.array([1, -1])) == 1.0  # ±1 labels
    assert nn.accuracy(np.array([[0.7], [0.4]]), np.array([1, 1]), threshold=0.5) == 0.5
    assert nn.accuracy([[Value(1.0), Value(3.0)]], np.array([1])) == 1.0
    with pytest.raises(ValueError, match="do not match"):
        nn.accuracy(np.zeros(3), np.zeros(4))


def test_fit_takes_a_plain_function_as_the_model():
    W = Tensor(np.zeros((1, 2)), requires_grad=True)
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    opt = nn.optim.SGD([W], lr=0.5)
    history = nn.fit(lambda A: A @ W.T, X, np.array([1.0, -1.0]), nn.losses.mse, opt, epochs=30)
    np.testing.assert_allclose(W.data, [[1.0, -1.0]], atol=1e-6)
    assert history.loss[-1] < 1e-10
