"""Losses at the edges (±1000, 0, tiny) on both engines, against PyTorch float64.

Each test runs a loss on a `Tensor` and on `Value`s and checks the value and ∂J/∂input:
finite, equal to PyTorch where the mathematics has a value, equal to the closed form where
PyTorch's backward takes a shortcut (`binary_cross_entropy` near 0 and 1). float32 stays
float32; integer inputs are promoted to float, never truncated.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, detect_anomaly
from nn import Softmax
from nn import functional as F
from nn import losses as L

EDGES = np.array([-1000.0, -30.0, -1e-300, 0.0, 1e-300, 30.0, 1000.0])
ROWS = np.array(
    [
        [1000.0, -1000.0, 0.0],
        [-1000.0, -1000.0, -1000.0],
        [1e-300, 0.0, -1e-300],
        [30.0, 1000.0, 999.0],
        [1000.0, 1000.0, -1000.0],
    ]
)
LABELS = np.array([1, 0, 2, 0, 2])
PROBS = np.array([0.0, 5e-324, 1e-300, 1e-50, 1e-20, 1e-12, 1e-6, 0.3, 0.5, 1 - 1e-6, 1.0])
ENGINES = ["value", "tensor"]


def _values(a):
    a = np.asarray(a, dtype=float)
    return [_values(r) for r in a] if a.ndim > 1 else [Value(float(x)) for x in a]


def _grads(vs):
    return np.array([_grads(v) if isinstance(v, list) else v.grad for v in vs])


def _run(engine, loss, pred, *args, **kwargs):
    """(J, ∂J/∂pred) on one engine, J with reduction='sum' unless told otherwise."""
    kwargs.setdefault("reduction", "sum")
    if engine == "tensor":
        x = Tensor(pred, requires_grad=True)
        J = loss(x, *args, **kwargs)
        J.backward()
        return np.asarray(J.data), x.grad
    vs = _values(pred)
    J = loss(vs, *args, **kwargs)
    J.backward()
    return np.asarray(J.data), _grads(vs)


def _close(ours, theirs, atol=0.0):
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=atol)
    assert np.isfinite(ours).all()


@pytest.mark.parametrize("target", [0.0, 1.0, 0.3])
@pytest.mark.parametrize("engine", ENGINES)
def test_bce_with_logits_at_the_edges_matches_torch(torch, engine, target):
    y = np.full_like(EDGES, target)
    t = torch.tensor(EDGES, requires_grad=True)
    ref = torch.nn.functional.binary_cross_entropy_with_logits(t, torch.tensor(y), reduction="sum")
    ref.backward()
    J, grad = _run(engine, L.bce_with_logits, EDGES, y)
    _close(J, ref.item())
    _close(grad, t.grad.numpy(), atol=1e-300)


@pytest.mark.parametrize("targets", ["labels", "probabilities"])
@pytest.mark.parametrize("engine", ENGINES)
def test_cross_entropy_at_the_edges_matches_torch(torch, engine, targets):
    y = LABELS if targets == "labels" else np.array([[0.2, 0.3, 0.5]] * len(ROWS))
    t = torch.tensor(ROWS, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(t, torch.tensor(y), reduction="sum")
    ref.backward()
    J, grad = _run(engine, L.cross_entropy, ROWS, y)
    _close(J, ref.item())
    _close(grad, t.grad.numpy(), atol=1e-15)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
@pytest.mark.parametrize("engine", ENGINES)
def test_softmax_family_of_nn_functional_at_the_edges_matches_torch(torch, engine, name):
    upstream = np.arange(15.0).reshape(5, 3) / 7 if name != "logsumexp" else np.arange(5.0)
    t = torch.tensor(ROWS, requires_grad=True)
    out_t = getattr(torch, name)(t, dim=1)
    out_t.backward(torch.tensor(upstream))
    fn = getattr(F, name)
    if engine == "tensor":
        x = Tensor(ROWS, requires_grad=True)
        out = fn(x)
        out.backward(upstream)
        data, grad = out.data, x.grad
    else:
        vs = _values(ROWS)
        out = np.asarray(fn(vs), dtype=object)
        J = sum((o * u for o, u in zip(out.ravel(), upstream.ravel(), strict=True)), Value(0.0))
        J.backward()
        data, grad = F.to_numpy(out), _grads(vs)
    _close(data, out_t.detach().numpy())
    _close(grad, t.grad.numpy(), atol=1e-15)


@pytest.mark.parametrize("engine", ENGINES)
def test_softmax_module_gives_probabilities_at_the_edges(torch, engine):
    expected = torch.softmax(torch.tensor(ROWS), dim=1).numpy()
    out = Softmax()(Tensor(ROWS) if engine == "tensor" else _values(ROWS))
    _close(F.to_numpy(out), expected, atol=1e-300)


def _floored_bce_grad(p, y):
    """∂/∂p of −(y max(log p, −100) + (1 − y) max(log(1 − p), −100)), 0 where floored."""
    q = 1.0 - p
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = np.where(np.log(p) >= -100, -y / p, 0.0)
        b = np.where(np.log(q) >= -100, (1.0 - y) / q, 0.0)
    return a + b


@pytest.mark.parametrize("target", [0.0, 1.0, 0.3])
@pytest.mark.parametrize("engine", ENGINES)
def test_binary_cross_entropy_is_finite_at_0_and_1_and_matches_torch(torch, engine, target):
    """Values as PyTorch (logs floored at −100); gradients as PyTorch where its backward is
    exact (ŷ(1 − ŷ) ≥ 1e−12), else the exact derivative of the floored loss."""
    y = np.full_like(PROBS, target)
    t = torch.tensor(PROBS, requires_grad=True)
    ref = torch.nn.functional.binary_cross_entropy(t, torch.tensor(y), reduction="none")
    ref.sum().backward()
    pred = Tensor(PROBS) if engine == "tensor" else _values(PROBS)
    terms = F.to_numpy(L.binary_cross_entropy(pred, y, reduction="none"))
    _, grad = _run(engine, L.binary_cross_entropy, PROBS, y)
    # log(1 − ŷ) is formed from 1 − ŷ (no log1p), exact to float64's spacing near 1
    _close(terms, ref.detach().numpy(), atol=1e-15)
    exact = PROBS * (1 - PROBS) >= 1e-12
    _close(grad[exact], t.grad.numpy()[exact])
    _close(grad, _floored_bce_grad(PROBS, y))


def test_binary_cross_entropy_floors_at_100_per_example():
    J, grad = _run("tensor", L.binary_cross_entropy, [0.0, 1.0], np.array([1.0, 0.0]))
    assert J == 200.0 and np.array_equal(grad, [0.0, 0.0])
    J, grad = _run("value", L.binary_cross_entropy, [0.0, 1.0], np.array([0.0, 1.0]))
    assert J == 0.0 and np.array_equal(grad, [1.0, -1.0])  # −log(1 − ŷ) at ŷ = 0: slope 1


@pytest.mark.parametrize("engine", ENGINES)
def test_binary_cross_entropy_at_0_and_1_makes_no_inf_even_inside(engine):
    """No log 0 = −inf is computed on the way: anomaly mode, which stops at the first
    infinity anywhere in the forward or backward pass, has nothing to report."""
    with detect_anomaly():
        J, grad = _run(engine, L.binary_cross_entropy, [0.0, 1.0, 0.0, 1.0], [0, 1, 1, 0])
    assert J == 200.0 and np.array_equal(grad, [1.0, -1.0, 0.0, 0.0])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("p", [-1000.0, 1000.0, -1e-300, 1.0 + 1e-15, math.nan])
def test_binary_cross_entropy_refuses_numbers_that_are_not_probabilities(engine, p):
    pred = Tensor([0.5, p]) if engine == "tensor" else [Value(0.5), Value(p)]
    with pytest.raises(ValueError, match=r"prob must lie in \[0, 1\].*at index 1"):
        L.binary_cross_entropy(pred, [1.0, 0.0])


def _f32(a):
    return Tensor(np.asarray(a, dtype=np.float32), requires_grad=True)


F32_CASES = [
    ("mse", L.mse, [1000.0, -1000.0, 0.0], [1, 0, 1]),
    ("half_squared_error", L.half_squared_error, [[1000.0, -1000.0, 0.0]], [[1, 0, 1]]),
    ("binary_cross_entropy", L.binary_cross_entropy, [0.0, 1.0, 1e-30, 0.5], [1, 0, 1, 0]),
    ("bce_with_logits", L.bce_with_logits, [1000.0, -1000.0, 0.0], [0, 1, 1]),
    ("cross_entropy", L.cross_entropy, [[1000.0, -1000.0, 0.0]], [1]),
    ("cross_entropy_one_hot", L.cross_entropy, [[1000.0, -1000.0, 0.0]], [[0, 1, 0]]),
    ("hinge", L.hinge, [1000.0, -1000.0, 0.0], [1, 1, -1]),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(("name", "loss", "pred", "y"), F32_CASES, ids=[c[0] for c in F32_CASES])
def test_float32_stays_float32_through_losses_and_gradients(name, loss, pred, y, reduction):
    x = _f32(pred)
    J = loss(x, np.asarray(y), reduction=reduction)
    assert J.dtype == np.float32
    J.sum().backward()
    assert x.grad.dtype == np.float32
    assert np.isfinite(J.data).all() and np.isfinite(x.grad).all()


def test_float32_and_float64_agree_at_the_edges():
    for _, loss, pred, y in F32_CASES:
        a, b = _f32(pred), Tensor(np.asarray(pred, dtype=float), requires_grad=True)
        Ja, Jb = loss(a, np.asarray(y)), loss(b, np.asarray(y))
        Ja.backward()
        Jb.backward()
        np.testing.assert_allclose(Ja.data, Jb.data, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(a.grad, b.grad, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("loss", "pred", "y", "expected"),
    [
        (L.mse, np.array([1, 2]), np.array([0.5, 2.5]), 0.25),
        (L.half_squared_error, np.array([[3, 4]], dtype=np.int32), [[0, 0]], 12.5),
        (L.bce_with_logits, np.array([0, 1000]), np.array([1, 0]), (math.log(2) + 1000) / 2),
        (L.binary_cross_entropy, np.array([0, 1], dtype=np.uint8), np.array([0, 1]), 0.0),
        (L.cross_entropy, np.array([[1000, 0]], dtype=np.int16), np.array([1.0]), 1000.0),
        (L.hinge, np.array([2, -1]), np.array([1, 1], dtype=np.int8), 1.0),
    ],
)
def test_integer_inputs_are_promoted_never_truncated(loss, pred, y, expected):
    J = loss(pred, y)
    assert J.dtype == np.float64 and J.item() == pytest.approx(expected, rel=1e-15)
    x = Tensor(pred, requires_grad=True)  # integers become float64 leaves with gradients
    assert x.dtype == np.float64
    loss(x, y).backward()
    assert x.grad.dtype == np.float64 and np.isfinite(x.grad).all()


def test_integer_values_and_whole_float_labels_are_promoted_on_the_value_engine():
    J = L.mse([Value(1), Value(2)], np.array([0, 3], dtype=np.int64))
    assert type(J.data) is float and J.data == 1.0
    ce = L.cross_entropy(_values([[0.0, 1.0, 2.0]]), np.array([2.0]))
    assert ce.data == pytest.approx(-(2.0 - np.log(np.exp([0.0, 1.0, 2.0]).sum())))


def test_a_float32_model_trains_in_float32():
    X, y = nn.data.make_moons(64, noise=0.1, rng=0)
    model = nn.MLP(2, [8, 2], engine="tensor", dtype="float32", rng=0)
    history = nn.fit(
        model,
        X,
        y,
        "cross_entropy",
        nn.optim.Adam(model.parameters(), lr=0.05),
        epochs=20,
        batch_size=16,
        rng=0,
    )
    assert history.loss[-1] < history.loss[0]
    for p in model.parameters():
        assert p.dtype == np.float32 and p.grad.dtype == np.float32
    assert nn.predict(model, X).dtype == np.float32  # float64 data runs in the model's type


def test_a_float32_model_converts_arrays_to_float32_and_refuses_float64_tensors():
    X = np.random.default_rng(0).standard_normal((5, 2))  # float64
    model = nn.MLP(2, [4, 3], engine="tensor", dtype="float32", rng=0)
    out = model(X)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, model(Tensor(X, dtype="float32")).data)
    np.testing.assert_array_equal(out.data, nn.predict(model, X))
    np.testing.assert_array_equal(model(X.tolist()).data, out.data)
    with pytest.raises(TypeError, match="float32 parameters and got a float64 Tensor"):
        model(Tensor(X))
    with pytest.raises(TypeError, match="float64 parameters and got a float32 Tensor"):
        nn.MLP(2, [3], engine="tensor", rng=0)(Tensor(X, dtype="float32"))


def test_pytorch_refuses_a_float64_tensor_in_a_float32_layer_too():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(2, 3, dtype=torch.float32)
    with pytest.raises(RuntimeError, match="dtype"):
        layer(torch.zeros(4, 2, dtype=torch.float64))


def test_softmax_family_on_values_gives_the_op_tables_numbers():
    from autograd import tensor_rules as T

    rows = ROWS[np.isfinite(ROWS).all(axis=1)]
    values = _values(rows)
    lse = np.array([v.data for v in F.logsumexp(values)])
    np.testing.assert_allclose(lse, T.LOGSUMEXP.array(rows, -1, False), rtol=1e-15, atol=0)
    soft = np.array([[v.data for v in row] for row in F.softmax(values)])
    np.testing.assert_allclose(soft, T.SOFTMAX.array(rows, -1), rtol=1e-14, atol=1e-300)
    logs = np.array([[v.data for v in row] for row in F.log_softmax(values)])
    np.testing.assert_allclose(logs, T.LOG_SOFTMAX.array(rows, -1), rtol=1e-14, atol=1e-300)
    inf = F.logsumexp([[Value(-np.inf), Value(-np.inf)], [Value(np.inf), Value(0.0)]])
    assert [v.data for v in inf] == [-np.inf, np.inf]  # as np.logaddexp and PyTorch
