"""``opt.state_dict()`` / ``opt.load_state_dict()``: a resumed run equals one that never stopped.

Every optimizer of the PyTorch comparison runs 8 steps; a twin runs 3, hands its state
dict to a new optimizer over new parameters (built with other hyper-parameters, which the
dict replaces), and runs 5 more: the two trajectories are equal to the last bit, on Tensor
and Value parameters, and equal PyTorch's (float64). A PyTorch optimizer's own state dict
(its tensors as numpy arrays) loads and continues as PyTorch continues.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import optim

from .test_optim import CONFIGS, IDS, START, C, _loss, _torch_trajectory

STEPS, STOP = 8, 3


def _tensor_params(arrays):
    return [Tensor(np.array(a), requires_grad=True) for a in arrays]


def _step(params, opt):
    opt.zero_grad()
    _loss(params, lambda p: p.sin()).backward()
    opt.step()


def _resumed(name, kwargs, stop=STOP):
    params = _tensor_params(START)
    opt = getattr(optim, name)(params, **kwargs)
    out = []
    for k in range(STEPS):
        if k == stop:  # a new process: new parameters, a new optimizer, the saved state
            saved = copy.deepcopy(opt.state_dict())
            params = _tensor_params([p.data for p in params])
            opt = getattr(optim, name)(params, lr=0.123)
            opt.load_state_dict(saved)
        _step(params, opt)
        out.append([p.data.copy() for p in params])
    return out


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=IDS)
def test_a_resumed_run_equals_an_uninterrupted_one_bit_for_bit(name, kwargs):
    for a_step, b_step in zip(
        _resumed(name, kwargs, stop=STEPS), _resumed(name, kwargs), strict=True
    ):
        for a, b in zip(a_step, b_step, strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=IDS)
def test_a_resumed_run_matches_pytorchs_uninterrupted_run(torch, name, kwargs):
    for ours, theirs in zip(
        _resumed(name, kwargs), _torch_trajectory(torch, name, kwargs), strict=True
    ):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=IDS)
def test_value_parameters_resume_exactly(name, kwargs):
    def run(stop):
        vs = [Value(float(x)) for a in START for x in a.ravel()]
        cs = [float(x) for c in C for x in c.ravel()]
        opt = getattr(optim, name)(vs, **kwargs)
        out = []
        for k in range(STEPS):
            if k == stop:
                saved = opt.state_dict()
                vs = [Value(v.data) for v in vs]
                opt = getattr(optim, name)(vs)
                opt.load_state_dict(saved)
            opt.zero_grad()
            total = 0.0
            for v, c in zip(vs, cs, strict=True):
                total = total + c * v.sin() + 0.5 * v * v
            total.backward()
            opt.step()
            out.append([v.data for v in vs])
        assert all(
            type(x) is float for s in opt.state.values() for k, x in s.items() if k != "step"
        )
        return out

    assert run(STOP) == run(STEPS)


def _numpy(torch, state_dict):
    """A PyTorch state dict with its tensors as numpy arrays (what a user would convert)."""
    state = {
        j: {k: v.detach().numpy().copy() if torch.is_tensor(v) else v for k, v in s.items()}
        for j, s in state_dict["state"].items()
    }
    return {"state": state, "param_groups": copy.deepcopy(state_dict["param_groups"])}


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=IDS)
def test_pytorchs_state_dict_loads_and_continues_as_pytorch(torch, name, kwargs):
    tparams = [torch.tensor(a, requires_grad=True) for a in START]
    topt = getattr(torch.optim, name)(tparams, **kwargs)
    for k in range(STEPS):
        if k == STOP:
            params = _tensor_params([p.detach().numpy() for p in tparams])
            opt = getattr(optim, name)(params)
            opt.load_state_dict(_numpy(torch, topt.state_dict()))
        if k >= STOP:
            _step(params, opt)
        topt.zero_grad()
        _loss(tparams, torch.sin, torch.tensor).backward()
        topt.step()
    for a, b in zip(params, tparams, strict=True):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=0, atol=1e-10)


def test_the_state_dict_is_pytorchs_layout_and_a_copy():
    params = _tensor_params(START)
    opt = optim.Adam([{"params": params[:1]}, {"params": params[1:], "lr": 0.5}], lr=0.1)
    for p in params:
        p.grad = np.ones_like(p.data)
    opt.step()
    saved = opt.state_dict()
    assert [g["params"] for g in saved["param_groups"]] == [[0], [1]]
    assert saved["param_groups"][1]["lr"] == 0.5 and saved["param_groups"][0]["betas"] == (
        0.9,
        0.999,
    )
    assert sorted(saved["state"][1]) == ["exp_avg", "exp_avg_sq", "step"]
    before = copy.deepcopy(saved)
    opt.step()
    assert saved["state"][0]["step"] == 1
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], before["state"][0]["exp_avg"])


def _stepped_adam():
    params = _tensor_params(START)
    opt = optim.Adam(params, lr=0.1, amsgrad=True)
    for p in params:
        p.grad = np.ones_like(p.data)
    opt.step()
    return opt


def _spoiled(how):
    saved = _stepped_adam().state_dict()
    s0 = saved["state"][0]
    if how == "groups":
        saved["param_groups"] = saved["param_groups"] * 2
    elif how == "params":
        saved["param_groups"][0]["params"] = [0]
    elif how == "lr":
        saved["param_groups"][0]["lr"] = -0.1
    elif how == "betas":
        saved["param_groups"][0]["betas"] = "high"
    elif how == "maximize":
        saved["param_groups"][0]["maximize"] = True
    elif how == "decoupled":
        saved["param_groups"][0]["decoupled_weight_decay"] = True
    elif how == "unknown entry":
        s0["momentum_buffer"] = s0["exp_avg"]
    elif how == "missing entry":
        del s0["max_exp_avg_sq"]
    elif how == "shape":
        s0["exp_avg"] = np.zeros(7)
    elif how == "nan":
        s0["exp_avg_sq"] = np.full_like(s0["exp_avg_sq"], np.nan)
    elif how == "step":
        s0["step"] = 1.5
    elif how == "strings":
        s0["exp_avg"] = np.full(s0["exp_avg"].shape, "x")
    elif how == "no parameter":
        saved["state"][9] = saved["state"].pop(1)
    elif how == "not a dict":
        return [1, 2]
    elif how == "no state":
        del saved["state"]
    return saved


SPOILED = {
    "groups": (ValueError, "the state dict has 2 parameter groups, this optimizer 1"),
    "params": (ValueError, r"param_groups\[0\] has 1 parameters, this optimizer's 2"),
    "lr": (ValueError, r"state dict param_groups\[0\]\['lr'\] must be a finite number >= 0"),
    "betas": (ValueError, r"param_groups\[0\]\['betas'\] must be a pair"),
    "maximize": (ValueError, "negate the loss instead"),
    "decoupled": (ValueError, "use nn.optim.AdamW for that"),
    "unknown entry": (ValueError, r"state\[0\] has 'momentum_buffer', which Adam does not keep"),
    "missing entry": (ValueError, r"state\[0\] has no 'max_exp_avg_sq' \(Adam\)"),
    "shape": (
        ValueError,
        r"state\[0\]\['exp_avg'\] has shape \(7,\), its parameter shape \(3, 2\)",
    ),
    "nan": (ValueError, r"state\[0\]\['exp_avg_sq'\] holds NaN"),
    "step": (ValueError, r"state\[0\]\['step'\] must be a count >= 0, got 1.5"),
    "strings": (TypeError, r"state\[0\]\['exp_avg'\] must hold numbers"),
    "no parameter": (ValueError, "has an entry 9 for no parameter"),
    "not a dict": (TypeError, "load_state_dict takes a dict like opt.state_dict()"),
    "no state": (ValueError, "the state dict has no 'state'"),
}


@pytest.mark.parametrize("how", SPOILED, ids=list(SPOILED))
def test_a_bad_state_dict_names_what_is_wrong_and_changes_nothing(how):
    error, match = SPOILED[how]
    opt = _stepped_adam()
    before = copy.deepcopy((opt.state_dict(), [p.data for p in opt.params]))
    with pytest.raises(error, match=match):
        opt.load_state_dict(_spoiled(how))
    after = (opt.state_dict(), [p.data for p in opt.params])
    assert repr(after) == repr(before)


def test_gradient_update_saves_its_rules_state():
    def run(stop):
        params = _tensor_params(START)
        opt = optim.GradientUpdate(params, rule="adagrad", lr=0.3)
        for k in range(STEPS):
            if k == stop:
                saved = opt.state_dict()
                params = _tensor_params([p.data for p in params])
                opt = optim.GradientUpdate(params, rule="adagrad", lr=0.3)
                opt.load_state_dict(saved)
            _step(params, opt)
        return [p.data for p in params]

    for a, b in zip(run(STOP), run(STEPS), strict=True):
        np.testing.assert_array_equal(a, b)
    opt = optim.GradientUpdate(_tensor_params(START), rule="adagrad")
    with pytest.raises(ValueError, match=r"rule_state\['G'\] must hold one array per parameter"):
        opt.load_state_dict({"state": {}, "param_groups": opt.state_dict()["param_groups"],
                             "rule_state": {"G": [np.ones(2)]}})  # fmt: skip


def test_scheduler_state_resumes_the_schedule():
    def run(stop):
        p = Value(1.0)
        opt = optim.SGD([p], lr=1.0)
        sched = optim.StepLR(opt, step_size=2, gamma=0.5)
        lrs = []
        for k in range(7):
            if k == stop:
                saved_opt, saved_sched = opt.state_dict(), sched.state_dict()
                opt = optim.SGD([p], lr=1.0)
                sched = optim.StepLR(opt, step_size=2, gamma=0.5)
                opt.load_state_dict(saved_opt)
                sched.load_state_dict(saved_sched)
            lrs.append(opt.lr)
            sched.step()
        return lrs

    assert run(3) == run(99) == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125]
