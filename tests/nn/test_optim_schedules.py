"""One AdaGrad: the `Adagrad` optimizer and the notes' ``adagrad`` rule share one update."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import optim
from nn.optim.schedules import adagrad_step


def _params(engine, rng):
    if engine == "tensor":
        return [Tensor(rng.standard_normal(s), requires_grad=True) for s in [(3, 2), (4,)]]
    return [Value(float(x)) for x in rng.standard_normal(5)]


def _grads(params, seed):
    rng = np.random.default_rng(seed)
    for p in params:
        p.grad = (
            float(rng.standard_normal()) if isinstance(p, Value) else rng.standard_normal(p.shape)
        )


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_the_adagrad_optimizer_and_rule_take_the_same_steps_bit_for_bit(engine):
    a, b = _params(engine, np.random.default_rng(0)), _params(engine, np.random.default_rng(0))
    opt_a, opt_b = optim.Adagrad(a, lr=0.3), optim.GradientUpdate(b, rule="adagrad", lr=0.3)
    for seed in range(6):
        _grads(a, seed)
        _grads(b, seed)
        opt_a.step()
        opt_b.step()
        for p, q in zip(a, b, strict=True):
            assert type(p.data) is type(q.data)
            np.testing.assert_array_equal(p.data, q.data)
    for s, G in zip(opt_a.state.values(), opt_b.rule_state["G"], strict=True):
        np.testing.assert_array_equal(s["sum"], G)


def test_adagrad_step_is_the_notes_formula():
    step, G = adagrad_step(0.5, 2.0, 0.1, 0.25)
    assert G == 2.25 and step == pytest.approx(0.1 * 0.5 / (1.5 + 0.25), rel=1e-15)
