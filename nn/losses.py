"""Losses J(ŷ, y) on either engine, each composed of the engine's operations.

Outputs ``pred`` are a `Tensor` (tensor engine) or Values: one `Value`, a list of Values
(one per example) or a list of lists (n examples × k outputs) on the value engine. Targets
``y`` are numbers or arrays (constants), or nodes in a graph (a Tensor that requires grad,
or Values): the loss then backpropagates into them as PyTorch does (class labels and
`hinge`'s ±1 labels are constants and refuse that). A loss returns a 0-d Tensor or a Value;
``reduction`` is ``"mean"`` (default), ``"sum"`` or ``"none"`` (the per-example terms).
float32 outputs give a float32 loss; integer outputs and targets are promoted to float64.

Each loss checks its arguments once per call: outputs not empty, targets finite numbers of
a matching shape, labels in range (class indices in [0, k), ±1 for `hinge`, [0, 1] for the
binary losses). Outputs are not checked for NaN: they follow IEEE arithmetic, and
`autograd.detect_anomaly` finds where a NaN starts.

Squared error comes in two conventions: `mse` is PyTorch's mean of (ŷ − y)² over every
entry; `half_squared_error` is the notes' cost ½‖ŷ − y‖² per example (CS229, UFLDL),
averaged over the m examples.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from autograd import Tensor, where

from . import checks
from . import functional as F

REDUCTIONS = ("mean", "sum", "none")

#: binary_cross_entropy floors each log at −100, as PyTorch's BCELoss: max(log ŷ, −100).
LOG_FLOOR = -100.0


def _nodes(name: str, arg: str, pred: Any) -> Any:
    """The outputs as nodes (a Tensor, or Values in an object array), never empty."""
    try:
        x = F.as_nodes(pred)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"{name}: {arg} must be a Tensor, Values or numbers ({type(pred).__name__}): {e}"
        ) from None
    if 0 in x.shape:
        raise ValueError(f"{name}: {arg} is empty (shape {x.shape}); pass at least one example")
    return x


def _target(name: str, y: Any, x: Any) -> Any:
    """Targets: finite numbers of the outputs' float type (float32 stays float32), or nodes.

    A target that is part of a graph (a `Tensor` that requires grad, or `Value`s) stays a
    node, so the loss backpropagates into it as PyTorch does; any other is a constant.
    """
    t = checks.array(f"{name}: y", y, nonempty=False)
    if not _in_graph(y):
        return checks.cast(f"{name}: y", t, x.dtype if isinstance(x, Tensor) else np.float64)
    if isinstance(x, Tensor) != isinstance(y, Tensor):
        have, want = ("Values", "a Tensor") if isinstance(x, Tensor) else ("a Tensor", "Values")
        raise TypeError(
            f"{name}: y is {have} in a graph but the outputs are {want}; use one engine for "
            "both (or pass y.detach() / plain numbers for a constant target)"
        )
    if isinstance(y, Tensor) and y.dtype != x.dtype:
        raise TypeError(
            f"{name}: y is a {y.dtype} Tensor and the outputs are {x.dtype}; use one type"
        )
    return F.as_nodes(y)


def _in_graph(y: Any) -> bool:
    """A target the gradient flows into: a Tensor that requires grad, or Values."""
    return (isinstance(y, Tensor) and y.requires_grad) or F.is_value_batch(y)


def _constant(name: str, y: Any, what: str) -> None:
    """A TypeError for a target in a graph where only constants make sense (class labels)."""
    if _in_graph(y):
        raise TypeError(
            f"{name}: y holds {what}, constants with no gradient, but is part of a graph (a "
            "Tensor that requires grad, or Values); pass y.detach() or plain numbers"
        )


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def _prepare(name: str, pred: Any, y: Any, arg: str = "pred") -> tuple[Any, np.ndarray]:
    """Outputs as nodes and targets of the same shape ((n, 1) and (n,) are reconciled)."""
    x = _nodes(name, arg, pred)
    t = _target(name, y, x)
    if t.shape != x.shape:
        if math.prod(t.shape) != math.prod(x.shape) or _squeezed(t.shape) != _squeezed(x.shape):
            raise ValueError(
                f"{name}: target of shape {t.shape} does not match the output of shape "
                f"{x.shape}; pass one target per output"
            )
        t = t.reshape(x.shape)
    return x, t


def _unit_interval(name: str, arg: str, a: np.ndarray, hint: str = "") -> None:
    bad = ~((a >= 0) & (a <= 1))
    if bad.any():
        raise ValueError(
            f"{name}: {arg} must lie in [0, 1]{hint}, found {a[bad].flat[0].item()!r} "
            f"{checks.where_bad(bad)}"
        )


def _reduce(name: str, loss: Any, reduction: str) -> Any:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss if isinstance(loss, Tensor) else loss.tolist()
    raise ValueError(f"{name}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def mse(pred: Any, y: Any, reduction: str = "mean") -> Any:
    """Mean squared error (PyTorch's ``MSELoss``): J = (1/N) Σ (ŷ − y)² over all N entries.

    For the notes' ½‖ŷ − y‖² per example see `half_squared_error`.
    """
    x, t = _prepare("mse", pred, y)
    d = x - t
    return _reduce("mse", d * d, reduction)


def half_squared_error(pred: Any, y: Any, reduction: str = "mean") -> Any:
    """The notes' squared error: J = (1/m) Σ_i ½‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖² (UFLDL, CS229 L = ½(ŷ − y)²).

    Its gradient is δ = ŷ − y (per example, before the 1/m). Rows of a 2-D output are
    examples, a 1-D output holds one number per example. ``"sum"`` drops the 1/m.
    """
    x, t = _prepare("half_squared_error", pred, y)
    d = x - t
    loss = 0.5 * (d * d)
    if loss.ndim >= 2:
        loss = loss.sum(axis=-1)
    return _reduce("half_squared_error", loss, reduction)


def _log_floored(x: Any) -> Any:
    """max(log x, −100), PyTorch's floor, with a gradient of exactly 0 where it is floored.

    A floored entry never reaches log: it is replaced by 1 first (log 1 = 0, then dropped),
    so no −inf is made and no 0·∞ = NaN comes back from log's 1/x at x = 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = np.log(F.to_numpy(x)) >= LOG_FLOOR
    if keep.all():
        return F.log(x)
    if isinstance(x, Tensor):
        one, floor = np.ones((), x.dtype), np.asarray(LOG_FLOOR, x.dtype)
        return where(keep, where(keep, x, one).log(), floor)
    logs = F.log(F.value_array(np.where(keep, x, 1.0)))
    return F.value_array(np.where(keep, logs, LOG_FLOOR))


def binary_cross_entropy(prob: Any, y: Any, reduction: str = "mean") -> Any:
    """Logistic loss on probabilities ŷ = σ(z) ∈ [0, 1]: J = −(y log ŷ + (1 − y) log(1 − ŷ)).

    As PyTorch's ``BCELoss``, each log is floored at −100, so ŷ of exactly 0 or 1 gives a
    finite J (at most 100 per example); the gradient is that of this floored J: −y/ŷ +
    (1 − y)/(1 − ŷ) wherever the floor is not reached (log ŷ and log(1 − ŷ) ≥ −100), and 0
    through a floored log. (PyTorch's own backward divides by max(ŷ(1 − ŷ), 1e−12) instead; the two
    agree wherever ŷ(1 − ŷ) ≥ 1e−12.) `bce_with_logits` takes z itself and needs no floor.

    Raises:
        ValueError: ``prob`` outside [0, 1] (or NaN), or targets ``y`` outside [0, 1].
    """
    name = "binary_cross_entropy"
    p, t = _prepare(name, prob, y, "prob")
    _unit_interval(
        name, "prob", F.to_numpy(p), " (probabilities; for logits z use bce_with_logits)"
    )
    _unit_interval(name, "y", F.to_numpy(t))
    loss = -(t * _log_floored(p) + (1.0 - t) * _log_floored(1.0 - p))
    return _reduce(name, loss, reduction)


def softplus(z: Any) -> Any:
    """log(1 + e^z), as m + log(e^(−m) + e^(z − m)) with the constant m = max(z, 0).

    No exp overflows (z = ±1000 is fine) and the derivative is σ(z) everywhere, z = 0
    included (a relu/abs form has kinks at 0 whose one-sided derivatives do not add up).
    """
    x = _nodes("softplus", "z", z)
    m = np.maximum(F.to_numpy(x), 0.0)
    return F.log(F.exp(x - m) + np.exp(-m)) + m


def bce_with_logits(logits: Any, y: Any, reduction: str = "mean") -> Any:
    """Binary cross-entropy on logits z (ŷ = σ(z)): J = softplus(z) − y z.

    Equal to −(y log σ(z) + (1 − y) log(1 − σ(z))), stable for z = ±1000; δ = σ(z) − y.
    Targets ``y`` are probabilities in [0, 1] (0/1 labels, or soft targets).
    """
    x, t = _prepare("bce_with_logits", logits, y, "logits")
    _unit_interval("bce_with_logits", "y", F.to_numpy(t))
    return _reduce("bce_with_logits", softplus(x) - x * t, reduction)


def _labels(name: str, t: np.ndarray, k: int) -> np.ndarray | None:
    """Integer class labels in [0, k), or None if ``t`` is not made of whole numbers."""
    if t.dtype.kind in "iu" or (t.dtype.kind in "fb" and np.all(np.mod(t, 1) == 0)):
        labels = t.astype(np.intp)
        if labels.size and (labels.min() < 0 or labels.max() >= k):
            raise ValueError(
                f"{name}: labels must lie in [0, {k}) for {k} classes, got values from "
                f"{labels.min()} to {labels.max()}"
            )
        return labels
    return None


def cross_entropy(logits: Any, y: Any, reduction: str = "mean") -> Any:
    """Softmax cross-entropy: J = −Σ_j y_j log softmax(z)_j = logsumexp(z) − z_label.

    Args:
        logits: z of shape (n, k) (or (k,) for one example); softmax is applied here,
            through a stable log-softmax, so the model's output activation is the identity.
        y: integer labels of shape (n,) (PyTorch's class indices), or one-hot / probability
            targets of shape (n, k) with entries in [0, 1].
        reduction: ``"mean"`` over the n examples, ``"sum"`` or ``"none"``.

    δ = softmax(z) − y (one-hot y) for each example.
    """
    name = "cross_entropy"
    z = _nodes(name, "logits", logits)
    t = checks.array(f"{name}: y", y, nonempty=False)
    if z.ndim < 1:
        raise ValueError(f"{name}: logits need a last axis of k classes, got a scalar")
    k = z.shape[-1]
    flat = z.reshape(-1, k)
    if t.shape == z.shape[:-1]:
        _constant(name, y, "class labels")
        labels = _labels(name, t, k)
        if labels is None:
            raise ValueError(
                f"{name}: targets of shape {t.shape} must be integer labels in [0, {k})"
            )
        lp = F.log_softmax(flat)
        loss = -lp[np.arange(flat.shape[0]), labels.reshape(-1)]
    elif t.shape == z.shape:
        _unit_interval(name, "one-hot or probability targets y", t)
        t = _target(name, y, z)  # probabilities may take part in the graph, as in PyTorch
        loss = -(F.log_softmax(flat) * t.reshape(-1, k)).sum(axis=-1)
    else:
        raise ValueError(
            f"{name}: logits of shape {z.shape} need labels of shape {z.shape[:-1]} "
            f"or one-hot targets of shape {z.shape}, got {t.shape}"
        )
    if reduction == "none":
        loss = loss.reshape(z.shape[:-1])
    return _reduce(name, loss, reduction)


def hinge(scores: Any, y: Any, reduction: str = "mean") -> Any:
    """The max-margin loss of micrograd's demo: J = max(0, 1 − y·s) for labels y = ±1."""
    _constant("hinge", y, "labels -1 or +1")
    s, t = _prepare("hinge", scores, y, "scores")
    if not np.all(np.abs(t) == 1):
        bad = np.abs(t) != 1
        raise ValueError(
            f"hinge: labels y must be -1 or +1 (for 0/1 labels pass 2 * y - 1), found "
            f"{t[bad].flat[0].item()!r} {checks.where_bad(bad)}"
        )
    return _reduce("hinge", F.relu(1.0 - t * s), reduction)


def _is_bias(name: str) -> bool:
    parts = [p for p in name.split(".") if not p.isdigit()]
    return bool(parts) and parts[-1] in ("b", "bias")


def l2_penalty(model: Any, lam: float) -> Any:
    """Weight decay (UFLDL): (λ/2) Σ_l Σ_ji (W[l]_ji)², over weights only, biases excluded.

    Its gradient adds λW to each ∂J/∂W and nothing to ∂J/∂b. Biases are the parameters
    named ``b`` or ``bias`` (``layers.0.b``, ``layers.0.neurons.3.b``).
    """
    if not isinstance(lam, numbers.Real) or isinstance(lam, bool) or not 0 <= lam < math.inf:
        raise ValueError(f"l2_penalty: lam must be a non-negative number, got {lam!r}")
    if not callable(getattr(model, "named_parameters", None)):
        raise TypeError(
            f"l2_penalty: model must be a Module (with named_parameters()), got "
            f"{type(model).__name__}"
        )
    terms = [
        (p * p).sum() if isinstance(p, Tensor) else p * p
        for name, p in model.named_parameters()
        if not _is_bias(name)
    ]
    if not terms:
        return 0.0
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return (lam / 2.0) * total
