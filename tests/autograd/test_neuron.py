"""The fused neuron z = w·x + b: one node, the same numbers as the 2n-node sum."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck, gradgradcheck, neuron
from autograd.engine import topological_order
from autograd.rules import NEURON


def _values(rng, n):
    w = [Value(v) for v in rng.normal(size=n).tolist()]
    x = [Value(v) for v in rng.normal(size=n).tolist()]
    return w, x, Value(float(rng.normal()))


@pytest.mark.parametrize("n", [1, 2, 16])
def test_value_neuron_equals_the_unfused_sum_in_value_and_gradients(rng, n) -> None:
    w, x, b = _values(rng, n)
    z = neuron(w, x, b).tanh()
    z.backward()
    fused = [p.grad for p in (*w, *x, b)]
    for p in (*w, *x, b):
        p.grad = 0.0
    ref = sum((wk * xk for wk, xk in zip(w, x, strict=True)), b).tanh()
    ref.backward()
    assert z.data == ref.data  # same order of additions, so the same float
    assert fused == pytest.approx([p.grad for p in (*w, *x, b)], rel=1e-12, abs=1e-15)


def test_neuron_is_one_node_of_the_rule_table(rng) -> None:
    w, x, b = _values(rng, 5)
    z = neuron(w, x, b)
    assert z.grad_fn is NEURON and z._op == "z"
    assert z._inputs == (b, w[0], x[0], w[1], x[1], w[2], x[2], w[3], x[3], w[4], x[4])
    assert len(topological_order(z)) == 1 + 11  # z and its leaves, no inner nodes


def test_value_neuron_passes_gradcheck_and_gradgradcheck(rng) -> None:
    w, x, b = _values(rng, 3)

    def f(b, *wx):
        return neuron(wx[0::2], wx[1::2], b).sigmoid()

    inputs = [b, *(p for pair in zip(w, x, strict=True) for p in pair)]
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def test_tensor_neuron_broadcasts_and_passes_gradcheck(rng) -> None:
    W = Tensor(rng.normal(size=3), requires_grad=True)
    X = Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    b = Tensor(rng.normal(size=()), requires_grad=True)

    def f(b, W, X):
        return neuron([W[k] for k in range(3)], [X[:, k] for k in range(3)], b).relu()

    assert gradcheck(f, [b, W, X])
    z = f(b, W, X)
    assert np.allclose(z.data, np.maximum(X.data @ W.data + b.data, 0))


def test_neuron_agrees_with_pytorch(rng, torch) -> None:
    w, x, b = _values(rng, 4)
    z = neuron(w, x, b).relu() * 3.0
    z.backward()
    tw = torch.tensor([p.data for p in w], requires_grad=True)
    tx = torch.tensor([p.data for p in x], requires_grad=True)
    tb = torch.tensor(b.data, requires_grad=True)
    tz = ((tw * tx).sum() + tb).relu() * 3.0
    tz.backward()
    assert z.data == pytest.approx(tz.item(), rel=1e-12)
    assert [p.grad for p in w] == pytest.approx(tw.grad.tolist(), rel=1e-12)
    assert [p.grad for p in x] == pytest.approx(tx.grad.tolist(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def test_neuron_on_numbers_computes_without_a_graph() -> None:
    assert neuron([2.0, 3.0], [4.0, 5.0], 1.0) == 1.0 + 8.0 + 15.0


def test_neuron_with_mismatched_lengths_names_both() -> None:
    with pytest.raises(ValueError, match="w has 2 entries but x has 3"):
        neuron([Value(1.0)] * 2, [Value(1.0)] * 3, Value(0.0))


def test_neuron_mixing_values_and_tensors_names_both_types() -> None:
    with pytest.raises(TypeError, match="Tensor, Value"):
        neuron([Tensor(np.ones(2))], [Value(1.0)], Value(0.0))
