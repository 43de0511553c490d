"""`Module`: named parameters, zero_grad, modes, state_dict and load_state_dict."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value


class Pair(nn.Module):
    """A micrograd-style module (no super().__init__, lists of Values) holding a submodule."""

    def __init__(self):
        self.w = [Value(1.0), Value(2.0)]
        self.inner = nn.Linear(2, 3, rng=0)
        self.b = Value(0.5)
        self.frozen = Tensor(np.ones(2))  # requires_grad=False: not a parameter
        self._cache = Value(9.0)  # underscore: not searched

    def forward(self, x):
        return self.inner(x)


def test_named_parameters_are_dotted_in_attribute_order():
    names = [n for n, _ in Pair().named_parameters()]
    assert names == ["w.0", "w.1", "inner.W", "inner.b", "b"]


def test_parameters_follow_named_parameters_and_list_each_once():
    shared = nn.Linear(2, 2, rng=0)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert [n for n, _ in model.named_parameters()] == ["layers.0.W", "layers.0.b"]
    assert model.parameters() == [shared.W, shared.b]
    assert isinstance(model.parameters(), list)


def test_value_mlp_lists_parameters_in_micrograds_order():
    model = nn.MLP(2, [3, 1], rng=0)
    names = [n for n, _ in model.named_parameters()]
    expected = []
    for i, (nin, nout) in enumerate([(2, 3), (3, 1)]):
        for j in range(nout):
            expected += [f"layers.{i}.neurons.{j}.w.{k}" for k in range(nin)]
            expected.append(f"layers.{i}.neurons.{j}.b")
    assert names == expected
    flat = [p for layer in model.layers for n in layer.neurons for p in [*n.w, n.b]]
    assert all(a is b for a, b in zip(model.parameters(), flat, strict=True))


def test_named_parameters_are_deterministic():
    a = [n for n, _ in nn.MLP(3, [4, 2], engine="tensor", rng=1).named_parameters()]
    b = [n for n, _ in nn.MLP(3, [4, 2], engine="tensor", rng=2).named_parameters()]
    assert a == b == ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"]


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_zero_grad_clears_both_engines(engine):
    model = nn.MLP(2, [3, 1], engine=engine, rng=0)
    out = model([1.0, 2.0]) if engine == "value" else model(np.ones((1, 2))).sum()
    out.backward()
    assert any(np.any(np.asarray(p.grad) != 0) for p in model.parameters())
    model.zero_grad()
    for p in model.parameters():
        assert (p.grad == 0.0) if engine == "value" else (p.grad is None)


def test_train_and_eval_reach_every_submodule():
    model = nn.MLP(2, [3, 1], engine="tensor", rng=0)
    assert model.eval() is model
    assert all(not m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    assert len(model.modules()) == 3  # the MLP and its two Linear layers


def test_state_dict_holds_copies_with_the_notes_shapes():
    model = nn.MLP(3, [4, 2], engine="tensor", rng=0)
    state = model.state_dict()
    assert {k: v.shape for k, v in state.items()} == {
        "layers.0.W": (4, 3),
        "layers.0.b": (4,),
        "layers.1.W": (2, 4),
        "layers.1.b": (2,),
    }
    state["layers.0.W"][:] = 123.0
    assert not np.any(model.layers[0].W.data == 123.0)


def test_micrograd_style_module_state_dict():
    state = Pair().state_dict()
    assert list(state) == ["w", "inner.W", "inner.b", "b"]
    assert state["w"].tolist() == [1.0, 2.0] and state["b"].shape == ()


def test_value_layer_state_is_its_neurons_weights_as_rows():
    layer = nn.Layer(3, 2, rng=0)
    state = layer.state_dict()
    assert state["W"].tolist() == [[w.data for w in n.w] for n in layer.neurons]
    assert state["b"].tolist() == [n.b.data for n in layer.neurons]


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_load_state_dict_round_trip(engine):
    src = nn.MLP(2, [5, 3], engine=engine, rng=0)
    dst = nn.MLP(2, [5, 3], engine=engine, rng=1)
    result = dst.load_state_dict(src.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    for k, v in src.state_dict().items():
        np.testing.assert_array_equal(dst.state_dict()[k], v)


def test_strict_load_reports_every_problem_at_once_and_changes_nothing():
    model = nn.MLP(2, [3, 1], engine="tensor", rng=0)
    before = model.state_dict()
    bad = dict(before)
    del bad["layers.1.b"]
    bad["layers.0.W"] = np.zeros((2, 3))
    bad["extra.W"] = np.zeros(1)
    with pytest.raises(ValueError) as err:
        model.load_state_dict(bad)
    msg = str(err.value)
    assert "missing keys: layers.1.b" in msg
    assert "unexpected keys: extra.W" in msg
    assert "layers.0.W: expected shape (3, 2), got (2, 3)" in msg
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_non_strict_load_takes_what_matches_and_returns_the_rest():
    model = nn.MLP(2, [3, 1], engine="value", rng=0)
    partial = {"layers.0.W": np.ones((3, 2)), "other": np.zeros(2)}
    result = model.load_state_dict(partial, strict=False)
    assert result.missing_keys == ["layers.0.b", "layers.1.W", "layers.1.b"]
    assert result.unexpected_keys == ["other"]
    assert all(w.data == 1.0 for n in model.layers[0].neurons for w in n.w)
    assert all(type(w.data) is float for n in model.layers[0].neurons for w in n.w)


def test_non_strict_load_skips_mismatched_shapes_and_reports_them():
    model = nn.MLP(2, [3, 1], engine="value", rng=0)
    before = model.state_dict()
    result = model.load_state_dict({"layers.0.W": np.ones((3, 2)), "layers.0.b": np.ones(4)}, False)
    assert result.mismatched_keys == ["layers.0.b"]
    assert result.missing_keys == ["layers.1.W", "layers.1.b"]
    np.testing.assert_array_equal(model.state_dict()["layers.0.b"], before["layers.0.b"])
    np.testing.assert_array_equal(model.state_dict()["layers.0.W"], np.ones((3, 2)))


def test_load_state_dict_rejects_non_numbers_and_non_mappings():
    model = nn.Linear(2, 1, rng=0)
    for strict in (True, False):
        with pytest.raises(ValueError, match="not numbers: W: expected numbers"):
            model.load_state_dict({"W": np.array([["a", "b"]]), "b": np.zeros(1)}, strict)
    with pytest.raises(TypeError, match="mapping"):
        model.load_state_dict([np.zeros((1, 2)), np.zeros(1)])


def test_load_state_dict_accepts_tensors_and_keeps_dtype():
    model = nn.Linear(2, 1, rng=0)
    model.load_state_dict({"W": Tensor([[1.0, 2.0]]), "b": [3]})
    assert model.W.data.tolist() == [[1.0, 2.0]] and model.b.data.dtype == np.float64


def test_sequential_names_runs_and_indexes():
    model = nn.Sequential(nn.Linear(2, 4, rng=0), nn.Tanh(), nn.Linear(4, 1, rng=1))
    assert list(model.state_dict()) == ["layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b"]
    x = np.array([[0.5, -1.0]])
    expected = model[2](model[1](model[0](x)))
    np.testing.assert_array_equal(model(x).data, expected.data)
    assert len(model) == 3 and "Tanh()" in repr(model)
    with pytest.raises(TypeError, match="module 1 is not callable"):
        nn.Sequential(nn.ReLU(), 3)


def test_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1.0)


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_module_and_optimizer_forget_gradients_the_same_way(engine):
    from nn.module import zero_grads

    grads = []
    for clear in ("module", "optimizer", "function"):
        model = nn.MLP(2, [3, 1], engine=engine, rng=0)
        out = model([1.0, 2.0]) if engine == "value" else model(np.ones((1, 2))).sum()
        out.backward()
        if clear == "module":
            model.zero_grad()
        elif clear == "optimizer":
            nn.optim.SGD(model.parameters(), lr=0.1).zero_grad()
        else:
            zero_grads(model.parameters())
        grads.append([p.grad for p in model.parameters()])
    assert grads[0] == grads[1] == grads[2]
    assert all(g == (0.0 if engine == "value" else None) for g in grads[0])
