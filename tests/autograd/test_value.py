"""Value: micrograd's examples run unchanged apart from the import, and agree with PyTorch."""

from __future__ import annotations

import pytest

from autograd import Value


def _micrograd_readme_expression(a, b):
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def test_micrograd_readme_example_gives_its_printed_numbers() -> None:
    a, b = Value(-4.0), Value(2.0)
    g = _micrograd_readme_expression(a, b)
    g.backward()
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_micrograd_readme_example_matches_torch(torch) -> None:
    a, b = Value(-4.0), Value(2.0)
    g = _micrograd_readme_expression(a, b)
    g.backward()
    ta, tb = torch.tensor(-4.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)
    tg = _micrograd_readme_expression(ta, tb)
    tg.backward()
    assert g.data == pytest.approx(tg.item(), rel=1e-12)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def test_micrograd_graph_attributes_for_tracing() -> None:
    # micrograd's trace_graph walks `_prev` (input Values) and reads `_op` (a string).
    x = Value(1.0, label="x")
    y = (x * 2.0 + x).tanh()
    assert y._op == "tanh"
    (s,) = y._prev
    assert s._op == "+" and len(s._prev) == 2 and x in s._prev
    assert x._op == "" and not x._prev and x.label == "x"


def test_inputs_keep_their_order_and_constants() -> None:
    a, b = Value(1.0), Value(2.0)
    z = b - a
    assert z._inputs == (b, a)
    k = 3 - a
    assert k._inputs == (3.0, a) and k.data == 2.0


def test_value_pow_value_and_int_data() -> None:
    a, b = Value(2), Value(3)
    assert isinstance(a.data, float)
    c = a**b
    c.backward()
    assert c.data == 8.0 and a.grad == 12.0 and b.grad == pytest.approx(8.0 * 0.6931471805599453)


def test_repr_shows_data_grad_and_label() -> None:
    assert repr(Value(2.0, label="w")) == "Value(data=2.0, grad=0.0, label='w')"
