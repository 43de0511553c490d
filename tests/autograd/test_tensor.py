"""Tensor: construction, dtypes, broadcasting (hypothesis), reductions over axes, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor, Value, gradcheck, linear


def test_construction_converts_to_float64_unless_asked() -> None:
    assert Tensor([1, 2, 3]).dtype == np.float64
    assert Tensor(np.arange(3, dtype=np.int32)).dtype == np.float64
    assert Tensor([True, False]).dtype == np.float64
    assert Tensor([1.5], dtype="float32").dtype == np.float32
    t = Tensor([[1.0, 2.0]], requires_grad=True)
    assert t.shape == (1, 2) and t.ndim == 2 and t.grad is None and t.requires_grad
    assert Tensor(7).item() == 7.0 and Tensor(7).shape == ()


def test_integer_input_is_promoted_not_truncated() -> None:
    t = Tensor(np.array([3, 4]))
    np.testing.assert_array_equal((t / 2).data, [1.5, 2.0])


def test_float32_stays_float32_through_ops_and_gradients() -> None:
    x = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    W = Tensor(np.ones((3, 4), dtype=np.float32), requires_grad=True)
    y = ((x @ W).tanh() * 2.0 + 1).log_softmax(axis=1).sum()
    assert y.dtype == np.float32
    y.backward()
    assert x.grad.dtype == np.float32 and W.grad.dtype == np.float32


def test_numbers_and_arrays_on_either_side() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    a = np.array([10.0, 20.0])
    J = (2 * t + a - t / 4 + 1 / t + a * t + t**2 + 2**t).sum()
    J.backward()
    x = np.array([1.0, 2.0])
    expected = 2 - 0.25 - 1 / x**2 + a + 2 * x + np.log(2) * 2**x
    np.testing.assert_allclose(t.grad, expected)
    assert isinstance(a + t, Tensor) and isinstance(a @ Tensor(np.ones((2, 2))), Tensor)


def test_unsupported_operands_raise_type_error_naming_the_type() -> None:
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "a"
    with pytest.raises(TypeError, match="str"):
        Tensor([1.0]) + "a"
    with pytest.raises(TypeError, match="dtype"):
        Tensor(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="Value"):
        Tensor([1.0]) + Value(1.0)
    with pytest.raises(TypeError, match="dict"):
        Value({})


def test_incompatible_shapes_raise_value_error_naming_both() -> None:
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 3\)"):
        a + b
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 3\)"):
        a @ b
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 2\)"):
        a.reshape(4, 2)
    with pytest.raises(ValueError, match="axis"):
        a.sum(axis=2)


def test_leaf_grads_are_independent_arrays() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    a.grad[0] = 100.0
    assert b.grad[0] == 1.0
    # Addition hands the upstream array itself to both inputs: each leaf still owns its own.
    c, d = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
    w = Tensor([5.0, 6.0], requires_grad=True)
    ((c + d) * w).sum().backward()
    assert not np.shares_memory(c.grad, d.grad)
    c.grad *= 0.0
    np.testing.assert_array_equal(d.grad, [5.0, 6.0])
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    (W.T * 2.0).sum().backward()  # transpose's rule returns a view of the upstream array
    assert W.grad.base is None and W.grad.flags.writeable


def test_linear_is_x_at_w_t_plus_b_with_gradients_of_their_own() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 3)).astype(np.float32)
    W = Tensor(rng.standard_normal((4, 3)), requires_grad=True, dtype="float32")
    b = Tensor(rng.standard_normal(4), requires_grad=True, dtype="float32")
    Z = linear(X, W, b)
    np.testing.assert_allclose(Z.data, X @ W.data.T + b.data, rtol=1e-6)
    assert Z.dtype == np.float32 and len(Z._inputs) == 3
    Z.relu().sum().backward()
    grads = [W.grad, b.grad]
    assert all(g.dtype == np.float32 and not np.shares_memory(g, Z.grad) for g in grads)
    assert W.grad.base is None and W.grad.flags.c_contiguous  # W's own array, not a copy
    W.grad, b.grad = None, None
    (Tensor(X) @ W.T + b).relu().sum().backward()
    np.testing.assert_allclose(grads[0], W.grad, rtol=1e-6)
    np.testing.assert_allclose(grads[1], b.grad, rtol=1e-6)
    with pytest.raises(ValueError, match="linear"):
        linear(X, W.T, b)


def test_softmax_family_is_stable_at_plus_minus_1000() -> None:
    x = Tensor([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]], requires_grad=True)
    s, ls, lse = x.softmax(axis=1), x.log_softmax(axis=1), x.logsumexp(axis=1)
    assert np.all(np.isfinite(s.data)) and np.all(np.isfinite(ls.data[1]))
    np.testing.assert_allclose(s.data[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(lse.data, [1000.0, -1000.0 + np.log(3)])
    (ls[0, 0] + lse.sum() + s[1, 2]).backward()
    assert np.all(np.isfinite(x.grad))


@st.composite
def _broadcast_pair(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, base_shape=shape))
    return shapes.input_shapes


@given(_broadcast_pair(), st.sampled_from(["add", "sub", "mul", "div"]), st.integers(0, 2**16))
def test_broadcasting_in_both_directions_matches_finite_differences(shapes, op, seed) -> None:
    rng = np.random.default_rng(seed)
    a = Tensor(rng.uniform(0.5, 2.0, size=shapes[0]))
    b = Tensor(rng.uniform(0.5, 2.0, size=shapes[1]))
    f = {
        "add": lambda x, y: x + y,
        "sub": lambda x, y: x - y,
        "mul": lambda x, y: x * y,
        "div": lambda x, y: x / y,
    }[op]
    out = f(a, b)
    assert out.shape == np.broadcast_shapes(shapes[0], shapes[1])
    weights = rng.normal(size=out.shape)
    assert gradcheck(lambda x, y: f(x, y) * weights, [a, b])


@given(
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
    st.sampled_from(["sum", "mean", "amax", "logsumexp"]),
    st.booleans(),
    st.data(),
)
def test_reductions_over_random_axes(shape, name, keepdims, data) -> None:
    ndim = len(shape)
    axis = data.draw(
        st.one_of(
            st.none(),
            st.integers(-ndim, ndim - 1),
            st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple),
        )
    )
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape)
    out = getattr(Tensor(x), name)(axis=axis, keepdims=keepdims)
    ref = {
        "sum": np.sum,
        "mean": np.mean,
        "amax": np.max,
        "logsumexp": lambda x, axis, keepdims: np.log(
            np.sum(np.exp(x), axis=axis, keepdims=keepdims)
        ),
    }[name](x, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.data, ref, rtol=1e-12)
    weights = rng.normal(size=np.shape(ref))
    assert gradcheck(
        lambda t: getattr(t, name)(axis=axis, keepdims=keepdims) * weights, [Tensor(x)]
    )


def test_max_ties_share_the_gradient(torch) -> None:
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], requires_grad=True)
    x.amax(axis=1).sum().backward()  # max(axis) gives (values, indices), as in PyTorch
    t = torch.tensor(x.data, requires_grad=True)
    t.amax(dim=1).sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())
