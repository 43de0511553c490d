"""`Optimizer`: parameter groups, per-parameter state, and a `step` that is all or nothing.

A step checks every gradient first (a finite number for a `Value`, a finite array of the
parameter's shape for a `Tensor`), computes every new value, and only then replaces
parameters and state (`commit`), so a step that fails, or is cut short by Ctrl-C, leaves
the model and the optimizer as they were. Groups live in `groups`, state dicts in `state`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import numpy as np

from autograd import Tensor, Value, no_grad

from ..checks import where_bad
from ..module import zero_grads
from .groups import Check, check_group, check_parameters, learning_rate, make_groups, nonnegative
from .state import OptimizerState, checked_state, install, state_dict


class Optimizer:
    """Base class: parameter groups with their hyper-parameters, per-parameter state, `step`.

    ``params`` is an iterable of parameters (one group) or of dicts ``{"params": [...],
    "lr": ...}`` (PyTorch's parameter groups; a hyper-parameter a group leaves out comes
    from the keyword arguments). ``opt.param_groups[i]`` is a dict whose values schedulers
    and users may change between steps; ``opt.state[p]`` is parameter ``p``'s state, with
    PyTorch's names (``"step"``, ``"exp_avg"``, ...), as floats and numpy arrays
    (`OptimizerState`: a mapping keyed by the parameters; ``opt.state[j]`` is the j-th's).

    Subclasses list their hyper-parameters in ``checks`` and their state in
    ``state_names`` (kept with ``"step"`` unless ``counts_steps`` is False), and implement
    ``update(theta, g, state, t, group) -> new theta`` for one parameter, where ``t``
    counts this parameter's steps from 1 (``state["step"]``).
    ``update`` assigns new objects to ``state`` entries (never changes them in place), so a
    step that fails part-way can be dropped whole.
    """

    checks: ClassVar[dict[str, Check]] = {"lr": learning_rate}
    state_names: ClassVar[tuple[str, ...]] = ()
    decoupled: ClassVar[bool | None] = None  # Adam's family: PyTorch's decoupled_weight_decay
    counts_steps: ClassVar[bool] = True  # keeps state["step"] (PyTorch's SGD does not)

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = self.check_group(defaults, "")
        self.param_groups: list[dict[str, Any]] = make_groups(
            params, self.defaults, self.check_group
        )
        self.state = OptimizerState(self, [{} for _ in self.params])

    def check_group(
        self, group: Mapping[str, Any], where: str, loading: bool = False
    ) -> dict[str, Any]:
        """``group``'s hyper-parameters, checked (``where`` names the group in messages).

        A loaded group may have ``lr = 0`` (where a schedule took it); a new one may not.
        """
        checks = {**self.checks, "lr": nonnegative} if loading else self.checks
        return check_group(group, checks, where, self.decoupled)

    def required_state(self, group: Mapping[str, Any]) -> tuple[str, ...]:
        """The state entries a parameter that has taken a step must have, in ``group``."""
        return ("step", *self.state_names) if self.counts_steps else self.state_names

    @property
    def state(self) -> OptimizerState:
        """Each parameter's state, keyed by the parameter (`OptimizerState`)."""
        return self._state

    @state.setter
    def state(self, value: OptimizerState) -> None:
        if not isinstance(value, OptimizerState):
            raise TypeError(
                f"opt.state cannot be replaced by a {type(value).__name__}; restore a state "
                "with opt.load_state_dict(...), or build a new optimizer to start afresh"
            )
        self._state = value

    @property
    def params(self) -> list[Any]:
        """Every parameter, group after group (the order of ``state``)."""
        return [p for group in self.param_groups for p in group["params"]]

    @property
    def lr(self) -> float:
        """α, when every group has the same; setting it sets every group's."""
        lrs = [group["lr"] for group in self.param_groups]
        if any(lr != lrs[0] for lr in lrs):
            raise ValueError(
                f"the parameter groups have different learning rates {lrs}; read "
                "opt.param_groups[i]['lr']"
            )
        return lrs[0]

    @lr.setter
    def lr(self, value: float) -> None:
        lr = learning_rate("lr", value)
        for group in self.param_groups:
            group["lr"] = lr

    def add_param_group(self, param_group: Mapping[str, Any]) -> None:
        """Add a group (PyTorch's ``add_param_group``): ``{"params": [...], "lr": ...}``."""
        if not isinstance(param_group, Mapping):
            raise TypeError(f"param_group must be a dict, got {type(param_group).__name__}")
        first = len(self.param_groups)
        (group,) = make_groups([param_group], self.defaults, self.check_group, first)
        check_parameters([*self.param_groups, group], grouped=True)
        states = [*self.state.by_position, *({} for _ in group["params"])]
        install(self, state=OptimizerState(self, states), param_groups=[*self.param_groups, group])

    def zero_grad(self) -> None:
        """Forget the gradients: a Value's grad becomes 0.0, a Tensor's None (PyTorch's default)."""
        zero_grads(self.params)

    def step(self) -> None:
        """Update every parameter that has a gradient (Tensors with ``grad=None`` are skipped).

        All or nothing: every gradient is checked first (a number for a Value, an array of
        the parameter's shape for a Tensor), then every new value is computed and checked
        to be finite, and only then are parameters and state replaced. A gradient of the
        wrong shape or holding NaN or infinity, or an update that overflows, raises a
        ValueError naming the parameter and changes nothing (parameters, gradients and
        optimizer state as before); so does Ctrl-C.
        """
        old = self.state.aligned()
        changes = []
        update, counts_steps = self.update, self.counts_steps
        i = -1
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    i += 1
                    g = checked_grad(i, p)
                    if g is None:
                        continue
                    state = old[i].copy()
                    t = state.get("step", 0) + 1
                    if counts_steps:
                        state["step"] = t
                    theta = p.data
                    new = update(theta, g, state, t, group)
                    if not (type(new) is float and type(theta) is float and new - new == 0.0):
                        new = new_value(i, p, new, g)  # arrays, and anything not a finite float
                    changes.append((p, i, new, state))
            states = list(old)
            for _, i, _, state in changes:
                states[i] = state
            new_state = OptimizerState(self, states)
            commit([(p, new) for p, _, new, _ in changes], self, "state", new_state)

    def update(
        self, theta: Any, g: Any, state: dict[str, Any], t: int, group: dict[str, Any]
    ) -> Any:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """PyTorch's form: ``{"state": {j: {...}}, "param_groups": [{..., "params": [j]}]}``.

        Copies: later steps do not change it. Parameters are numbered in group order.
        """
        return state_dict(self)

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore hyper-parameters and state from `state_dict` (ours, or PyTorch's as numpy).

        Everything is checked first (group and parameter counts, hyper-parameters, state
        names, shapes, finite numbers); a bad dict raises naming what is wrong and changes
        nothing. The parameters stay this optimizer's own, matched by position.
        """
        install(self, **self.prepare_load(state_dict))

    def prepare_load(self, state_dict: Mapping[str, Any]) -> dict[str, Any]:
        """What `load_state_dict` would set (attribute → value), checked; nothing changes."""
        groups, states = checked_state(self, state_dict)
        return {"param_groups": groups, "state": OptimizerState(self, states)}

    def __repr__(self) -> str:
        def hyper(group: Mapping[str, Any]) -> str:
            return ", ".join(f"{k}={v!r}" for k, v in group.items() if k != "params")

        if len(self.param_groups) == 1:
            return f"{type(self).__name__}({hyper(self.param_groups[0])})"
        groups = ", ".join(f"[{len(g['params'])} params: {hyper(g)}]" for g in self.param_groups)
        return f"{type(self).__name__}({groups})"


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


def checked_grad(i: int, p: Any) -> Any:
    """``params[i]``'s gradient, checked before any update (None: a Tensor without one).

    A Value's gradient must be a finite number, a Tensor's an array of numbers of its shape
    (a gradient recorded with ``create_graph=True`` gives its numbers). NaN or infinity in
    an array shows in the new value, which `new_value` checks: one pass over the numbers.
    """
    g = p.grad
    if type(g) is float:  # a Value's gradient: the common case, checked fast
        if g - g != 0.0:  # NaN or ±inf
            raise _refused(i, p, f"has a gradient of {g}")
        return g
    if g is None:
        return None
    return _array_grad(i, p, g.data if isinstance(g, (Tensor, Value)) else g)


def gradients(params: list[Any]) -> list[Any]:
    """Each parameter's `checked_grad`, in order."""
    return [checked_grad(i, p) for i, p in enumerate(params)]


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
