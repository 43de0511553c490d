"""micrograd's lecture idioms: ops written as ``_backward`` closures, backprop by hand."""

from __future__ import annotations

import math

import pytest

from autograd import Value, draw_dot, explain, gradcheck


def lecture_tanh(self: Value) -> Value:
    """The lecture's tanh, written exactly as it teaches to add an op."""
    x = self.data
    t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
    out = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def lecture_mul(self: Value, other: Value) -> Value:
    out = Value(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad

    out._backward = _backward
    return out


def lecture_neuron():
    """The lecture's neuron: inputs x1, x2, weights w1, w2, bias b, o = tanh(n)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    return (x1, x2, w1, w2, b), n


def test_a_closure_op_backpropagates_as_pytorch(torch) -> None:
    leaves, n = lecture_neuron()
    o = lecture_tanh(n) * lecture_mul(leaves[0], leaves[2])  # reused leaves, two closures
    o.backward()
    t = [torch.tensor(v.data, requires_grad=True) for v in leaves]
    tn = t[0] * t[2] + t[1] * t[3] + t[4]
    (tn.tanh() * (t[0] * t[2])).backward()
    for v, tv in zip(leaves, t, strict=True):
        assert v.grad == pytest.approx(tv.grad.item(), rel=1e-12, abs=1e-15)


def test_a_closure_op_gives_the_lecture_numbers_and_passes_gradcheck() -> None:
    leaves, n = lecture_neuron()
    o = lecture_tanh(n)
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    assert [round(v.grad, 4) for v in leaves] == [-1.5, 0.5, 1.0, 0.0, 0.5]
    assert gradcheck(lambda a, b: lecture_tanh(lecture_mul(a, b)), [Value(0.3), Value(-0.7)])


def test_backprop_by_hand_node_by_node_equals_backward() -> None:
    # The lecture sets o.grad = 1 and calls each node's _backward() from the output back.
    leaves, n = lecture_neuron()
    o = n.tanh()
    order = [o, n, n._inputs[0], n._inputs[0]._inputs[0], n._inputs[0]._inputs[1], *leaves]
    o.grad = 1.0
    for node in order:
        node._backward()
    by_hand = [v.grad for v in leaves]
    for v in [*leaves, n, o]:
        v.grad = 0.0
    o.backward()
    assert by_hand == [v.grad for v in leaves]
    assert n.grad == pytest.approx(0.5)


def test_by_hand_backward_of_a_reused_input_adds_both_shares() -> None:
    a = Value(3.0)
    y = a * a
    y.grad = 1.0
    y._backward()
    assert a.grad == 6.0


def test_a_closure_node_draws_and_explains_as_its_op() -> None:
    _, n = lecture_neuron()
    o = lecture_tanh(n)
    o.label = "o"
    o.backward()
    assert o._op == "tanh" and o._prev == {n}
    assert 'label="tanh"' in draw_dot(o).source
    text = explain(o)
    assert "o = tanh(" in str(text) and "∂J/∂n" in str(text)


def test_a_node_made_by_hand_without_backward_passes_nothing_as_in_micrograd() -> None:
    micrograd = pytest.importorskip("micrograd.engine")
    a, b = Value(2.0), Value(-3.0)
    c = Value(a.data + b.data, (a, b), "+")
    (c * 2.0).backward()
    ma, mb = micrograd.Value(2.0), micrograd.Value(-3.0)
    mc = micrograd.Value(ma.data + mb.data, (ma, mb), "+")
    (mc * 2.0).backward()
    assert (a.grad, b.grad, c.grad) == (ma.grad, mb.grad, mc.grad) == (0.0, 0.0, 2.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (((2.0,), "+"), "every child must be a Value, got float"),
        (((), 5), "_op must be a string"),
        (((Value(1.0),), None), "_op must be a string"),
    ],
)
def test_a_bad_hand_made_node_is_refused_when_made(args, message) -> None:
    with pytest.raises(TypeError, match=message):
        Value(1.0, *args)


def test_assigning_something_not_callable_to_backward_is_refused() -> None:
    with pytest.raises(TypeError, match="_backward must be a function"):
        Value(1.0)._backward = 3.0


def test_create_graph_through_a_closure_says_what_to_do_instead() -> None:
    x = Value(0.4)
    y = lecture_tanh(x)
    with pytest.raises(TypeError, match=r"write the op as an autograd\.Op"):
        y.backward(create_graph=True)


def test_prev_and_repr_are_micrograds() -> None:
    micrograd = pytest.importorskip("micrograd.engine")
    a, ma = Value(0.8958441028683222), micrograd.Value(0.8958441028683222)
    assert (a * a)._prev == {a} and len((ma * ma)._prev) == 1
    # Every digit of the data, as micrograd prints it (its grad starts as the int 0).
    assert repr(a) == "Value(data=0.8958441028683222, grad=0.0)"
    assert repr(ma).startswith("Value(data=0.8958441028683222, ")
    assert not Value(1.0)._prev
