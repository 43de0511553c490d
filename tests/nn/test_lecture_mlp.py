"""The MLP of Karpathy's micrograd lecture, one spelling away from `nn.MLP`'s default.

The lecture's network is tanh everywhere with b ~ U(−1, 1); `nn.MLP` follows the micrograd
package (ReLU hidden layers, a linear output, b = 0). The lecture's own classes are written
out below, as in the lecture, to check that the spelling gives the same network.
"""

from __future__ import annotations

import random

import pytest

import nn
from autograd import Value

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def lecture_mlp(rng=None):
    return nn.MLP(
        3, [4, 4, 1], activation="tanh", output_activation="tanh", bias_init="uniform", rng=rng
    )


class LectureNeuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        return act.tanh()

    def parameters(self):
        return [*self.w, self.b]


class LectureLayer:
    def __init__(self, nin, nout):
        self.neurons = [LectureNeuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class LectureMLP:
    def __init__(self, nin, nouts):
        sz = [nin, *nouts]
        self.layers = [LectureLayer(sz[i], sz[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def train_as_in_the_lecture(n, steps=20):
    """The lecture's loop: squared-error sum, zero the grads, backward, p.data += -0.1 * grad."""
    losses = []
    for _ in range(steps):
        ypred = [n(x) for x in XS]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(YS, ypred, strict=True))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.1 * p.grad
        losses.append(loss.data)
    return losses


@pytest.mark.parametrize("seed", range(8))
def test_the_lectures_loop_brings_the_lecture_mlp_well_below_one(seed):
    losses = train_as_in_the_lecture(lecture_mlp(rng=seed))
    assert losses[-1] < 0.25 and losses[-1] < losses[0]


@pytest.mark.parametrize("seed", [0, 1, 1337])
def test_the_spelling_is_the_lectures_network_number_for_number(seed):
    random.seed(seed)
    ours = lecture_mlp()
    random.seed(seed)
    theirs = LectureMLP(3, [4, 4, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert train_as_in_the_lecture(ours) == train_as_in_the_lecture(theirs)
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]


def test_the_default_stays_micrograds_package():
    model = nn.MLP(3, [4, 4, 1], rng=0)
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)
    assert repr(model).startswith("MLP of [Layer of [ReLUNeuron(3)")
    assert repr(model).endswith("Layer of [LinearNeuron(4)]]")
    lecture = lecture_mlp(rng=0)
    assert repr(lecture).endswith("Layer of [LinearNeuron(4)]], then Tanh()")
    biases = [n.b.data for layer in lecture.layers for n in layer.neurons]
    assert all(-1.0 <= b <= 1.0 for b in biases) and len(set(biases)) == len(biases)


def test_bias_init_works_on_the_tensor_engine_too():
    value, tensor = (
        lecture_mlp(rng=3),
        nn.MLP(
            3,
            [4, 4, 1],
            "tanh",
            "tanh",
            engine="tensor",
            init="uniform",
            bias_init="uniform",
            rng=3,
        ),
    )
    for k, v in value.state_dict().items():
        assert (tensor.state_dict()[k] == v).all(), k
