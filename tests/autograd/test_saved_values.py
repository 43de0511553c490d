"""Data replaced between forward and backward: a loud error, never silently wrong gradients."""

from __future__ import annotations

import gc
import pickle

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, neuron
from autograd import saved as saved_module
from nn import optim

from .op_table import ELEMENTWISE, TENSOR_ONLY, Row
from .test_ops import _inputs


def test_replacing_an_input_before_backward_raises_naming_the_op() -> None:
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    X = Tensor(np.ones((4, 3)))
    J = (X @ W.T).tanh().sum()
    W.data = W.data * 2  # the forward pass used the old W
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\)\) of op 'transpose'"):
        J.backward()
    assert W.grad is None


def test_assigning_a_changed_copy_counts_as_a_change() -> None:
    b = Tensor(np.zeros(3), requires_grad=True)
    J = (b * b).sum()
    b.data = b.data + 1.0
    with pytest.raises(RuntimeError, match="assigned after the graph was built"):
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


# Writing into a saved array: read-only until the backward pass has run. -------------------
def test_writing_into_a_saved_input_fails_at_once_and_changes_nothing() -> None:
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    X = Tensor(np.arange(12.0).reshape(4, 3))
    J = (X @ W.T).tanh().sum()
    for write in (
        lambda: W.data.__setitem__(0, 5.0),
        lambda: W.data.__imul__(2.0),
        lambda: np.copyto(W.data, 0.0),
        lambda: X.data.fill(0.0),
    ):
        with pytest.raises(ValueError, match="read-only"):
            write()
    np.testing.assert_array_equal(W.data, np.ones((2, 3)))
    J.backward()
    expected = (1 - np.tanh(X.data @ W.data.T) ** 2).T @ X.data
    np.testing.assert_allclose(W.grad, expected)


def test_augmented_assignment_while_a_graph_waits_fails_and_changes_nothing() -> None:
    b = Tensor(np.zeros(3), requires_grad=True)
    J = (b * b).sum()
    with pytest.raises(ValueError, match="read-only"):
        b.data += 1.0
    np.testing.assert_array_equal(b.data, np.zeros(3))
    J.backward()
    np.testing.assert_array_equal(b.grad, np.zeros(3))


def test_writing_into_an_intermediate_result_fails_at_once() -> None:
    x = Tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()  # exp's rule reads its own result
    J = y.sum()
    with pytest.raises(ValueError, match="read-only"):
        y.data[0] = 0.0
    J.backward()
    np.testing.assert_allclose(x.grad, np.exp([0.5, 1.0]))


def test_arrays_are_writeable_again_after_backward() -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    for _ in range(3):
        W.grad = None
        J = (W * W).sum()
        J.backward()
        W.data[:] -= 0.25 * W.grad  # in place, while J (and its graph) is still alive
    np.testing.assert_allclose(W.data, np.full(3, 0.125))


def test_arrays_are_writeable_again_when_the_graph_is_dropped() -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    J = (W * W).sum()
    assert not W.data.flags.writeable
    del J
    W.data[0] = 2.0
    assert W.data[0] == 2.0


def test_an_array_stays_read_only_while_another_graph_still_needs_it() -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    J1 = (W * W).sum()
    J2 = (W * 3.0).sum()
    J1.backward()
    with pytest.raises(ValueError, match="read-only"):
        W.data[0] = 2.0
    J2.backward()
    W.data[0] = 2.0
    del J1, J2


def test_a_callers_array_is_copied_and_never_locked() -> None:
    # (It used to be shared, as torch.from_numpy, and locked while a graph waited; the
    # caller's array now stays the caller's, as with torch.tensor.)
    arr = np.ones(3)
    x = Tensor(arr, requires_grad=True)
    J = (x * x).sum()
    arr[0] = 5.0  # the caller's array: writeable, and not the tensor's
    J.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])
    assert x.data[0] == 1.0 and arr.flags.writeable


def test_an_array_read_only_before_stays_read_only() -> None:
    arr = np.ones(3)
    arr.flags.writeable = False
    x = Tensor(arr, requires_grad=True)
    J = (x * x).sum()
    J.backward()
    del J
    assert not arr.flags.writeable


def test_a_failed_backward_keeps_arrays_read_only_until_the_graph_is_dropped() -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    x = Tensor(np.ones(3))
    J = (W * x).sum()
    W.data = np.zeros(3)  # assignment: caught at backward
    with pytest.raises(RuntimeError, match="assigned after"):
        J.backward()
    with pytest.raises(ValueError, match="read-only"):
        x.data[0] = 2.0
    del J
    gc.collect()
    x.data[0] = 2.0


def test_optimizer_steps_while_an_unused_graph_is_alive() -> None:
    model = nn.Linear(3, 2)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    X = Tensor(np.ones((4, 3)))
    evaluation = model(X).sum()  # built with grad mode on, never backpropagated
    loss = (model(X) ** 2).sum()
    loss.backward()
    before = [p.data.copy() for p in model.parameters()]
    opt.step()  # assigns new arrays: the held ones are not written
    for p, b in zip(model.parameters(), before, strict=True):
        assert not np.array_equal(p.data, b)
    with pytest.raises(RuntimeError, match="assigned after the graph was built"):
        evaluation.backward()


@pytest.mark.parametrize("row", ELEMENTWISE + TENSOR_ONLY, ids=lambda r: r.name)
def test_arrays_left_writeable_are_not_read_by_the_rules(row: Row, rng) -> None:
    """Each op holds only what its rules read (`Op.saves`): overwriting every array left
    writeable (the inputs and the result) changes no gradient."""

    def gradients(spoil: bool) -> list[np.ndarray]:
        xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
        out = row.node(*xs)
        if spoil:
            for arr in [out.data, *[x.data for x in xs]]:
                if arr.flags.writeable:
                    arr.fill(7.25)
        out.backward(upstream)
        return [x.grad for x in xs]

    arrays = _inputs(row, rng)
    upstream = rng.normal(size=row.ref(*arrays).shape)
    for clean, spoiled in zip(gradients(False), gradients(True), strict=True):
        np.testing.assert_array_equal(clean, spoiled)


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


def test_an_intermediate_assigned_before_its_consumer_was_made_raises() -> None:
    # The consumer is younger than the change, so the change is caught at the node itself.
    x = Value(0.5)
    y = x.exp()
    y.data = 1.0
    J = y * 2.0
    with pytest.raises(RuntimeError, match=r"the output of op 'exp'"):
        J.backward()
    t = Tensor([0.5, 1.0], requires_grad=True)
    u = t.exp()
    u.data = np.ones(2)
    with pytest.raises(RuntimeError, match=r"the output of op 'exp'"):
        (u * 2.0).sum().backward()


def test_a_fused_neuron_whose_weight_was_assigned_raises() -> None:
    w, x, b = [Value(1.0), Value(2.0, label="w2")], [Value(3.0), 4.0], Value(0.5)
    z = neuron(w, x, b)
    w[1].data = 5.0
    with pytest.raises(RuntimeError, match=r"input 3 \('w2'\) of op 'neuron'"):
        z.backward()


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
    monkeypatch.setattr(saved_module, "epoch", 0)  # as in a process that assigned nothing
    w2 = pickle.loads(saved)
    J = w2 * w2
    J.backward()
    assert w2.grad == 4.0


def test_tensor_unpickled_in_a_fresh_process_is_not_taken_for_changed(monkeypatch) -> None:

    W = Tensor(np.ones(3), requires_grad=True)
    W.data = np.full(3, 2.0)
    J = (W * W).sum()  # W's array is held read-only by J's graph while it is pickled
    saved = pickle.dumps(W)
    monkeypatch.setattr(saved_module, "epoch", 0)  # as in a process that assigned nothing
    W2 = pickle.loads(saved)
    W2.data[0] = 3.0  # a new array, held by no graph
    (W2 * W2).sum().backward()
    np.testing.assert_array_equal(W2.grad, [6.0, 4.0, 4.0])
    J.backward()


def test_a_tensor_that_failed_to_convert_is_freed_quietly() -> None:
    with pytest.raises(TypeError):
        Tensor(["a", "b"])
    gc.collect()
