"""The notes' "gradient update schedule": a rule that transforms the gradient every step.

Course-club notes (001): at each mini-batch the gradient g (all parameters together) is
rescaled or transformed by a user-chosen rule before θ ← θ − step. The plain rule is
α·g, the normalised one α·g/‖g‖, AdaGrad adapts α per coordinate; any function
``rule(grads, lr, state) -> steps`` can be passed in.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from autograd import no_grad

from .base import Optimizer, commit, gradients, new_value
from .state import per_parameter

Rule = Callable[[list[Any], float, dict[str, Any]], list[Any]]


def constant(grads: list[Any], lr: float, state: dict[str, Any]) -> list[Any]:
    """step = α·g (plain gradient descent)."""
    return [lr * g for g in grads]


def normalized(grads: list[Any], lr: float, state: dict[str, Any]) -> list[Any]:
    """step = α·g/‖g‖, ‖g‖ the Euclidean norm of the whole gradient (every parameter).

    Only the direction of g is used, so each step has length α; a zero gradient gives no step.
    """
    norm = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads)))
    if norm == 0.0:
        return [0.0 * g for g in grads]
    return [(lr / norm) * g for g in grads]


def sqrt(x: Any) -> Any:
    """√x of a float (a float) or an array (an array): the one square root of the updates.

    √(x < 0) is NaN for both, as numpy gives it, so the step refuses it with its message.
    """
    if isinstance(x, np.ndarray):
        return np.sqrt(x)
    return math.sqrt(x) if x >= 0.0 else math.nan


def adagrad_step(g: Any, G: Any, lr: float, eps: float) -> tuple[Any, Any]:
    """AdaGrad for one parameter: G ← G + g², step = α·g/(√G + ε); returns (step, G)."""
    G = G + g * g
    return lr * g / (sqrt(G) + eps), G


def adagrad(grads: list[Any], lr: float, state: dict[str, Any], eps: float = 1e-10) -> list[Any]:
    """AdaGrad: G ← G + g² per coordinate, step = α·g/(√G + ε) (`adagrad_step` on each)."""
    G = state.get("G") or [0.0 * g for g in grads]
    pairs = [adagrad_step(g, Gi, lr, eps) for g, Gi in zip(grads, G, strict=True)]
    state["G"] = [Gi for _, Gi in pairs]
    return [step for step, _ in pairs]


RULES: dict[str, Rule] = {"constant": constant, "normalized": normalized, "adagrad": adagrad}


class GradientUpdate(Optimizer):
    """θ ← θ − rule(g): gradient descent with a gradient update schedule (notes 001).

    Args:
        params: the parameters (Values or Tensors).
        rule: ``"constant"`` (α·g), ``"normalized"`` (α·g/‖g‖), ``"adagrad"``, or a function
            ``rule(grads, lr, state) -> steps`` taking the list of gradients (floats or
            arrays, one per parameter), the current α and a dict it may keep state in, and
            returning one step per parameter.
        lr: α (learning-rate schedules change it between steps).
    """

    def __init__(self, params: Iterable[Any], rule: str | Rule = "normalized", lr: float = 0.1):
        super().__init__(params, {"lr": lr})
        if len(self.param_groups) != 1:
            raise ValueError(
                "GradientUpdate transforms the whole gradient with one α and takes one "
                f"parameter group, got {len(self.param_groups)}; use one GradientUpdate per group"
            )
        if isinstance(rule, str) and rule in RULES:
            rule = RULES[rule]
        if not callable(rule):
            raise ValueError(f"rule must be one of {sorted(RULES)} or a function, got {rule!r}")
        self.rule = rule
        self.rule_state: dict[str, Any] = {}

    def step(self) -> None:
        """Apply the rule to the whole gradient, then θ ← θ − step for every parameter.

        All or nothing, as `Optimizer.step`: the gradients are checked, the rule runs on a
        copy of its state, and parameters and state change only once every step has the
        parameter's shape and leaves it finite.
        """
        grads = [
            np.zeros_like(p.data) if g is None else g
            for p, g in zip(self.params, gradients(self.params), strict=True)
        ]
        state = dict(self.rule_state)
        steps = self.rule(grads, self.lr, state)
        if not isinstance(steps, (list, tuple)) or len(steps) != len(self.params):
            n = len(steps) if isinstance(steps, (list, tuple)) else type(steps).__name__
            raise ValueError(f"the rule returned {n} steps for {len(self.params)} parameters")
        news = []
        with no_grad():
            for i, (p, s) in enumerate(zip(self.params, steps, strict=True)):
                if np.shape(s) not in ((), np.shape(p.data)):
                    raise ValueError(
                        f"the rule's step {i} has shape {np.shape(s)}, but params[{i}] has "
                        f"shape {np.shape(p.data)}; no parameter was changed"
                    )
                news.append(new_value(i, p, p.data - s, grads[i]))
            commit(list(zip(self.params, news, strict=True)), self, "rule_state", state)

    def add_param_group(self, param_group: Any) -> None:
        raise ValueError(
            "GradientUpdate takes one parameter group; use one GradientUpdate per group"
        )

    def update(
        self, theta: Any, g: Any, state: dict[str, Any], t: int, group: dict[str, Any]
    ) -> Any:
        raise NotImplementedError("GradientUpdate transforms the whole gradient in step()")

    def state_dict(self) -> dict[str, Any]:
        """`Optimizer.state_dict` plus ``"rule_state"``, a copy of what the rule keeps."""
        return {**super().state_dict(), "rule_state": copy.deepcopy(self.rule_state)}

    def prepare_load(self, state_dict: Mapping[str, Any]) -> dict[str, Any]:
        """`Optimizer.prepare_load`, and the rule's state from ``"rule_state"``.

        The built-in ``adagrad`` rule's sums are checked (one finite array per parameter,
        of its shape); a rule of your own gets a copy of what was saved.
        """
        out = super().prepare_load(state_dict)
        rule_state = state_dict.get("rule_state", {})
        if not isinstance(rule_state, Mapping):
            raise TypeError(f"state dict 'rule_state' must be a dict, got {rule_state!r:.60}")
        rule_state = copy.deepcopy(dict(rule_state))
        if self.rule is adagrad and "G" in rule_state:
            rule_state["G"] = per_parameter("rule_state['G']", rule_state["G"], self.params)
        return {**out, "rule_state": rule_state}
