"""Numerics at the edges (±1000, 0, tiny) on both engines, against PyTorch float64."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value

EDGES = [-1000.0, -30.0, -1e-300, 0.0, 1e-300, 30.0, 1000.0]


def _close(ours, theirs) -> None:
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "exp"])
def test_elementwise_edges_on_both_engines_match_torch(name: str, torch) -> None:
    t = torch.tensor(EDGES, requires_grad=True)
    getattr(t, name)().sum().backward()
    ref_val, ref_grad = getattr(t, name)().detach().numpy(), t.grad.numpy()
    x = Tensor(EDGES, requires_grad=True)
    y = getattr(x, name)()
    y.sum().backward()
    _close(y.data, ref_val)
    _close(x.grad, ref_grad)
    for k, e in enumerate(EDGES):
        v = Value(e)
        out = getattr(v, name)()
        out.backward()
        _close(out.data, ref_val[k])
        _close(v.grad, ref_grad[k])


def test_sigmoid_and_tanh_stay_finite_with_finite_gradients() -> None:
    x = Tensor(EDGES, requires_grad=True)
    (x.sigmoid() + x.tanh()).sum().backward()
    assert np.isfinite(x.grad).all()
    assert Value(-1000.0).sigmoid().data == 0.0 and Value(1000.0).sigmoid().data == 1.0


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_softmax_family_edges_match_torch(name: str, torch) -> None:
    rows = np.array(
        [
            [1000.0, -1000.0, 0.0],
            [-1000.0, -1000.0, -1000.0],
            [1e-300, 0.0, -1e-300],
            [30.0, 1000.0, 999.0],
        ]
    )
    upstream = np.arange(12.0).reshape(4, 3) / 7 if name != "logsumexp" else np.ones(4)
    t = torch.tensor(rows, requires_grad=True)
    tout = getattr(t, name)(dim=1)
    tout.backward(torch.tensor(upstream))
    x = Tensor(rows, requires_grad=True)
    out = getattr(x, name)(axis=1)
    out.backward(upstream)
    _close(out.data, tout.detach().numpy())
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert np.isfinite(out.data).all() and np.isfinite(x.grad).all()


def test_float32_edges_stay_float32_and_finite() -> None:
    x = Tensor(np.array([[1000.0, -1000.0, 0.0]], dtype=np.float32), requires_grad=True)
    J = x.log_softmax(axis=1).sum() + x.logsumexp(axis=1).sum() + x.sigmoid().sum()
    J.backward()
    assert J.dtype == np.float32 and x.grad.dtype == np.float32
    assert np.isfinite(x.grad).all()
