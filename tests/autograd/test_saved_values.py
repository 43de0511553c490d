"""Data replaced between forward and backward: a loud error, never silently wrong gradients."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from autograd import Tensor, Value
from autograd import value as value_module
from nn import optim


def test_replacing_an_input_before_backward_raises_naming_the_op() -> None:
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    X = Tensor(np.ones((4, 3)))
    J = (X @ W.T).tanh().sum()
    W.data = W.data * 2  # the forward pass used the old W
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\)\) of op 'transpose'"):
        J.backward()
    assert W.grad is None


def test_augmented_assignment_counts_as_a_change() -> None:
    b = Tensor(np.zeros(3), requires_grad=True)
    J = (b * b).sum()
    b.data += 1.0
    with pytest.raises(RuntimeError, match="replaced after the graph was built"):
        J.backward()


def test_changing_an_intermediate_result_raises() -> None:
    x = Tensor([0.5, 1.0], requires_grad=True)
    y = x.tanh()
    J = y.sum()
    y.data = np.zeros(2)
    # The first rule to read y is sum's, which reports its changed input.
    with pytest.raises(RuntimeError, match=r"input 0 \(shape \(2,\)\) of op 'sum'"):
        J.backward()


def test_updates_after_backward_keep_working() -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    for _ in range(3):
        W.grad = None
        J = (W * W).sum()
        J.backward()
        W.data -= 0.25 * W.grad
    np.testing.assert_allclose(W.data, np.full(3, 0.125))


# Value: the same guarantee for scalar graphs. ---------------------------------------------


def test_value_leaf_assigned_before_backward_raises_naming_op_and_label() -> None:
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    a.grad, b.grad = 0.5, 0.25
    J = (a * b).tanh()
    a.data = 4.0  # the forward pass used a = 2
    with pytest.raises(RuntimeError, match=r"input 0 \('a'\) of op 'mul' was assigned"):
        J.backward()
    assert (a.grad, b.grad) == (0.5, 0.25)  # a failed pass leaves the grads as they were


def test_value_augmented_assignment_counts_as_a_change() -> None:
    w = Value(1.0)
    J = w * w + 1.0
    w.data += 0.5
    with pytest.raises(RuntimeError, match="op 'mul'"):
        J.backward()
    assert w.grad == 0.0


def test_value_intermediate_assigned_raises_naming_its_consumer() -> None:
    x = Value(0.5)
    y = x.exp()
    J = y * 2.0
    y.data = 1.0
    with pytest.raises(RuntimeError, match=r"input 0 of op 'mul'"):
        J.backward()


def test_value_root_assigned_raises_naming_its_op() -> None:
    x = Value(0.5)
    J = x.exp()
    J.data = 3.0
    with pytest.raises(RuntimeError, match=r"the output of op 'exp'"):
        J.backward()
    assert x.grad == 0.0


def test_value_change_is_caught_with_create_graph_too() -> None:
    x = Value(0.5, label="x")
    J = x * x * x
    x.data = 1.0
    with pytest.raises(RuntimeError, match=r"\('x'\) of op 'mul'"):
        J.backward(create_graph=True)


def test_value_graph_built_across_an_update_checks_each_node() -> None:
    w = Value(1.0)
    y = w * 3.0
    w.data = 2.0
    fine = w * w  # made after the change: its rules read what its forward pass read
    fine.backward()
    assert w.grad == 4.0
    with pytest.raises(RuntimeError, match="op 'mul'"):
        (y + w).backward()  # y was made before the change and reads w


def test_value_updates_after_backward_then_a_new_forward_keep_working() -> None:
    w = Value(1.0)
    for _ in range(3):
        w.grad = 0.0
        J = w * w
        J.backward()
        w.data += -0.25 * w.grad  # micrograd's update
    assert w.data == 0.125


def test_value_optimizer_steps_keep_working() -> None:
    w, b = Value(1.0), Value(-1.0)
    opt = optim.SGD([w, b], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        J = (w * 2.0 + b).relu() + w * w
        J.backward()
        opt.step()
    assert w.data < 1.0


def test_value_unpickled_in_a_fresh_process_is_not_taken_for_changed(monkeypatch) -> None:
    w = Value(1.0)
    w.data = 2.0
    saved = pickle.dumps(w)
    monkeypatch.setattr(value_module, "_epoch", 0)  # as in a process that assigned nothing
    w2 = pickle.loads(saved)
    J = w2 * w2
    J.backward()
    assert w2.grad == 4.0
