"""Shape methods and reductions spelled as in PyTorch give PyTorch's results and gradients."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograd import Tensor, gradcheck

# (name, f) applied to a Tensor here and to a torch tensor there, on a (2, 3, 4) input.
SHAPES = [
    ("transpose(0, 1)", lambda t: t.transpose(0, 1)),
    ("transpose(-1, 0)", lambda t: t.transpose(-1, 0)),
    ("transpose(1, 1)", lambda t: t.transpose(1, 1)),
    ("permute", lambda t: t.permute(2, 0, 1)),
    ("permute tuple", lambda t: t.permute((1, 2, 0))),
    ("mT", lambda t: t.mT),
    ("unsqueeze(0)", lambda t: t.unsqueeze(0)),
    ("unsqueeze(-1)", lambda t: t.unsqueeze(-1)),
    ("squeeze", lambda t: t.unsqueeze(1).unsqueeze(-1).squeeze()),
    ("squeeze(dim)", lambda t: t.unsqueeze(1).squeeze(1)),
    ("squeeze(dim of size 3)", lambda t: t.squeeze(1)),
    ("squeeze(dims)", lambda t: t.unsqueeze(0).unsqueeze(-1).squeeze((0, -1))),
    ("flatten", lambda t: t.flatten()),
    ("flatten(1)", lambda t: t.flatten(1)),
    ("flatten(0, 1)", lambda t: t.flatten(0, 1)),
    ("view", lambda t: t.view(4, -1)),
    ("view tuple", lambda t: t.view((6, 4))),
    ("view(-1)", lambda t: t.view(-1)),
]
# (name, f) of reductions, on a (3, 4) input with ties.
REDUCTIONS = [
    ("sum(dim)", lambda t: t.sum(dim=1)),
    ("sum(dim, keepdim)", lambda t: t.sum(1, keepdim=True)),
    ("sum(dims)", lambda t: t.sum(dim=(0, 1))),
    ("sum(axis, keepdims)", lambda t: t.sum(axis=0, keepdims=True)),
    ("mean(dim)", lambda t: t.mean(dim=-1)),
    ("mean(dim, keepdim)", lambda t: t.mean(0, True)),
    ("logsumexp(dim)", lambda t: t.logsumexp(dim=1)),
    ("logsumexp(dim, keepdim)", lambda t: t.logsumexp(0, keepdim=True)),
    ("softmax(dim)", lambda t: t.softmax(dim=0)),
    ("softmax(1)", lambda t: t.softmax(1)),
    ("log_softmax(dim)", lambda t: t.log_softmax(dim=0)),
    ("amax(dim)", lambda t: t.amax(dim=1)),
    ("amax(dims)", lambda t: t.amax(dim=(0, 1))),
    ("amax()", lambda t: t.amax()),
    ("amin(dim, keepdim)", lambda t: t.amin(1, keepdim=True)),
    ("max()", lambda t: t.max()),
    ("min()", lambda t: t.min()),
    ("max(dim).values", lambda t: t.max(1).values),
    ("max(dim, keepdim)[0]", lambda t: t.max(dim=0, keepdim=True)[0]),
    ("max(axis=).values", lambda t: t.max(axis=1).values),
    ("min(dim).values", lambda t: t.min(dim=1).values),
]
TIES = np.array([[1.0, 3.0, 3.0, -2.0], [2.0, 0.0, 2.0, -2.0], [-1.0, -1.0, -1.0, 5.0]])


@pytest.mark.parametrize(("name", "f"), SHAPES, ids=[s[0] for s in SHAPES])
def test_shape_methods_match_torch_with_gradients(name, f, torch, rng) -> None:
    x = rng.normal(size=(2, 3, 4))
    t, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, tout = f(t), f(tt)
    assert out.shape == tuple(tout.shape)
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    upstream = rng.normal(size=out.shape)
    out.backward(upstream)
    tout.backward(torch.tensor(upstream))
    np.testing.assert_array_equal(t.grad, tt.grad.numpy())


@pytest.mark.parametrize(("name", "f"), SHAPES, ids=[s[0] for s in SHAPES])
def test_shape_methods_pass_gradcheck(name, f, rng) -> None:
    assert gradcheck(lambda t: f(t) * 1.5, [Tensor(rng.normal(size=(2, 3, 4)))])


def test_transpose_swaps_two_dimensions_of_a_matrix() -> None:
    M = Tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(M.transpose(0, 1).data, M.data.T)
    np.testing.assert_array_equal(M.transpose(1, 0).data, M.data.T)
    np.testing.assert_array_equal(M.T.data, M.data.T)


@pytest.mark.parametrize(
    "call",
    [lambda M: M.transpose(), lambda M: M.transpose((1, 0)), lambda M: M.transpose(2, 0, 1)],
    ids=["no dims", "a tuple", "three dims"],
)
def test_numpys_transpose_spellings_raise_naming_permute(call) -> None:
    M = Tensor(np.ones((2, 3, 4)))
    with pytest.raises(TypeError, match=r"permute\(\.\.\.\)"):
        call(M)


def test_T_of_more_than_two_dimensions_reverses_them_with_a_warning_as_torch(torch) -> None:
    x = np.ones((2, 3, 4))
    with pytest.warns(UserWarning, match="mT"):
        ours = Tensor(x).T
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        theirs = torch.tensor(x).T
    assert ours.shape == tuple(theirs.shape) == (4, 3, 2)
    assert any("deprecated" in str(w.message) for w in caught)


def test_mT_of_a_vector_raises_as_torch(torch) -> None:
    with pytest.raises(RuntimeError, match="matrix"):
        Tensor(np.ones(3)).mT
    with pytest.raises(RuntimeError, match="matrices"):
        torch.ones(3).mT


def test_view_where_a_copy_is_needed_raises_naming_reshape(torch) -> None:
    x = np.arange(12.0).reshape(3, 4)
    with pytest.raises(RuntimeError, match=r"reshape\(\.\.\.\)"):
        Tensor(x).T.view(-1)
    with pytest.raises(RuntimeError, match="reshape"):
        torch.tensor(x).T.view(-1)
    t = Tensor(x)
    v = t.view(4, 3)  # a view: shares the tensor's memory
    assert np.shares_memory(v.data, t.data)
    with pytest.raises(TypeError, match=r"\.float\(\)"):
        Tensor(x).view(np.float32)


def test_size_numel_dim_are_pytorchs_methods() -> None:
    t = Tensor(np.ones((2, 3, 4)))
    assert t.size() == t.shape == (2, 3, 4) and t.size(0) == 2 and t.size(-2) == 3
    assert t.numel() == 24 and t.dim() == t.ndim == 3


def test_size_numel_dim_match_torch(torch) -> None:
    x = np.ones((2, 3, 4))
    t, tt = Tensor(x), torch.tensor(x)
    assert t.size() == tuple(tt.size()) == (2, 3, 4)
    assert t.size(1) == tt.size(1) == 3 and t.size(-1) == tt.size(-1) == 4
    assert t.numel() == tt.numel() == 24 and t.dim() == tt.dim() == 3
    assert Tensor(2.0).size() == () and Tensor(2.0).numel() == 1
    with pytest.raises(IndexError, match="out of range"):
        t.size(3)


def test_a_0d_tensor_as_torch(torch) -> None:
    s, ts = Tensor(2.0), torch.tensor(2.0)
    for f in [
        lambda t: t.transpose(0, -1),
        lambda t: t.unsqueeze(0),
        lambda t: t.squeeze(0),
        lambda t: t.flatten(),
        lambda t: t.max(0).values,
        lambda t: t.sum(0),
        lambda t: t.softmax(0),
    ]:
        ours, theirs = f(s), f(ts)
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    with pytest.raises(IndexError, match="no dimensions"):
        s.size(0)
    with pytest.raises(IndexError, match="no dimensions"):
        ts.size(0)


def test_bad_dims_raise_naming_them() -> None:
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(IndexError, match="dim 2 is out of range"):
        t.transpose(0, 2)
    with pytest.raises(ValueError, match="not a permutation"):
        t.permute(0)
    with pytest.raises(TypeError, match="dim must be an int"):
        t.unsqueeze(0.5)


@pytest.mark.parametrize(("name", "f"), REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
def test_reductions_match_torch_with_gradients_on_ties(name, f, torch, rng) -> None:
    t, tt = Tensor(TIES, requires_grad=True), torch.tensor(TIES, requires_grad=True)
    out, tout = f(t), f(tt)
    assert out.shape == tuple(tout.shape)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-14)
    upstream = rng.normal(size=out.shape)
    out.backward(upstream)
    tout.backward(torch.tensor(upstream))
    np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-14, atol=1e-15)


def test_max_along_a_dim_gives_values_and_indices_as_torch(torch) -> None:
    t, tt = Tensor(TIES), torch.tensor(TIES)
    for dim, keep in [(0, False), (1, False), (-1, True)]:
        res, tres = t.max(dim, keepdim=keep), tt.max(dim, keepdim=keep)
        values, indices = res  # a named pair, unpacked as in PyTorch
        assert values is res.values and indices is res.indices
        np.testing.assert_array_equal(values.data, tres.values.numpy())
        np.testing.assert_array_equal(indices.data, tres.indices.numpy())
        assert indices.dtype == np.int64 and not indices.requires_grad
        mins, tmins = t.min(dim=dim, keepdim=keep), tt.min(dim=dim, keepdim=keep)
        np.testing.assert_array_equal(mins.indices.data, tmins.indices.numpy())
    assert repr(t.max(0)).startswith("max(values=")


def test_max_values_pass_the_gradient_to_the_indexed_entry_only() -> None:
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], requires_grad=True)
    x.max(dim=1).values.sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    y = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], requires_grad=True)
    y.amax(dim=1).sum().backward()  # amax (and the full max) share between ties
    np.testing.assert_array_equal(y.grad, [[0.0, 0.5, 0.5], [0.5, 0.0, 0.5]])


def test_argmax_and_argmin_match_torch(torch) -> None:
    t, tt = Tensor(TIES), torch.tensor(TIES)
    for call in [
        lambda a: a.argmax(),
        lambda a: a.argmax(dim=1),
        lambda a: a.argmax(0, keepdim=True),
        lambda a: a.argmin(dim=1),
        lambda a: a.argmin(),
        lambda a: a.argmax(keepdim=True),
    ]:
        out, tout = call(t), call(tt)
        assert out.dtype == np.int64 and out.shape == tuple(tout.shape)
        np.testing.assert_array_equal(out.data, tout.numpy())


def test_max_of_a_tensor_or_of_several_dims_raises_naming_the_alternative() -> None:
    t = Tensor(TIES)
    with pytest.raises(TypeError, match=r"where\(a > b, a, b\)"):
        t.max(Tensor(TIES))
    with pytest.raises(TypeError, match=r"amax\(dim=\(\.\.\.\)\)"):
        t.max(dim=(0, 1))


def test_dim_and_axis_together_raise() -> None:
    t = Tensor(TIES)
    with pytest.raises(TypeError, match="dim= or axis="):
        t.sum(dim=0, axis=1)
    with pytest.raises(TypeError, match="keepdim= or keepdims="):
        t.mean(0, keepdim=True, keepdims=True)
    with pytest.raises(TypeError, match="dim= or axis="):
        t.softmax(dim=0, axis=0)


def test_numpy_spellings_still_work_where_they_mean_the_same() -> None:
    t = Tensor(TIES)
    np.testing.assert_array_equal(t.sum(axis=1, keepdims=True).data, TIES.sum(1, keepdims=True))
    np.testing.assert_array_equal(t.amax(axis=0).data, TIES.max(0))
    np.testing.assert_array_equal(t.max().data, TIES.max())
    np.testing.assert_array_equal(t.max(axis=1).values.data, TIES.max(1))
