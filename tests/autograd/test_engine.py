"""The backward core's invariants (DESIGN.md, gradient semantics), on both node types."""

from __future__ import annotations

import gc
import sys
import weakref

import numpy as np
import pytest

from autograd import Tensor, Value, is_grad_enabled, no_grad
from autograd import engine as E
from autograd import rules as R


def test_million_node_chain_backpropagates_without_recursion() -> None:
    assert sys.getrecursionlimit() <= 10_000
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_x_times_x_and_a_plus_a_sum_both_contributions() -> None:
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    a = Value(-2.0)
    (a + a).backward()
    assert a.grad == 2.0
    t = Tensor([1.0, -2.0], requires_grad=True)
    (t * t + t).sum().backward()
    np.testing.assert_array_equal(t.grad, [3.0, -3.0])


def test_second_backward_accumulates_leaves_but_not_intermediates() -> None:
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    J = c.tanh()
    J.backward()
    first = (a.grad, b.grad, c.grad, J.grad)
    J.backward()
    assert a.grad == pytest.approx(2 * first[0]) and b.grad == pytest.approx(2 * first[1])
    assert c.grad == first[2] and J.grad == first[3] == 1.0

    W = Tensor(np.ones((2, 2)), requires_grad=True)
    z = W * 3.0
    L = z.sum()
    L.backward()
    L.backward()
    np.testing.assert_array_equal(W.grad, np.full((2, 2), 6.0))
    np.testing.assert_array_equal(z.grad, np.ones((2, 2)))


def test_each_rule_runs_once_per_backward(monkeypatch) -> None:
    calls = {"n": 0}
    original = R.MUL.grads

    def counting(rule):
        def wrapped(*args):
            calls["n"] += 1
            return rule(*args)

        return wrapped

    monkeypatch.setattr(R.MUL, "grads", tuple(counting(r) for r in original))
    x = Value(1.5)
    shared = x * x  # one mul node, used three times below
    J = shared + shared * 2.0 + shared.exp()
    ran = E.backward(J)
    # shared's rule: two inputs (x twice) -> 2 calls; `shared * 2.0`: one node input -> 1.
    assert calls["n"] == 3
    assert len(ran) == len({id(n) for n in ran})
    assert x.grad == pytest.approx(2 * 1.5 * (1 + 2 + np.exp(2.25)))


def test_dropping_the_root_frees_the_graph_without_the_cycle_collector() -> None:
    gc.disable()
    try:
        x = Value(1.0)
        y = (x * 2.0).tanh()
        mid = weakref.ref(y)
        J = y * y + 1.0
        J.backward()
        del y, J
        assert mid() is None
        t = Tensor(np.ones(3), requires_grad=True)
        u = t.exp()
        tmid = weakref.ref(u)
        L = (u * u).sum()
        L.backward()
        del u, L
        assert tmid() is None
    finally:
        gc.enable()


def test_no_grad_records_nothing() -> None:
    x = Value(2.0)
    t = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        y = x * x + 1.0
        u = (t * t).sum()
    assert y.grad_fn is None and y._inputs == ()
    assert u.grad_fn is None and not u.requires_grad
    assert is_grad_enabled()


def test_detach_keeps_data_and_drops_history() -> None:
    x = Value(2.0)
    d = (x * 3.0).detach()
    assert d.data == 6.0 and d.grad_fn is None
    t = Tensor([1.0, 2.0], requires_grad=True)
    dt = (t * 2).detach()
    np.testing.assert_array_equal(dt.data, [2.0, 4.0])
    assert not dt.requires_grad and dt.grad_fn is None
    (dt * t).sum().backward()
    np.testing.assert_array_equal(t.grad, [2.0, 4.0])


def test_requires_grad_false_inputs_get_no_grad_and_record_nothing() -> None:
    X = Tensor(np.ones((2, 3)))
    W = Tensor(np.ones((3, 1)), requires_grad=True)
    assert (X * 2).grad_fn is None
    J = (X @ W).sum()
    J.backward()
    assert X.grad is None
    np.testing.assert_array_equal(W.grad, np.full((3, 1), 2.0))


def test_non_scalar_root_needs_a_gradient() -> None:
    t = Tensor(np.ones(3), requires_grad=True)
    y = t * 2
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        y.backward()
    y.backward(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(t.grad, [2.0, 4.0, 6.0])
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        y.backward(np.ones(2))


def test_root_without_graph_cannot_backward() -> None:
    with pytest.raises(RuntimeError, match="requires grad"):
        Tensor([1.0]).sum().backward()


def test_math_domain_gives_ieee_results_not_exceptions(torch) -> None:
    cases = [
        (lambda x: x.log(), 0.0),
        (lambda x: x.exp(), 1000.0),
        (lambda x: 1.0 / x, 0.0),
        (lambda x: x / x, 0.0),
        (lambda x: x.sqrt(), -1.0),
        (lambda x: x**0.5, 0.0),
        (lambda x: (-8.0) ** x, 1 / 3),
    ]
    for f, x0 in cases:
        v = Value(x0)
        out = f(v)
        out.backward()
        t = torch.tensor(x0, requires_grad=True)
        tout = f(t)
        tout.backward()
        np.testing.assert_equal(out.data, tout.item())
        np.testing.assert_equal(v.grad, t.grad.item())
        w = Tensor([x0], requires_grad=True)
        wout = f(w)
        wout.sum().backward()
        np.testing.assert_equal(wout.data[0], tout.item())
        np.testing.assert_equal(w.grad[0], t.grad.item())


def test_intermediate_delta_is_dJ_dz() -> None:
    # δ = ∂J/∂z of the notes is z.grad after J.backward().
    a = Value(0.3)
    z = a * 2.0 + 1.0
    J = z.tanh()
    J.backward()
    assert z.grad == pytest.approx(1 - np.tanh(1.6) ** 2)


def test_topological_order_puts_inputs_first() -> None:
    a = Value(1.0)
    b = a * 2.0
    c = b + a
    d = c * b
    order = E.topological_order(d)
    pos = {id(n): i for i, n in enumerate(order)}
    for n in order:
        for x in n._prev:
            assert pos[id(x)] < pos[id(n)]
    assert order[-1] is d and len(order) == 4


def test_value_order_is_the_generic_order(monkeypatch) -> None:
    from autograd import neuron

    w = [Value(0.5), Value(-1.0)]
    x = [Value(2.0), 3.0]
    b = Value(0.1)
    h = neuron(w, x, b).relu()
    s = w[0] * x[0]
    J = (s + h * s) * 2.0 + (1.0 - s.tanh()) / (h + 1.0) + (x[0] * w[1]) * (w[0] * w[1])
    fast = Value._fast_path.order(J)
    generic = E.topological_order(J)
    assert len(fast) == len(generic) and all(p is q for p, q in zip(fast, generic, strict=True))
