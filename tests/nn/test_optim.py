"""Optimizers: PyTorch's trajectories in float64 (Tensor and Value parameters), closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import optim

START = [np.array([[0.5, -1.5], [2.0, 0.1], [-0.3, 0.8]]), np.array([1.0, -2.0, 0.05, 3.0])]
C = [np.array([[1.0, -2.0], [0.5, 3.0], [2.5, -1.0]]), np.array([0.3, -0.7, 1.1, 2.0])]


def _loss(params, sin, const=np.asarray):
    """J(θ) = Σ c·sin θ + 0.5·θ²: a different gradient at every step."""
    total = 0.0
    for p, c in zip(params, C, strict=True):
        total = total + (sin(p) * const(c) + 0.5 * p * p).sum()
    return total


CONFIGS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "dampening": 0.3}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.5, "lr_decay": 0.1, "weight_decay": 0.05,
                 "initial_accumulator_value": 0.2}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.02, "centered": True, "momentum": 0.7, "weight_decay": 0.05}),
    ("RMSprop", {"lr": 0.03, "alpha": 0.9, "eps": 1e-6, "momentum": 0.5}),
    ("Adam", {}),
    ("Adam", {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1, "amsgrad": True}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.1, "weight_decay": 0.3, "amsgrad": True}),
]  # fmt: skip
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CONFIGS)]
STEPS = 8


def _torch_trajectory(torch, name, kwargs):
    params = [torch.tensor(a, requires_grad=True) for a in START]
    opt = getattr(torch.optim, name)(params, **kwargs)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        _loss(params, torch.sin, torch.tensor).backward()
        opt.step()
        out.append([p.detach().numpy().copy() for p in params])
    return out


def _tensor_trajectory(name, kwargs):
    params = [Tensor(a, requires_grad=True) for a in START]
    opt = getattr(optim, name)(params, **kwargs)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        _loss(params, lambda p: p.sin()).backward()
        opt.step()
        out.append([p.data.copy() for p in params])
    return out


def _value_trajectory(name, kwargs):
    """The same problem with one Value per coordinate (the value engine's parameters)."""
    params = [[Value(x) for x in a.ravel()] for a in START]
    flat = [v for group in params for v in group]
    opt = getattr(optim, name)(flat, **kwargs)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        total = 0.0
        for group, c in zip(params, C, strict=True):
            for v, ci in zip(group, c.ravel(), strict=True):
                total = total + ci * v.sin() + 0.5 * v * v
        total.backward()
        opt.step()
        assert all(type(v.data) is float and v.grad_fn is None for v in flat)
        out.append(
            [
                np.array([v.data for v in g]).reshape(a.shape)
                for g, a in zip(params, START, strict=True)
            ]
        )
    return out


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=IDS)
def test_tensor_trajectory_matches_pytorch(torch, name, kwargs):
    for ours, theirs in zip(
        _tensor_trajectory(name, kwargs), _torch_trajectory(torch, name, kwargs), strict=True
    ):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=IDS)
def test_value_trajectory_matches_pytorch(torch, name, kwargs):
    for ours, theirs in zip(
        _value_trajectory(name, kwargs), _torch_trajectory(torch, name, kwargs), strict=True
    ):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=IDS)
def test_value_and_tensor_parameters_follow_one_update(name, kwargs):
    for a_step, b_step in zip(
        _value_trajectory(name, kwargs), _tensor_trajectory(name, kwargs), strict=True
    ):
        for a, b in zip(a_step, b_step, strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


# closed forms (always run) --------------------------------------------------------------


def _one_param(x=1.5, g=0.4):
    p = Tensor(np.array([x]), requires_grad=True)
    p.grad = np.array([g])
    return p


def test_sgd_steps_by_hand():
    p = _one_param()
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    opt.step()  # b = g
    assert p.data[0] == pytest.approx(1.5 - 0.1 * 0.4)
    opt.step()  # b = 0.9·0.4 + 0.4
    assert p.data[0] == pytest.approx(1.5 - 0.04 - 0.1 * 0.76)


@pytest.mark.parametrize(
    ("opt", "expected"),
    [
        (lambda ps: optim.Adam(ps, lr=0.1), 1.5 - 0.1 * 0.4 / (0.4 + 1e-8)),
        (lambda ps: optim.Adagrad(ps, lr=0.1), 1.5 - 0.1 * 0.4 / (0.4 + 1e-10)),
        (lambda ps: optim.RMSprop(ps, lr=0.1), 1.5 - 0.1 * 0.4 / (0.1 * 0.4 + 1e-8)),
        (lambda ps: optim.AdamW(ps, lr=0.1), 1.5 - 0.1 * 0.01 * 1.5 - 0.1 * 0.4 / (0.4 + 1e-8)),
    ],
)
def test_adaptive_first_steps_by_hand(opt, expected):
    p = _one_param()
    opt([p]).step()
    assert p.data[0] == pytest.approx(expected, rel=1e-12)


def test_step_records_no_graph_and_skips_missing_gradients():
    a, b = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    (a * a).sum().backward()
    opt = optim.Adam([a, b])
    opt.step()
    assert a.grad_fn is None and a.is_leaf and not np.array_equal(a.data, np.ones(2))
    assert b.grad is None and np.array_equal(b.data, np.ones(2)) and "step" not in opt.state[1]
    opt.zero_grad()
    assert a.grad is None


def test_zero_grad_on_values_sets_zero():
    v = Value(2.0)
    (v * v).backward()
    opt = optim.SGD([v], lr=0.5)
    opt.step()
    assert v.data == 2.0 - 0.5 * 4.0
    opt.zero_grad()
    assert v.grad == 0.0


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: optim.SGD([], lr=0.1), ValueError, "empty parameter list"),
        (lambda: optim.SGD(Value(1.0), lr=0.1), TypeError, "iterable of parameters"),
        (lambda: optim.SGD([1.0], lr=0.1), TypeError, r"params\[0\]"),
        (lambda: optim.SGD([Value(1.0) * 2], lr=0.1), TypeError, "leaf"),
        (lambda: optim.SGD([_v := Value(1.0), _v], lr=0.1), ValueError, "more than once"),
        (lambda: optim.SGD([Value(1.0)], lr=-1), ValueError, "lr must be"),
        (lambda: optim.SGD([Value(1.0)], lr=0.1, nesterov=True), ValueError, "nesterov"),
        (lambda: optim.Adam([Value(1.0)], betas=(0.9, 1.0)), ValueError, r"betas\[1\]"),
    ],
)
def test_bad_arguments_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make()


# the notes' gradient update schedule ----------------------------------------------------


def _gradient_of(params):
    for p in params:
        p.grad = None
    _loss(params, lambda p: p.sin()).backward()


def test_normalized_rule_takes_steps_of_length_alpha_against_the_gradient():
    params = [Tensor(a, requires_grad=True) for a in START]
    opt = optim.GradientUpdate(params, rule="normalized", lr=0.25)
    _gradient_of(params)
    g = np.concatenate([p.grad.ravel() for p in params])
    before = np.concatenate([p.data.ravel() for p in params])
    opt.step()
    after = np.concatenate([p.data.ravel() for p in params])
    np.testing.assert_allclose(after - before, -0.25 * g / np.linalg.norm(g), rtol=1e-12)
    assert np.linalg.norm(after - before) == pytest.approx(0.25)


def test_adagrad_rule_equals_the_adagrad_optimizer_and_constant_equals_sgd():
    for rule, reference in [("adagrad", optim.Adagrad), ("constant", optim.SGD)]:
        a = [Tensor(x, requires_grad=True) for x in START]
        b = [Tensor(x, requires_grad=True) for x in START]
        opt_a, opt_b = optim.GradientUpdate(a, rule=rule, lr=0.3), reference(b, lr=0.3)
        for _ in range(5):
            _gradient_of(a)
            _gradient_of(b)
            opt_a.step()
            opt_b.step()
        for p, q in zip(a, b, strict=True):
            np.testing.assert_allclose(p.data, q.data, rtol=1e-14)


def test_a_user_rule_transforms_the_gradient_on_values():
    v = [Value(1.0), Value(-2.0)]

    def sign_rule(grads, lr, state):
        state["calls"] = state.get("calls", 0) + 1
        return [lr * np.sign(g) for g in grads]

    opt = optim.GradientUpdate(v, rule=sign_rule, lr=0.1)
    (v[0] * v[0] - 3 * v[1]).backward()
    opt.step()
    assert [x.data for x in v] == pytest.approx([0.9, -1.9]) and opt.rule_state["calls"] == 1
    assert all(type(x.data) is float for x in v)
    with pytest.raises(ValueError, match="rule must be one of"):
        optim.GradientUpdate(v, rule="momentum")
