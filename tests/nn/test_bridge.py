"""`nn.to_torch` and `nn.from_torch`: the same network in both libraries, outputs and
gradients equal to 1e-12 in float64, from either engine; clear errors for the rest."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import nn
from autograd import Tensor, Value

X = np.random.default_rng(0).standard_normal((6, 3))

MODELS = [
    (3, [5, 4, 2], "relu", None),
    (3, [4, 1], "tanh", "tanh"),
    (3, [4, 4, 2], "sigmoid", "sigmoid"),
    (3, [5, 3], "relu", "softmax"),
    (3, [2], "relu", "sigmoid"),
    (3, [4, 2], "identity", None),
]
IDS = ["relu", "tanh-tanh", "sigmoid-sigmoid", "softmax", "one-layer", "linear"]


def _ours(model, engine):
    """Outputs (n, k) and the gradients of J = Σ out² w.r.t. the input and every W, b."""
    if engine == "tensor":
        x = Tensor(X, requires_grad=True)
        out = model(x)
        (out * out).sum().backward()
        grads = [(layer.W.grad, layer.b.grad) for layer in model.layers]
        return out.data, x.grad, grads
    xs = [[Value(float(v)) for v in row] for row in X]
    outs = [model(row) for row in xs]
    outs = [o if isinstance(o, list) else [o] for o in outs]
    J = sum((v * v for row in outs for v in row), Value(0.0))
    J.backward()
    grads = [
        (
            np.array([[w.grad for w in n.w] for n in layer.neurons]),
            np.array([n.b.grad for n in layer.neurons]),
        )
        for layer in model.layers
    ]
    out = np.array([[v.data for v in row] for row in outs])
    return out, np.array([[v.grad for v in row] for row in xs]), grads


def _theirs(torch, module):
    module.zero_grad()
    x = torch.tensor(X, requires_grad=True)
    out = module(x)
    (out * out).sum().backward()
    linears = [m for m in module if isinstance(m, torch.nn.Linear)]
    grads = [(m.weight.grad.numpy(), m.bias.grad.numpy()) for m in linears]
    return out.detach().numpy(), x.grad.numpy(), grads


def _agree(ours, theirs):
    (out, gx, grads), (t_out, t_gx, t_grads) = ours, theirs
    np.testing.assert_allclose(out, t_out, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(gx, t_gx, rtol=1e-12, atol=1e-14)
    assert len(grads) == len(t_grads)
    for (gW, gb), (tW, tb) in zip(grads, t_grads, strict=True):
        np.testing.assert_allclose(gW, tW, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(gb, tb, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(("nin", "nouts", "act", "out_act"), MODELS, ids=IDS)
def test_to_torch_gives_the_same_network(torch, engine, nin, nouts, act, out_act):
    model = nn.MLP(nin, nouts, act, out_act, engine=engine, rng=0)
    module = nn.to_torch(model)
    assert isinstance(module, torch.nn.Sequential)
    assert all(p.dtype == torch.float64 for p in module.parameters())
    _agree(_ours(model, engine), _theirs(torch, module))
    for p in module.parameters():  # the weights are copies: training one leaves the other
        assert p.requires_grad
    with torch.no_grad():
        module[0].weight.zero_()
    assert np.any(model.state_dict()["layers.0.W"] != 0)


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(("nin", "nouts", "act", "out_act"), MODELS, ids=IDS)
def test_from_torch_gives_the_same_network(torch, engine, nin, nouts, act, out_act):
    module = nn.to_torch(nn.MLP(nin, nouts, act, out_act, engine="tensor", rng=1))
    model = nn.from_torch(module, engine=engine)
    assert isinstance(model, nn.MLP) and model.engine == engine
    assert model.nin == nin and model.nouts == nouts
    _agree(_ours(model, engine), _theirs(torch, module))


def test_from_torch_reads_a_network_written_in_pytorch(torch):
    torch.manual_seed(0)
    module = torch.nn.Sequential(
        torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8), torch.nn.Tanh(),
        torch.nn.Linear(8, 1), torch.nn.Sigmoid(),
    )  # fmt: skip
    model = nn.from_torch(module)
    assert repr(model) == (
        "MLP(3, [8, 8, 1], activation='tanh', output_activation='sigmoid', engine='tensor')"
    )
    _agree(_ours(model, "tensor"), _theirs(torch, module))
    fused = nn.from_torch(module, engine="value", fused=True)
    _agree(_ours(fused, "value"), _theirs(torch, module))
    back = nn.to_torch(model)
    assert [type(m).__name__ for m in back] == [type(m).__name__ for m in module]


def test_a_float32_model_crosses_in_float32(torch):
    model = nn.MLP(3, [4, 2], engine="tensor", dtype="float32", rng=0)
    module = nn.to_torch(model)
    assert all(p.dtype == torch.float32 for p in module.parameters())
    x = X.astype(np.float32)
    np.testing.assert_allclose(module(torch.tensor(x)).detach().numpy(), model(x).data, rtol=1e-5)
    again = nn.from_torch(module)
    assert again.layers[0].W.dtype == np.float32
    with pytest.raises(ValueError, match=r"value engine computes in float64.*module.double\(\)"):
        nn.from_torch(module, engine="value")


def test_to_torch_takes_a_sequential_and_a_linear(torch):
    seq = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(4, 2, rng=1), nn.Softmax())
    module = nn.to_torch(seq)
    assert [type(m).__name__ for m in module] == ["Linear", "Tanh", "Linear", "Softmax"]
    x = torch.tensor(X)
    np.testing.assert_allclose(module(x).detach().numpy(), seq(X).data, rtol=1e-12)
    lone = nn.to_torch(nn.Linear(3, 2, rng=0))
    assert len(lone) == 1 and tuple(lone[0].weight.shape) == (2, 3)


@pytest.mark.parametrize(
    ("build", "error", "words"),
    [
        (lambda t: t.nn.Linear(3, 2), TypeError, "takes a torch.nn.Sequential"),
        (lambda t: t.nn.Sequential(t.nn.Linear(3, 2), t.nn.Dropout(0.5)),
         TypeError, "module 1 is Dropout(p=0.5, inplace=False), which has no counterpart"),
        (lambda t: t.nn.Sequential(t.nn.Linear(3, 2), t.nn.GELU()), TypeError, "GELU"),
        (lambda t: t.nn.Sequential(t.nn.Linear(3, 2, bias=False)),
         ValueError, "module 0 is Linear(..., bias=False)"),
        (lambda t: t.nn.Sequential(t.nn.ReLU(), t.nn.Linear(3, 2)),
         ValueError, "starts with a Linear layer, got relu first"),
        (lambda t: t.nn.Sequential(t.nn.Linear(3, 4), t.nn.ReLU(), t.nn.Linear(4, 4), t.nn.Tanh(),
                                   t.nn.Linear(4, 1)),
         ValueError, "one activation for all hidden layers, this network uses ['relu', 'tanh']"),
        (lambda t: t.nn.Sequential(t.nn.Linear(3, 4), t.nn.ReLU(), t.nn.Tanh()),
         ValueError, "two activations in a row (relu, tanh)"),
        (lambda t: t.nn.Sequential(t.nn.Linear(3, 4), t.nn.Linear(5, 1)),
         ValueError, "Linear layer 1 takes 5 inputs but the layer before gives 4"),
        (lambda t: t.nn.Sequential(), ValueError, "holds no Linear layer"),
    ],
)  # fmt: skip
def test_from_torch_refuses_what_it_cannot_build_exactly(torch, build, error, words):
    with pytest.raises(error) as info:
        nn.from_torch(build(torch))
    assert type(info.value) is error and words in str(info.value)


def test_to_torch_refuses_a_module_of_your_own(torch):
    class Mine(nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(TypeError, match="got Mine; a module of your own"):
        nn.to_torch(nn.Sequential(nn.Linear(3, 2, rng=0), Mine()))


def test_without_torch_the_bridge_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now fails
    model = nn.MLP(3, [2], engine="tensor", rng=0)
    with pytest.raises(ImportError, match=r"pip install 'deltagrad\[torch\]'"):
        nn.to_torch(model)
    with pytest.raises(ImportError, match="needs PyTorch"):
        nn.from_torch(object())


def test_importing_nn_does_not_import_torch():
    import subprocess

    code = "import nn, sys; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())


def _env():
    import os

    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def test_the_readme_example_runs_as_printed(torch):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Continue on PyTorch") :]
    code = section[
        section.index("```py\n") + 6 : section.index("```", section.index("```py\n") + 6)
    ]
    model = nn.MLP(2, [8, 1], rng=0)
    before = model.state_dict()
    scope = {"nn": nn, "model": model}
    exec(code, scope)
    assert isinstance(scope["module"], torch.nn.Sequential)
    after = scope["model"]
    assert after is not model and isinstance(after, nn.MLP)
    assert all(np.array_equal(after.state_dict()[k], v) for k, v in before.items())
