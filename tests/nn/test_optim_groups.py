"""Parameter groups: PyTorch's spelling, per-group hyper-parameters, schedulers on each group."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import optim

from .test_optim import START, _loss

STEPS = 6
GROUPED = [
    ("SGD", [{"lr": 0.05}, {"lr": 0.2, "momentum": 0.9}], {"lr": 0.1}),
    ("SGD", [{}, {"nesterov": True, "weight_decay": 0.1}], {"lr": 0.1, "momentum": 0.5}),
    ("Adam", [{"betas": (0.8, 0.95)}, {"lr": 0.01, "amsgrad": True}], {"lr": 0.1}),
    ("AdamW", [{"weight_decay": 0.5}, {}], {"lr": 0.05}),
    ("Adagrad", [{"lr_decay": 0.1}, {"lr": 0.3}], {"initial_accumulator_value": 0.1}),
    ("RMSprop", [{"centered": True}, {"momentum": 0.5, "lr": 0.02}], {"lr": 0.01}),
]
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(GROUPED)]


def _groups(params, overrides):
    return [{"params": [p], **o} for p, o in zip(params, overrides, strict=True)]


def _run(module, make_param, sin, params_of, name, overrides, kwargs, schedule=None):
    params = [make_param(a) for a in START]
    opt = getattr(module, name)(_groups(params, overrides), **kwargs)
    sched = None if schedule is None else schedule(opt)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        _loss(params, sin, *params_of).backward()
        opt.step()
        if sched is not None:
            sched.step()
        out.append(
            [np.array(p.detach().numpy() if hasattr(p, "detach") else p.data) for p in params]
        )
    return out, [g["lr"] for g in opt.param_groups]


def _ours(name, overrides, kwargs, schedule=None):
    return _run(
        optim,
        lambda a: Tensor(a, requires_grad=True),
        lambda p: p.sin(),
        (),
        name,
        overrides,
        kwargs,
        schedule,
    )


def _theirs(torch, name, overrides, kwargs, schedule=None):
    return _run(
        torch.optim,
        lambda a: torch.tensor(a, requires_grad=True),
        torch.sin,
        (torch.tensor,),
        name,
        overrides,
        kwargs,
        schedule,
    )


@pytest.mark.parametrize(("name", "overrides", "kwargs"), GROUPED, ids=IDS)
def test_grouped_trajectories_match_pytorch(torch, name, overrides, kwargs):
    (ours, _), (theirs, _) = (
        _ours(name, overrides, kwargs),
        _theirs(torch, name, overrides, kwargs),
    )
    for a_step, b_step in zip(ours, theirs, strict=True):
        for a, b in zip(a_step, b_step, strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


SCHEDULES = [
    ("StepLR", lambda m: lambda opt: m.StepLR(opt, step_size=2, gamma=0.5)),
    ("ExponentialLR", lambda m: lambda opt: m.ExponentialLR(opt, gamma=0.8)),
    ("LinearLR", lambda m: lambda opt: m.LinearLR(opt, start_factor=0.5, total_iters=4)),
    ("LambdaLR", lambda m: lambda opt: m.LambdaLR(opt, [lambda k: 1 / (1 + k), lambda k: 0.9**k])),
]


@pytest.mark.parametrize("schedule", [s for _, s in SCHEDULES], ids=[n for n, _ in SCHEDULES])
def test_schedulers_set_every_groups_lr_as_pytorch(torch, schedule):
    overrides, kwargs = [{"lr": 0.05}, {"lr": 0.2, "momentum": 0.9}], {"lr": 0.1}
    ours, our_lrs = _ours("SGD", overrides, kwargs, schedule(optim))
    theirs, their_lrs = _theirs(torch, "SGD", overrides, kwargs, schedule(torch.optim.lr_scheduler))
    np.testing.assert_allclose(our_lrs, their_lrs, rtol=1e-14)
    for a_step, b_step in zip(ours, theirs, strict=True):
        for a, b in zip(a_step, b_step, strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


def test_a_group_takes_the_defaults_it_leaves_out_and_keeps_extra_keys():
    a, b = Value(1.0), Value(2.0)
    opt = optim.SGD([{"params": [a], "name": "body"}, {"params": b, "lr": 0.5}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[0]["name"] == "body" and opt.param_groups[1]["params"] == [b]
    assert opt.params == [a, b] and opt.defaults["lr"] == 0.1
    with pytest.raises(ValueError, match=r"different learning rates \[0.1, 0.5\]"):
        _ = opt.lr
    opt.lr = 0.25
    assert [g["lr"] for g in opt.param_groups] == [0.25, 0.25] and opt.lr == 0.25


def test_a_changed_group_lr_is_used_by_the_next_step():
    p = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    opt.param_groups[0]["lr"] = 0.5
    p.grad = np.array([2.0])
    opt.step()
    assert p.data[0] == pytest.approx(1.0 - 0.5 * 2.0)


def test_add_param_group_appends_a_group_and_its_state(torch):
    ours = [Tensor(a, requires_grad=True) for a in START]
    theirs = [torch.tensor(a, requires_grad=True) for a in START]
    opt, topt = optim.Adam([ours[0]], lr=0.1), torch.optim.Adam([theirs[0]], lr=0.1)
    for step in range(4):
        if step == 2:
            opt.add_param_group({"params": [ours[1]], "lr": 0.02})
            topt.add_param_group({"params": [theirs[1]], "lr": 0.02})
        for o in (opt, topt):
            o.zero_grad()
        _loss(ours, lambda p: p.sin()).backward()
        _loss(theirs, torch.sin, torch.tensor).backward()
        opt.step()
        topt.step()
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=0, atol=1e-10)
    assert len(opt.state) == 2 and opt.state[1]["step"] == 2


P, Q = Value(1.0), Value(2.0)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (
            lambda: optim.SGD([{"lr": 0.1}], lr=0.1),
            ValueError,
            r"param_groups\[0\] has no 'params'",
        ),
        (
            lambda: optim.SGD([{"params": [P]}, {"params": [Q], "lr": -1}], lr=0.1),
            ValueError,
            r"param_groups\[1\]\['lr'\] must be a number > 0, got -1",
        ),
        (
            lambda: optim.Adam([{"params": [P], "betas": (0.9, 2.0)}]),
            ValueError,
            r"param_groups\[0\]\['betas'\]\[1\] must be < 1",
        ),
        (
            lambda: optim.SGD([{"params": [P]}, {"params": [P]}], lr=0.1),
            ValueError,
            r"more than once in params \(param_groups\[0\]\['params'\]\[0\] and "
            r"param_groups\[1\]\['params'\]\[0\]\)",
        ),
        (lambda: optim.SGD([{"params": [P]}, Q], lr=0.1), TypeError, "not both"),
        (
            lambda: optim.SGD([{"params": [P * 2]}], lr=0.1),
            TypeError,
            r"param_groups\[0\]\['params'\]\[0\] is not a leaf",
        ),
        (
            lambda: optim.SGD([{"params": [P], "nesterov": True}], lr=0.1),
            ValueError,
            r"param_groups\[0\]: nesterov=True needs momentum > 0",
        ),
        (
            lambda: optim.SGD([{"params": [P], "maximize": True}], lr=0.1),
            ValueError,
            r"'maximize'\]=True is not supported: negate the loss instead",
        ),
        (
            lambda: optim.Adagrad([{"params": [P], "initial_accumulator_value": 0.1}]),
            ValueError,
            r"param_groups\[0\]\['initial_accumulator_value'\]: PyTorch starts every group",
        ),
        (
            lambda: optim.GradientUpdate([{"params": [P]}, {"params": [Q]}]),
            ValueError,
            "one GradientUpdate per group",
        ),
        (
            lambda: optim.LambdaLR(optim.SGD([{"params": [P]}, {"params": [Q]}], lr=1), [abs]),
            ValueError,
            r"expected 2 functions \(one per group\), got 1",
        ),
    ],
)
def test_bad_groups_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_add_param_group_refuses_a_parameter_already_there_and_changes_nothing():
    opt = optim.SGD([P], lr=0.1)
    with pytest.raises(ValueError, match=r"param_groups\[1\]\['params'\]\[0\]"):
        opt.add_param_group({"params": [P]})
    assert len(opt.param_groups) == 1 and len(opt.state.by_position) == 1


def test_a_scheduler_refusing_one_group_leaves_every_lr_and_the_step_count():
    opt = optim.SGD([{"params": [P]}, {"params": [Q], "lr": 0.5}], lr=0.1)
    sched = optim.LambdaLR(opt, [lambda k: 1.0, lambda k: 1.0 - k])
    sched.step()
    with pytest.raises(ValueError, match="of parameter group 1 at step 2 would be"):
        sched.step()
    assert sched.last_epoch == 1 and [g["lr"] for g in opt.param_groups] == [0.1, 0.0]


def test_a_second_scheduler_starts_from_the_initial_lr_as_in_pytorch(torch):
    def lrs(module, make_param):
        opt = module.SGD(
            [{"params": [make_param()]}, {"params": [make_param()], "lr": 0.4}], lr=0.1
        )
        schedulers = module.lr_scheduler if hasattr(module, "lr_scheduler") else module
        first = schedulers.StepLR(opt, step_size=1, gamma=0.5)
        for _ in range(3):
            opt.step()
            first.step()
        second = schedulers.ExponentialLR(opt, gamma=0.9)
        out = [g["lr"] for g in opt.param_groups]
        opt.step()
        second.step()
        return out + [g["lr"] for g in opt.param_groups]

    ours = lrs(optim, lambda: Value(1.0))
    theirs = lrs(torch.optim, lambda: torch.zeros(1, requires_grad=True))
    np.testing.assert_allclose(ours, theirs, rtol=1e-14)


@pytest.mark.parametrize("schedule", [s for _, s in SCHEDULES], ids=[n for n, _ in SCHEDULES])
def test_an_lr_changed_by_hand_between_scheduler_steps_goes_on_as_in_pytorch(torch, schedule):
    def lrs(module, make_param):
        opt = module.SGD(
            [{"params": [make_param()]}, {"params": [make_param()], "lr": 0.4}], lr=0.1
        )
        sched = schedule(module.lr_scheduler if hasattr(module, "lr_scheduler") else module)(opt)
        out = []
        for k in range(8):
            if k == 3:
                opt.param_groups[1]["lr"] = 0.25
            opt.step()
            sched.step()
            out.append([g["lr"] for g in opt.param_groups])
        return out

    theirs = lrs(torch.optim, lambda: torch.zeros(1, requires_grad=True))
    np.testing.assert_allclose(lrs(optim, lambda: Value(1.0)), theirs, rtol=1e-14)


def test_a_group_params_list_changed_by_hand_is_refused_not_misread():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    opt = optim.Adam([{"params": [a]}, {"params": [b]}], lr=0.1)
    opt.param_groups[0]["params"].append(c)
    with pytest.raises(ValueError, match=r"hold 3 parameters, but the optimizer was given 2"):
        opt.step()
    assert [a.data, b.data, c.data] == [1.0, 2.0, 3.0]
