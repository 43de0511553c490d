"""`MLP` on both engines, micrograd's `Neuron` / `Layer` API, activations and layers."""

from __future__ import annotations

import random

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, gradcheck

X4 = np.array([[0.5, -1.2], [2.0, 0.3], [-0.7, -0.1], [0.0, 1.5]])


def _value_outputs(model, X):
    outs = [model(list(row)) for row in X]
    return np.array([[v.data for v in (o if isinstance(o, list) else [o])] for o in outs])


# micrograd's API on the value engine ----------------------------------------------------


def test_value_mlp_is_micrograds_network():
    model = nn.MLP(2, [16, 16, 1])
    assert len(model.parameters()) == 337
    assert isinstance(model([1.0, -2.0]), Value)
    assert isinstance(model([Value(1.0), Value(-2.0)]), Value)
    assert str(model).startswith("MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)")
    assert str(model).endswith("Layer of [LinearNeuron(16)]]")
    several = nn.MLP(2, [4, 3], rng=0)([1.0, 2.0])
    assert isinstance(several, list) and len(several) == 3


def test_neuron_and_layer_follow_micrograd():
    n = nn.Neuron(3, rng=0)
    assert len(n.w) == 3 and n.b.data == 0.0 and n.parameters() == [*n.w, n.b]
    x = [1.0, -2.0, 0.5]
    z = n.b.data + sum(w.data * xi for w, xi in zip(n.w, x, strict=True))
    assert n(x).data == pytest.approx(max(z, 0.0))
    linear = nn.Neuron(3, nonlin=False, rng=0)
    assert linear(x).data == pytest.approx(z) and repr(linear) == "LinearNeuron(3)"
    assert repr(nn.Neuron(2, activation="tanh")) == "TanhNeuron(2)"
    layer = nn.Layer(3, 1, rng=0)
    assert isinstance(layer(x), Value)
    assert len(nn.Layer(3, 2)(x)) == 2
    with pytest.raises(ValueError, match="takes 3 inputs, got 2"):
        n([1.0, 2.0])


def test_same_seed_gives_micrograds_initial_weights():
    mg = pytest.importorskip("micrograd.nn")
    random.seed(1337)
    ours = nn.MLP(2, [16, 16, 1])
    random.seed(1337)
    theirs = mg.MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert str(ours) == str(theirs)


def test_value_mlp_takes_a_batch_of_rows():
    model = nn.MLP(2, [3, 2], rng=0)
    outs = model(X4)
    assert len(outs) == 4 and all(len(o) == 2 for o in outs)
    assert outs[1][0].data == model(list(X4[1]))[0].data


# the tensor engine ----------------------------------------------------------------------


def test_tensor_mlp_maps_n_by_d_to_n_by_k():
    model = nn.MLP(2, [8, 3], engine="tensor", rng=0)
    out = model(X4)
    assert isinstance(out, Tensor) and out.shape == (4, 3)
    assert model(Tensor(X4)).shape == (4, 3)
    assert [type(m).__name__ for m in model.net] == ["Linear", "ReLU", "Linear", "Identity"]
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        model(np.ones((4, 3)))


def test_linear_is_z_equals_a_w_transpose_plus_b():
    layer = nn.Linear(2, 3, rng=0)
    np.testing.assert_allclose(layer(X4).data, X4 @ layer.W.data.T + layer.b.data)
    assert layer.W.shape == (3, 2) and layer.b.shape == (3,) and repr(layer) == "Linear(2, 3)"
    assert layer(X4[0]).shape == (3,)


def test_linear_gradients_match_finite_differences():
    layer = nn.Linear(3, 2, rng=0)
    x = Tensor(np.random.default_rng(1).standard_normal((5, 3)), requires_grad=True)
    assert gradcheck(lambda x, W, b: (x @ W.T + b).tanh().sum(), [x, layer.W, layer.b])


# both engines ---------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("output", [None, "sigmoid", "softmax"])
def test_engines_agree_after_loading_each_others_state(activation, output):
    kw = {"activation": activation, "output_activation": output}
    value = nn.MLP(2, [5, 4, 3], rng=0, **kw)
    tensor = nn.MLP(2, [5, 4, 3], engine="tensor", rng=1, **kw)
    tensor.load_state_dict(value.state_dict())
    np.testing.assert_allclose(tensor(X4).data, _value_outputs(value, X4), rtol=1e-12, atol=1e-14)
    other = nn.MLP(2, [5, 4, 3], rng=2, **kw)
    other.load_state_dict(tensor.state_dict())
    np.testing.assert_allclose(_value_outputs(other, X4), tensor(X4).data, rtol=1e-12, atol=1e-14)


def test_output_activations_are_the_notes():
    soft = nn.MLP(2, [4, 3], output_activation="softmax", engine="tensor", rng=0)
    p = soft(X4).data
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    sig = nn.MLP(2, [4, 1], output_activation="sigmoid", rng=0)
    assert 0.0 < sig([1.0, 2.0]).data < 1.0
    vsoft = nn.MLP(2, [4, 3], output_activation="softmax", rng=0)([1.0, 2.0])
    assert sum(v.data for v in vsoft) == pytest.approx(1.0)


def test_engines_give_the_same_gradients():
    value = nn.MLP(2, [4, 1], activation="tanh", rng=0)
    tensor = nn.MLP(2, [4, 1], activation="tanh", engine="tensor", rng=0)
    tensor.load_state_dict(value.state_dict())
    y = np.array([1.0, -1.0, 1.0, 1.0])
    nn.losses.hinge(value(X4), y).backward()
    nn.losses.hinge(tensor(X4), y).backward()
    for name, t in tensor.named_parameters():
        layer = value.layers[int(name.split(".")[1])]
        if name.endswith("W"):
            g = [[w.grad for w in n.w] for n in layer.neurons]
        else:
            g = [n.b.grad for n in layer.neurons]
        np.testing.assert_allclose(t.grad, g, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("init", ["uniform", "normal", "he", "xavier"])
def test_same_init_and_seed_give_the_same_weights_on_both_engines(init):
    a = nn.MLP(3, [4, 2], engine="value", init=init, rng=7).state_dict()
    b = nn.MLP(3, [4, 2], engine="tensor", init=init, rng=7).state_dict()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


def test_seeds_reproduce_and_generators_are_accepted():
    a = nn.MLP(2, [3, 1], rng=5).state_dict()["layers.0.W"]
    b = nn.MLP(2, [3, 1], rng=np.random.default_rng(5)).state_dict()["layers.0.W"]
    c = nn.MLP(2, [3, 1], rng=6).state_dict()["layers.0.W"]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # every layer draws from the one stream: layers do not repeat each other's numbers
    model = nn.MLP(2, [2, 2], rng=5, engine="tensor")
    assert not np.array_equal(model.layers[0].W.data, model.layers[1].W.data)


def test_default_init_depends_on_the_engine():
    v = nn.MLP(30, [20], rng=0).state_dict()["layers.0.W"]
    t = nn.MLP(30, [20], engine="tensor", rng=0).state_dict()["layers.0.W"]
    assert np.abs(v).max() <= 1.0 and np.abs(v).max() > 0.9  # U(-1, 1)
    assert t.std() == pytest.approx(np.sqrt(2 / 30), rel=0.2)  # He for ReLU


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"engine": "jax"}, ValueError, "engine"),
        ({"activation": "softmax"}, ValueError, "hidden layers"),
        ({"output_activation": "swish"}, ValueError, "output_activation"),
        ({"init": "ones"}, ValueError, "init must be one of"),
        ({"rng": "seed"}, TypeError, "rng must be"),
        ({"rng": -1}, ValueError, "seed must be >= 0"),
    ],
)
def test_constructor_errors_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        nn.MLP(2, [3, 1], **kwargs)


def test_layer_sizes_are_checked():
    with pytest.raises(TypeError, match="nouts"):
        nn.MLP(2, 3)
    with pytest.raises(ValueError, match="nin must be a positive int"):
        nn.MLP(0, [3])
    with pytest.raises(ValueError, match="nout must be a positive int"):
        nn.MLP(2, [3, 0], engine="tensor")


def test_activation_modules_take_tensors_values_and_lists():
    z = [-1.0, 0.5]
    assert [v.data for v in nn.ReLU()([Value(x) for x in z])] == [0.0, 0.5]
    np.testing.assert_allclose(nn.Tanh()(Tensor(z)).data, np.tanh(z))
    assert nn.Sigmoid()(Value(0.0)).data == 0.5
    assert nn.Identity()(z) is z
    np.testing.assert_allclose(nn.Softmax()(Tensor([z])).data.sum(), 1.0)
    assert nn.Softmax()(Value(3.0)).data == 1.0
