"""In-place updates of a Tensor (``-=``, ``add_``, ``zero_``, ...) follow PyTorch's rules."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor, Value, no_grad

INPLACE = [
    ("+=", lambda t, x: t.__iadd__(x)),
    ("-=", lambda t, x: t.__isub__(x)),
    ("*=", lambda t, x: t.__imul__(x)),
    ("/=", lambda t, x: t.__itruediv__(x)),
    ("add_", lambda t, x: t.add_(x)),
    ("add_ alpha", lambda t, x: t.add_(x, alpha=0.5)),
    ("sub_", lambda t, x: t.sub_(x)),
    ("sub_ alpha", lambda t, x: t.sub_(x, alpha=2)),
    ("mul_", lambda t, x: t.mul_(x)),
    ("div_", lambda t, x: t.div_(x)),
    ("zero_", lambda t, x: t.zero_()),
    ("fill_", lambda t, x: t.fill_(2.5)),
    ("copy_", lambda t, x: t.copy_(x)),
    ("clamp_", lambda t, x: t.clamp_(-0.5, 0.5)),
    ("clamp_ min", lambda t, x: t.clamp_(min=0.1)),
]
IDS = [name for name, _ in INPLACE]
B_ROW = np.array([7.0, 8.0, 9.0])


def _pair(rng):
    return rng.normal(size=(2, 3)), rng.normal(size=(2, 3))


def test_sgd_loop_under_no_grad_updates_each_parameter_itself() -> None:
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.zeros(2), requires_grad=True)
    params = [W, b]
    X = Tensor(np.arange(12.0).reshape(4, 3) / 10)
    for _ in range(3):
        J = ((X @ W.T + b) ** 2).mean()
        for p in params:
            p.grad = None
        J.backward()
        expected = [p.data - 0.1 * p.grad for p in params]
        with no_grad():
            for p in params:
                p -= 0.1 * p.grad
        assert params[0] is W and params[1] is b
        for p, e in zip(params, expected, strict=True):
            np.testing.assert_array_equal(p.data, e)
            assert p.requires_grad and p.is_leaf


def test_sgd_loop_matches_torch(torch, rng) -> None:
    W0, X0, y0 = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    ours = [Tensor(W0.copy(), requires_grad=True)]
    theirs = [torch.tensor(W0, requires_grad=True)]
    for _ in range(4):
        J = ((Tensor(X0) @ ours[0].T - y0) ** 2).mean()
        J.backward()
        tJ = ((torch.tensor(X0) @ theirs[0].T - torch.tensor(y0)) ** 2).mean()
        tJ.backward()
        with no_grad():
            for p in ours:
                p -= 0.05 * p.grad
                p *= 0.99
                p.grad = None
        with torch.no_grad():
            for p in theirs:
                p -= 0.05 * p.grad
                p *= 0.99
                p.grad = None
    np.testing.assert_allclose(ours[0].data, theirs[0].detach().numpy(), rtol=1e-13, atol=1e-15)


def test_inplace_methods_give_numpys_numbers_and_return_the_tensor() -> None:
    a = np.array([[1.0, -2.0, 3.0], [0.5, 2.0, -1.0]])
    x = np.full((2, 3), 4.0)
    for update, expected in [
        (lambda t: t.__iadd__(x), a + x),
        (lambda t: t.add_(Tensor(x), alpha=0.5), a + 0.5 * x),
        (lambda t: t.sub_(x, alpha=2), a - 2 * x),
        (lambda t: t.__itruediv__(x), a / x),
        (lambda t: t.zero_(), np.zeros_like(a)),
        (lambda t: t.fill_(Tensor(2.5)), np.full_like(a, 2.5)),
        (lambda t: t.copy_(B_ROW), np.broadcast_to(B_ROW, a.shape)),
        (lambda t: t.clamp_(-1.0, 1.0), np.clip(a, -1.0, 1.0)),
    ]:
        t = Tensor(a.copy())
        assert update(t) is t
        np.testing.assert_array_equal(t.data, expected)


@pytest.mark.parametrize(("name", "update"), INPLACE, ids=IDS)
def test_inplace_methods_match_torch_and_return_the_tensor(name, update, torch, rng) -> None:
    a, x = _pair(rng)
    t, tt = Tensor(a.copy()), torch.tensor(a.copy())
    before = t.data
    out = update(t, Tensor(x))
    tout = update(tt, torch.tensor(x))
    assert out is t and tout is tt
    assert t.data is before  # written into the tensor's own array
    np.testing.assert_allclose(t.data, tt.numpy(), rtol=1e-15)


@pytest.mark.parametrize(("name", "update"), INPLACE, ids=IDS)
def test_inplace_on_a_leaf_that_requires_grad_raises_and_changes_nothing(name, update, rng) -> None:
    a, x = _pair(rng)
    t = Tensor(a.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"leaf Variable that requires grad.*no_grad\(\)"):
        update(t, Tensor(x))
    np.testing.assert_array_equal(t.data, a)
    assert t.grad_fn is None and t.requires_grad


@pytest.mark.parametrize(("name", "update"), INPLACE, ids=IDS)
def test_torch_refuses_the_same_inplace_updates(name, update, torch, rng) -> None:
    a, x = _pair(rng)
    tt = torch.tensor(a.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        update(tt, torch.tensor(x))


@pytest.mark.parametrize(("name", "update"), INPLACE, ids=IDS)
def test_inplace_under_no_grad_changes_a_parameter_and_keeps_it_a_leaf(name, update, rng) -> None:
    a, x = _pair(rng)
    t = Tensor(a.copy(), requires_grad=True)
    expected = update(Tensor(a.copy()), x).data  # the same update on a plain tensor
    with no_grad():
        update(t, Tensor(x))
    np.testing.assert_array_equal(t.data, expected)
    assert t.requires_grad and t.is_leaf and t.grad_fn is None


def test_inplace_on_a_tensor_with_a_history_names_the_out_of_place_form() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match=r"made by op 'mul'.*t = t \+ x"):
        y += 1
    with no_grad():
        z = x * 2
    z += 1  # no history: allowed
    np.testing.assert_array_equal(z.data, [3.0, 5.0])


def test_inplace_taking_in_a_tensor_that_requires_grad_names_the_out_of_place_form() -> None:
    t = Tensor([1.0, 2.0])
    w = Tensor([3.0, 4.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"t = t \* x"):
        t *= w
    np.testing.assert_array_equal(t.data, [1.0, 2.0])
    with no_grad():
        t *= w
    np.testing.assert_array_equal(t.data, [3.0, 8.0])


def test_views_and_aliases_see_an_inplace_update_as_in_torch(torch) -> None:
    t, tt = Tensor(np.arange(6.0)), torch.arange(6.0)
    views = [t.view(2, 3), t[1:4], t.reshape(3, 2).T]
    tviews = [tt.view(2, 3), tt[1:4], tt.reshape(3, 2).T]
    t.mul_(10).add_(1)
    tt.mul_(10).add_(1)
    for v, tv in zip(views, tviews, strict=True):
        np.testing.assert_array_equal(v.data, tv.numpy())


def test_a_graph_that_used_the_old_values_raises_at_backward(torch) -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    J = (W * W).sum()  # mul's rule reads W: the graph holds its array read-only
    with no_grad():
        W -= 1.0
    np.testing.assert_array_equal(W.data, np.zeros(3))
    with pytest.raises(RuntimeError, match="assigned after the graph was built"):
        J.backward()
    tW = torch.ones(3, requires_grad=True)
    tJ = (tW * tW).sum()
    with torch.no_grad():
        tW -= 1.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        tJ.backward()


def test_an_intermediate_updated_under_no_grad_raises_at_backward() -> None:
    x = Tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()  # exp's rule reads its own result
    J = y.sum()
    with no_grad():
        y.zero_()
    with pytest.raises(RuntimeError, match="assigned after the graph was built"):
        J.backward()


def test_a_view_of_an_array_a_graph_holds_refuses_rather_than_stop_sharing() -> None:
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    with no_grad():
        row = W[0]  # a view of W's array
    J = (W * W).sum()
    with no_grad(), pytest.raises(RuntimeError, match=r"is a view.*run backward"):
        row.zero_()
    np.testing.assert_array_equal(W.data, np.ones((2, 3)))
    J.backward()
    with no_grad():
        row.zero_()  # released: written through to W, as in PyTorch
    np.testing.assert_array_equal(W.data, [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])


def test_an_update_after_backward_writes_into_the_same_array() -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    J = (W * W).sum()
    J.backward()
    arr = W.data
    with no_grad():
        W -= 0.5 * W.grad
    assert W.data is arr
    np.testing.assert_array_equal(arr, np.zeros(3))


def test_a_callers_array_is_copied_as_torch_tensor_copies_it(torch) -> None:
    arr, tarr = np.ones(3), np.ones(3)
    t, tt = Tensor(arr), torch.tensor(tarr)
    t += 1.0
    tt += 1.0
    np.testing.assert_array_equal(arr, tarr)
    np.testing.assert_array_equal(arr, np.ones(3))
    np.testing.assert_array_equal(t.data, tt.numpy())


def test_a_callers_read_only_array_is_left_as_it_was() -> None:
    arr = np.ones(3)
    arr.flags.writeable = False
    t = Tensor(arr)
    t += 1.0
    np.testing.assert_array_equal(t.data, np.full(3, 2.0))
    np.testing.assert_array_equal(arr, np.ones(3))
    assert not arr.flags.writeable


def test_a_result_of_another_shape_or_dtype_raises_and_changes_nothing(torch) -> None:
    t = Tensor(np.ones(3))
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\).*\(3,\)"):
        t += np.ones((2, 3))
    with pytest.raises(RuntimeError):
        torch.ones(3).add_(torch.ones(2, 3))
    mask = Tensor([1.0, 2.0]) > 1
    with pytest.raises(TypeError, match=r"dtype float64 cannot be written into.*bool"):
        mask += 0.5
    with pytest.raises(RuntimeError, match="can't be cast"):
        (torch.tensor([1.0, 2.0]) > 1).add_(0.5)
    np.testing.assert_array_equal(t.data, np.ones(3))
    np.testing.assert_array_equal(mask.data, [False, True])


def test_float32_stays_float32_through_inplace_updates() -> None:
    t = Tensor(np.ones(3, dtype=np.float32))
    t -= np.full(3, 0.25)  # float64 operand: written in the tensor's dtype, as PyTorch
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.data, np.full(3, 0.75, dtype=np.float32))


def _rebind(V: type) -> None:
    v = V(3.0)
    kept = v
    v -= 1.0
    v *= 2.0
    assert v is not kept and kept.data == 3.0 and v.data == 4.0


def test_value_augmented_assignment_makes_a_new_node() -> None:
    _rebind(Value)


def test_micrograd_rebinds_the_same_way() -> None:
    _rebind(pytest.importorskip("micrograd.engine").Value)


@given(
    hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
    st.sampled_from(["+=", "-=", "*=", "/="]),
    st.data(),
)
def test_an_augmented_assignment_gives_the_out_of_place_numbers(shapes, op, data) -> None:
    """``t op= x`` leaves in ``t`` what ``t op x`` computes, whenever that keeps t's shape."""
    shape_t, shape_x = shapes.input_shapes
    assume(np.broadcast_shapes(shape_t, shape_x) == shape_t)
    elements = st.floats(0.5, 2.0)
    a = data.draw(hnp.arrays(np.float64, shape_t, elements=elements))
    x = data.draw(hnp.arrays(np.float64, shape_x, elements=elements))
    t = Tensor(a.copy())
    expected = {"+=": t + x, "-=": t - x, "*=": t * x, "/=": t / x}[op].data
    kept = t
    if op == "+=":
        t += x
    elif op == "-=":
        t -= Tensor(x)
    elif op == "*=":
        t *= x
    else:
        t /= Tensor(x)
    assert t is kept
    np.testing.assert_array_equal(t.data, expected)
