"""An optimizer's ``state_dict``: PyTorch's layout, copied on the way out, checked on the way in.

``{"state": {j: {"step": 3, "exp_avg": ...}}, "param_groups": [{"lr": ..., "params": [j]}]}``,
parameters numbered group after group. `checked_state` checks a whole dict (ours, or a
PyTorch optimizer's with its tensors) against the optimizer before anything changes, and
`install` then puts it in place in one step, so a resumed run equals an uninterrupted one.
`OptimizerState` is ``opt.state``: PyTorch's mapping from each parameter to its state.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import ItemsView, Iterator, Mapping, Sequence, ValuesView
from typing import Any

import numpy as np

from autograd import Tensor, Value


def state_dict(opt: Any) -> dict[str, Any]:
    """A copy of ``opt``'s hyper-parameters and per-parameter state (see the module)."""
    groups, j = [], 0
    for group in opt.param_groups:
        n = len(group["params"])
        hyper = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
        groups.append({**hyper, "params": list(range(j, j + n))})
        j += n
    state = {
        j: {k: _copied(v) for k, v in s.items()} for j, s in enumerate(opt.state.by_position) if s
    }
    return {"state": state, "param_groups": groups}


def _copied(x: Any) -> Any:
    return x.copy() if isinstance(x, np.ndarray) else x


def checked_state(opt: Any, saved: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The param_groups and state that loading ``saved`` gives ``opt``; nothing is changed.

    Raises:
        TypeError: ``saved`` or a part of it is not of the kind a state dict holds.
        ValueError: group or parameter counts differ, a hyper-parameter is out of range,
            or a state entry is unknown, missing, of another shape or not finite.
    """
    if not isinstance(saved, Mapping):
        raise TypeError(
            f"load_state_dict takes a dict like opt.state_dict(), got {type(saved).__name__}"
        )
    for key in ("state", "param_groups"):
        if key not in saved:
            raise ValueError(f"the state dict has no {key!r} (it has {sorted(map(str, saved))})")
    saved_groups, mine = saved["param_groups"], opt.param_groups
    if not isinstance(saved_groups, Sequence) or isinstance(saved_groups, (str, bytes)):
        raise TypeError(f"state dict 'param_groups' must be a list, got {saved_groups!r:.60}")
    if len(saved_groups) != len(mine):
        raise ValueError(
            f"the state dict has {len(saved_groups)} parameter groups, this optimizer "
            f"{len(mine)}; build the optimizer with the same groups"
        )
    position: dict[int, int] = {}  # the dict's parameter number → its place in opt.params
    groups = []
    for gi, (group, own) in enumerate(zip(saved_groups, mine, strict=True)):
        where = f"param_groups[{gi}]"
        if not isinstance(group, Mapping):
            raise TypeError(f"state dict {where} must be a dict, got {type(group).__name__}")
        ids = group.get("params")
        if not isinstance(ids, Sequence) or not all(_is_int(x) for x in ids):
            raise ValueError(
                f"state dict {where}['params'] must be a list of ints, got {ids!r:.60}"
            )
        if len(ids) != len(own["params"]):
            raise ValueError(
                f"state dict {where} has {len(ids)} parameters, this optimizer's "
                f"{len(own['params'])}"
            )
        for sid in ids:
            if int(sid) in position:
                raise ValueError(f"parameter {sid} appears twice in the state dict's groups")
            position[int(sid)] = len(position)
        checked = opt.check_group(group, f"state dict {where}", loading=True)
        groups.append({**checked, "params": own["params"]})
    params = [p for group in groups for p in group["params"]]
    group_of = [g for g in groups for _ in g["params"]]
    states: list[dict[str, Any]] = [{} for _ in params]
    entries = saved["state"]
    if not isinstance(entries, Mapping):
        raise TypeError(f"state dict 'state' must be a dict, got {type(entries).__name__}")
    for key, entry in entries.items():
        sid = int(key) if _is_int(key) or (isinstance(key, str) and key.isdigit()) else None
        if sid not in position:
            raise ValueError(f"state dict 'state' has an entry {key!r:.40} for no parameter")
        j = position[sid]
        states[j] = _checked_entry(opt, f"state[{key!r}]", entry, params[j], group_of[j])
    return groups, states


def _is_int(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _checked_entry(opt: Any, where: str, entry: Any, p: Any, group: Mapping[str, Any]) -> dict:
    name = type(opt).__name__
    if not isinstance(entry, Mapping):
        raise TypeError(f"state dict {where} must be a dict, got {type(entry).__name__}")
    out: dict[str, Any] = {}
    kept_names = ("step", *opt.state_names) if opt.counts_steps else opt.state_names
    for key, value in entry.items():
        if key == "step" and not opt.counts_steps:
            _step(where, value)  # an SGD state saved with a step count: checked, not kept
            continue
        if key not in kept_names:
            kept = ", ".join(kept_names)
            raise ValueError(
                f"state dict {where} has {key!r:.40}, which {name} does not keep ({kept})"
            )
        if value is not None:  # PyTorch may keep None for a buffer it has not made yet
            out[key] = _step(where, value) if key == "step" else _array(where, key, value, p)
    if out:
        needed = opt.required_state(group)
        missing = [k for k in needed if k not in out]
        if missing:
            raise ValueError(f"state dict {where} has no {', '.join(map(repr, missing))} ({name})")
    return out


def _step(where: str, value: Any) -> int:
    arr = np.asarray(value.data if isinstance(value, (Tensor, Value)) else value)
    ok = arr.shape == () and arr.dtype.kind in "iuf" and math.isfinite(arr) and arr >= 0
    if not ok or float(arr) != int(arr):
        raise ValueError(f"state dict {where}['step'] must be a count >= 0, got {value!r:.40}")
    return int(arr)


def _array(where: str, key: str | int, value: Any, p: Any) -> Any:
    try:
        arr = np.asarray(value.data if isinstance(value, (Tensor, Value)) else value)
    except (TypeError, ValueError, RuntimeError):
        arr = np.asarray(None)
    shape = () if isinstance(p, Value) else p.data.shape
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"state dict {where}[{key!r}] must hold numbers, got {type(value).__name__}"
        )
    if arr.shape != shape:
        raise ValueError(
            f"state dict {where}[{key!r}] has shape {arr.shape}, its parameter shape {shape}"
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"state dict {where}[{key!r}] holds NaN or infinite numbers")
    return float(arr) if isinstance(p, Value) else np.array(arr, dtype=p.data.dtype)


def install(opt: Any, **values: Any) -> None:
    """Set every attribute of ``opt`` in ``values``, all or none (even under Ctrl-C)."""
    old = {k: getattr(opt, k) for k in values}
    done = False
    try:
        for k, v in values.items():
            setattr(opt, k, v)
        done = True
    finally:
        if not done:
            for k, v in old.items():
                setattr(opt, k, v)


def per_parameter(where: str, value: Any, params: list[Any]) -> list[Any]:
    """A list of one finite array per parameter, of its shape (a rule's per-parameter state)."""
    if not isinstance(value, Sequence) or len(value) != len(params):
        n = len(value) if isinstance(value, Sequence) else type(value).__name__
        raise ValueError(f"state dict {where} must hold one array per parameter, got {n}")
    return [_array(where, j, v, p) for j, (v, p) in enumerate(zip(value, params, strict=True))]


class OptimizerState(Mapping):
    """``opt.state``: each parameter's state dict, keyed by the parameter, as in PyTorch.

    ``opt.state[p]`` is ``p``'s dict (``{}`` for a parameter without state, as PyTorch's
    defaultdict gives, but without adding ``p``); iteration, ``in``, ``len``, ``keys``,
    ``values`` and ``items`` see the parameters that have state, in group order, matched by
    identity (a Tensor's ``==`` is elementwise). ``opt.state[j]`` with an int is the j-th
    parameter's (parameters are never ints, so this cannot be mistaken for one). The values
    are floats and numpy arrays; a step gives every parameter a new dict (so it can be undone
    whole), so read ``opt.state[p]`` again after a step. ``load_state_dict`` replaces it.
    """

    def __init__(self, opt: Any, by_position: list[dict[str, Any]]) -> None:
        self.opt = opt
        self.by_position = by_position  # the j-th parameter's dict, in opt.params order

    def aligned(self) -> list[dict[str, Any]]:
        """``by_position``, checked to still hold one dict per parameter of ``opt``'s groups."""
        n = sum(len(group["params"]) for group in self.opt.param_groups)
        if n != len(self.by_position):  # by position: a changed list would shift it
            raise ValueError(
                f"the parameter groups hold {n} parameters, but the optimizer was given "
                f"{len(self.by_position)}; add parameters with opt.add_param_group("
                "{'params': [...]}), not by changing a group's 'params' list"
            )
        return self.by_position

    def _pairs(self) -> list[tuple[Any, dict[str, Any]]]:
        return list(zip(self.opt.params, self.aligned(), strict=True))

    def __getitem__(self, key: Any) -> dict[str, Any]:
        if isinstance(key, (Tensor, Value)):
            for p, s in self._pairs():
                if p is key:
                    return s
            what = "a Value" if isinstance(key, Value) else f"a Tensor of shape {key.shape}"
            raise KeyError(
                f"opt.state[p]: p ({what}) is not a parameter of this {type(self.opt).__name__};"
                " pass one of opt.params (or its position, an int)"
            )
        n = len(self.aligned())
        if _is_int(key):
            if 0 <= key < n:
                return self.by_position[key]
            raise KeyError(
                f"opt.state[{key}]: this {type(self.opt).__name__} has {n} parameters; pass a "
                f"parameter, or a position from 0 to {n - 1}"
            )
        raise TypeError(
            f"opt.state is keyed by the optimizer's parameters (or their position, an int), "
            f"got {type(key).__name__}"
        )

    def __contains__(self, key: object) -> bool:
        return any(p is key and s for p, s in self._pairs())

    def __iter__(self) -> Iterator[Any]:
        return iter([p for p, s in self._pairs() if s])

    def __len__(self) -> int:
        return sum(1 for s in self.by_position if s)

    def values(self) -> ValuesView[dict[str, Any]]:  # one pass, not a lookup per key
        return _Values(self)

    def items(self) -> ItemsView[Any, dict[str, Any]]:
        return _Items(self)

    def __setitem__(self, key: Any, value: Any) -> None:
        raise TypeError(
            "opt.state's entries cannot be assigned or deleted; restore a state with "
            "opt.load_state_dict(...), which checks it"
        )

    def __delitem__(self, key: Any) -> None:
        self.__setitem__(key, None)

    def __repr__(self) -> str:
        shown = ", ".join(f"params[{j}]: {s!r}" for j, s in enumerate(self.by_position) if s)
        return f"{type(self).__name__}({{{shown}}})"


class _Values(ValuesView):
    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter([s for _, s in self._mapping._pairs() if s])


class _Items(ItemsView):
    def __iter__(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        return iter([(p, s) for p, s in self._mapping._pairs() if s])
