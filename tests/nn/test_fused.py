"""``fused=True``: each value-engine neuron's z = w·x + b as one node, the same network."""

from __future__ import annotations

import random

import numpy as np
import pytest

import nn
from autograd import Value, gradcheck
from autograd.engine import topological_order
from autograd.rules import NEURON, RELU

from .test_micrograd_demo import _demo, _demo_data

X4 = np.array([[0.5, -1.2], [2.0, 0.3], [-0.7, -0.1], [0.0, 1.5]])
Y4 = [1.0, -1.0, -1.0, 1.0]

CONFIGS = [
    {"activation": "relu"},
    {"activation": "tanh", "output_activation": "sigmoid"},
    {"activation": "sigmoid", "init": "xavier"},
    {"activation": "identity"},
]


def _pair(nouts=(5, 4, 1), seed=3, **kw):
    """The same 2-input MLP built unfused and fused from one seed."""
    return (
        nn.MLP(2, list(nouts), rng=seed, **kw),
        nn.MLP(2, list(nouts), rng=seed, fused=True, **kw),
    )


def _score(out):
    """One number per example: the output, or the first minus the second of two outputs."""
    return out if isinstance(out, Value) else out[0] - out[1]


def _loss(model):
    """Mean hinge loss on X4, inputs as Values so that ∂J/∂x exists too."""
    inputs = [[Value(v) for v in row] for row in X4.tolist()]
    outs = [model(x) for x in inputs]
    hinge = [(1 - y * _score(o)).relu() for y, o in zip(Y4, outs, strict=True)]
    return sum(hinge, Value(0.0)) * (1.0 / len(hinge)), outs, inputs


def _flat(outs):
    return [v.data for o in outs for v in (o if isinstance(o, list) else [o])]


# The same network -------------------------------------------------------------------------


@pytest.mark.parametrize("kw", CONFIGS, ids=lambda kw: kw["activation"])
def test_fused_and_unfused_have_the_same_parameters_names_and_state(kw):
    plain, fused = _pair(**kw)
    assert [n for n, _ in plain.named_parameters()] == [n for n, _ in fused.named_parameters()]
    assert [p.data for p in plain.parameters()] == [p.data for p in fused.parameters()]
    a, b = plain.state_dict(), fused.state_dict()
    assert list(a) == list(b)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


@pytest.mark.parametrize("kw", CONFIGS, ids=lambda kw: kw["activation"])
def test_fused_outputs_and_gradients_agree_with_unfused_to_1e_12(kw):
    results = []
    for model in _pair(nouts=(5, 4, 2), **kw):
        J, outs, inputs = _loss(model)
        J.backward()
        results.append(
            (
                _flat(outs) + [J.data],
                [p.grad for p in model.parameters()],
                [x.grad for row in inputs for x in row],
            )
        )
    (out_a, dparams_a, dx_a), (out_b, dparams_b, dx_b) = results
    assert any(g != 0.0 for g in dparams_a)  # the comparison below is not of zeros
    np.testing.assert_allclose(out_b, out_a, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dparams_b, dparams_a, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx_b, dx_a, rtol=1e-12, atol=1e-12)


def test_fused_mlp_gradients_pass_finite_differences():
    model = nn.MLP(2, [4, 3, 1], activation="tanh", rng=1, fused=True)
    params = model.parameters()
    assert gradcheck(lambda *_: _loss(model)[0], params)


def test_fused_neuron_and_layer_match_unfused_ones_from_the_same_seed():
    x = [0.3, -1.1, 2.0]
    for act in ("relu", "tanh", "sigmoid"):
        for nonlin in (True, False):
            a = nn.Neuron(3, nonlin=nonlin, activation=act, rng=7)
            b = nn.Neuron(3, nonlin=nonlin, activation=act, rng=7, fused=True)
            assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
            assert b(x).data == pytest.approx(a(x).data, rel=1e-12, abs=1e-12)
    a = nn.Layer(3, 4, activation="tanh", rng=7)
    b = nn.Layer(3, 4, activation="tanh", rng=7, fused=True)
    assert list(a.state_dict()) == list(b.state_dict()) == ["W", "b"]
    np.testing.assert_array_equal(a.state_dict()["W"], b.state_dict()["W"])
    np.testing.assert_allclose(_flat([b(x)]), _flat([a(x)]), rtol=1e-12, atol=1e-12)
    one = nn.Neuron(1, rng=0, fused=True)  # a single Value as the input, as micrograd allows
    assert one(Value(2.0)).data == nn.Neuron(1, rng=0)(Value(2.0)).data


# One node per neuron, drawn as z, the activation after it -------------------------------


def test_each_fused_neuron_is_one_node_with_its_activation_after_it():
    plain, fused = _pair(nouts=(3, 1))
    neurons = fused.layers[0].neurons
    a = neurons[0]([1.0, 2.0])
    assert a.grad_fn is RELU
    (z,) = a._inputs
    assert z.grad_fn is NEURON and z._op == "z"
    assert z._inputs == (neurons[0].b, neurons[0].w[0], 1.0, neurons[0].w[1], 2.0)
    # 2 inputs, 3 ReLU units, 1 linear output: 3 z + 3 a + 1 z and 13 parameters (+ the
    # 2 input Values) against 2n nodes per neuron unfused.
    x = [Value(1.0), Value(2.0)]
    n_fused = len(topological_order(fused(x)))
    n_plain = len(topological_order(plain(x)))
    assert n_fused == 2 + 13 + 3 + 3 + 1
    assert n_plain == 2 + 13 + 3 * (2 + 2) + 3 + (3 + 3)


def test_fused_shows_in_repr_and_default_repr_is_micrograds():
    assert str(nn.Neuron(2, rng=0)) == "ReLUNeuron(2)"
    assert str(nn.Neuron(2, rng=0, fused=True)) == "ReLUNeuron(2, fused)"
    assert str(nn.MLP(2, [3, 1], rng=0, fused=True)).endswith("[LinearNeuron(3, fused)]]")


# Training: the same trajectory -----------------------------------------------------------


def test_micrograd_demo_training_follows_the_same_path_fused_or_not():
    X, y = _demo_data()
    X, y = X[:24], y[:24]
    plain, fused = _pair(nouts=(16, 16, 1), seed=1337)
    trace_plain = _demo(plain, X, y, 3)
    trace_fused = _demo(fused, X, y, 3)
    np.testing.assert_allclose(trace_fused, trace_plain, rtol=1e-12, atol=0)
    np.testing.assert_allclose(
        [p.data for p in fused.parameters()],
        [p.data for p in plain.parameters()],
        rtol=1e-12,
        atol=1e-15,
    )
    assert trace_plain[-1][0] < trace_plain[0][0]  # it did train


def test_fused_mlp_follows_micrograd_itself():
    mg_engine = pytest.importorskip("micrograd.engine")
    mg_nn = pytest.importorskip("micrograd.nn")
    X, y = _demo_data()
    X, y = X[:16], y[:16]
    random.seed(1337)
    ours = nn.MLP(2, [16, 16, 1], fused=True)
    random.seed(1337)
    theirs = mg_nn.MLP(2, [16, 16, 1])
    trace_ours = _demo(ours, X, y, 2)
    trace_theirs = _demo(theirs, X, y, 2, Value=mg_engine.Value)
    np.testing.assert_allclose(trace_ours, trace_theirs, rtol=1e-12, atol=0)


def test_fused_model_state_loads_into_unfused_and_tensor_models():
    _, fused = _pair(nouts=(4, 1), seed=5)
    for p in fused.parameters():
        p.data += 0.25  # a state no constructor gives
    plain = nn.MLP(2, [4, 1], rng=0)
    plain.load_state_dict(fused.state_dict())
    tensor = nn.MLP(2, [4, 1], engine="tensor")
    tensor.load_state_dict(fused.state_dict())
    expected = _flat(fused(row) for row in X4.tolist())
    np.testing.assert_allclose(_flat(plain(row) for row in X4.tolist()), expected, rtol=1e-12)
    np.testing.assert_allclose(tensor(X4).data.ravel(), expected, rtol=1e-12)
    batch = fused(X4)  # a batch of rows, as arrays, on the fused path too
    np.testing.assert_allclose(_flat(batch), expected, rtol=1e-12)


# The tensor engine, and bad arguments -----------------------------------------------------


def test_tensor_engine_accepts_fused_and_ignores_it():
    a = nn.MLP(2, [5, 1], engine="tensor", rng=2)
    b = nn.MLP(2, [5, 1], engine="tensor", rng=2, fused=True)
    assert repr(a) == repr(b) and [type(m) for m in a.net] == [type(m) for m in b.net]
    for key, value in a.state_dict().items():
        np.testing.assert_array_equal(b.state_dict()[key], value)
    np.testing.assert_array_equal(a(X4).data, b(X4).data)


@pytest.mark.parametrize(
    "build",
    [
        lambda fused, rng: nn.Neuron(2, rng=rng, fused=fused),
        lambda fused, rng: nn.Layer(2, 3, rng=rng, fused=fused),
        lambda fused, rng: nn.MLP(2, [3, 1], rng=rng, fused=fused),
        lambda fused, rng: nn.MLP(2, [3, 1], rng=rng, fused=fused, engine="tensor"),
    ],
    ids=["Neuron", "Layer", "MLP", "MLP-tensor"],
)
@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_fused_must_be_a_bool_and_a_refused_call_draws_nothing(build, bad):
    rng = np.random.default_rng(0)
    state = rng.bit_generator.state
    with pytest.raises(TypeError, match=r"fused must be True or False, got"):
        build(bad, rng)
    assert rng.bit_generator.state == state
    assert build(np.True_, rng).parameters()  # numpy's bools are bools
