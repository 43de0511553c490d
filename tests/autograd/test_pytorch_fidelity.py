"""PyTorch spellings on a Tensor give PyTorch's result: one-number conversions, pow at 0,
``backward(gradient=, retain_graph=)``, clamp, casts, small methods, and what ``.grad`` is."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck, no_grad

A = np.array([[1.0, -2.0, 3.0], [0.0, 2.0, -1.0]])


# One number out of a tensor. ----------------------------------------------------------------
def test_float_int_bool_and_format_give_the_one_number() -> None:
    assert float(Tensor([[2.75]])) == 2.75 and int(Tensor(-2.75)) == -2
    assert bool(Tensor([0.5])) and not bool(Tensor(0.0)) and bool(Tensor(A)[0, 0] > 0)
    assert f"{Tensor(2.0 / 3.0):.2f}" == "0.67"
    with pytest.raises(ValueError, match="one element"):
        int(Tensor(A))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(Tensor(A))


def test_float_int_bool_and_format_of_one_element_tensors_as_torch(torch) -> None:
    for x in [2.75, -2.75, 0.0]:
        for shape in [(), (1,), (1, 1)]:
            a = np.full(shape, x)
            t, tt = Tensor(a), torch.tensor(a)
            assert float(t) == float(tt) and int(t) == int(tt) and bool(t) == bool(tt)
        assert format(Tensor(x), ".2f") == format(torch.tensor(x), ".2f") == f"{x:.2f}"
        assert f"{Tensor(x, requires_grad=True):.3e}" == f"{x:.3e}"


def test_many_elements_refuse_as_torch(torch) -> None:
    t, tt = Tensor(A), torch.tensor(A)
    with pytest.raises(ValueError, match="one element"):
        float(t)
    with pytest.raises(ValueError, match="one element"):
        float(tt)
    with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
        bool(t > 0)
    with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
        bool(tt > 0)
    with pytest.raises(RuntimeError, match="no values is ambiguous"):
        bool(Tensor(np.ones(0)))
    with pytest.raises(TypeError, match=r"item\(\)"):
        format(Tensor([1.5]), ".2f")
    with pytest.raises(TypeError):
        format(torch.tensor([1.5]), ".2f")
    assert format(t) == str(t)


# pow at a base of 0: both partials 0 where PyTorch gives 0, on both engines. -------------------
POW_CASES = [(0.0, 0.0), (0.0, 2.0), (0.0, 0.5), (0.0, 1.0), (0.0, -1.0), (2.0, 0.0), (-3.0, 2.0)]


@pytest.mark.parametrize(("a", "b"), POW_CASES)
def test_pow_gradients_at_zero_match_torch_on_both_engines(a, b, torch) -> None:
    ta = torch.tensor(a, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    (ta**tb).backward()
    va, vb = Value(a), Value(b)
    (va**vb).backward()
    xa, xb = Tensor([a], requires_grad=True), Tensor([b], requires_grad=True)
    (xa**xb).sum().backward()
    for ours_a, ours_b in [(va.grad, vb.grad), (xa.grad[0], xb.grad[0])]:
        np.testing.assert_array_equal([ours_a, ours_b], [ta.grad.item(), tb.grad.item()])


def test_x_to_the_zero_and_zero_to_the_b_have_gradient_zero_at_zero() -> None:
    x = Value(0.0)
    (x**0).backward()
    assert x.grad == 0.0
    b = Value(3.0)
    (0.0**b).backward()
    assert b.grad == 0.0
    t = Tensor([0.0, 1.5], requires_grad=True)
    (t**0 + 0**t).sum().backward()
    np.testing.assert_array_equal(t.grad, [0.0, 0.0])
    # Away from 0 the rule is b·a^(b-1) and out·log a, as before.
    assert gradcheck(lambda a, e: a**e, [Tensor([0.7, 1.3]), Tensor([0.0, 2.5])])


# backward(gradient=, retain_graph=). ---------------------------------------------------------
def test_backward_gradient_is_copied_into_the_leaf() -> None:
    G = np.array([1.0, 2.0, 3.0])
    x = Tensor(np.zeros(3), requires_grad=True)
    x.backward(G)
    assert x.grad is not G and not np.shares_memory(x.grad, G)
    G[0] = 100.0
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0])
    gT = Tensor([4.0, 5.0, 6.0])
    x.grad = None
    x.backward(gradient=gT)
    gT.data[0] = 100.0
    np.testing.assert_array_equal(x.grad, [4.0, 5.0, 6.0])
    y = Tensor(np.zeros(3), requires_grad=True)
    root = y * 1.0
    root.backward(G)
    assert not np.shares_memory(root.grad, G)


def test_torch_copies_the_backward_gradient_too(torch) -> None:
    tG = torch.tensor([1.0, 2.0, 3.0])
    tx = torch.zeros(3, requires_grad=True)
    tx.backward(tG)
    tG[0] = 100.0
    np.testing.assert_array_equal(tx.grad.numpy(), [1.0, 2.0, 3.0])


def test_backward_retain_graph_false_releases_the_graph_as_pytorch_does() -> None:
    x = Tensor([0.5, -1.0], requires_grad=True)
    J = (x * x).sum()
    J.backward(retain_graph=False)  # as PyTorch's default: a second pass has no graph
    np.testing.assert_array_equal(x.grad, [1.0, -2.0])
    with pytest.raises(RuntimeError, match="released"):
        J.backward()
    v = Value(3.0)
    w = v * v
    w.backward(retain_graph=True)
    w.backward()
    assert v.grad == 12.0


def test_backward_accepts_retain_graph_and_accumulates_as_torch(torch) -> None:
    x, tx = Tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    J, tJ = (x * x).tanh().sum(), (tx * tx).tanh().sum()
    J.backward(retain_graph=True)
    J.backward()
    tJ.backward(retain_graph=True)
    tJ.backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    y = Tensor(A, requires_grad=True)
    (y * 2).backward(np.ones_like(A), True)  # positional, PyTorch's order
    np.testing.assert_array_equal(y.grad, np.full_like(A, 2.0))


# clamp: 1 inside [min, max] (bounds included), 0 outside, as PyTorch. -------------------------
CLAMPS = [
    lambda t: t.clamp(-1.0, 2.0),
    lambda t: t.clamp(min=0.0),
    lambda t: t.clamp(max=1),
    lambda t: t.clamp(2.0, 1.0),  # min > max: every entry is max
    lambda t: t.clip(-1.0, 1.0),
]


@pytest.mark.parametrize("f", CLAMPS)
def test_clamp_values_and_gradients_match_torch_at_the_bounds(f, torch) -> None:
    a = np.array([-2.0, -1.0, -0.5, 0.0, 1.0, 2.0, 3.0, np.nan])
    t, tt = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    out, tout = f(t), f(tt)
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    out.backward(np.arange(1.0, 9.0))
    tout.backward(torch.arange(1.0, 9.0))
    np.testing.assert_array_equal(t.grad, tt.grad.numpy())


def test_clamp_passes_gradcheck_inside_and_outside() -> None:
    b = Tensor([-1.0, 0.0, 1.0, 2.0], requires_grad=True)
    b.clamp(-1.0, 1.0).sum().backward()
    np.testing.assert_array_equal(b.grad, [1.0, 1.0, 1.0, 0.0])  # the bounds are inside
    x = Tensor([-1.7, -0.3, 0.4, 1.9])
    assert gradcheck(lambda t: t.clamp(-1.0, 1.0) * 2.0, [x])
    with pytest.raises(ValueError, match="min or max"):
        x.clamp()


# Casts. ------------------------------------------------------------------------------------
def test_float_cast_is_float32_and_its_gradient_comes_back_in_float64() -> None:
    x = Tensor(A, requires_grad=True)
    y = x.float()
    assert y.dtype == np.float32 and x.double() is x and (x > 0).long().dtype == np.int64
    (y * 2).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad, np.full_like(A, 2.0))


def test_float_and_double_casts_match_torch_and_pass_the_gradient_back(torch) -> None:
    x, tx = Tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    y, ty = x.float(), tx.float()
    assert y.dtype == np.float32 and str(ty.dtype) == "torch.float32"
    assert x.double() is x and tx.double() is tx
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6)


# .grad is a numpy array (documented in docs/pytorch.md). ---------------------------------
def test_grad_is_a_numpy_array_to_use_with_numpy() -> None:
    x = Tensor(A, requires_grad=True)
    (x * x).sum().backward()
    assert type(x.grad) is np.ndarray
    np.testing.assert_array_equal(x.grad, 2 * A)
    assert np.linalg.norm(x.grad) == pytest.approx(2 * np.sqrt((A * A).sum()))


def test_grad_is_a_numpy_array_and_its_numbers_match_torchs(torch) -> None:
    # A copy: Tensor(array) shares the array (as torch.from_numpy), and -= below writes.
    x, tx = Tensor(A.copy(), requires_grad=True), torch.tensor(A, requires_grad=True)
    (x * x).sum().backward()
    (tx * tx).sum().backward()
    assert type(x.grad) is np.ndarray
    g, tg = x.grad, tx.grad
    assert np.linalg.norm(g) == pytest.approx(tg.norm().item(), rel=1e-15)
    assert g.sum() == tg.sum().item() and g.max() == tg.max().item()
    assert np.std(g, ddof=1) == pytest.approx(tg.std().item(), rel=1e-14)  # torch: unbiased
    # PyTorch's `p.grad.zero_()` and `optimizer.zero_grad()`: here `p.grad = None`.
    with no_grad():
        x -= 0.1 * x.grad
    x.grad = None
    assert x.grad is None


# Small methods PyTorch code calls. -------------------------------------------------------
def test_any_all_contains_tolist_and_clone_match_torch(torch) -> None:
    t, tt = Tensor(A), torch.tensor(A)
    for f in [
        lambda a: (a > 0).any(),
        lambda a: (a > 0).all(),
        lambda a: (a > -3).all(dim=1),
        lambda a: a.any(0, keepdim=True),
    ]:
        ours, theirs = f(t), f(tt)
        assert ours.dtype == np.bool_
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert (2.0 in t) == (2.0 in tt) is True and (7.0 in t) == (7.0 in tt) is False
    assert t.tolist() == tt.tolist()
    x, tx = Tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    (x.clone() * x).sum().backward()
    (tx.clone() * tx).sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())


def test_clone_owns_its_array_and_passes_the_gradient() -> None:
    x = Tensor(A, requires_grad=True)
    y = x.clone()
    assert not np.shares_memory(y.data, x.data) and y.grad_fn is not None
    (y * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full_like(A, 3.0))
    assert (Tensor(A) > 0).clone().dtype == np.bool_
    assert 3.0 in Tensor(A) and 9.0 not in Tensor(A)


def test_graphs_of_these_methods_draw_and_explain() -> None:
    from autograd import draw_dot, explain

    x = Tensor(A, requires_grad=True)
    J = (
        x.max(1).values.sum()
        + x.clamp(-1.0, 1.0).sum()
        + (x * (x > 0)).sum()
        + x.permute(1, 0).amin()
        + x.clone().float().double().sum()
        + (x**0).sum()
    )
    J.backward()
    dot = draw_dot(J).source
    assert "clamp" in dot and "cast" in dot and "clone" in dot
    text = str(explain(J))
    assert "clamp(v0, lo=-1.0, hi=1.0)" in text and "dtype('float32')" in text
