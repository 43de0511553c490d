"""Ctrl-C inside an optimizer's commit leaves no lasting damage: the step is all or nothing.

A KeyboardInterrupt is raised at the k-th write of a parameter's ``data`` (for every k), or
just before or after the optimizer's state is replaced. Afterwards the parameters and the
state are either both as before the step or both as after it (Adam's step count never
behind or ahead of the weights), and the next steps equal those of a twin never interrupted.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import optim

WRITES = {"left": 0}  # data writes left before the trap springs (0: disarmed)


def _spring() -> None:
    if WRITES["left"]:
        WRITES["left"] -= 1
        if not WRITES["left"]:
            raise KeyboardInterrupt


class TrapTensor(Tensor):
    @property
    def data(self):
        return Tensor.data.fget(self)

    @data.setter
    def data(self, value):
        _spring()
        Tensor.data.fset(self, value)


class TrapValue(Value):
    @property
    def data(self):
        return Value.data.fget(self)

    @data.setter
    def data(self, value):
        _spring()
        Value.data.fset(self, value)


def _params(engine):
    rng = np.random.default_rng(0)
    if engine == "tensor":
        return [
            TrapTensor(rng.standard_normal(s), requires_grad=True) for s in [(3, 2), (2,), (4,)]
        ]
    return [TrapValue(float(x)) for x in rng.standard_normal(4)]


def _grads(params, seed):
    rng = np.random.default_rng(seed)
    for p in params:
        p.grad = (
            float(rng.standard_normal()) if isinstance(p, Value) else rng.standard_normal(p.shape)
        )


def _snapshot(params, opt):
    state = [opt.state[p] for p in params] if hasattr(opt, "state") else None
    rule_state = getattr(opt, "rule_state", None)
    return copy.deepcopy(([np.copy(p.data) for p in params], state, rule_state))


def _same(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return np.array_equal(np.asarray(a), np.asarray(b))


OPTIMIZERS = {
    "Adam": lambda ps: optim.Adam(ps, lr=0.1, amsgrad=True),
    "SGD momentum": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
    "Adagrad": lambda ps: optim.Adagrad(ps, lr=0.1),
    "RMSprop": lambda ps: optim.RMSprop(ps, lr=0.01, centered=True),
    "GradientUpdate adagrad": lambda ps: optim.GradientUpdate(ps, rule="adagrad", lr=0.1),
}


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=list(OPTIMIZERS))
def test_ctrl_c_at_any_write_leaves_the_step_undone_and_the_next_steps_unharmed(make, engine):
    n = len(_params(engine))
    for k in range(1, n + 1):
        params, twin = _params(engine), _params(engine)
        opt, twin_opt = make(params), make(twin)
        for seed in (1, 2):
            _grads(params, seed)
            _grads(twin, seed)
            opt.step()
            twin_opt.step()
        _grads(params, 3)
        before = _snapshot(params, opt)
        WRITES["left"] = k
        with pytest.raises(KeyboardInterrupt):
            opt.step()
        WRITES["left"] = 0
        assert _same(_snapshot(params, opt), before), f"interrupted at write {k}"
        for seed in (3, 4):
            _grads(params, seed)
            _grads(twin, seed)
            opt.step()
            twin_opt.step()
        assert _same(_snapshot(params, opt), _snapshot(twin, twin_opt)), f"write {k}"


class StateTrap(optim.Adam):
    """Adam whose ``state`` assignment is interrupted just before or just after it lands."""

    when = None

    @property
    def state(self):
        return self.__dict__["state"]

    @state.setter
    def state(self, value):
        if self.when == "before":
            raise KeyboardInterrupt
        self.__dict__["state"] = value
        if self.when == "after":
            raise KeyboardInterrupt


@pytest.mark.parametrize("when", ["before", "after"])
def test_ctrl_c_around_the_state_assignment_keeps_weights_and_step_count_together(when):
    params, twin = _params("tensor"), _params("tensor")
    opt, twin_opt = StateTrap(params, lr=0.1), optim.Adam(twin, lr=0.1)
    _grads(params, 1)
    _grads(twin, 1)
    before = _snapshot(params, opt)
    opt.when = when
    with pytest.raises(KeyboardInterrupt):
        opt.step()
    opt.when = None
    if when == "before":
        assert _same(_snapshot(params, opt), before)
    else:  # the step landed whole
        twin_opt.step()
        assert _same(_snapshot(params, opt), _snapshot(twin, twin_opt))
        assert all(s["step"] == 1 for s in opt.state.values())
