"""Losses on both engines: closed forms and finite differences always, PyTorch when installed."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, gradcheck
from nn import losses as L

rng = np.random.default_rng(0)
REG_P, REG_Y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
PROB, BIN = rng.uniform(0.05, 0.95, 6), np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.3])
LOGIT = rng.standard_normal(6) * 3
CE_Z, CE_LABELS = rng.standard_normal((5, 4)) * 2, np.array([0, 3, 1, 1, 2])
CE_PROBS = rng.dirichlet(np.ones(4), size=5)
SCORES, PM = rng.standard_normal(6), np.array([1, -1, -1, 1, 1, -1])


def _softplus(z):
    return np.logaddexp(0.0, z)


def _bce(p, y):
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _ls(z):
    """log softmax along the last axis."""
    m = z.max(-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(-1, keepdims=True))


# name, loss, prediction, target, per-term numpy reference, torch reference
CASES = [
    ("mse", L.mse, REG_P, REG_Y, lambda p, y: (p - y) ** 2, "mse"),
    ("half", L.half_squared_error, REG_P, REG_Y, lambda p, y: ((p - y) ** 2).sum(-1) / 2, None),
    ("bce", L.binary_cross_entropy, PROB, BIN, lambda p, y: _bce(p, y), "bce"),
    ("bce_logits", L.bce_with_logits, LOGIT, BIN, lambda z, y: _softplus(z) - z * y, "bcel"),
    ("ce_labels", L.cross_entropy, CE_Z, CE_LABELS, lambda z, y: -_ls(z)[range(5), y], "ce"),
    ("ce_probs", L.cross_entropy, CE_Z, CE_PROBS, lambda z, y: -(_ls(z) * y).sum(-1), "ce"),
    ("hinge", L.hinge, SCORES, PM, lambda s, y: np.maximum(0.0, 1 - y * s), "hinge"),
]  # fmt: skip
IDS = [c[0] for c in CASES]


def _torch_loss(torch, kind, p, y, reduction):
    F = torch.nn.functional
    if kind == "mse":
        return F.mse_loss(p, y, reduction=reduction)
    if kind == "bce":
        return F.binary_cross_entropy(p, y, reduction=reduction)
    if kind == "bcel":
        return F.binary_cross_entropy_with_logits(p, y, reduction=reduction)
    if kind == "ce":
        return F.cross_entropy(p, y, reduction=reduction)
    terms = torch.clamp(1 - y * p, min=0)
    return terms.mean() if reduction == "mean" else terms.sum()


def _values(a):
    return [_values(r) for r in a] if np.ndim(a) > 1 else [Value(float(x)) for x in a]


def _grads(vs):
    return (
        np.array([_grads(r) for r in vs])
        if isinstance(vs[0], list)
        else np.array([v.grad for v in vs])
    )


def _run(engine, loss, pred, target, reduction):
    """The loss and ∂cost/∂pred on one engine."""
    if engine == "tensor":
        x = Tensor(pred, requires_grad=True)
        cost = loss(x, target, reduction=reduction)
        cost.backward()
        assert isinstance(cost, Tensor) and cost.shape == ()
        return float(cost.data), x.grad
    vs = _values(pred)
    cost = loss(vs, target, reduction=reduction)
    cost.backward()
    assert isinstance(cost, Value)
    return cost.data, _grads(vs)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(("name", "loss", "pred", "target", "ref", "kind"), CASES, ids=IDS)
def test_loss_equals_its_closed_form(name, loss, pred, target, ref, kind, engine, reduction):
    cost, _ = _run(engine, loss, pred, target, reduction)
    terms = ref(pred, target)
    assert cost == pytest.approx(terms.mean() if reduction == "mean" else terms.sum(), rel=1e-12)


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(("name", "loss", "pred", "target", "ref", "kind"), CASES, ids=IDS)
def test_loss_gradient_matches_finite_differences(name, loss, pred, target, ref, kind, engine):
    if engine == "tensor":
        assert gradcheck(lambda x: loss(x, target), [Tensor(pred, requires_grad=True)])
    else:
        flat = [Value(float(x)) for x in np.ravel(pred)]

        def f(*vs):
            rows = np.array(vs, dtype=object).reshape(np.shape(pred)).tolist()
            return loss(rows, target)

        assert gradcheck(f, flat)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize(("name", "loss", "pred", "target", "ref", "kind"), CASES, ids=IDS)
def test_loss_and_gradient_match_pytorch(
    torch, name, loss, pred, target, ref, kind, engine, reduction
):
    if kind is None:  # the notes' ½‖ŷ − y‖²: PyTorch has no such loss; its expression instead
        p = torch.tensor(pred, requires_grad=True)
        terms = 0.5 * ((p - torch.tensor(target)) ** 2).sum(-1)
        expected = terms.mean() if reduction == "mean" else terms.sum()
    else:
        p = torch.tensor(pred, requires_grad=True)
        t = torch.tensor(target) if target.dtype.kind == "f" else torch.tensor(target).long()
        expected = _torch_loss(torch, kind, p, t.double() if kind == "hinge" else t, reduction)
    expected.backward()
    cost, grad = _run(engine, loss, pred, target, reduction)
    assert cost == pytest.approx(expected.item(), rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(grad, p.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_reduction_none_gives_the_per_example_terms(engine):
    pred = Tensor(CE_Z) if engine == "tensor" else _values(CE_Z)
    out = L.cross_entropy(pred, CE_LABELS, reduction="none")
    data = out.data if engine == "tensor" else [v.data for v in out]
    np.testing.assert_allclose(data, -_ls(CE_Z)[np.arange(5), CE_LABELS])
    with pytest.raises(ValueError, match="reduction must be one of"):
        L.mse(pred, CE_Z, reduction="avg")


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_bce_with_logits_is_stable_at_plus_minus_1000(engine):
    z, y = np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0]), np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    cost, grad = _run(engine, L.bce_with_logits, z, y, "sum")
    assert cost == pytest.approx(0.0 + 0.0 + 1000.0 + 1000.0 + np.log(2.0))
    sigma = np.array([1.0, 0.0, 1.0, 0.0, 0.5])
    np.testing.assert_allclose(grad, sigma - y)  # δ = σ(z) − y, z = 0 included


def test_bce_with_logits_matches_pytorch_at_extremes(torch):
    z, y = np.array([1000.0, -1000.0, 0.0, 35.0, -35.0]), np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    zt = torch.tensor(z, requires_grad=True)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(zt, torch.tensor(y))
    expected.backward()
    cost, grad = _run("tensor", L.bce_with_logits, z, y, "mean")
    assert cost == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_cross_entropy_is_stable_for_huge_logits(engine):
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0]])
    cost, grad = _run(engine, L.cross_entropy, z, np.array([1, 2]), "sum")
    assert cost == pytest.approx(2000.0)
    np.testing.assert_allclose(grad, [[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]], atol=1e-300)


def test_cross_entropy_one_hot_equals_labels_and_checks_labels():
    one_hot = nn.data.one_hot(CE_LABELS, 4)
    assert L.cross_entropy(Tensor(CE_Z), one_hot).item() == pytest.approx(
        L.cross_entropy(Tensor(CE_Z), CE_LABELS).item(), rel=1e-14
    )
    assert L.cross_entropy(Tensor(CE_Z[0]), 0).item() == pytest.approx(-_ls(CE_Z)[0, 0])
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 4\)"):
        L.cross_entropy(Tensor(CE_Z), np.array([0, 4, 1, 1, 2]))
    with pytest.raises(ValueError, match="must be integer labels"):
        L.cross_entropy(Tensor(CE_Z), np.full(5, 0.5))
    with pytest.raises(ValueError, match=r"labels of shape \(5,\)"):
        L.cross_entropy(Tensor(CE_Z), np.zeros(3))


def test_outputs_of_shape_n_by_1_meet_targets_of_shape_n():
    p = Tensor(REG_P[:, :1])
    assert L.mse(p, REG_Y[:, 0]).item() == pytest.approx(np.mean((REG_P[:, 0] - REG_Y[:, 0]) ** 2))
    with pytest.raises(ValueError, match=r"target of shape \(3,\) does not match the output"):
        L.mse(p, np.zeros(3))


def test_mse_and_the_notes_half_squared_error_differ_as_documented():
    mse = L.mse(Tensor(REG_P), REG_Y).item()  # mean over all n·k entries
    half = L.half_squared_error(Tensor(REG_P), REG_Y).item()  # (1/n) Σ ½‖ŷ − y‖²
    assert half == pytest.approx(0.5 * REG_P.shape[1] * mse)


def test_hinge_is_micrograds_expression_and_wants_plus_minus_one():
    scores = [Value(s) for s in SCORES]
    ours = L.hinge(scores, PM)
    micrograd = sum((1 + -yi * si).relu() for yi, si in zip(PM, scores, strict=True)) * (1 / 6)
    assert ours.data == pytest.approx(micrograd.data, rel=1e-15)
    with pytest.raises(ValueError, match="-1 or \\+1"):
        L.hinge(scores, (PM > 0).astype(float))


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_l2_penalty_is_half_lambda_sum_of_weights_without_biases(engine):
    model = nn.MLP(3, [4, 2], engine=engine, rng=0)
    model.load_state_dict({k: v + 0.5 for k, v in model.state_dict().items()})  # nonzero biases
    state = model.state_dict()
    lam = 0.3
    cost = L.l2_penalty(model, lam)
    expected = lam / 2 * sum((state[k] ** 2).sum() for k in state if k.endswith("W"))
    assert float(cost.data) == pytest.approx(expected, rel=1e-13)
    cost.backward()
    if engine == "tensor":
        for name, p in model.named_parameters():
            want = lam * p.data if name.endswith("W") else None
            assert (p.grad is None) if want is None else np.allclose(p.grad, want)
    else:
        for name, p in model.named_parameters():
            assert p.grad == pytest.approx(0.0 if name.endswith(".b") else lam * p.data)


def test_l2_penalty_checks_lambda():
    with pytest.raises(ValueError, match="lam must be a non-negative number"):
        L.l2_penalty(nn.Linear(2, 1), -1.0)
    assert L.l2_penalty(nn.Sequential(nn.ReLU()), 0.1) == 0.0
