"""Bad-input cases for `nn` modules, models and losses, with the helpers they share.

Each row: what is wrong, the call, the exception (TypeError for a wrong kind of thing,
ValueError for a wrong value) and words the message must contain. test_bad_input.py
runs them.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor, Value
from nn import functional as F
from nn import losses as L
from nn import optim

X = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
Y = np.array([0, 1, 1])
X_NAN = np.array([[0.0, 1.0], [np.nan, 0.0], [0.5, 0.5]])
P = Tensor(np.zeros((3, 2)), requires_grad=True)


def _tensor_mlp():
    return nn.MLP(2, [3, 2], engine="tensor", rng=0)


def _value_mlp():
    return nn.MLP(2, [3, 2], engine="value", rng=0)


def _state(**changes):
    state = _tensor_mlp().state_dict()
    state.update(changes)
    return state


def _load(**changes):
    return _tensor_mlp().load_state_dict(_state(**changes))


def _fit(**kwargs):
    model = kwargs.pop("model", None) or _tensor_mlp()
    args = {
        "X": X,
        "y": Y,
        "loss": "cross_entropy",
        "optimizer": optim.SGD(model.parameters(), lr=0.1),
    } | kwargs
    return nn.fit(model, **args)


def _sgd():
    return optim.SGD([Value(1.0)], lr=0.1)


def _step_with_grad(grad, param=None, make=optim.Adam):
    p = param if param is not None else Tensor(np.zeros((2, 3)), requires_grad=True)
    opt = make([p], lr=10.0)
    p.grad = grad
    opt.step()


def _overflowing_step():
    p = Tensor(np.full((2, 3), -1e308), requires_grad=True)
    opt = optim.SGD([p], lr=10.0)
    p.grad = np.full((2, 3), 1e308)
    opt.step()  # −1e308 − 10·1e308 = −inf


def _rule_step(rule):
    p = Tensor(np.zeros((2, 3)), requires_grad=True)
    p.grad = np.ones((2, 3))
    optim.GradientUpdate([p], rule=rule, lr=0.1).step()


def _lambda_step(value):
    sched = optim.LambdaLR(_sgd(), lambda k: 1.0 if k == 0 else value)
    sched.step()


# (what is wrong, call, exception, words the message must contain)
# fmt: off
MODULES = [
    ("load_state_dict of a list", lambda: _tensor_mlp().load_state_dict([1]), TypeError, "mapping"),
    ("load_state_dict strict", lambda: _tensor_mlp().load_state_dict(_state(), strict="yes"),
     TypeError, "strict must be True or False"),
    ("load_state_dict shape", lambda: _load(**{"layers.0.W": np.zeros((2, 3))}),
     ValueError, "layers.0.W: expected shape (3, 2), got (2, 3)"),
    ("load_state_dict missing", lambda: _tensor_mlp().load_state_dict({}),
     ValueError, "missing keys: layers.0.W"),
    ("load_state_dict unexpected", lambda: _load(extra=np.zeros(2)),
     ValueError, "unexpected keys: extra"),
    ("load_state_dict strings", lambda: _load(**{"layers.1.b": np.array(["a", "b"])}),
     ValueError, "layers.1.b: expected numbers"),
    ("load_state_dict booleans", lambda: _load(**{"layers.1.b": np.array([True, False])}),
     ValueError, "got dtype bool"),
    ("load_state_dict complex", lambda: _load(**{"layers.1.b": np.ones(2) * 1j}),
     ValueError, "complex128"),
    ("load_state_dict ragged", lambda: _load(**{"layers.1.b": [[1.0], [2.0, 3.0]]}),
     ValueError, "layers.1.b: expected numbers"),
    ("load_state_dict NaN",
     lambda: _load(**{"layers.1.b": np.array([0.0, np.nan])}),
     ValueError, "(pass allow_nonfinite=True to load them anyway): layers.1.b at index 1"),
    ("load_state_dict inf", lambda: _load(**{"layers.0.W": np.full((3, 2), np.inf)}),
     ValueError, "allow_nonfinite=True"),
    ("load_state_dict allow_nonfinite",
     lambda: _tensor_mlp().load_state_dict(_state(), allow_nonfinite=1),
     TypeError, "allow_nonfinite must be True or False"),
    ("train mode", lambda: _tensor_mlp().train("eval"), TypeError, "mode must be True or False"),
    ("Sequential of a number", lambda: nn.Sequential(nn.ReLU(), 3),
     TypeError, "module 1 is not callable"),
    ("MLP dtype int", lambda: nn.MLP(2, [3], engine="tensor", dtype="int32"),
     ValueError, "dtype must be a float type"),
    ("MLP value engine float32", lambda: nn.MLP(2, [3], dtype="float32"),
     ValueError, "use engine='tensor' for float32"),
    ("Linear dtype text", lambda: nn.Linear(2, 3, dtype="words"),
     ValueError, "dtype must be a float type"),
    ("MLP nin 0", lambda: nn.MLP(0, [3]), ValueError, "nin must be a positive int, got 0"),
    ("MLP nin text", lambda: nn.MLP("2", [3]), TypeError, "nin must be a positive int"),
    ("MLP nin float", lambda: nn.MLP(2.5, [3]), TypeError, "nin must be a positive int"),
    ("MLP nouts int", lambda: nn.MLP(2, 3), TypeError, "nouts must be a non-empty list"),
    ("MLP nouts empty", lambda: nn.MLP(2, []), TypeError, "nouts must be a non-empty list"),
    ("MLP nouts zero", lambda: nn.MLP(2, [3, 0]),
     ValueError, "nouts[1]: nout must be a positive int"),
    ("MLP nouts float", lambda: nn.MLP(2, [2.5]), ValueError, "nouts[0]"),
    ("MLP engine", lambda: nn.MLP(2, [3], engine="jax"),
     ValueError, "engine must be 'value' or 'tensor'"),
    ("MLP activation", lambda: nn.MLP(2, [3], activation="gelu"),
     ValueError, "activation (hidden layers) must be one of"),
    ("MLP activation type", lambda: nn.MLP(2, [3], activation=3), ValueError, "activation"),
    ("MLP output_activation", lambda: nn.MLP(2, [3], output_activation="swish"),
     ValueError, "output_activation must be"),
    ("MLP init", lambda: nn.MLP(2, [3], init="ones"), ValueError, "init must be one of"),
    ("MLP init shape", lambda: nn.MLP(2, [3], init=lambda s, r: np.zeros(3)),
     ValueError, "init returned shape (3,), expected (3, 2)"),
    ("MLP init NaN", lambda: nn.MLP(2, [3], init=lambda s, r: np.full(s, np.nan)),
     ValueError, "init returned NaN"),
    ("MLP init text", lambda: nn.MLP(2, [3], init=lambda s, r: "weights"),
     TypeError, "init must return an array of numbers"),
    ("MLP bias_init", lambda: nn.MLP(2, [3], bias_init="ones"),
     ValueError, "bias_init must be None, one of ['normal', 'uniform', 'zeros'] or a function"),
    ("MLP bias_init shape", lambda: nn.MLP(2, [3], bias_init=lambda s, r: [0.0]),
     ValueError, "bias_init returned shape (1,), expected (3,)"),
    ("Linear bias_init NaN", lambda: nn.Linear(2, 3, bias_init=lambda s, r: [np.nan] * 3),
     ValueError, "bias_init returned NaN"),
    ("MLP rng", lambda: nn.MLP(2, [3], rng="seed"), TypeError, "rng must be"),
    ("MLP rng negative", lambda: nn.MLP(2, [3], rng=-1), ValueError, "seed must be >= 0"),
    ("value MLP input count", lambda: _value_mlp()([1.0, 2.0, 3.0]),
     ValueError, "takes 2 inputs, got 3"),
    ("value MLP input text", lambda: _value_mlp()(["a", "b"]),
     TypeError, "an example must be 2 numbers or Values"),
    ("tensor MLP input shape", lambda: _tensor_mlp()(np.zeros((4, 3))),
     ValueError, "takes input of shape (n, 2)"),
    ("tensor MLP input text", lambda: _tensor_mlp()([["a", "b"]]),
     TypeError, "input must be an array of numbers"),
    ("Neuron nin", lambda: nn.Neuron(0), ValueError, "nin must be a positive int"),
    ("Neuron activation", lambda: nn.Neuron(2, activation="gelu"),
     ValueError, "activation must be one of"),
    ("Neuron input count", lambda: nn.Neuron(2, rng=0)([1.0]), ValueError, "takes 2 inputs, got 1"),
    ("Layer nout", lambda: nn.Layer(2, 0), ValueError, "nout must be a positive int"),
    ("Linear nin", lambda: nn.Linear(0, 2), ValueError, "nin must be a positive int"),
    ("Linear nout type", lambda: nn.Linear(2, "3"), TypeError, "nout must be a positive int"),
    ("Linear init", lambda: nn.Linear(2, 3, init="zeros"), ValueError, "init must be one of"),
    ("Linear input width", lambda: nn.Linear(2, 3, rng=0)(np.zeros((4, 5))),
     ValueError, "(n, 2) or (2,), got (4, 5)"),
    ("Linear input 3-D width", lambda: nn.Linear(2, 3, rng=0)(np.zeros((4, 1, 5))),
     ValueError, "got (4, 1, 5)"),
    ("Linear input 0-D", lambda: nn.Linear(2, 3, rng=0)(np.float64(1.0)),
     ValueError, "(n, 2) or (2,), got ()"),
    ("Linear float64 Tensor, float32 layer",
     lambda: nn.Linear(2, 3, rng=0, dtype="float32")(Tensor(np.zeros((4, 2)))),
     TypeError, "has float32 parameters and got a float64 Tensor (PyTorch refuses this too)"),
    ("Linear float32 Tensor, float64 layer",
     lambda: nn.Linear(2, 3, rng=0)(Tensor(np.zeros((4, 2)), dtype="float32")),
     TypeError, "build the layer with dtype='float32'"),
    ("float32 MLP float64 Tensor",
     lambda: nn.MLP(2, [3], engine="tensor", dtype="float32", rng=0)(Tensor(np.zeros((1, 2)))),
     TypeError, "pass Tensor(x.data, dtype='float32')"),
    ("float32 Linear array overflow",
     lambda: nn.Linear(2, 3, rng=0, dtype="float32")(np.array([[1e39, 0.0]])),
     ValueError, "the input holds 1e+39 at index (0, 0), beyond the range of float32"),
    ("Linear input text", lambda: nn.Linear(2, 3, rng=0)("ab"),
     TypeError, "Linear(2, 3): the input must be an array of numbers"),
    ("activation name", lambda: nn.layers.activation("gelu"), ValueError,
     "activation must be one of"),
    ("Softmax axis type", lambda: nn.Softmax(axis="last"), TypeError, "axis must be an int"),
    ("Softmax axis range", lambda: nn.Softmax(axis=3)(Tensor(np.zeros((2, 2)))),
     ValueError, "out of range"),
    ("ReLU of text", lambda: nn.ReLU()("abc"), TypeError, "numeric"),
    ("functional softmax axis on Values", lambda: F.softmax([[Value(1.0)], [Value(2.0)]], axis=0),
     ValueError, "last axis only"),
    ("functional logsumexp empty", lambda: F.logsumexp([[]]), ValueError, "at least one entry"),
    ("functional relu of text", lambda: F.relu("abc"), TypeError, "numeric"),
]
# fmt: on

# fmt: off
LOSSES = [
    ("mse pred text", lambda: L.mse("abc", [1.0]),
     TypeError, "mse: pred must be a Tensor, Values or numbers"),
    ("mse y text", lambda: L.mse(P, np.array([["a", "b"]] * 3)),
     TypeError, "mse: y must hold numbers"),
    ("mse shapes", lambda: L.mse(P, np.zeros(4)),
     ValueError, "target of shape (4,) does not match the output of shape (3, 2)"),
    ("mse empty", lambda: L.mse(Tensor(np.zeros((0, 2))), np.zeros((0, 2))),
     ValueError, "mse: pred is empty"),
    ("mse empty Values", lambda: L.mse([], []), ValueError, "pred is empty"),
    ("mse y NaN", lambda: L.mse(P, X_NAN), ValueError, "mse: y holds NaN at index (1, 0)"),
    ("mse float32 y overflow", lambda: L.mse(Tensor([0.0], dtype="float32"), [1e39]),
     ValueError, "mse: y holds 1e+39 at index 0, beyond the range of float32"),
    ("mse reduction", lambda: L.mse(P, np.zeros((3, 2)), reduction="avg"),
     ValueError, "reduction must be one of"),
    ("half_squared_error shapes", lambda: L.half_squared_error(P, np.zeros(5)),
     ValueError, "half_squared_error: target of shape (5,)"),
    ("binary_cross_entropy prob > 1", lambda: L.binary_cross_entropy(Tensor([0.5, 1.5]), [0, 1]),
     ValueError, "prob must lie in [0, 1]"),
    ("binary_cross_entropy prob NaN", lambda: L.binary_cross_entropy([Value(np.nan)], [0]),
     ValueError, "prob must lie in [0, 1]"),
    ("binary_cross_entropy y 2", lambda: L.binary_cross_entropy(Tensor([0.5, 0.5]), [0, 2]),
     ValueError, "y must lie in [0, 1], found 2.0 at index 1"),
    ("binary_cross_entropy y NaN", lambda: L.binary_cross_entropy(Tensor([0.5]), [np.nan]),
     ValueError, "y holds NaN"),
    ("bce_with_logits y -1", lambda: L.bce_with_logits(Tensor([0.5, 0.5]), [1, -1]),
     ValueError, "bce_with_logits: y must lie in [0, 1]"),
    ("bce_with_logits y inf", lambda: L.bce_with_logits(Tensor([0.5]), [np.inf]),
     ValueError, "y holds infinity"),
    ("bce_with_logits empty", lambda: L.bce_with_logits(Tensor([]), []),
     ValueError, "logits is empty"),
    ("bce_with_logits logits text", lambda: L.bce_with_logits({"a": 1}, [1]),
     TypeError, "logits must be a Tensor"),
    ("cross_entropy label = k", lambda: L.cross_entropy(P, [0, 1, 2]),
     ValueError, "labels must lie in [0, 2) for 2 classes"),
    ("cross_entropy label < 0", lambda: L.cross_entropy(P, [0, -1, 1]),
     ValueError, "labels must lie in [0, 2)"),
    ("cross_entropy label 0.5", lambda: L.cross_entropy(P, [0, 0.5, 1]),
     ValueError, "must be integer labels in [0, 2)"),
    ("cross_entropy label NaN", lambda: L.cross_entropy(P, [0, np.nan, 1]),
     ValueError, "y holds NaN at index 1"),
    ("cross_entropy label shape", lambda: L.cross_entropy(P, [0, 1]),
     ValueError, "need labels of shape (3,)"),
    ("cross_entropy scalar logits", lambda: L.cross_entropy(Tensor(1.0), 0),
     ValueError, "need a last axis"),
    ("cross_entropy no examples", lambda: L.cross_entropy(Tensor(np.zeros((0, 3))), []),
     ValueError, "logits is empty"),
    ("cross_entropy no classes", lambda: L.cross_entropy(Tensor(np.zeros((2, 0))), [0, 0]),
     ValueError, "logits is empty"),
    ("cross_entropy one-hot 2", lambda: L.cross_entropy(P, np.full((3, 2), 2.0)),
     ValueError, "targets y must lie in [0, 1]"),
    ("cross_entropy y text", lambda: L.cross_entropy(P, ["a", "b", "c"]),
     TypeError, "y must hold numbers"),
    ("hinge 0/1 labels", lambda: L.hinge(Tensor([0.5, 0.5]), [1, 0]),
     ValueError, "labels y must be -1 or +1 (for 0/1 labels pass 2 * y - 1), found 0.0 at index 1"),
    ("hinge scores text", lambda: L.hinge("ab", [1, 1]), TypeError, "scores must be"),
    ("softplus of text", lambda: L.softplus("abc"), TypeError, "softplus: z must be"),
    ("l2_penalty lam < 0", lambda: L.l2_penalty(_tensor_mlp(), -1.0),
     ValueError, "lam must be a non-negative number"),
    ("l2_penalty lam NaN", lambda: L.l2_penalty(_tensor_mlp(), np.nan),
     ValueError, "lam must be a non-negative number"),
    ("l2_penalty lam text", lambda: L.l2_penalty(_tensor_mlp(), "1e-4"), ValueError, "lam must be"),
    ("l2_penalty model", lambda: L.l2_penalty([P], 0.1), TypeError, "model must be a Module"),
]
# fmt: on
