"""PyTorch spellings in `nn` give PyTorch's results: targets that require grad, `Linear` on
(N, *, in), modes that return the module, `Sequential` as a container.

Finite differences always; PyTorch (float64) when it is installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, gradcheck
from nn import losses as L

rng = np.random.default_rng(1)
PRED, REG = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
PROB, SOFT = rng.uniform(0.05, 0.95, (4, 3)), rng.uniform(0.0, 1.0, (4, 3))
LOGITS, DIST = rng.standard_normal((4, 3)) * 2, rng.dirichlet(np.ones(3), size=4)

# name, loss, prediction, target, PyTorch's spelling (None: the notes' loss, its expression)
TARGET_CASES = [
    ("mse", L.mse, PRED, REG, "mse_loss"),
    ("half_squared_error", L.half_squared_error, PRED, REG, None),
    ("binary_cross_entropy", L.binary_cross_entropy, PROB, SOFT, "binary_cross_entropy"),
    ("bce_with_logits", L.bce_with_logits, LOGITS, SOFT, "binary_cross_entropy_with_logits"),
    ("cross_entropy probabilities", L.cross_entropy, LOGITS, DIST, "cross_entropy"),
]
IDS = [c[0] for c in TARGET_CASES]


def _values(a):
    return [[Value(float(x)) for x in row] for row in a]


def _run(engine, loss, pred, target, reduction):
    """J, ∂J/∂pred and ∂J/∂target with both as leaves of the graph."""
    if engine == "tensor":
        p, t = Tensor(pred, requires_grad=True), Tensor(target, requires_grad=True)
        J = loss(p, t, reduction=reduction)
        J.backward()
        return J.item(), p.grad, t.grad
    p, t = _values(pred), _values(target)
    J = loss(p, t, reduction=reduction)
    J.backward()
    grads = [np.array([[v.grad for v in row] for row in m]) for m in (p, t)]
    return J.data, *grads


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(("name", "loss", "pred", "target", "kind"), TARGET_CASES, ids=IDS)
def test_a_target_in_the_graph_gets_its_gradient_as_finite_differences_say(
    name, loss, pred, target, kind, engine
):
    if engine == "tensor":
        inputs = [Tensor(pred, requires_grad=True), Tensor(target, requires_grad=True)]
        assert gradcheck(lambda p, t: loss(p, t), inputs)
    else:
        flat = [Value(float(x)) for x in np.concatenate([pred.ravel(), target.ravel()])]
        n = pred.size

        def f(*vs):
            rows = np.array(vs, dtype=object)
            return loss(rows[:n].reshape(pred.shape).tolist(), rows[n:].reshape(pred.shape))

        assert gradcheck(f, flat)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(("name", "loss", "pred", "target", "kind"), TARGET_CASES, ids=IDS)
def test_a_target_in_the_graph_gets_pytorchs_gradient(
    torch, name, loss, pred, target, kind, engine, reduction
):
    p = torch.tensor(pred, requires_grad=True)
    t = torch.tensor(target, requires_grad=True)
    if kind is None:
        terms = 0.5 * ((p - t) ** 2).sum(-1)
        expected = terms.mean() if reduction == "mean" else terms.sum()
    else:
        expected = getattr(torch.nn.functional, kind)(p, t, reduction=reduction)
    expected.backward()
    cost, gp, gt = _run(engine, loss, pred, target, reduction)
    assert cost == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(gp, p.grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(gt, t.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_a_constant_target_stays_constant():
    t = Tensor(REG)  # requires_grad=False: a constant, as in PyTorch
    p = Tensor(PRED, requires_grad=True)
    L.mse(p, t).backward()
    assert t.grad is None and p.grad is not None


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: L.hinge(Tensor([0.5, -0.5]), Tensor([1.0, -1.0], requires_grad=True)),
         "hinge: y holds labels -1 or +1, constants with no gradient"),
        (lambda: L.cross_entropy(Tensor(LOGITS), Tensor([0.0, 1.0, 2.0, 0.0], requires_grad=True)),
         "cross_entropy: y holds class labels, constants with no gradient"),
        (lambda: L.mse(Tensor(PRED), _values(REG)), "y is Values in a graph but the outputs are a"),
        (lambda: L.mse(_values(PRED), Tensor(REG, requires_grad=True)), "y is a Tensor in a graph"),
        (lambda: L.mse(Tensor(PRED, dtype="float32"), Tensor(REG, requires_grad=True)),
         "y is a float64 Tensor and the outputs are float32"),
    ],
)  # fmt: skip
def test_a_target_in_the_graph_where_it_cannot_be_is_refused(call, words):
    with pytest.raises(TypeError) as info:
        call()
    assert words in str(info.value)


# nn.Linear on (N, *, in) ---------------------------------------------------------------

SHAPES = [(3,), (5, 3), (2, 4, 3), (2, 1, 2, 3)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_linear_takes_any_leading_axes_and_its_gradients_match_finite_differences(shape):
    layer = nn.Linear(3, 2, rng=0)
    x = Tensor(np.random.default_rng(2).standard_normal(shape), requires_grad=True)
    z = layer(x)
    assert z.shape == (*shape[:-1], 2)
    np.testing.assert_allclose(z.data, x.data @ layer.W.data.T + layer.b.data, rtol=1e-15)
    assert gradcheck(lambda x, W, b: (layer(x) ** 2).sum(), [x, layer.W, layer.b])


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_linear_on_leading_axes_matches_pytorch(torch, shape):
    layer = nn.Linear(3, 2, rng=0)
    X = np.random.default_rng(2).standard_normal(shape)
    ref = torch.nn.Linear(3, 2)
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(layer.W.data))
        ref.bias.copy_(torch.tensor(layer.b.data))
    xt = torch.tensor(X, requires_grad=True)
    (ref(xt) ** 2).sum().backward()
    x = Tensor(X, requires_grad=True)
    (layer(x) ** 2).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.W.grad, ref.weight.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.b.grad, ref.bias.grad.numpy(), rtol=1e-12)


def test_a_tensor_mlp_runs_on_a_batch_of_sequences():
    model = nn.MLP(3, [4, 2], engine="tensor", rng=0)
    X = np.random.default_rng(3).standard_normal((2, 5, 3))
    out = model(X)
    assert out.shape == (2, 5, 2)
    np.testing.assert_allclose(out.data[1], model(X[1]).data, rtol=1e-15)


# Modes and Sequential --------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.MLP(2, [3, 1], rng=0),
        lambda: nn.MLP(2, [3, 1], engine="tensor", rng=0),
        lambda: nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU()),
        lambda: nn.Linear(2, 3, rng=0),
        lambda: nn.Neuron(2, rng=0),
    ],
    ids=["value MLP", "tensor MLP", "Sequential", "Linear", "Neuron"],
)
def test_train_and_eval_return_the_module_as_in_pytorch(make):
    model = make()
    assert model.eval() is model and not model.training
    assert model.train() is model and model.training
    assert model.train(False) is model and not any(m.training for m in model.modules())


def test_sequential_is_a_container_as_pytorchs():
    a, r, b = nn.Linear(2, 4, rng=0), nn.ReLU(), nn.Linear(4, 1, rng=1)
    model = nn.Sequential(a, r, b)
    assert len(model) == 3 and list(model) == [a, r, b]
    assert model[0] is a and model[-1] is b
    head = model[:2]
    assert isinstance(head, nn.Sequential) and list(head) == [a, r]
    assert head[0].W is a.W  # the same modules, not copies (as PyTorch)
    x = np.array([[0.5, -1.0]])
    np.testing.assert_array_equal(model[2:](head(x)).data, model(x).data)
    with pytest.raises(IndexError, match="index 3 is out of range for a Sequential of 3"):
        model[3]
    with pytest.raises(TypeError, match="index a Sequential with an int or a slice"):
        model["0"]


def test_sequential_indexing_matches_pytorchs(torch):
    ours = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Tanh())
    theirs = torch.nn.Sequential(
        torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1), torch.nn.Tanh()
    )
    for index in (0, -1, slice(1, 3), slice(None, None, 2), slice(-2, None)):
        a, b = ours[index], theirs[index]
        if isinstance(index, slice):
            assert isinstance(b, torch.nn.Sequential) and isinstance(a, nn.Sequential)
            assert [type(m).__name__ for m in a] == [type(m).__name__ for m in b]
        else:
            assert type(a).__name__ == type(b).__name__
    assert len(ours) == len(theirs)
