"""Learning-rate schedules: PyTorch's α sequences, and micrograd's demo schedule."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value
from nn import optim

SCHEDULES = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("LinearLR", {}),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 7}),
    ("LambdaLR", {"lr_lambda": lambda k: 1 / (1 + k)}),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(SCHEDULES)]


def _ours(name, kwargs, steps=12):
    opt = optim.SGD([Value(1.0)], lr=0.3)
    sched = getattr(optim, name)(opt, **kwargs)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.lr)
        assert sched.get_last_lr() == [opt.lr]
        opt.step()
        sched.step()
    return lrs


@pytest.mark.parametrize(("name", "kwargs"), SCHEDULES, ids=IDS)
def test_schedule_matches_pytorch(torch, name, kwargs):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.3)
    sched = getattr(torch.optim.lr_scheduler, name)(opt, **kwargs)
    lrs = []
    for _ in range(12):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    np.testing.assert_allclose(_ours(name, kwargs), lrs, rtol=1e-12)


def test_closed_forms():
    assert _ours("StepLR", {"step_size": 2, "gamma": 0.1}, 5) == pytest.approx(
        [0.3, 0.3, 0.03, 0.03, 0.003]
    )
    assert _ours("ExponentialLR", {"gamma": 0.5}, 3) == pytest.approx([0.3, 0.15, 0.075])


def test_linear_lr_is_micrograds_demo_schedule():
    opt = optim.SGD([Value(1.0)], lr=1.0)
    sched = optim.LinearLR(opt, start_factor=1.0, end_factor=0.1, total_iters=100)
    for k in range(100):
        assert opt.lr == pytest.approx(1.0 - 0.9 * k / 100, rel=1e-14)
        sched.step()


def test_schedules_check_their_arguments():
    opt = optim.SGD([Value(1.0)], lr=1.0)
    with pytest.raises(ValueError, match="step_size"):
        optim.StepLR(opt, 0)
    with pytest.raises(ValueError, match="gamma"):
        optim.ExponentialLR(opt, -1.0)
    with pytest.raises(TypeError, match="lr_lambda"):
        optim.LambdaLR(opt, 3)
    with pytest.raises(TypeError, match="optimizer"):
        optim.StepLR(object(), 2)
