"""The user's arrays stay theirs; a graph can be released after backward (retain_graph)."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from autograd import Tensor, Value, engine


def _flags(a: np.ndarray) -> tuple:
    return (a.flags.writeable, a.flags.c_contiguous, a.flags.owndata)


def test_a_users_array_and_its_base_keep_their_flags_while_a_graph_waits() -> None:
    base = np.arange(12.0).reshape(4, 3)
    X = base[1:]  # a view: its base is the user's too
    before = _flags(base), _flags(X)
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    J = (Tensor(X) @ W.T).sum()
    assert (_flags(base), _flags(X)) == before
    X -= X.mean(0)  # the user's next line works: the tensor has its own copy
    J.backward()
    np.testing.assert_array_equal(
        W.grad, np.tile(np.arange(3.0, 12.0).reshape(3, 3).sum(0), (2, 1))
    )
    assert (_flags(base), _flags(X)) == before


def test_an_array_assigned_to_data_stays_the_users() -> None:
    mine = np.ones(3)
    W = Tensor(np.zeros(3), requires_grad=True)
    W.data = mine
    J = (W * W).sum()
    mine[0] = 7.0  # writeable, and not W's
    J.backward()
    np.testing.assert_array_equal(W.grad, [2.0, 2.0, 2.0])


def test_an_array_constant_changed_before_backward_does_not_change_the_gradient() -> None:
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    C = np.array([[1.0, -1.0], [2.0, 0.5]])
    W = Tensor(np.eye(2), requires_grad=True)
    J = ((Tensor(X) @ W) * C).sum()
    expected = X.T @ C
    C *= 100.0  # in place, between the forward pass and backward()
    J.backward()
    np.testing.assert_array_equal(W.grad, expected)


def test_an_index_array_changed_before_backward_does_not_change_the_gradient() -> None:
    x = Tensor(np.arange(4.0), requires_grad=True)
    index = np.array([0, 0, 2])
    J = (x[index] * np.array([1.0, 2.0, 3.0])).sum()
    index[:] = 3
    J.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 3.0, 0.0])


def test_writing_into_an_input_array_after_backward_leaves_a_second_backward_alone() -> None:
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    J = (Tensor(X) @ W).sum()
    J.backward()
    first = W.grad.copy()
    X[:] = 1000.0  # the user's array, after backward
    W.grad = None
    J.backward()
    np.testing.assert_array_equal(W.grad, first)


def test_updating_a_weight_in_place_after_backward_makes_a_second_backward_raise() -> None:
    W = Tensor(np.ones(2), requires_grad=True)
    J = (W * W).sum()
    J.backward()
    W.data -= 0.1 * W.grad  # the optimizer's update: the graph's numbers are gone
    with pytest.raises(RuntimeError, match="assigned after the graph was built"):
        J.backward()


def test_detach_and_numpy_share_the_tensors_array_as_in_pytorch() -> None:
    t = Tensor(np.ones(2))
    assert t.detach().data is t.data and t.numpy() is t.data


# retain_graph ---------------------------------------------------------------------------


def _mlp_loss(engine_kind: str):
    rng = np.random.default_rng(0)
    if engine_kind == "tensor":
        W = Tensor(rng.normal(size=(4, 2)), requires_grad=True)
        z = Tensor(rng.normal(size=(8, 2))) @ W.T
        return W, z, (z.relu() ** 2).mean()
    w = [Value(float(v)) for v in rng.normal(size=2)]
    z = w[0] * 0.5 + w[1] * -1.5
    return w[0], z, (z.relu() ** 2) * 0.5 + z.tanh()


@pytest.mark.parametrize("kind", ["tensor", "value"])
def test_retain_graph_false_releases_the_graph_and_keeps_the_gradients(kind) -> None:
    param, z, J = _mlp_loss(kind)
    kept = _mlp_loss(kind)
    kept[2].backward()
    inner = weakref.ref(J._inputs[0])
    J.backward(retain_graph=False)
    gc.collect()
    assert inner() is None or inner() is z  # the inner nodes are freed, unless held
    np.testing.assert_array_equal(np.asarray(param.grad), np.asarray(kept[0].grad))
    np.testing.assert_array_equal(np.asarray(z.grad), np.asarray(kept[1].grad))  # δ stays
    assert len(engine.walk(J, everything=True)) == 2  # the root and its released input
    with pytest.raises(RuntimeError, match="retain_graph=False"):
        J.backward()
    np.testing.assert_array_equal(np.asarray(param.grad), np.asarray(kept[0].grad))


def test_retain_graph_true_keeps_the_graph_and_false_with_create_graph_is_refused() -> None:
    x = Value(2.0)
    J = x * x
    J.backward(retain_graph=True)
    J.backward()
    assert x.grad == 8.0
    with pytest.raises(ValueError, match="retain_graph"):
        J.backward(create_graph=True, retain_graph=False)
