"""Second derivatives (create_graph), the functional API, and a custom op end to end."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Op, Tensor, Value, grad, gradcheck, gradgradcheck, hessian, hvp, value_and_grad
from autograd.op import ieee
from autograd.rules import SIGMOID
from autograd.transforms import gradients

from .op_table import ELEMENTWISE, TENSOR_ONLY, Row
from .test_ops import _inputs

ALL = ELEMENTWISE + TENSOR_ONLY
SCALAR = [r for r in ALL if r.scalar]


def _second_derivative(row: Row, arrays, weights, us):
    """Σ u·∂(Σ w·f)/∂x differentiated again: our engine's answer for each input."""
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    gs = gradients((row.node(*xs) * weights).sum(), xs, create_graph=True)
    total = sum((g * u).sum() for g, u in zip(gs, us, strict=True) if isinstance(g, Tensor))
    if not isinstance(total, Tensor) or not total.requires_grad:
        return [np.zeros_like(a) for a in arrays]
    return [np.asarray(h) for h in gradients(total, xs)]


@pytest.mark.parametrize("row", ALL, ids=lambda r: r.name)
def test_tensor_second_derivative_matches_finite_differences(row: Row, rng) -> None:
    arrays = _inputs(row, rng)
    weights = rng.normal(size=row.ref(*arrays).shape)
    assert gradgradcheck(lambda *t: row.node(*t) * weights, [Tensor(a) for a in arrays])


@pytest.mark.parametrize("row", ALL, ids=lambda r: r.name)
def test_tensor_second_derivative_matches_torch(row: Row, rng, torch) -> None:
    arrays = _inputs(row, rng)
    weights = rng.normal(size=row.ref(*arrays).shape)
    us = [rng.normal(size=a.shape) for a in arrays]
    ours = _second_derivative(row, arrays, weights, us)
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = (row.torch(torch, *ts) * torch.tensor(weights)).sum()
    gs = torch.autograd.grad(out, ts, create_graph=True)
    total = sum((g * torch.tensor(u)).sum() for g, u in zip(gs, us, strict=True))
    theirs = (
        torch.autograd.grad(total, ts, allow_unused=True)
        if total.requires_grad
        else [None] * len(ts)
    )
    for o, t, a in zip(ours, theirs, arrays, strict=True):
        expected = np.zeros_like(a) if t is None else t.numpy(force=True)
        np.testing.assert_allclose(o, expected, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("row", SCALAR, ids=lambda r: r.name)
def test_value_second_derivative_matches_finite_differences_and_torch(row, rng, torch) -> None:
    xs = [float(a.flat[0]) for a in _inputs(row, rng)]
    assert gradgradcheck(row.node, [Value(x) for x in xs])
    vs = [Value(x) for x in xs]
    d1 = gradients(row.node(*vs), vs, create_graph=True)
    total = sum(d1[1:], d1[0])
    ours = [0.0] * len(vs) if not isinstance(total, Value) else gradients(total, vs)
    ts = [torch.tensor(x, requires_grad=True) for x in xs]
    tg = torch.autograd.grad(row.torch(torch, *ts), ts, create_graph=True)
    ttotal = sum(tg[1:], tg[0])
    theirs = (
        torch.autograd.grad(ttotal, ts, allow_unused=True) if ttotal.requires_grad else [None] * 2
    )
    for o, t in zip(ours, theirs, strict=False):
        expected = 0.0 if t is None else t.item()
        assert float(getattr(o, "data", o)) == pytest.approx(expected, rel=1e-9, abs=1e-11)


@pytest.mark.parametrize(
    ("f", "d2", "d3"),
    [
        (lambda x: x**4 - 3 * x**2 + x, lambda x: 12 * x**2 - 6, lambda x: 24 * x),
        (lambda x: x.tanh(), lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2), None),
        (
            lambda x: x.sigmoid(),
            lambda x: (s := 1 / (1 + math.exp(-x))) * (1 - s) * (1 - 2 * s),
            None,
        ),
        (lambda x: x.exp() * x.sin(), lambda x: 2 * math.exp(x) * math.cos(x), None),
        (lambda x: x.relu() * 3.0, lambda x: 0.0, None),
    ],
)
def test_grad_of_grad_for_polynomials_and_activations(f, d2, d3) -> None:
    for x in (-1.3, 0.4, 2.0):
        assert grad(grad(f))(x) == pytest.approx(d2(x), rel=1e-10, abs=1e-12)
        if d3 is not None:
            assert grad(grad(grad(f)))(x) == pytest.approx(d3(x), rel=1e-10)


def test_value_and_grad_argnums_and_leaves_untouched() -> None:
    a = Value(5.0)
    a.grad = 0.25
    f = lambda x, y: x * y + y**2
    val, (gx, gy) = value_and_grad(f, argnums=(0, 1))(2.0, 3.0)
    assert (val, gx, gy) == (15.0, 3.0, 8.0)
    assert grad(lambda x: x * a)(2.0) == 5.0 and a.grad == 0.25
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    g = grad(lambda X: (X @ W).sum())(np.eye(2))
    np.testing.assert_array_equal(g, np.full((2, 2), 2.0))
    assert W.grad is None


def test_backward_create_graph_makes_gradients_nodes() -> None:
    x = Value(1.5)
    (x**3).backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == pytest.approx(6.75)
    assert grad(lambda x: x)(3.0) == 1.0
    t = Tensor([1.0, 2.0], requires_grad=True)
    (t**3).sum().backward(create_graph=True)
    assert isinstance(t.grad, Tensor) and t.grad.grad_fn is not None
    t.grad.sum().backward()  # accumulates ∂/∂t Σ 3t² = 6t into the gradient node's sum
    np.testing.assert_allclose(t.grad.data, 3 * t.data**2 + 6 * t.data)


def _mlp_loss(params, X, y):
    """A 3-4-1 tanh network's mean squared error: the same code for both libraries."""
    W1, b1, W2, b2 = params
    a1 = (X @ W1.T + b1).tanh()
    z2 = a1 @ W2.T + b2
    return ((z2 - y) ** 2).mean()


def test_hvp_and_hessian_of_a_small_mlp_loss_match_torch(rng, torch) -> None:
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    shapes = [(4, 3), (4,), (1, 4), (1,)]
    sizes = [int(np.prod(s)) for s in shapes]
    theta = rng.normal(size=sum(sizes))

    def unpack(v, lib_reshape):
        out, k = [], 0
        for s, n in zip(shapes, sizes, strict=True):
            out.append(lib_reshape(v[k : k + n], s))
            k += n
        return out

    ours = lambda v: _mlp_loss(unpack(v, lambda a, s: a.reshape(s)), X, y)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    theirs = lambda v: _mlp_loss(unpack(v, lambda a, s: a.reshape(s)), Xt, yt)
    v = rng.normal(size=theta.shape)
    _, t_hvp = torch.autograd.functional.hvp(theirs, torch.tensor(theta), torch.tensor(v))
    np.testing.assert_allclose(hvp(ours, theta, v), t_hvp.numpy(), rtol=1e-10, atol=1e-12)
    t_hess = torch.autograd.functional.hessian(theirs, torch.tensor(theta))
    np.testing.assert_allclose(hessian(ours, theta), t_hess.numpy(), rtol=1e-10, atol=1e-12)


def test_hessian_of_a_quadratic_is_its_matrix(rng) -> None:
    A = rng.normal(size=(3, 3))
    A = A + A.T
    H = hessian(lambda x: 0.5 * (x @ Tensor(A) @ x), rng.normal(size=3))
    np.testing.assert_allclose(H, A, rtol=1e-12)


# A custom op, as a student adds one: forward and derivative side by side. -------------

SOFTPLUS = Op(
    "softplus",
    "softplus",
    scalar=ieee(
        lambda x: math.log1p(math.exp(x)) if x < 30 else x + math.log1p(math.exp(-x)),
        lambda x: np.logaddexp(0.0, x),
    ),
    array=lambda x: np.logaddexp(0.0, x),
    grads=(lambda g, out, x: g * SIGMOID(x),),  # d/dx log(1 + eˣ) = σ(x)
    local=("σ(x)",),
)


def test_custom_op_works_on_both_engines_with_first_and_second_derivatives(rng, torch) -> None:
    v = Value(0.7)
    y = SOFTPLUS(v) * v
    assert y.grad_fn.name == "mul" and y._inputs[0].grad_fn.name == "softplus"
    assert gradcheck(lambda x: SOFTPLUS(x) * x, [Value(0.7)])
    assert gradgradcheck(lambda x: SOFTPLUS(x) * x, [Value(0.7)])
    x = rng.normal(size=(3, 2)) * 3
    assert gradcheck(lambda t: SOFTPLUS(t), [Tensor(x)])
    assert gradgradcheck(lambda t: SOFTPLUS(t) * t, [Tensor(x)])
    t = Tensor(x, requires_grad=True)
    SOFTPLUS(t).sum().backward()
    tt = torch.tensor(x, requires_grad=True)
    torch.nn.functional.softplus(tt).sum().backward()
    np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-12)
    assert SOFTPLUS(1000.0) == 1000.0 and SOFTPLUS(Value(-1000.0)).data == 0.0


def test_custom_op_shows_under_its_own_name_in_pictures_and_transcripts() -> None:
    from autograd import draw_dot, explain

    x = Value(0.5, label="x")
    y = SOFTPLUS(x) * 2.0
    assert "softplus" in draw_dot(y).source
    text = explain(y)
    assert "softplus" in text and "σ(x)" in text
    t = Tensor([0.5, -1.0], requires_grad=True)
    assert "softplus" in draw_dot(SOFTPLUS(t).sum()).source
