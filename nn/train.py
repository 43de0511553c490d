"""Training loops: `fit` (mini-batch SGD with any optimizer), `predict`, `accuracy`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad, replay
from autograd.node import Node

from . import checks
from . import functional as F
from . import losses as L
from .data import batches
from .init import Rng, generator


class History(dict):
    """One list per quantity, one number per epoch: ``history["loss"]`` or ``history.loss``."""

    def __getattr__(self, name: str) -> list[float]:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no {name!r} in this history; it has {list(self)}") from None


def engine_of(model: Any) -> str:
    """``"value"`` or ``"tensor"``: the model's ``engine``, else its parameters' type."""
    engine = getattr(model, "engine", None)
    if engine in ("value", "tensor"):
        return engine
    params = model.parameters() if hasattr(model, "parameters") else []
    return "value" if params and isinstance(params[0], Value) else "tensor"


def forward(model: Any, X: Any) -> Any:
    """The model's outputs for a batch X (n, d): a Tensor, or a list of n Value results."""
    X = X.data if isinstance(X, Tensor) else X
    if engine_of(model) == "value":
        return [model(row) for row in np.asarray(X, dtype=float).tolist()]
    params = model.parameters() if hasattr(model, "parameters") else []
    dtype = params[0].dtype if params else np.float64  # the batch in the model's float type
    return model(Tensor(np.asarray(X, dtype=dtype)))


def predict(model: Any, X: Any) -> np.ndarray:
    """The model's outputs for X (finite numbers, one row per example) as a numpy array.

    No graph is recorded.
    """
    if not callable(model):
        raise TypeError(f"predict: model must be callable, got {type(model).__name__}")
    X = checks.array("predict: X", X, ndim=(2,) if engine_of(model) == "value" else None)
    with no_grad():
        return F.to_numpy(forward(model, X))


def accuracy(pred: Any, y: Any, threshold: float = 0.0) -> float:
    """The fraction of examples classified right.

    ``pred`` may be labels, class scores of shape (n, k) (logits or probabilities: argmax),
    or one score per example (n,) or (n, 1), read as class 1 (or +1) above ``threshold``
    (0 for logits and micrograd's ±1 scores; pass 0.5 for probabilities). ``y`` holds
    labels (0..k−1 for class scores, 0/1 or ±1 for one score) or one-hot rows.
    """
    p, t = checks.array("accuracy: pred", pred), checks.array("accuracy: y", y)
    threshold = checks.number("threshold", threshold)
    if t.ndim == 2 and t.shape == p.shape and t.shape[1] > 1:
        t = t.argmax(axis=-1)
    if t.dtype.kind == "f" and not np.all(np.mod(t, 1) == 0):
        raise ValueError(
            "accuracy: y must hold class labels (whole numbers) or one-hot rows, found "
            f"{t[np.mod(t, 1) != 0].flat[0].item()!r}; accuracy is for classification"
        )
    if p.ndim == t.ndim + 1 and p.shape[-1] > 1:
        checks.labels("accuracy: y", t, p.shape[-1])
        guess = p.argmax(axis=-1)
    else:
        if p.ndim == t.ndim + 1 and p.shape[-1] == 1:
            p = p[..., 0]
        if p.dtype.kind in "iub":
            guess = p
        else:
            kinds = set(np.unique(t).tolist())
            if not (kinds <= {0, 1} or kinds <= {-1, 1}):
                raise ValueError(
                    f"accuracy: with one score per example y must hold 0/1 or -1/+1 labels, "
                    f"got the values {sorted(kinds)[:5]}"
                )
            guess = np.where(p > threshold, 1, -1 if -1 in kinds else 0)
    if guess.shape != t.shape:
        raise ValueError(f"accuracy: predictions of shape {p.shape} do not match labels {t.shape}")
    return float(np.mean(guess == t))


Metric = Callable[[Any, Any], float]


def _metrics(metrics: Any) -> dict[str, Metric]:
    if isinstance(metrics, Mapping):
        items = list(metrics.items())
    elif isinstance(metrics, (str, Sequence)):
        seq = [metrics] if isinstance(metrics, str) else list(metrics)
        items = [(m if isinstance(m, str) else getattr(m, "__name__", "metric"), m) for m in seq]
    else:
        raise TypeError(f"metrics must be a list of names or functions, or a dict, got {metrics!r}")
    out = {}
    for name, m in items:
        if m == "accuracy":
            m = accuracy
        if not callable(m):
            raise ValueError(f"unknown metric {m!r}: use 'accuracy' or a function (outputs, y)")
        out[name] = m
    return out


def _loss(loss: Any) -> Callable[[Any, Any], Any]:
    if isinstance(loss, str):
        fn = getattr(L, loss, None)
        if fn is None or loss.startswith("_") or loss in ("l2_penalty", "softplus"):
            raise ValueError(f"unknown loss {loss!r}: use a name from nn.losses or a function")
        return fn
    if not callable(loss):
        raise TypeError(f"loss must be a function (outputs, y) -> J or a name, got {loss!r}")
    return loss


def _data(model: Any, X: Any, y: Any, batch_size: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """fit's X (n, d) and y (n rows), finite numbers, and the batch size (n by default)."""
    if not callable(model):
        raise TypeError(f"fit: model must be callable (X -> outputs), got {type(model).__name__}")
    X = checks.array("fit: X", X, ndim=(2,)).astype(float)
    y = checks.array("fit: y", y)
    if len(X) != len(y):
        raise ValueError(f"fit: X must be (n, d) and y have n rows, got {X.shape} and {y.shape}")
    nin = getattr(model, "nin", None)
    if isinstance(nin, int) and X.shape[1] != nin:
        raise ValueError(f"fit: the model takes {nin} inputs per example, X has {X.shape[1]}")
    if batch_size is None:
        return X, y, len(X)
    return X, y, checks.integer("batch_size", batch_size, 1)


def _validation(data: Any, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"validation_data must be a pair (X_val, y_val), got {type(data).__name__}")
    Xv = checks.array("validation_data X_val", data[0], ndim=(2,))
    yv = checks.array("validation_data y_val", data[1])
    if Xv.shape[1] != X.shape[1] or len(Xv) != len(yv):
        raise ValueError(
            f"validation_data: X_val must be (m, {X.shape[1]}) and y_val have m rows, got "
            f"{Xv.shape} and {yv.shape}"
        )
    return Xv, yv


def _progress(epochs: int, progress: bool | None) -> Any:
    """tqdm over the epochs when asked, or (None) when stderr is a terminal; else a range."""
    if progress is False or (progress is None and not sys.stderr.isatty()):
        return range(epochs)
    try:
        from tqdm import tqdm
    except ImportError:
        return range(epochs)
    # delay: short runs finish before a bar is drawn; only long runs show one.
    return tqdm(range(epochs), desc="fit", unit="epoch", delay=0.0 if progress else 1.0)


def _set_training(model: Any, mode: bool) -> None:
    train = getattr(model, "train", None)  # a plain function as the model has no modes
    if callable(train):
        train(mode)


def _number(J: Any) -> float:
    if not isinstance(J, Node):
        raise TypeError(f"the loss must return a Value or a Tensor, got {type(J).__name__}")
    if np.size(J.data) != 1:
        raise ValueError(
            f"the loss must return one number (reduction 'mean' or 'sum'), got shape "
            f"{np.shape(J.data)}"
        )
    return float(np.asarray(J.data).reshape(()))


def _replayed(traces: dict, model: Any, loss_fn: Any, opt: Any, Xb: Any, yb: Any) -> Any:
    """fit(trace=True): zero the gradients and replay one batch, giving ``(J, outputs, yb)``;
    or None, to run the dynamic step.

    The losses read targets as numbers, constants of the graph, so a trace serves one set
    of targets: the batch is put in the order of its targets (a mean or sum over examples
    does not depend on their order but for rounding) and traced the second time the same
    targets come (full batch: from the second epoch on; ±1 labels: once per count of +1s),
    at most 16 traces. Other batches, a ragged last one included, run the dynamic step.
    """
    order = np.lexsort(yb.reshape(len(yb), -1).T[::-1])
    Xb, yb = Xb[order], yb[order]
    key = (Xb.shape, yb.shape, yb.dtype.str, yb.tobytes())
    made = traces.get(key)
    if made is None or made == 1:
        if made is None or sum(v != 1 for v in traces.values()) >= 16:
            if len(traces) < 10_000:
                traces[key] = 1  # seen once: the dynamic step this time
            return None
        value = engine_of(model) == "value"
        params = [] if value else model.parameters()
        dtype = params[0].dtype if params else np.float64  # as `forward` converts a batch

        def convert(X: np.ndarray) -> Any:
            return X.tolist() if value else X.astype(dtype)

        def f(xs: Any, y_b: np.ndarray = yb) -> Any:
            out = [model(row) for row in xs] if value else model(xs)
            return loss_fn(out, y_b), out

        traces[key] = made = (replay.trace(f, convert(Xb)), convert)
    step, convert = made
    opt.zero_grad()
    J, out = step(convert(Xb))
    return float(np.asarray(J).reshape(())), out, yb


def fit(
    model: Any,
    X: Any,
    y: Any,
    loss: Callable[[Any, Any], Any] | str,
    optimizer: Any,
    epochs: int = 1,
    batch_size: int | None = None,
    rng: Rng = None,
    shuffle: bool = True,
    metrics: Any = (),
    validation_data: tuple[Any, Any] | None = None,
    scheduler: Any = None,
    progress: bool | None = None,
    trace: bool = False,
) -> History:
    """Train ``model`` by mini-batch gradient descent (Algorithm 2 of the CS229 notes).

    Each epoch visits every example once in random batches of ``batch_size`` (all of them
    by default); per batch: J = loss(model(X_b), y_b), ``zero_grad``, ``J.backward()``,
    ``optimizer.step()``. Works on both engines.

    Args:
        loss: ``loss(outputs, y_b) -> J`` (e.g. ``nn.losses.cross_entropy``, or a lambda
            adding ``nn.losses.l2_penalty(model, lam)``), or the name of an `nn.losses` loss.
        metrics: names (``"accuracy"``) or functions ``f(outputs, y_b) -> float``, or a dict.
        validation_data: ``(X_val, y_val)``, evaluated after each epoch as ``val_<name>``.
        scheduler: a learning-rate schedule, stepped once per epoch.
        progress: True/False to force the tqdm bar on or off; None shows it on runs longer
            than a second when stderr is a terminal and tqdm is installed.
        trace: replay recorded steps (`autograd.trace`) instead of building the graph each
            step: the same numbers to rounding, many times faster on the value engine.
            Within a batch the examples are ordered by target, and a batch whose targets
            come a second time is traced and then replayed; others run the dynamic step
            (see `_replayed`); metrics then get the outputs as arrays. The graph is frozen
            in a trace: use it with losses and models whose Python control flow does not
            depend on values.

    Returns:
        A `History`: ``history["loss"]`` (or ``history.loss``) holds the mean training loss
        of each epoch, and one list per metric (batch values weighted by batch size).

    Raises:
        TypeError, ValueError: bad arguments (X and y must be finite numbers, one row per
            example), checked before any training; and a step the optimizer refuses (NaN
            or infinite gradients: the model keeps the weights of the last good step).
    """
    X, y, batch_size = _data(model, X, y, batch_size)
    epochs = checks.integer("epochs", epochs, 0)
    shuffle = checks.flag("shuffle", shuffle)
    loss_fn, named = _loss(loss), _metrics(metrics)
    if not callable(getattr(optimizer, "step", None)) or not callable(
        getattr(optimizer, "zero_grad", None)
    ):
        raise TypeError(f"optimizer must have step() and zero_grad(), got {optimizer!r}")
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(f"scheduler must have step() (or be None), got {scheduler!r}")
    if progress is not None:
        progress = checks.flag("progress", progress)
    traces: dict | None = {} if checks.flag("trace", trace) else None
    if validation_data is not None:
        Xv, yv = _validation(validation_data, X)
    g = generator(rng)
    history = History(loss=[], **{name: [] for name in named})
    if validation_data is not None:
        history.update({f"val_{k}": [] for k in ["loss", *named]})
    bar = _progress(epochs, progress)
    for _ in bar:
        _set_training(model, True)
        sums = dict.fromkeys(["loss", *named], 0.0)
        for Xb, yb in batches(X, y, batch_size, rng=g, shuffle=shuffle):
            replayed = None
            if traces is not None:
                replayed = _replayed(traces, model, loss_fn, optimizer, Xb, yb)
            if replayed is None:
                out = forward(model, Xb)
                J = loss_fn(out, yb)
                value = _number(J)
                optimizer.zero_grad()
                J.backward()
            else:
                value, out, yb = replayed
            optimizer.step()
            sums["loss"] += value * len(Xb)
            for name, m in named.items():
                sums[name] += float(m(out, yb)) * len(Xb)
        if scheduler is not None:
            scheduler.step()
        for name, total in sums.items():
            history[name].append(total / len(X))
        if validation_data is not None:
            _set_training(model, False)
            with no_grad():
                out = forward(model, Xv)
                history["val_loss"].append(_number(loss_fn(out, yv)))
                for name, m in named.items():
                    history[f"val_{name}"].append(float(m(out, yv)))
            _set_training(model, True)
        if hasattr(bar, "set_postfix"):
            bar.set_postfix({k: f"{v[-1]:.4g}" for k, v in history.items()})
    if hasattr(bar, "close"):
        bar.close()
    return history
