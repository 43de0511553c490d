"""Comparisons on a Tensor are elementwise and give bool masks with no history, as PyTorch's;
tensors still hash by identity."""

from __future__ import annotations

import operator

import numpy as np
import pytest

from autograd import Tensor, where

COMPARISONS = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]
A = np.array([[1.0, -2.0, 3.0], [0.0, 2.0, -1.0]])
B = np.array([1.0, 2.0, -1.0])


# Comparisons: elementwise, bool, no history. ---------------------------------------------
@pytest.mark.parametrize("op", COMPARISONS, ids=lambda op: op.__name__)
def test_comparisons_are_elementwise_bool_tensors_with_no_history(op, torch) -> None:
    t = Tensor(A, requires_grad=True)
    tt = torch.tensor(A, requires_grad=True)
    for other, tother in [(Tensor(B), torch.tensor(B)), (2.0, 2.0), (0, 0)]:
        for ours, theirs in [(op(t, other), op(tt, tother)), (op(other, t), op(tother, tt))]:
            assert isinstance(ours, Tensor) and ours.dtype == np.bool_
            assert not ours.requires_grad and ours.grad_fn is None
            np.testing.assert_array_equal(ours.data, theirs.numpy())
    np.testing.assert_array_equal(op(B, t).data, op(torch.tensor(B), tt).numpy())  # ndarray


@pytest.mark.parametrize("op", COMPARISONS, ids=lambda op: op.__name__)
def test_comparisons_equal_numpys_elementwise_answer(op) -> None:
    t = Tensor(A, requires_grad=True)
    for other in [Tensor(B), B, 2.0, 0]:
        out = op(t, other)
        assert out.dtype == np.bool_ and not out.requires_grad
        np.testing.assert_array_equal(out.data, op(A, getattr(other, "data", other)))
    mask = t > 0
    np.testing.assert_array_equal(t[mask].data, A[A > 0])
    np.testing.assert_array_equal((t * mask).data, A * (A > 0))
    np.testing.assert_array_equal(where(mask, t, 0.0).data, np.where(A > 0, A, 0.0))


def test_a_mask_indexes_selects_and_multiplies_as_in_torch(torch) -> None:
    x, tx = Tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    picked = x[x > 0]
    J = picked.sum() + where(x < 0, x * 2, x).sum() + (x * (x >= 1)).sum()
    tJ = tx[tx > 0].sum() + torch.where(tx < 0, tx * 2, tx).sum() + (tx * (tx >= 1)).sum()
    np.testing.assert_array_equal(picked.data, tx[tx > 0].detach().numpy())
    J.backward()
    tJ.backward()
    np.testing.assert_allclose(J.item(), tJ.item())
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())


def test_masks_combine_and_count_as_in_torch(torch) -> None:
    t, tt = Tensor(A), torch.tensor(A)
    for f in [
        lambda a: (a > 0) & (a < 3),
        lambda a: (a > 0) | (a < -1),
        lambda a: (a > 0) ^ (a < 3),
        lambda a: ~(a > 0),
        lambda a: (a > 0).sum(),
        lambda a: (a > 0).float().mean(),
        lambda a: (a > 0).double() * 2.5,
        lambda a: (a == a.amax(dim=1, keepdim=True)).long(),
        lambda a: a.bool(),
    ]:
        ours, theirs = f(t), f(tt)
        assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
        np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_bitwise_operators_on_float_tensors_raise_as_torch(torch) -> None:
    with pytest.raises(TypeError, match="bool"):
        Tensor(A) & Tensor(A)
    with pytest.raises(RuntimeError):
        torch.tensor(A) & torch.tensor(A)


def test_tensors_hash_by_identity_and_stay_usable_in_sets_and_dicts() -> None:
    a, b = Tensor([1.0]), Tensor([1.0])
    assert len({a, b}) == 2 and {a: 1, b: 2}[a] == 1
    assert hash(a) == object.__hash__(a)
    assert a in [a] and a is not b
    a.requires_grad_(), b.requires_grad_()
    J = (a * b + a * a).sum()  # the engine keeps nodes in sets
    J.backward()
    np.testing.assert_array_equal(a.grad, [3.0])


def test_a_bool_tensor_cannot_require_grad(torch) -> None:
    mask = Tensor(A) > 0
    with pytest.raises(RuntimeError, match="floating-point"):
        mask.requires_grad_()
    with pytest.raises(RuntimeError, match="floating point"):
        (torch.tensor(A) > 0).requires_grad_()
    assert mask.detach().dtype == np.bool_


def test_a_comparison_with_a_bad_shape_or_type_raises() -> None:
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(2,\)"):
        _ = Tensor(A) < np.ones(2)
    with pytest.raises(TypeError):
        _ = Tensor(A) < "a"
    assert (Tensor(A) == "a") is False  # Python's answer for unrelated types, as torch's
