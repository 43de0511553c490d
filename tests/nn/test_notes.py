"""The lecture notes' δ recipe, computed by hand in numpy, equals the engine's gradients.

UFLDL / CS229: for sigmoid layers, J = (1/m) Σ ½‖a[N] − y‖² + (λ/2) Σ W²,
    δ[N] = (a[N] − y) ∘ a[N](1 − a[N]),   δ[l] = (δ[l+1] W[l+1]) ∘ a[l](1 − a[l]),
    ∂J/∂W[l] = (1/m) δ[l]ᵀ a[l−1] + λ W[l],   ∂J/∂b[l] = (1/m) Σ δ[l]
(rows are examples, the notes' batch form).
"""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value

rng = np.random.default_rng(0)
X, Y = rng.standard_normal((6, 3)), rng.uniform(0, 1, (6, 2))
LAM = 0.05


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _by_hand(state):
    """The δ recipe of UFLDL, in numpy: every δ and every gradient."""
    W1, b1, W2, b2 = (state[k] for k in ("layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"))
    m = len(X)
    a1 = _sigmoid(X @ W1.T + b1)
    a2 = _sigmoid(a1 @ W2.T + b2)
    delta2 = (a2 - Y) * a2 * (1 - a2)
    delta1 = (delta2 @ W2) * a1 * (1 - a1)
    grads = {
        "layers.0.W": delta1.T @ X / m + LAM * W1,
        "layers.0.b": delta1.sum(0) / m,
        "layers.1.W": delta2.T @ a1 / m + LAM * W2,
        "layers.1.b": delta2.sum(0) / m,
    }
    return delta1, delta2, grads


def _model(engine, init):
    kw = {"activation": "sigmoid", "output_activation": "sigmoid", "init": init, "rng": 1}
    return nn.MLP(3, [4, 2], engine=engine, **kw)


def _cost(model, out):
    return nn.losses.half_squared_error(out, Y) + nn.losses.l2_penalty(model, LAM)


@pytest.mark.parametrize("init", ["normal", "xavier"])
def test_tensor_engine_gradients_and_deltas_equal_the_recipe(init):
    model = _model("tensor", init)
    delta1, delta2, grads = _by_hand(model.state_dict())
    z1 = model.layers[0](X)  # z[1] = W[1] a[0] + b[1], kept to read δ[1] = ∂J/∂z[1]
    z2 = model.layers[1](z1.sigmoid())
    _cost(model, z2.sigmoid()).backward()
    m = len(X)
    np.testing.assert_allclose(z2.grad, delta2 / m, rtol=1e-10, atol=1e-16)
    np.testing.assert_allclose(z1.grad, delta1 / m, rtol=1e-10, atol=1e-16)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(p.grad, grads[name], rtol=1e-10, atol=1e-16)


@pytest.mark.parametrize("init", ["normal", "xavier"])
def test_value_engine_gradients_equal_the_recipe(init):
    model = _model("value", init)
    _, _, grads = _by_hand(model.state_dict())
    _cost(model, model(X)).backward()
    for i, layer in enumerate(model.layers):
        dW = [[w.grad for w in n.w] for n in layer.neurons]
        db = [n.b.grad for n in layer.neurons]
        np.testing.assert_allclose(dW, grads[f"layers.{i}.W"], rtol=1e-10, atol=1e-16)
        np.testing.assert_allclose(db, grads[f"layers.{i}.b"], rtol=1e-10, atol=1e-16)


def test_logistic_regression_sanity_check_of_the_cs229_notes():
    """N = 1, g = σ, logistic loss: δ = a − y and ∇W = δ xᵀ, for one example."""
    x, y = np.array([0.5, -1.0, 2.0]), 1.0
    neuron = nn.Neuron(3, activation="sigmoid", rng=0)
    a = neuron(list(x))
    nn.losses.binary_cross_entropy(a, y).backward()
    delta = a.data - y
    np.testing.assert_allclose([w.grad for w in neuron.w], delta * x, rtol=1e-12)
    assert neuron.b.grad == pytest.approx(delta)


def test_softmax_cross_entropy_delta_is_softmax_minus_one_hot():
    z = Tensor(rng.standard_normal((5, 4)), requires_grad=True)
    labels = np.array([0, 3, 1, 1, 2])
    nn.losses.cross_entropy(z, labels, reduction="sum").backward()
    softmax = np.exp(z.data) / np.exp(z.data).sum(1, keepdims=True)
    np.testing.assert_allclose(z.grad, softmax - nn.data.one_hot(labels, 4), rtol=1e-12)


def test_single_relu_neuron_of_the_housing_example():
    """h(x) = max(w x + b, 0) (notes 003, eq. 2.1): ∂h/∂w = x on the slope, 0 past the kink."""
    w, b = Value(2.0), Value(-1.5)
    for x, slope in [(2.0, 1.0), (0.5, 0.0)]:
        w.grad = b.grad = 0.0
        (w * x + b).relu().backward()
        assert (w.grad, b.grad) == (slope * x, slope)
