"""Parameter groups, as in PyTorch: lists of parameters, each with its own hyper-parameters.

``SGD(params, lr=0.1)`` makes one group; ``SGD([{"params": body}, {"params": head, "lr":
0.5}], lr=0.1)`` makes two, the first taking every hyper-parameter from the defaults. A
group is a dict (``opt.param_groups[i]["lr"]``) that schedulers and users may change
between steps. Each optimizer names its hyper-parameters and how each is checked.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from autograd import Tensor, Value

Check = Callable[[str, Any], Any]

#: PyTorch's flags that change the numbers, and what to do here instead (False/None only).
UNSUPPORTED = {
    "maximize": "negate the loss instead",
    "differentiable": "differentiating through a step is not supported",
    "capturable": "CUDA graphs are not supported",
}
#: PyTorch's flags that only choose an implementation: accepted, with no effect.
IMPLEMENTATION = ("foreach", "fused")


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


def learning_rate(name: str, x: Any) -> float:
    return hyperparameter(name, x, positive=True)


def nonnegative(name: str, x: Any) -> float:
    return hyperparameter(name, x)


def switch(name: str, x: Any) -> bool:
    """True or False (any truth value, as PyTorch takes it)."""
    return bool(x)


def betas(name: str, x: Any) -> tuple[float, float]:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"{name} must be a pair (beta1, beta2), got {x!r}")
    return (
        hyperparameter(f"{name}[0]", x[0], 0, 1),
        hyperparameter(f"{name}[1]", x[1], 0, 1),
    )


def _prefix(i: int) -> str:
    return f"param_groups[{i}]"


def _key(prefix: str, key: str) -> str:
    return key if not prefix else f"{prefix}[{key!r}]"


def check_group(
    group: Mapping[str, Any], checks: Mapping[str, Check], where: str, decoupled: bool | None
) -> dict[str, Any]:
    """``group``'s hyper-parameters checked (a new dict, "params" left out).

    Every name in ``checks`` must be present; PyTorch's implementation flags are kept,
    its flags that would change the numbers must be off, other keys are kept as they are
    (PyTorch keeps them too: a group's "name", say).
    """
    out: dict[str, Any] = {}
    for key, value in group.items():
        if key == "params":
            continue
        if key in checks:
            out[key] = checks[key](_key(where, key), value)
        elif key in UNSUPPORTED:
            if value not in (None, False):
                raise ValueError(
                    f"{_key(where, key)}={value!r} is not supported: {UNSUPPORTED[key]}"
                )
            out[key] = value
        elif key == "decoupled_weight_decay" and decoupled is not None:
            if bool(value) != decoupled:
                use = "AdamW" if value else "Adam"
                raise ValueError(f"{_key(where, key)}={value!r}: use nn.optim.{use} for that")
            out[key] = value
        else:
            out[key] = value
    missing = [k for k in checks if k not in out]
    if missing:
        raise ValueError(f"{where or 'the group'} has no {', '.join(map(repr, missing))}")
    return out


def _parameters(params: Any, where: str) -> list[Any]:
    if isinstance(params, (Value, Tensor)):
        return [params]  # PyTorch takes a lone tensor as a group's params
    if isinstance(params, (str, bytes, Mapping)) or not isinstance(params, Iterable):
        raise TypeError(
            f"{where} must be an iterable of parameters, e.g. model.parameters(), got "
            f"{type(params).__name__}"
        )
    return list(params)


def make_groups(
    params: Any,
    defaults: Mapping[str, Any],
    check: Callable[[Mapping[str, Any], str], dict],
    first: int = 0,
) -> list[dict[str, Any]]:
    """The parameter groups of ``params`` (parameters, or dicts with "params").

    ``check(group, where)`` returns the group's checked hyper-parameters; ``where`` names
    the group in messages ("" for the one group made of a plain list).
    """
    if isinstance(params, (Value, Tensor)):
        raise TypeError("params must be an iterable of parameters, e.g. model.parameters()")
    items = _parameters(params, "params")
    if not items:
        raise ValueError("the optimizer got an empty parameter list")
    given = items if all(isinstance(x, Mapping) for x in items) else None
    if given is None and any(isinstance(x, Mapping) for x in items):
        raise TypeError("params must be all parameters or all dicts (parameter groups), not both")
    groups = []
    for i, raw in enumerate(given or [{"params": items}]):
        where = "" if given is None else _prefix(first + i)
        if "params" not in raw:
            raise ValueError(f"{where} has no 'params' (a group is {{'params': [...], ...}})")
        group = check({**defaults, **raw}, where)
        group["params"] = _parameters(raw["params"], _key(where, "params"))
        groups.append(group)
    check_parameters(groups, grouped=given is not None)
    return groups


def check_parameters(groups: list[dict[str, Any]], grouped: bool) -> None:
    """Every parameter a leaf Value or Tensor, and none in two places."""
    seen: dict[int, str] = {}
    for gi, group in enumerate(groups):
        for j, p in enumerate(group["params"]):
            where = f"param_groups[{gi}]['params'][{j}]" if grouped else f"params[{j}]"
            if not isinstance(p, (Value, Tensor)) or p.grad_fn is not None:
                raise TypeError(
                    f"{where} is not a leaf Value or Tensor ({type(p).__name__}); pass "
                    "model.parameters()"
                )
            if id(p) in seen:
                raise ValueError(
                    f"a parameter appears more than once in params ({seen[id(p)]} and {where})"
                )
            seen[id(p)] = where
