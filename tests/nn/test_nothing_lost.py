"""A call that fails changes nothing: parameters, gradients, optimizer state and files.

Optimizer steps are all or nothing: every gradient is checked (type, shape, finite) and
every new value computed before any parameter or state changes. NaN or infinite gradients
are refused rather than written into the weights. After a refused step, the next good step
gives exactly what an optimizer that never saw the bad one gives.
"""

from __future__ import annotations

import copy
import os

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, is_grad_enabled
from nn import optim

SHAPES = [(3, 2), (3,), (2, 3)]


def _same(a, b) -> bool:
    """Exact equality of nested dicts, lists, arrays and numbers (None and NaN included)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if a is None or b is None:
        return a is b
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def _snapshot(params, opt=None):
    data = [copy.deepcopy(p.data) for p in params]
    grads = [copy.deepcopy(p.grad) for p in params]
    state = (
        None
        if opt is None
        else copy.deepcopy([opt.state.by_position, getattr(opt, "rule_state", None)])
    )
    return data, grads, state, None if opt is None else opt.lr


def _params(engine):
    rng = np.random.default_rng(0)
    if engine == "tensor":
        return [Tensor(rng.standard_normal(s), requires_grad=True) for s in SHAPES]
    return [Value(float(x)) for x in rng.standard_normal(4)]


def _set_grads(params, seed):
    rng = np.random.default_rng(seed)
    for p in params:
        p.grad = (
            float(rng.standard_normal()) if isinstance(p, Value) else rng.standard_normal(p.shape)
        )


OPTIMIZERS = {
    "SGD momentum nesterov": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
    "Adam amsgrad": lambda ps: optim.Adam(ps, lr=0.1, amsgrad=True, weight_decay=0.1),
    "AdamW": lambda ps: optim.AdamW(ps, lr=0.1),
    "Adagrad": lambda ps: optim.Adagrad(ps, lr=0.1, lr_decay=0.01),
    "RMSprop centered": lambda ps: optim.RMSprop(ps, lr=0.1, momentum=0.5, centered=True),
    "GradientUpdate adagrad": lambda ps: optim.GradientUpdate(ps, rule="adagrad", lr=0.1),
    "GradientUpdate normalized": lambda ps: optim.GradientUpdate(ps, rule="normalized", lr=0.1),
}


def _spoil(params, how):
    """Give the last parameter a bad gradient (the others keep good ones)."""
    p = params[-1]
    if how == "nan":
        p.grad = np.nan if isinstance(p, Value) else np.full(p.shape, np.nan)
    elif how == "inf":
        p.grad = -np.inf if isinstance(p, Value) else np.full(p.shape, np.inf)
    else:  # a gradient of the wrong shape
        p.grad = np.ones(7)


@pytest.mark.parametrize("how", ["nan", "inf", "shape"])
@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=list(OPTIMIZERS))
def test_a_refused_step_changes_nothing_and_the_next_step_is_unharmed(make, engine, how):
    params, twin = _params(engine), _params(engine)
    opt, twin_opt = make(params), make(twin)
    for seed in (1, 2):  # build some state: momentum buffers, running averages, step counts
        _set_grads(params, seed)
        _set_grads(twin, seed)
        opt.step()
        twin_opt.step()
    _set_grads(params, 3)
    _spoil(params, how)
    before = _snapshot(params, opt)
    with pytest.raises(ValueError, match=r"params\[\d\].*no parameter was changed"):
        opt.step()
    assert _same(_snapshot(params, opt), before)
    _set_grads(params, 3)
    _set_grads(twin, 3)
    opt.step()
    twin_opt.step()
    assert _same(_snapshot(params, opt), _snapshot(twin, twin_opt))


def test_a_step_that_would_overflow_changes_nothing():
    params = [Tensor(np.ones(2), requires_grad=True), Tensor([1e308, 1.0], requires_grad=True)]
    opt = optim.SGD(params, lr=1.0, momentum=0.9)
    params[0].grad, params[1].grad = np.ones(2), np.array([-1e308, 0.0])
    before = _snapshot(params, opt)
    with pytest.raises(ValueError, match=r"params\[1\] \(shape \(2,\)\) would become NaN or inf"):
        opt.step()
    assert _same(_snapshot(params, opt), before)


def test_a_rule_that_fails_part_way_leaves_parameters_and_rule_state():
    params = _params("tensor")
    calls = []

    def rule(grads, lr, state):
        state["seen"] = state.get("seen", 0) + 1
        calls.append(1)
        return [lr * g for g in grads[:-1]] + [np.ones(5)]  # the last step has a wrong shape

    opt = optim.GradientUpdate(params, rule=rule, lr=0.1)
    _set_grads(params, 1)
    before = _snapshot(params, opt)
    with pytest.raises(ValueError, match=r"the rule's step 2 has shape \(5,\)"):
        opt.step()
    assert calls == [1] and _same(_snapshot(params, opt), before) and opt.rule_state == {}


def test_a_refused_schedule_leaves_the_learning_rate_and_the_step_count():
    opt = optim.SGD([Value(1.0)], lr=0.5)
    sched = optim.LambdaLR(opt, lambda k: 1.0 - 0.6 * k)  # negative from k = 2 on
    sched.step()
    with pytest.raises(ValueError, match="learning rate at step 2 would be"):
        sched.step()
    assert sched.last_epoch == 1 and opt.lr == pytest.approx(0.2)


def _model_with_grads(engine):
    model = nn.MLP(2, [3, 2], engine=engine, rng=0)
    out = nn.train.forward(model, np.array([[0.5, -1.0], [2.0, 0.1]]))
    nn.losses.cross_entropy(out, [0, 1]).backward()
    return model


BAD_STATES = {
    "wrong shape": {"layers.0.W": np.zeros((2, 3))},
    "NaN": {"layers.1.b": np.array([0.0, np.nan])},
    "strings": {"layers.1.W": np.full((2, 3), "w")},
    "missing": {"layers.1.b": None},
}


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("bad", BAD_STATES, ids=list(BAD_STATES))
@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_a_failed_load_state_dict_leaves_parameters_and_gradients(engine, bad, strict):
    model = _model_with_grads(engine)
    params = model.parameters()
    state = {k: v + 1.0 for k, v in model.state_dict().items()}  # good values everywhere else
    for key, value in BAD_STATES[bad].items():
        state.pop(key) if value is None else state.__setitem__(key, value)
    before = _snapshot(params)
    if not strict and bad in ("wrong shape", "missing"):  # skipped and reported, not an error
        model.load_state_dict(state, strict=False)
        return
    with pytest.raises(ValueError, match=r"nothing was changed"):
        model.load_state_dict(state, strict=strict)
    assert _same(_snapshot(params), before)
    assert model.parameters() == params  # the same parameter objects, not replacements


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_fit_that_fails_on_its_first_batch_leaves_the_model(engine):
    model = nn.MLP(2, [3, 2], engine=engine, rng=0)
    before = model.state_dict()
    opt = optim.Adam(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\)"):
        nn.fit(model, np.zeros((4, 2)), [0, 1, 5, 1], "cross_entropy", opt, epochs=3)
    assert _same(model.state_dict(), before) and opt.state.by_position == [{} for _ in opt.params]


def test_a_save_whose_model_fails_writes_nothing_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(nn.MLP(2, [3], engine="tensor", rng=0), path)
    old = path.read_bytes()

    class Broken(nn.Module):
        def state_dict(self):
            raise RuntimeError("no state today")

    with pytest.raises(RuntimeError, match="no state today"):
        nn.save(Broken(), path)
    assert path.read_bytes() == old and os.listdir(tmp_path) == ["model.npz"]


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(
    ("where", "labels", "validation"),
    [
        ("last batch", [0, 1, 0, 1, 0, 7], None),
        ("validation labels", [0, 1, 0, 1, 0, 1], ([[0.5, 0.5]], [4])),
    ],
)
def test_fit_checks_every_label_before_its_first_step(engine, where, labels, validation):
    model = nn.MLP(2, [3, 2], engine=engine, rng=0)
    before, grads = model.state_dict(), [copy.deepcopy(p.grad) for p in model.parameters()]
    opt = optim.Adam(model.parameters(), lr=0.1)
    X = np.random.default_rng(0).standard_normal((6, 2))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\)") as info:
        nn.fit(model, X, labels, "cross_entropy", opt, epochs=3, batch_size=2, shuffle=False,
               validation_data=validation)  # fmt: skip
    assert _same(model.state_dict(), before) and opt.state.by_position == [{} for _ in opt.params]
    assert _same([p.grad for p in model.parameters()], grads)
    assert any("before its first step; nothing was trained" in n for n in info.value.__notes__)


class _Stop:
    """A loss that goes wrong at its ``at``-th training call (calls under no_grad not counted)."""

    def __init__(self, at, how):
        self.at, self.how, self.calls = at, how, 0

    def __call__(self, out, y):
        J = nn.losses.cross_entropy(out, y)
        if not is_grad_enabled():
            return J
        self.calls += 1
        if self.calls < self.at:
            return J
        if self.how == "ctrl-c":
            raise KeyboardInterrupt
        return J * float("nan")  # divergence: NaN gradients, which the optimizer refuses


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(("how", "error"), [("ctrl-c", KeyboardInterrupt), ("nan", ValueError)])
def test_fit_that_stops_part_way_gives_the_history_so_far_and_the_last_good_weights(
    engine, how, error
):
    X, y = nn.data.make_moons(24, noise=0.1, rng=0)
    kw = {"batch_size": 8, "rng": 0, "metrics": ["accuracy"], "validation_data": (X[:6], y[:6])}
    model = nn.MLP(2, [4, 2], engine=engine, rng=0)
    opt = optim.Adam(model.parameters(), lr=0.05)
    loss = _Stop(at=3 * 3 + 2, how=how)  # 3 batches an epoch: the 2nd step of epoch 4
    with pytest.raises(error) as info:
        nn.fit(model, X, y, loss, opt, epochs=6, **kw)
    history = info.value.history
    assert isinstance(history, nn.History) and set(history) == {
        "loss",
        "accuracy",
        "val_loss",
        "val_accuracy",
    }
    assert all(len(v) == 3 for v in history.values())
    assert all(type(v) is float for v in history.loss + history.val_loss + history.accuracy)
    assert any("stopped after 3 of 6 epochs" in n for n in info.value.__notes__)
    assert model.training
    # the same run, stopped cleanly after 3 epochs and one more step, is where we are
    twin = nn.MLP(2, [4, 2], engine=engine, rng=0)
    twin_opt = optim.Adam(twin.parameters(), lr=0.05)
    expected = nn.fit(twin, X, y, "cross_entropy", twin_opt, epochs=3, **kw)
    assert _same(dict(history), dict(expected))
    order = np.random.default_rng(0)
    for _ in range(4):
        perm = order.permutation(len(X))  # fit's batches come from the same stream
    Xb, yb = X[perm[:8]], y[perm[:8]]
    J = nn.losses.cross_entropy(nn.train.forward(twin, Xb), yb)
    twin_opt.zero_grad()
    J.backward()
    twin_opt.step()
    assert _same(model.state_dict(), twin.state_dict())
    assert _same(opt.state.by_position, twin_opt.state.by_position)


def test_fit_interrupted_while_evaluating_leaves_the_model_in_training_mode():
    X, y = nn.data.make_moons(24, noise=0.1, rng=0)
    model = nn.MLP(2, [4, 2], engine="tensor", rng=0)
    calls = []

    def metric(out, yb):
        calls.append(model.training)
        if len(calls) > 4 and not model.training:  # in the 2nd epoch's evaluation
            raise KeyboardInterrupt
        return 0.0

    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(KeyboardInterrupt) as info:
        nn.fit(model, X, y, "cross_entropy", opt, epochs=3, metrics={"m": metric},
               validation_data=(X, y))  # fmt: skip
    assert model.training and all(m.training for m in model.modules())
    assert {k: len(v) for k, v in info.value.history.items()} == dict.fromkeys(
        ["loss", "m", "val_loss", "val_m"], 1
    )
