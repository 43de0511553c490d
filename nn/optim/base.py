"""`Optimizer`: parameters, α and per-parameter state, and a `step` that is all or nothing.

A step checks every gradient first (a finite number for a `Value`, a finite array of the
parameter's shape for a `Tensor`), computes every new value, and only then replaces
parameters and state, so a step that fails leaves the model and the optimizer as they were.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad
from autograd.node import Node

from ..checks import where_bad


class Optimizer:
    """Base class: holds the parameters, ``lr``, and per-parameter state; `step` updates.

    Subclasses implement ``update(theta, g, state, t) -> new theta`` for one parameter,
    where ``t`` counts this parameter's steps from 1 (PyTorch's ``state["step"]``).
    ``update`` assigns new objects to ``state`` entries (never changes them in place), so a
    step that fails part-way can be dropped whole.
    """

    def __init__(self, params: Iterable[Any], lr: float) -> None:
        if isinstance(params, (Value, Tensor)):
            raise TypeError("params must be an iterable of parameters, e.g. model.parameters()")
        try:
            params = list(params)
        except TypeError:
            raise TypeError(
                f"params must be an iterable of parameters, e.g. model.parameters(), got "
                f"{type(params).__name__}"
            ) from None
        if not params:
            raise ValueError("the optimizer got an empty parameter list")
        for i, p in enumerate(params):
            if not isinstance(p, (Value, Tensor)) or p.grad_fn is not None:
                raise TypeError(
                    f"params[{i}] is not a leaf Value or Tensor ({type(p).__name__}); pass "
                    "model.parameters()"
                )
        if len({id(p) for p in params}) != len(params):
            raise ValueError("a parameter appears more than once in params")
        self.params = params
        self.lr = hyperparameter("lr", lr, positive=True)
        self.state: list[dict[str, Any]] = [{} for _ in params]

    def zero_grad(self) -> None:
        """Forget the gradients: a Value's grad becomes 0.0, a Tensor's None (PyTorch's default)."""
        for p in self.params:
            p.grad = 0.0 if isinstance(p, Value) else None

    def step(self) -> None:
        """Update every parameter that has a gradient (Tensors with ``grad=None`` are skipped).

        All or nothing: every gradient is checked first (a number for a Value, an array of
        the parameter's shape for a Tensor), then every new value is computed and checked
        to be finite, and only then are parameters and state replaced. A gradient of the
        wrong shape or holding NaN or infinity, or an update that overflows, raises a
        ValueError naming the parameter and changes nothing (parameters, gradients and
        optimizer state as before).
        """
        changes = []
        update = self.update
        with no_grad():
            for i, (p, old) in enumerate(zip(self.params, self.state, strict=True)):
                g = p.grad
                if type(g) is float:  # a Value's gradient: the common case, checked fast
                    if g - g != 0.0:  # NaN or ±inf
                        raise _refused(i, p, f"has a gradient of {g}")
                elif g is None:
                    continue
                else:
                    g = _array_grad(i, p, g.data if isinstance(g, Node) else g)
                state = old.copy()
                t = state["step"] = state.get("step", 0) + 1
                theta = p.data
                new = update(theta, g, state, t)
                if not (type(new) is float and type(theta) is float and new - new == 0.0):
                    new = new_value(i, p, new, g)  # arrays, and anything not a finite float
                changes.append((p, i, new, state))
            states = list(self.state)
            for _, i, _, state in changes:
                states[i] = state
            commit([(p, new) for p, _, new, _ in changes], self, "state", states)

    def update(self, theta: Any, g: Any, state: dict[str, Any], t: int) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        opts = ", ".join(
            f"{k}={v!r}" for k, v in vars(self).items() if k not in ("params", "state")
        )
        return f"{type(self).__name__}({opts})"


def commit(writes: list[tuple[Any, Any]], owner: Any, name: str, state: Any) -> None:
    """``p.data = new`` for each ``(p, new)``, then ``owner.<name> = state`` in one assignment.

    Ctrl-C can land between any two writes: unless the state was assigned, ``finally``
    writes the old values back, so a step is all or nothing even then (Adam's step count
    is never behind or ahead of the weights).
    """
    old = [p.data for p, _ in writes]
    written = 0
    try:
        for p, new in writes:
            written += 1  # before the write: a write cut short is undone too
            p.data = new
        setattr(owner, name, state)
    finally:
        if getattr(owner, name) is not state:
            for (p, _), data in zip(writes[:written], old, strict=False):
                p.data = data


def _refused(i: int, p: Any, what: str) -> ValueError:
    shape = "a Value" if isinstance(p, Value) else f"shape {p.data.shape}"
    return ValueError(
        f"params[{i}] ({shape}) {what}; no parameter was changed. Check the loss (for NaN: "
        "run it under autograd.detect_anomaly()) or lower the learning rate"
    )


def gradients(params: list[Any]) -> list[Any]:
    """Each parameter's gradient (None for a Tensor without one), checked before any update.

    A Value's gradient must be a finite number, a Tensor's an array of numbers of its shape
    (a gradient recorded with ``create_graph=True`` gives its numbers). NaN or infinity in
    an array shows in the new value, which `new_value` checks: one pass over the numbers.
    """
    out: list[Any] = []
    for i, p in enumerate(params):
        g = p.grad
        if type(g) is float:
            if g - g != 0.0:  # NaN or ±inf
                raise _refused(i, p, f"has a gradient of {g}")
        elif g is not None:
            g = _array_grad(i, p, g.data if isinstance(g, Node) else g)
        out.append(g)
    return out


def _array_grad(i: int, p: Any, g: Any) -> Any:
    try:
        arr = np.asarray(g)
    except (TypeError, ValueError):
        arr = np.asarray(None)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"params[{i}] has a gradient of type {type(g).__name__}; expected numbers")
    shape = () if isinstance(p, Value) else p.data.shape
    if arr.shape != shape:
        raise _refused(i, p, f"has a gradient of shape {arr.shape}")
    return float(arr) if isinstance(p, Value) else arr


def new_value(i: int, p: Any, new: Any, g: Any) -> Any:
    """θ's new value in θ's own type, refused if it is NaN or infinite.

    A NaN or infinite gradient g always makes θ NaN or infinite, so this one check catches
    both; the message then says which of the two it was.
    """
    if isinstance(p, Value):
        new = float(new)
        if math.isfinite(new):
            return new
    else:
        new = np.asarray(new, p.data.dtype)
        if np.isfinite(new).all():
            return new
    bad = ~np.isfinite(np.asarray(g))
    if bad.any():
        where = f"a gradient of {float(g)}" if isinstance(p, Value) else "NaN or infinite"
        what = where if isinstance(p, Value) else f"{where} gradients {where_bad(bad)}"
        raise _refused(i, p, f"has {what}")
    raise _refused(i, p, "would become NaN or infinite after this step")


def hyperparameter(
    name: str, x: Any, low: float = 0.0, high: float | None = None, positive: bool = False
) -> float:
    """A finite number ≥ ``low`` (> 0 if ``positive``) and < ``high``."""
    if not isinstance(x, numbers.Real) or isinstance(x, bool):
        raise TypeError(f"{name} must be a number, got {x!r}")
    if positive and not x > 0:
        raise ValueError(f"{name} must be a number > 0, got {x!r}")
    if not low <= x < math.inf:
        raise ValueError(f"{name} must be a finite number >= {low}, got {x!r}")
    if high is not None and not x < high:
        raise ValueError(f"{name} must be < {high}, got {x!r}")
    return float(x)
