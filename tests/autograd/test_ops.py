"""Every op of the table: forward value, finite differences, PyTorch (float64)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value, concatenate, gradcheck, stack, where

from .op_table import ELEMENTWISE, TENSOR_ONLY, Row

ALL = ELEMENTWISE + TENSOR_ONLY
SCALAR = [r for r in ALL if r.scalar]


def _inputs(row: Row, rng: np.random.Generator) -> list[np.ndarray]:
    shapes = row.shapes if len(row.shapes) == row.arity else row.shapes * row.arity
    arrays = []
    for shape in shapes:
        x = rng.uniform(row.low, row.high, size=shape)
        if row.away_from_zero:
            x = np.where(np.abs(x) < 0.1, 0.5, x)
        arrays.append(x)
    return arrays


@pytest.mark.parametrize("row", SCALAR, ids=lambda r: r.name)
def test_value_forward_matches_numpy(row: Row, rng) -> None:
    xs = [float(a.flat[0]) for a in _inputs(row, rng)]
    out = row.node(*[Value(x) for x in xs])
    assert isinstance(out, Value)
    assert out.data == pytest.approx(float(row.ref(*[np.float64(x) for x in xs])), rel=1e-12)


@pytest.mark.parametrize("row", SCALAR, ids=lambda r: r.name)
def test_value_gradient_matches_finite_differences(row: Row, rng) -> None:
    xs = [Value(float(a.flat[0])) for a in _inputs(row, rng)]
    assert gradcheck(row.node, xs)


@pytest.mark.parametrize("row", SCALAR, ids=lambda r: r.name)
def test_value_gradient_matches_torch(row: Row, rng, torch) -> None:
    xs = [float(a.flat[0]) for a in _inputs(row, rng)]
    vs = [Value(x) for x in xs]
    row.node(*vs).backward()
    ts = [torch.tensor(x, requires_grad=True) for x in xs]
    out = row.torch(torch, *ts)
    out.backward()
    assert out.item() == pytest.approx(row.node(*[Value(x) for x in xs]).data, rel=1e-12)
    for v, t in zip(vs, ts, strict=True):
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("row", ALL, ids=lambda r: r.name)
def test_tensor_forward_matches_numpy(row: Row, rng) -> None:
    arrays = _inputs(row, rng)
    out = row.node(*[Tensor(a) for a in arrays])
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.data, row.ref(*arrays), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("row", ALL, ids=lambda r: r.name)
def test_tensor_gradient_matches_finite_differences(row: Row, rng) -> None:
    # A weighted sum makes every output element matter with a different weight.
    arrays = _inputs(row, rng)
    weights = rng.normal(size=row.ref(*arrays).shape)
    assert gradcheck(lambda *t: row.node(*t) * weights, [Tensor(a) for a in arrays])


@pytest.mark.parametrize("row", ALL, ids=lambda r: r.name)
def test_tensor_gradient_matches_torch(row: Row, rng, torch) -> None:
    arrays = _inputs(row, rng)
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    out = row.node(*ours)
    upstream = rng.normal(size=out.shape)
    out.backward(upstream)
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    tout = row.torch(torch, *theirs)
    tout.backward(torch.tensor(upstream))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    for o, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(o.grad, t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_concatenate_stack_where_gradients(rng, torch) -> None:
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(4, 3))
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    cond = rng.normal(size=(2, 3)) > 0
    J = (concatenate([ta, tb], axis=0) ** 2).sum() + (stack([ta, ta * 2], axis=1).sin()).sum()
    J = J + where(cond, ta, tb[:2] * 3).sum()
    J.backward()
    xa, xb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    K = (torch.cat([xa, xb], dim=0) ** 2).sum() + torch.stack([xa, xa * 2], dim=1).sin().sum()
    K = K + torch.where(torch.tensor(cond), xa, xb[:2] * 3).sum()
    K.backward()
    assert J.item() == pytest.approx(K.item(), rel=1e-12)
    np.testing.assert_allclose(ta.grad, xa.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(tb.grad, xb.grad.numpy(), rtol=1e-12)


def test_concatenate_stack_where_finite_differences(rng) -> None:
    a, b = Tensor(rng.normal(size=(2, 3))), Tensor(rng.normal(size=(2, 5)))
    cond = rng.normal(size=(2, 3)) > 0
    assert gradcheck(lambda a, b: concatenate([a, b], axis=-1).tanh(), [a, b])
    assert gradcheck(lambda a: stack([a, a * a], axis=2), [a])
    assert gradcheck(lambda a: where(cond, a * a, a.exp()), [a])
