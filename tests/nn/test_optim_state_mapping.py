"""``opt.state`` is PyTorch's mapping: keyed by the parameters, holding PyTorch's entries."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from nn import optim
from nn.checkpoint import load_checkpoint, save_checkpoint

from .test_optim import START, _loss

MAPPED = [
    ("Adam", {"lr": 0.1}),
    ("Adam", {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1, "amsgrad": True}),
    ("AdamW", {"lr": 0.1, "amsgrad": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.1}),
    ("RMSprop", {"lr": 0.02, "centered": True, "momentum": 0.7}),
    ("Adagrad", {"lr": 0.5, "lr_decay": 0.1, "initial_accumulator_value": 0.2}),
]
MAPPED_IDS = [f"{name}-{i}" for i, (name, _) in enumerate(MAPPED)]


def _position(params, key):
    """Where ``key`` is in ``params``, by identity (a Tensor's ``==`` is elementwise)."""
    return next(j for j, p in enumerate(params) if p is key)


def _same_objects(a, b):
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _run(make, params, loss, steps):
    opt = make(params)
    for _ in range(steps):
        opt.zero_grad()
        loss(params[:2]).backward()  # params[2] gets no gradient: it never has state
        opt.step()
    return opt


@pytest.mark.parametrize(("name", "kwargs"), MAPPED, ids=MAPPED_IDS)
def test_opt_state_of_each_parameter_equals_pytorchs(torch, name, kwargs):
    starts = [*START, np.array([0.25, -0.5])]
    ours = [Tensor(a, requires_grad=True) for a in starts]
    theirs = [torch.tensor(a, requires_grad=True) for a in starts]
    opt = _run(
        lambda ps: getattr(optim, name)(ps, **kwargs), ours, lambda ps: _loss(ps, Tensor.sin), 3
    )
    topt = _run(
        lambda ps: getattr(torch.optim, name)(ps, **kwargs),
        theirs,
        lambda ps: _loss(ps, torch.sin, torch.tensor),
        3,
    )
    assert len(opt.state) == len(topt.state)
    assert [_position(ours, p) for p in opt.state] == [_position(theirs, p) for p in topt.state]
    assert [p in opt.state for p in ours] == [p in topt.state for p in theirs]
    for p, tp in zip(ours, theirs, strict=True):
        if tp not in topt.state:  # reading topt.state[tp] would add it (a defaultdict)
            assert opt.state[p] == {}
            continue
        mine, torchs = opt.state[p], topt.state[tp]
        assert sorted(mine) == sorted(torchs)
        for key, value in torchs.items():
            if key == "step":  # PyTorch keeps a float32 tensor, we an int
                assert type(mine[key]) is int and mine[key] == float(value)
            else:
                assert type(mine[key]) is np.ndarray
                np.testing.assert_allclose(mine[key], value.numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize(("name", "kwargs"), MAPPED, ids=MAPPED_IDS)
def test_items_keys_and_values_agree_and_follow_the_parameters(name, kwargs):
    params = [Tensor(a, requires_grad=True) for a in [*START, np.array([0.25, -0.5])]]
    opt = _run(
        lambda ps: getattr(optim, name)(ps, **kwargs), params, lambda ps: _loss(ps, Tensor.sin), 2
    )
    keys = list(opt.state)
    stepped = [0, 1] if opt.state else []  # params[2] has no gradient
    assert [_position(params, p) for p in keys] == ([0, 1, 2] if name == "Adagrad" else stepped)
    assert all(a is b for a, b in zip(keys, opt.state.keys(), strict=True))
    assert all(s is opt.state[p] for p, s in zip(keys, opt.state.values(), strict=True))
    assert all(s is opt.state[p] for p, s in opt.state.items())
    assert len(opt.state) == len(keys) == len(opt.state.items())


def test_before_any_step_the_state_is_empty_and_each_parameter_reads_as_an_empty_dict(torch):
    p, tp = Tensor(np.ones(2), requires_grad=True), torch.ones(2, requires_grad=True)
    opt, topt = optim.Adam([p]), torch.optim.Adam([tp])
    assert len(opt.state) == len(topt.state) == 0 and list(opt.state) == []
    assert (p in opt.state) is (tp in topt.state) is False
    assert opt.state[p] == topt.state[tp] == {}


def test_value_parameters_are_keys_with_float_entries():
    vs = [Value(0.5), Value(-1.0), Value(2.0)]
    opt = optim.Adam(vs, lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        (vs[0] * vs[0] + vs[1].tanh()).backward()
        vs[2].grad = None  # no gradient: no state, as a Tensor's None
        opt.step()
    assert list(opt.state) == vs[:2] and vs[2] not in opt.state and opt.state[vs[2]] == {}
    state = opt.state[vs[0]]
    assert state["step"] == 2 and all(type(state[k]) is float for k in ("exp_avg", "exp_avg_sq"))


def test_a_parameter_is_found_by_identity_not_by_equal_values():
    p = Tensor(np.ones(2), requires_grad=True)
    twin = Tensor(np.ones(2), requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = np.ones(2)
    opt.step()
    assert p in opt.state and twin not in opt.state and np.ones(2) not in opt.state
    with pytest.raises(
        KeyError, match=r"a Tensor of shape \(2,\)\) is not a parameter of this SGD"
    ):
        opt.state[twin]


def test_an_int_is_the_parameters_position():
    params = [Tensor(a, requires_grad=True) for a in START]
    opt = _run(lambda ps: optim.Adam(ps, lr=0.1), params, lambda ps: _loss(ps, Tensor.sin), 2)
    assert opt.state[0] is opt.state[params[0]] and opt.state[np.int64(1)] is opt.state[params[1]]
    assert 0 not in opt.state  # the keys are the parameters, as PyTorch's


@pytest.mark.parametrize(
    ("key", "error", "match"),
    [
        (2, KeyError, r"opt.state\[2\]: this Adam has 2 parameters; pass a parameter, or a "),
        (-1, KeyError, r"a position from 0 to 1"),
        ("0", TypeError, r"keyed by the optimizer's parameters \(or their position, an int\)"),
        (True, TypeError, r"got bool"),
        (Value(1.0), KeyError, r"p \(a Value\) is not a parameter of this Adam"),
    ],
)
def test_a_key_that_is_neither_a_parameter_nor_a_position_is_refused(key, error, match):
    opt = optim.Adam([Tensor(a, requires_grad=True) for a in START])
    with pytest.raises(error, match=match):
        opt.state[key]


def test_assigning_or_deleting_a_whole_entry_is_refused_naming_load_state_dict():
    p = Tensor(np.ones(2), requires_grad=True)
    opt = optim.Adam([p])
    with pytest.raises(TypeError, match=r"opt.load_state_dict"):
        opt.state[p] = {"step": 3}
    with pytest.raises(TypeError, match=r"opt.load_state_dict"):
        del opt.state[p]
    assert len(opt.state) == 0


def test_a_step_gives_new_dicts_so_one_read_before_keeps_its_numbers():
    p = Tensor(np.ones(2), requires_grad=True)
    opt = optim.Adam([p], lr=0.1)
    p.grad = np.ones(2)
    opt.step()
    before = opt.state[p]
    m = before["exp_avg"].copy()
    p.grad = np.ones(2)
    opt.step()
    assert before["step"] == 1 and np.array_equal(before["exp_avg"], m)
    assert opt.state[p]["step"] == 2


def test_load_state_dict_and_add_param_group_keep_the_mapping():
    params = [Tensor(a, requires_grad=True) for a in START]
    opt = _run(lambda ps: optim.Adam(ps, lr=0.1), params, lambda ps: _loss(ps, Tensor.sin), 2)
    fresh = [Tensor(a, requires_grad=True) for a in START]
    other = optim.Adam(fresh, lr=0.1)
    other.load_state_dict(opt.state_dict())
    assert _same_objects(list(other.state), fresh) and all(p not in other.state for p in params)
    np.testing.assert_array_equal(other.state[fresh[1]]["exp_avg"], opt.state[params[1]]["exp_avg"])
    extra = Tensor(np.zeros(3), requires_grad=True)
    other.add_param_group({"params": [extra]})
    assert extra not in other.state and other.state[extra] == {} and other.state[2] == {}
    assert _same_objects(list(other.state), fresh)


def test_sgd_keeps_pytorchs_entries_only(torch):
    p, tp = Tensor(np.ones(2), requires_grad=True), torch.ones(2, requires_grad=True)
    opt, topt = optim.SGD([p], lr=0.1, momentum=0.9), torch.optim.SGD([tp], lr=0.1, momentum=0.9)
    p.grad, tp.grad = np.ones(2), torch.ones(2)
    opt.step()
    topt.step()
    assert sorted(opt.state[p]) == sorted(topt.state[tp]) == ["momentum_buffer"]
    assert sorted(opt.state_dict()["state"][0]) == ["momentum_buffer"]


def test_adagrad_gives_its_parameters_pytorchs_state_when_built(torch):
    p, tp = Tensor(np.ones(2), requires_grad=True), torch.ones(2, requires_grad=True)
    v = Value(1.0)
    opt = optim.Adagrad([p], initial_accumulator_value=0.3)
    topt = torch.optim.Adagrad([tp], initial_accumulator_value=0.3)
    assert _same_objects(list(opt.state), [p]) and len(opt.state) == len(topt.state) == 1
    assert opt.state[p]["step"] == float(topt.state[tp]["step"]) == 0
    np.testing.assert_array_equal(opt.state[p]["sum"], topt.state[tp]["sum"].numpy())
    assert optim.Adagrad([v]).state[v] == {"step": 0, "sum": 0.0}
    extra = Tensor(np.ones(3), requires_grad=True)
    opt.add_param_group({"params": [extra]})  # PyTorch too: only the first groups at once
    assert extra not in opt.state


def test_replacing_the_whole_state_is_refused_and_changes_nothing():
    p = Tensor(np.ones(2), requires_grad=True)
    opt = optim.Adam([p])
    p.grad = np.ones(2)
    opt.step()
    with pytest.raises(TypeError, match=r"replaced by a dict; restore a state with opt.load_st"):
        opt.state = {}
    assert opt.state[p]["step"] == 1


def test_a_loaded_checkpoint_keys_the_state_by_the_loading_optimizers_parameters(tmp_path):
    X, y = np.random.default_rng(0).standard_normal((6, 2)), np.array([0, 1, 1, 0, 1, 0])
    model = nn.MLP(2, [3, 2], engine="tensor", rng=0)
    opt = optim.Adam(model.parameters(), lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        nn.losses.cross_entropy(nn.train.forward(model, X), y).backward()
        opt.step()
    path = save_checkpoint(tmp_path / "run.ckpt", model, opt)
    other = nn.MLP(2, [3, 2], engine="tensor", rng=1)
    other_opt = optim.Adam(other.parameters(), lr=0.1)
    load_checkpoint(path, other, other_opt)
    assert _same_objects(list(other_opt.state), other.parameters()) and len(other_opt.state) == len(
        opt.state
    )
    for p, q in zip(model.parameters(), other.parameters(), strict=True):
        assert p not in other_opt.state and other_opt.state[q]["step"] == 2
        np.testing.assert_array_equal(other_opt.state[q]["exp_avg_sq"], opt.state[p]["exp_avg_sq"])
