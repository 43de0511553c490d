"""`fit`'s arguments, all checked before its first step, so a refused call trains nothing.

Besides types and ranges, the labels are checked against the model itself: the loss and
every metric run once on all of y, with the model's output for the first example standing
in for every example's. So a label out of range in the last batch, or targets of the wrong
shape, are found at the call (one example's forward pass, not a pass over X), not after
the weights have been trained for several steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad

from . import checks
from . import losses as L
from .metrics import Metric, measure


def data(
    model: Any, X: Any, y: Any, batch_size: Any, dtype: np.dtype
) -> tuple[np.ndarray, np.ndarray, int]:
    """X (n, d) in the model's float type and y (n rows), finite numbers; the batch size."""
    if not callable(model):
        raise TypeError(f"fit: model must be callable (X -> outputs), got {type(model).__name__}")
    X = checks.cast("fit: X", checks.array("fit: X", X, ndim=(2,)), dtype)
    y = checks.array("fit: y", y)
    if len(X) != len(y):
        raise ValueError(f"fit: X must be (n, d) and y have n rows, got {X.shape} and {y.shape}")
    nin = getattr(model, "nin", None)
    if isinstance(nin, int) and X.shape[1] != nin:
        raise ValueError(f"fit: the model takes {nin} inputs per example, X has {X.shape[1]}")
    if batch_size is None:
        return X, y, len(X)
    return X, y, checks.integer("batch_size", batch_size, 1)


def loss_function(loss: Any) -> Callable[[Any, Any], Any]:
    """``loss`` as a function: a name from `nn.losses`, or a callable ``(outputs, y) -> J``."""
    if isinstance(loss, str):
        fn = getattr(L, loss, None)
        if fn is None or loss.startswith("_") or loss in ("l2_penalty", "softplus"):
            raise ValueError(f"unknown loss {loss!r}: use a name from nn.losses or a function")
        return fn
    if not callable(loss):
        raise TypeError(f"loss must be a function (outputs, y) -> J or a name, got {loss!r}")
    return loss


def optimizer(opt: Any, scheduler: Any) -> None:
    """The optimizer has ``step()`` and ``zero_grad()``; the scheduler ``step()`` (or None)."""
    if not callable(getattr(opt, "step", None)) or not callable(getattr(opt, "zero_grad", None)):
        raise TypeError(f"optimizer must have step() and zero_grad(), got {opt!r}")
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(f"scheduler must have step() (or be None), got {scheduler!r}")


def validation(pair: Any, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(X_val, y_val)`` with X's width, in X's float type, one label row per example."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise TypeError(f"validation_data must be a pair (X_val, y_val), got {type(pair).__name__}")
    Xv = checks.array("validation_data X_val", pair[0], ndim=(2,))
    yv = checks.array("validation_data y_val", pair[1])
    if Xv.shape[1] != X.shape[1] or len(Xv) != len(yv):
        raise ValueError(
            f"validation_data: X_val must be (m, {X.shape[1]}) and y_val have m rows, got "
            f"{Xv.shape} and {yv.shape}"
        )
    return checks.cast("validation_data X_val", Xv, X.dtype), yv


def loss_value(J: Any) -> float:
    """The loss as a Python float (``J.item()``); it must be one number in a Value or Tensor."""
    if not isinstance(J, (Value, Tensor)):
        raise TypeError(f"the loss must return a Value or a Tensor, got {type(J).__name__}")
    if np.size(J.data) != 1:
        raise ValueError(
            f"the loss must return one number (reduction 'mean' or 'sum'), got shape "
            f"{np.shape(J.data)}"
        )
    return J.item()


def loss_on_every_label(
    loss_fn: Callable[[Any, Any], Any],
    metrics: dict[str, Metric],
    out: Any,
    y: np.ndarray,
    what: str,
) -> None:
    """Run the loss and each metric once on ``out`` and all of ``y`` (no graph is recorded).

    ``out`` stands for the model's outputs on every example (`nn.train.stand_in`).
    """
    try:
        with no_grad():
            loss_value(loss_fn(out, y))
            for name, m in metrics.items():
                measure(name, m, out, y)
    except Exception as err:
        err.add_note(
            f"nn.fit runs the loss and metrics once on all of {what} before its first step; "
            "nothing was trained"
        )
        raise
