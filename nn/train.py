"""Training loops: `fit` (mini-batch SGD with any optimizer) and `predict`.

`fit` checks everything before its first step (`nn.fit_checks`), then runs the loop below;
if the loop stops part-way, the exception carries the history so far.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad

from . import checks
from . import fit_checks as checked
from . import functional as F
from .data import batches
from .fit_checks import loss_value
from .fit_replay import replayed_step
from .init import Rng, generator
from .metrics import Metric, accuracy, measure, resolve

__all__ = ["History", "accuracy", "fit", "forward", "predict"]


class History(dict):
    """One list per quantity, one number per epoch: ``history["loss"]`` or ``history.loss``.

    Every entry is a Python float (``J.item()``), so a history never keeps a graph alive.
    """

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


def dtype_of(model: Any) -> np.dtype:
    """The float type the model computes in: its first Tensor parameter's, else float64."""
    if engine_of(model) == "tensor" and callable(getattr(model, "parameters", None)):
        params = model.parameters()
        if params and isinstance(params[0], Tensor):
            return params[0].dtype
    return np.dtype(np.float64)


def forward(model: Any, X: Any, dtype: Any = None) -> Any:
    """The model's outputs for a batch X (n, d): a Tensor, or a list of n Value results.

    On the tensor engine the batch is converted to ``dtype`` (the model's type by default).
    """
    X = X.data if isinstance(X, Tensor) else X
    if engine_of(model) == "value":
        return [model(row) for row in np.asarray(X, dtype=float).tolist()]
    return model(Tensor(np.asarray(X, dtype=dtype if dtype is not None else dtype_of(model))))


def predict(model: Any, X: Any) -> np.ndarray:
    """The model's outputs for X (finite numbers, one row per example) as a numpy array.

    X is converted to the model's float type (a float32 model computes in float32); no
    graph is recorded.
    """
    if not callable(model):
        raise TypeError(f"predict: model must be callable, got {type(model).__name__}")
    X = checks.array("predict: X", X, ndim=(2,) if engine_of(model) == "value" else None)
    X = checks.cast("predict: X", X, dtype_of(model))
    with no_grad():
        return F.to_numpy(forward(model, X))


def stand_in(model: Any, X: np.ndarray) -> Any:
    """Outputs for every row of X: the first example's, repeated (else the real ones).

    Enough for `fit` to check every label against the model's outputs (their number of
    classes, shape and type) at the cost of one example's forward pass.
    """
    with no_grad():
        one = forward(model, X[:1], X.dtype)
        if isinstance(one, list):  # the value engine: one result per example
            return one * len(X)
        if isinstance(one, Tensor) and one.ndim >= 1 and one.shape[0] == 1:
            return Tensor(np.repeat(one.data, len(X), axis=0))
        return forward(model, X, X.dtype)  # outputs that are not one row per example


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
    """Train ``model`` by mini-batch gradient descent.

    Each epoch visits every example once in random batches of ``batch_size`` (all of them
    by default): a random partition each epoch, the course-club notes' scheme
    (``nn.data.batches(scheme="epoch")``; Algorithm 2 of the CS229 notes draws a fresh batch
    each iteration instead, ``scheme="sample"``). Per batch: J = loss(model(X_b), y_b),
    ``zero_grad``, ``J.backward()``, ``optimizer.step()``. Works on both engines. X is
    converted once to the model's float type (float32 for a float32 model).

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
            (see `nn.fit_replay`); metrics then get the outputs as arrays. The graph is
            frozen in a trace: use it with losses and models whose Python control flow does
            not depend on values.

    Returns:
        A `History`: ``history["loss"]`` (or ``history.loss``) holds the mean training loss
        of each epoch, and one list per metric (batch values weighted by batch size), all
        Python floats.

    Raises:
        TypeError, ValueError: bad arguments, all found before the first step, so the model
            and the optimizer are untouched: X and y finite numbers with one row per
            example, X within the model's float type, and the loss and every metric run
            once on all of y (and y_val) against the model's outputs (label range, shapes,
            one number per loss).
        Anything that stops training part-way (the optimizer refusing a step with NaN or
            infinite gradients, Ctrl-C, an error in your loss): re-raised as it is, with the
            epochs finished so far in its ``history`` attribute (``err.history``, a
            `History`; a note on the exception says so). The model keeps the weights of its
            last complete step and is left in training mode.
    """
    X, y, batch_size = checked.data(model, X, y, batch_size, dtype_of(model))
    epochs = checks.integer("epochs", epochs, 0)
    shuffle = checks.flag("shuffle", shuffle)
    loss_fn, named = checked.loss_function(loss), resolve(metrics)
    checked.optimizer(optimizer, scheduler)
    if progress is not None:
        progress = checks.flag("progress", progress)
    traces: dict | None = {} if checks.flag("trace", trace) else None
    validation = None if validation_data is None else checked.validation(validation_data, X)
    checked.loss_on_every_label(loss_fn, named, stand_in(model, X), y, "y")
    if validation is not None:
        Xv, yv = validation
        checked.loss_on_every_label(loss_fn, named, stand_in(model, Xv), yv, "y_val")
    g = generator(rng)
    history = History(loss=[], **{name: [] for name in named})
    if validation is not None:
        history.update({f"val_{k}": [] for k in ["loss", *named]})
    bar = _progress(epochs, progress)
    try:
        for _ in bar:
            _set_training(model, True)
            row = _train_epoch(
                model, X, y, loss_fn, optimizer, named, batch_size, g, shuffle, traces
            )
            if scheduler is not None:
                scheduler.step()
            if validation is not None:
                row |= {
                    f"val_{k}": v for k, v in _evaluate(model, loss_fn, named, *validation).items()
                }
            for name, value in row.items():  # a whole epoch's row, or nothing
                history[name].append(value)
            if hasattr(bar, "set_postfix"):
                bar.set_postfix({k: f"{v[-1]:.4g}" for k, v in history.items()})
    except BaseException as err:  # Ctrl-C too: the user keeps what was learned so far
        err.history = history
        err.add_note(
            f"nn.fit stopped after {len(history['loss'])} of {epochs} epochs; their history "
            "is in this exception's .history"
        )
        raise
    finally:
        _set_training(model, True)
        if hasattr(bar, "close"):
            bar.close()
    return history


def _train_epoch(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    loss_fn: Callable[[Any, Any], Any],
    optimizer: Any,
    named: dict[str, Metric],
    batch_size: int,
    g: np.random.Generator,
    shuffle: bool,
    traces: dict | None,
) -> dict[str, float]:
    """One pass over the data; the mean loss and metrics, weighted by batch size."""
    sums = dict.fromkeys(["loss", *named], 0.0)
    value_engine = engine_of(model) == "value"
    for Xb, yb in batches(X, y, batch_size, rng=g, shuffle=shuffle):
        replayed = None
        if traces is not None:
            replayed = replayed_step(
                traces, model, loss_fn, optimizer, Xb, yb, value_engine, X.dtype
            )
        if replayed is None:
            out = forward(model, Xb, X.dtype)
            J = loss_fn(out, yb)
            value = loss_value(J)
            optimizer.zero_grad()
            J.backward()
            del J  # this step's graph goes before the next forward pass makes its own
        else:
            value, out, yb = replayed
        sums["loss"] += value * len(Xb)
        with no_grad():
            for name, m in named.items():
                sums[name] += measure(name, m, out, yb) * len(Xb)
        optimizer.step()
        del out
    return {name: total / len(X) for name, total in sums.items()}


def _evaluate(
    model: Any,
    loss_fn: Callable[[Any, Any], Any],
    named: dict[str, Metric],
    Xv: np.ndarray,
    yv: np.ndarray,
) -> dict[str, float]:
    """The loss and metrics on validation data, in evaluation mode, with no graph."""
    _set_training(model, False)
    with no_grad():
        out = forward(model, Xv, Xv.dtype)
        values = {"loss": loss_value(loss_fn(out, yv))}
        values.update({name: measure(name, m, out, yv) for name, m in named.items()})
    _set_training(model, True)
    return values
