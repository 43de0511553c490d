"""Bad input to every public function and constructor of `nn`, catalogued.

Each row: what is wrong, the call, the exception (TypeError for a wrong kind of thing,
ValueError for a wrong value) and words the message must contain: the argument's name and
what it should be. Data (X, y, targets, labels, weights) must hold finite numbers; model
outputs are not checked for NaN (they follow IEEE arithmetic, and `detect_anomaly()` finds
where a NaN starts). A second part checks that failed calls change nothing.
"""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from nn import data, init, optim
from nn import functional as F
from nn import losses as L

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
    ("Linear input 3-D", lambda: nn.Linear(2, 3, rng=0)(np.zeros((4, 1, 2))),
     ValueError, "got (4, 1, 2)"),
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

# fmt: off
OPTIMIZERS = [
    ("SGD no params", lambda: optim.SGD([], lr=0.1), ValueError, "empty parameter list"),
    ("SGD one Value", lambda: optim.SGD(Value(1.0), lr=0.1), TypeError, "iterable of parameters"),
    ("SGD params number", lambda: optim.SGD(3, lr=0.1), TypeError, "params must be an iterable"),
    ("SGD params floats", lambda: optim.SGD([1.0], lr=0.1), TypeError, "params[0] is not a leaf"),
    ("SGD params non-leaf", lambda: optim.SGD([Value(1.0) * 2], lr=0.1), TypeError, "leaf"),
    ("SGD params twice", lambda: optim.SGD([P, P], lr=0.1), ValueError, "more than once"),
    ("SGD lr 0", lambda: optim.SGD([P], lr=0), ValueError, "lr must be a number > 0, got 0"),
    ("SGD lr < 0", lambda: optim.SGD([P], lr=-0.1), ValueError, "lr must be a number > 0"),
    ("SGD lr NaN", lambda: optim.SGD([P], lr=np.nan), ValueError, "lr must be"),
    ("SGD lr inf", lambda: optim.SGD([P], lr=np.inf), ValueError, "lr must be a finite number"),
    ("SGD lr text", lambda: optim.SGD([P], lr="0.1"), TypeError, "lr must be a number"),
    ("SGD momentum", lambda: optim.SGD([P], lr=0.1, momentum=-0.9), ValueError, "momentum must be"),
    ("SGD nesterov", lambda: optim.SGD([P], lr=0.1, nesterov=True),
     ValueError, "nesterov=True needs momentum > 0"),
    ("Adam betas pair", lambda: optim.Adam([P], betas=0.9), ValueError, "betas must be a pair"),
    ("Adam beta2 = 1", lambda: optim.Adam([P], betas=(0.9, 1.0)),
     ValueError, "betas[1] must be < 1"),
    ("Adam eps", lambda: optim.Adam([P], eps=-1e-8), ValueError, "eps must be"),
    ("AdamW weight_decay", lambda: optim.AdamW([P], weight_decay=np.inf),
     ValueError, "weight_decay must be a finite number"),
    ("Adagrad lr_decay", lambda: optim.Adagrad([P], lr_decay=-1), ValueError, "lr_decay must be"),
    ("RMSprop alpha", lambda: optim.RMSprop([P], alpha=np.nan), ValueError, "alpha must be"),
    ("GradientUpdate rule", lambda: optim.GradientUpdate([P], rule="momentum"),
     ValueError, "rule must be one of"),
    ("GradientUpdate lr", lambda: optim.GradientUpdate([P], lr=0.0),
     ValueError, "lr must be a number > 0"),
    ("step grad shape", lambda: _step_with_grad(np.ones(3)),
     ValueError, "params[0] (shape (2, 3)) has a gradient of shape (3,)"),
    ("step grad NaN", lambda: _step_with_grad(np.full((2, 3), np.nan)),
     ValueError, "NaN or infinite gradients at index (0, 0) (6 entries)"),
    ("step Value grad inf", lambda: _step_with_grad(float("inf"), Value(1.0)),
     ValueError, "params[0] (a Value) has a gradient of inf"),
    ("step Value grad text", lambda: _step_with_grad("big", Value(1.0)),
     TypeError, "gradient of type str"),
    ("step overflow", _overflowing_step, ValueError, "would become NaN or infinite"),
    ("rule step count", lambda: _rule_step(lambda g, lr, s: []),
     ValueError, "the rule returned 0 steps for 1 parameters"),
    ("rule step shape", lambda: _rule_step(lambda g, lr, s: [np.ones(4)]),
     ValueError, "the rule's step 0 has shape (4,)"),
    ("StepLR step_size 0", lambda: optim.StepLR(_sgd(), step_size=0),
     ValueError, "step_size must be a positive int"),
    ("StepLR step_size bool", lambda: optim.StepLR(_sgd(), step_size=True),
     ValueError, "step_size"),
    ("StepLR gamma 0", lambda: optim.StepLR(_sgd(), 2, gamma=0.0),
     ValueError, "gamma must be a positive number"),
    ("ExponentialLR gamma NaN", lambda: optim.ExponentialLR(_sgd(), gamma=np.nan),
     ValueError, "gamma must be a positive number"),
    ("LinearLR total_iters", lambda: optim.LinearLR(_sgd(), total_iters=0),
     ValueError, "total_iters must be a positive int"),
    ("LinearLR start_factor", lambda: optim.LinearLR(_sgd(), start_factor=0),
     ValueError, "start_factor must be a positive number"),
    ("LinearLR end_factor NaN", lambda: optim.LinearLR(_sgd(), end_factor=np.nan),
     ValueError, "end_factor must be a finite number >= 0"),
    ("LambdaLR function", lambda: optim.LambdaLR(_sgd(), 0.5),
     TypeError, "lr_lambda must be a function"),
    ("LambdaLR negative lr", lambda: _lambda_step(-1.0),
     ValueError, "LambdaLR: the learning rate at step 1 would be -0.1"),
    ("LambdaLR returns text", lambda: _lambda_step("x"),
     TypeError, "lr_lambda(1) must return a number"),
    ("scheduler without optimizer", lambda: optim.StepLR(object(), 2),
     TypeError, "optimizer with an lr"),
]
# fmt: on

# fmt: off
DATA = [
    ("make_moons n_samples", lambda: data.make_moons(1),
     ValueError, "n_samples must be an int >= 2, got 1"),
    ("make_moons n_samples text", lambda: data.make_moons("100"),
     TypeError, "n_samples must be an int"),
    ("make_moons noise < 0", lambda: data.make_moons(10, noise=-1),
     ValueError, "noise must be a finite number >= 0"),
    ("make_moons noise NaN", lambda: data.make_moons(10, noise=np.nan),
     ValueError, "noise must be a finite number >= 0, got nan"),
    ("make_moons rng", lambda: data.make_moons(10, rng=1.5), TypeError, "rng must be"),
    ("make_circles factor", lambda: data.make_circles(10, factor=1.5),
     ValueError, "factor must be a finite number > 0 and < 1"),
    ("make_circles factor NaN", lambda: data.make_circles(10, factor=np.nan), ValueError, "factor"),
    ("make_spirals n_classes", lambda: data.make_spirals(10, n_classes=1),
     ValueError, "n_classes must be an int >= 2"),
    ("make_xor n_samples", lambda: data.make_xor(0), ValueError, "n_samples must be an int >= 1"),
    ("make_housing n_features", lambda: data.make_housing(10, n_features=2),
     ValueError, "n_features must be 1 or 4"),
    ("make_housing n_features text", lambda: data.make_housing(10, n_features="4"),
     TypeError, "n_features must be an int"),
    ("train_test_split test_size 0", lambda: data.train_test_split(X, Y, test_size=0.0),
     ValueError, "test_size must be a fraction in (0, 1) or an int"),
    ("train_test_split test_size 1.5", lambda: data.train_test_split(X, Y, test_size=1.5),
     ValueError, "test_size"),
    ("train_test_split test_size n", lambda: data.train_test_split(X, Y, test_size=3),
     ValueError, "leaves no examples in one part"),
    ("train_test_split test_size bool", lambda: data.train_test_split(X, Y, test_size=True),
     TypeError, "test_size"),
    ("train_test_split lengths", lambda: data.train_test_split(X, Y[:2]),
     ValueError, "one row per example: got shapes (3, 2) and (2,)"),
    ("train_test_split text", lambda: data.train_test_split([["a"], ["b"]], [0, 1]),
     TypeError, "X must hold numbers"),
    ("train_test_split NaN", lambda: data.train_test_split(X_NAN, Y),
     ValueError, "X holds NaN at index (1, 0)"),
    ("train_test_split empty", lambda: data.train_test_split(np.zeros((0, 2)), []),
     ValueError, "X is empty"),
    ("one_hot 0.5", lambda: data.one_hot([0, 0.5]),
     ValueError, "y must hold integer labels (class indices), found 0.5 at index 1"),
    ("one_hot label = num_classes", lambda: data.one_hot([0, 3], num_classes=3),
     ValueError, "labels must lie in [0, 3) for 3 classes"),
    ("one_hot negative", lambda: data.one_hot([0, -1]), ValueError, "labels must lie in"),
    ("one_hot num_classes 0", lambda: data.one_hot([0], num_classes=0),
     ValueError, "num_classes must be an int >= 1"),
    ("one_hot NaN", lambda: data.one_hot([0, np.nan]), ValueError, "y holds NaN at index 1"),
    ("one_hot text", lambda: data.one_hot(["cat"]), TypeError, "y must hold numbers"),
    ("one_hot empty", lambda: data.one_hot([]), ValueError, "y is empty"),
    ("batches batch_size 0", lambda: data.batches(X, Y, 0),
     ValueError, "batch_size must be an int >= 1, got 0"),
    ("batches batch_size < 0", lambda: data.batches(X, Y, -4),
     ValueError, "batch_size must be an int >= 1"),
    ("batches batch_size float", lambda: data.batches(X, Y, 2.5),
     TypeError, "batch_size must be an int"),
    ("batches lengths", lambda: data.batches(X, Y[:1], 2), ValueError, "one row per example"),
    ("batches NaN", lambda: data.batches(X_NAN, Y, 2), ValueError, "X holds NaN"),
    ("batches empty", lambda: data.batches(np.zeros((0, 2)), [], 2), ValueError, "X is empty"),
    ("batches shuffle", lambda: data.batches(X, Y, 2, shuffle="yes"),
     TypeError, "shuffle must be True or False"),
    ("init shape zero", lambda: init.uniform((0, 2)),
     ValueError, "shape must be a tuple of positive ints"),
    ("init shape text", lambda: init.xavier("ab"),
     ValueError, "shape must be a tuple of positive ints"),
    ("init shape empty", lambda: init.he(()), ValueError, "shape must be a tuple of positive ints"),
    ("init shape negative", lambda: init.zeros(-1), ValueError, "shape"),
    ("init uniform low >= high", lambda: init.uniform((2, 2), low=1.0, high=0.0),
     ValueError, "low < high"),
    ("init uniform NaN", lambda: init.uniform((2, 2), low=np.nan),
     ValueError, "low must be a finite number"),
    ("init normal std", lambda: init.normal((2, 2), std=-1.0),
     ValueError, "std must be a finite number >= 0"),
    ("init generator", lambda: init.generator("x"),
     TypeError, "rng must be a non-negative int seed"),
    ("initialize nout", lambda: init.initialize("he", 0, 2),
     ValueError, "nout must be a positive int"),
]
# fmt: on

# fmt: off
TRAINING = [
    ("fit model", lambda: nn.fit(3, X, Y, "mse", _sgd()), TypeError, "fit: model must be callable"),
    ("fit X 1-D", lambda: _fit(X=np.zeros(3)),
     ValueError, "fit: X must have 2 dimensions, got shape (3,)"),
    ("fit X text", lambda: _fit(X=[["a", "b"]] * 3), TypeError, "fit: X must hold numbers"),
    ("fit X NaN", lambda: _fit(X=X_NAN), ValueError, "fit: X holds NaN at index (1, 0)"),
    ("fit X empty", lambda: _fit(X=np.zeros((0, 2)), y=[]), ValueError, "fit: X is empty"),
    ("fit y NaN", lambda: _fit(y=[0, np.nan, 1]), ValueError, "fit: y holds NaN at index 1"),
    ("fit rows", lambda: _fit(y=Y[:2]), ValueError, "X must be (n, d) and y have n rows"),
    ("fit width", lambda: _fit(X=np.zeros((3, 5))),
     ValueError, "the model takes 2 inputs per example, X has 5"),
    ("fit labels >= k", lambda: _fit(y=[0, 1, 2]),
     ValueError, "labels must lie in [0, 2) for 2 classes"),
    ("fit epochs < 0", lambda: _fit(epochs=-1), ValueError, "epochs must be an int >= 0"),
    ("fit epochs float", lambda: _fit(epochs=1.5), TypeError, "epochs must be an int"),
    ("fit batch_size 0", lambda: _fit(batch_size=0),
     ValueError, "batch_size must be an int >= 1, got 0"),
    ("fit batch_size < 0", lambda: _fit(batch_size=-2),
     ValueError, "batch_size must be an int >= 1"),
    ("fit loss name", lambda: _fit(loss="nope"), ValueError, "unknown loss 'nope'"),
    ("fit loss type", lambda: _fit(loss=3), TypeError, "loss must be a function"),
    ("fit metric", lambda: _fit(metrics=["f1"]), ValueError, "unknown metric 'f1'"),
    ("fit metrics type", lambda: _fit(metrics=3), TypeError, "metrics must be"),
    ("fit optimizer", lambda: _fit(optimizer=object()),
     TypeError, "optimizer must have step() and zero_grad()"),
    ("fit scheduler", lambda: _fit(scheduler=object()), TypeError, "scheduler must have step()"),
    ("fit validation_data", lambda: _fit(validation_data=(X,)),
     TypeError, "validation_data must be a pair (X_val, y_val)"),
    ("fit validation width", lambda: _fit(validation_data=(np.zeros((2, 3)), [0, 1])),
     ValueError, "X_val must be (m, 2)"),
    ("fit validation NaN", lambda: _fit(validation_data=(X_NAN, Y)),
     ValueError, "validation_data X_val holds NaN"),
    ("fit shuffle", lambda: _fit(shuffle=1), TypeError, "shuffle must be True or False"),
    ("fit progress", lambda: _fit(progress="yes"), TypeError, "progress must be True or False"),
    ("fit loss not scalar",
     lambda: _fit(loss=lambda o, y: L.mse(o, np.zeros((3, 2)), reduction="none")),
     ValueError, "the loss must return one number"),
    ("accuracy shapes", lambda: nn.accuracy(np.zeros(3), np.zeros(4)),
     ValueError, "predictions of shape (3,) do not match labels (4,)"),
    ("accuracy pred text", lambda: nn.accuracy(["a", "b"], [0, 1]),
     TypeError, "accuracy: pred must hold numbers"),
    ("accuracy empty", lambda: nn.accuracy([], []), ValueError, "accuracy: pred is empty"),
    ("accuracy pred NaN", lambda: nn.accuracy(X_NAN, Y), ValueError, "accuracy: pred holds NaN"),
    ("accuracy y 0.5", lambda: nn.accuracy(X, [0, 0.5, 1]), ValueError, "y must hold class labels"),
    ("accuracy label = k", lambda: nn.accuracy(X, [0, 2, 1]),
     ValueError, "labels must lie in [0, 2)"),
    ("accuracy one score, y 2", lambda: nn.accuracy(np.zeros(3), [0, 2, 1]),
     ValueError, "0/1 or -1/+1 labels"),
    ("accuracy threshold", lambda: nn.accuracy(np.zeros(3), Y, threshold=np.nan),
     ValueError, "threshold must be a finite number"),
    ("predict model", lambda: nn.predict(None, X), TypeError, "predict: model must be callable"),
    ("predict X NaN", lambda: nn.predict(_tensor_mlp(), X_NAN), ValueError, "predict: X holds NaN"),
    ("predict X text", lambda: nn.predict(_tensor_mlp(), [["a", "b"]]),
     TypeError, "predict: X must hold numbers"),
    ("predict X empty", lambda: nn.predict(_tensor_mlp(), np.zeros((0, 2))), ValueError,
     "predict: X is empty"),
    ("predict value X 1-D", lambda: nn.predict(_value_mlp(), [1.0, 2.0]),
     ValueError, "predict: X must have 2 dimensions"),
    ("save model", lambda: nn.save(object(), "model.npz"),
     TypeError, "save: model must have state_dict()"),
    ("save path", lambda: nn.save(_tensor_mlp(), 3),
     TypeError, "path must be a str or os.PathLike"),
    ("load path", lambda: nn.load(_tensor_mlp(), None),
     TypeError, "path must be a str or os.PathLike"),
    ("load path bytes", lambda: nn.load(_tensor_mlp(), b"model.npz"),
     TypeError, "path must be a str"),
    ("read_state path", lambda: nn.io.read_state(3), TypeError, "path must be a str"),
    ("read_state allow_nonfinite", lambda: nn.io.read_state("m.npz", allow_nonfinite="no"),
     TypeError, "allow_nonfinite must be True or False"),
    ("load model", lambda: nn.load(object(), "model.npz"),
     TypeError, "load: model must have state_dict() and load_state_dict()"),
    ("draw_mlp model", lambda: nn.draw_mlp(object()), TypeError, "draw_mlp takes an MLP"),
    ("draw_mlp no weights", lambda: nn.draw_mlp(nn.Sequential(nn.ReLU())),
     ValueError, "has no weight matrix"),
    ("draw_mlp rankdir", lambda: nn.draw_mlp(_tensor_mlp(), rankdir="RL"),
     ValueError, "rankdir must be 'LR' or 'TB'"),
    ("draw_mlp max_units", lambda: nn.draw_mlp(_tensor_mlp(), max_units=2),
     ValueError, "max_units must be an int of at least 3"),
    ("draw_mlp activations type", lambda: nn.draw_mlp(_tensor_mlp(), activations="relu"),
     TypeError, "activations must be a list of names"),
    ("draw_mlp activations count", lambda: nn.draw_mlp(_tensor_mlp(), activations=["relu"]),
     ValueError, "activations: 1 names for 2 layers"),
    ("draw_mlp backend", lambda: nn.draw_mlp(_tensor_mlp(), backend="paint"),
     ValueError, "backend must be one of"),
    ("draw_mlp NaN weights", lambda: nn.draw_mlp(_nan_model()),
     ValueError, "layer layers.0 has NaN or infinite weights in W"),
]
# fmt: on


def _nan_model():
    model = _tensor_mlp()
    model.layers[0].W.data[0, 0] = np.nan
    return model


CASES = MODULES + LOSSES + OPTIMIZERS + DATA + TRAINING


def test_every_case_has_its_own_name():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("name", "call", "error", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(name, call, error, words):
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error, f"{name}: {type(info.value).__name__}: {info.value}"
    assert words in str(info.value), f"{name}: {info.value}"
