"""Checkpoints: a model, its optimizer and a schedule in one ``.npz`` file, to resume training.

`save_checkpoint` writes the model's arrays under ``model/``, the optimizer's per-parameter
arrays under ``optimizer/state/<j>/<name>``, and everything else (the optimizer's class,
hyper-parameters, step counts, the schedule's position) as JSON in the member
``checkpoint``, stored as bytes. No pickles: `load_checkpoint` reads the file with the
checks of `nn.load` (headers before data, shapes the model and optimizer expect, finite
real numbers, short messages), checks the whole optimizer state, and changes the model,
optimizer and scheduler only once all of it is good. Training resumed from a checkpoint
takes the same steps as training that never stopped.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np

from .io import (
    _READ_ERRORS,
    PathLike,
    _header,
    _path,
    _shown,
    check_archive,
    read_state,
    write_npz,
)
from .optim.state import install

FORMAT = "deltagrad-checkpoint"
_META = "checkpoint"
_MAX_JSON = 1 << 24  # bytes of JSON: a checkpoint's own are a few KB per parameter group
_PER_PARAMETER = 8  # optimizer arrays per parameter that a file may hold, at most


def save_checkpoint(path: PathLike, model: Any, optimizer: Any, scheduler: Any = None) -> str:
    """Write ``model``'s, ``optimizer``'s (and ``scheduler``'s) state to ``path``, atomically.

    Returns:
        The path written (exactly ``path``, as `nn.save`).

    Raises:
        TypeError: a hyper-parameter or a rule's state holds something other than numbers,
            text, lists of those or one array per parameter (nothing is written).
    """
    path = _path(path)
    for name, obj in (("model", model), ("optimizer", optimizer)):
        if not callable(getattr(obj, "state_dict", None)):
            raise TypeError(f"save_checkpoint: {name} must have state_dict(), got {obj!r:.60}")
    arrays = {f"model/{k}": np.asarray(v) for k, v in model.state_dict().items()}
    saved = optimizer.state_dict()
    state = {}
    for j, entry in saved["state"].items():
        state[str(j)] = {}
        for key, value in entry.items():
            if isinstance(value, np.ndarray):
                arrays[f"optimizer/state/{j}/{key}"] = value
                value = "array"
            state[str(j)][key] = _plain(f"optimizer state[{j}][{key!r}]", value)
    meta = {
        "format": FORMAT,
        "version": 1,
        "optimizer": type(optimizer).__name__,
        "param_groups": _plain("optimizer param_groups", saved["param_groups"]),
        "state": state,
    }
    if "rule_state" in saved:
        meta["rule_state"] = _rule_state(saved["rule_state"], arrays)
    if scheduler is not None:
        meta["scheduler"] = _plain("scheduler state", scheduler.state_dict())
    text = json.dumps(meta, allow_nan=False, separators=(",", ":")).encode()
    arrays[_META] = np.frombuffer(text, dtype=np.uint8)
    write_npz(path, arrays)
    return path


def _plain(where: str, x: Any) -> Any:
    """``x`` as JSON's numbers, text, lists and dicts, or a TypeError naming ``where``."""
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, np.generic) and x.dtype.kind in "biuf":
        return x.item()
    if isinstance(x, (list, tuple)):
        return [_plain(f"{where}[{i}]", v) for i, v in enumerate(x)]
    if isinstance(x, Mapping) and all(isinstance(k, str) for k in x):
        return {k: _plain(f"{where}[{k!r}]", v) for k, v in x.items()}
    raise TypeError(f"{where} holds a {type(x).__name__}, which a checkpoint cannot store")


def _rule_state(rule_state: Mapping[str, Any], arrays: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in rule_state.items():
        if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
            for j, v in enumerate(value):
                arrays[f"optimizer/rule_state/{key}/{j}"] = v
            out[key] = {"arrays": len(value)}
        else:
            out[key] = _plain(f"rule_state[{key!r}]", value)
    return out


def read_json(path: str, most: int) -> Any:
    """The checkpoint's JSON member, read with the archive checks of `nn.load`."""
    where = check_archive(path, most, None)
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(f"{_META}.npy")
            except KeyError:
                raise ValueError(
                    f"it has no {_META!r} member: not a file written by nn.save_checkpoint "
                    "(a model's weights load with nn.load)"
                ) from None
            with archive.open(info) as f:
                shape, dtype = _header(f)
            if dtype != np.uint8 or len(shape) != 1 or shape[0] > _MAX_JSON:
                raise ValueError(f"its {_META!r} member is not JSON text of at most 16 MB")
            with archive.open(info) as f:
                text = np.lib.format.read_array(f, allow_pickle=False).tobytes()
        return json.loads(text.decode("utf-8"), parse_constant=_no_constant)
    except _READ_ERRORS as e:
        raise ValueError(f"{where}: {_shown(str(e), 300)}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"the checkpoint's JSON holds {name}, which is not a number")


def load_checkpoint(
    path: PathLike,
    model: Any,
    optimizer: Any = None,
    scheduler: Any = None,
    allow_nonfinite: bool = False,
) -> Any:
    """Restore ``model`` (and ``optimizer``, ``scheduler``) from `save_checkpoint`'s file.

    Build the model, optimizer and scheduler as for the first run, then load: the next
    ``optimizer.step()`` takes the step the saved run would have taken. Keys and shapes
    must match exactly (``strict``), and the optimizer must be of the saved class with the
    same parameter groups. Everything is read and checked before anything changes.

    Returns:
        The model's `LoadResult`.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is not a checkpoint, is corrupt or hostile (see `nn.load`),
            or does not fit the model, optimizer or scheduler (the message says which).
    """
    path = _path(path)
    for name, obj, method in (
        ("model", model, "load_state_dict"),
        ("optimizer", optimizer, "prepare_load"),
        ("scheduler", scheduler, "prepare_load"),
    ):
        if obj is not None and not callable(getattr(obj, method, None)):
            raise TypeError(f"load_checkpoint: {name} must be an nn one, got {obj!r:.60}")
    shapes = {f"model/{k}": np.shape(v) for k, v in model.state_dict().items()}
    params = [] if optimizer is None else optimizer.params
    arrays_per_model = len(shapes) + _PER_PARAMETER * max(len(params), len(shapes)) + 1
    meta = read_json(path, 2 * arrays_per_model + 64)
    where = f"cannot load checkpoint {path!r}"
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != 1:
        raise ValueError(f"{where}: its {_META!r} member is not a version 1 {FORMAT}")
    opt_state, expected = None, {}
    if optimizer is not None:
        if meta.get("optimizer") != type(optimizer).__name__:
            raise ValueError(
                f"{where}: it holds the state of {_shown(str(meta.get('optimizer')), 40)}, "
                f"not of {type(optimizer).__name__}; build the optimizer the run used"
            )
        opt_state, expected = _optimizer_entries(where, meta, params)
    schedule = None
    if scheduler is not None:
        if "scheduler" not in meta:
            raise ValueError(f"{where}: it holds no scheduler state")
        schedule = scheduler.prepare_load(meta["scheduler"])
    wanted = {**shapes, **expected, _META: None}
    arrays = read_state(path, wanted, allow_nonfinite, most=2 * arrays_per_model + 64)
    skipped = "optimizer/" if optimizer is None else _META  # only the model was asked for
    unexpected = [k for k in arrays if k not in wanted and not k.startswith(skipped)]
    if unexpected:
        raise ValueError(f"{where}: unexpected member {_shown(unexpected[0], 60)!r}")
    prepared = None
    if optimizer is not None:
        _fill(opt_state, arrays)
        prepared = optimizer.prepare_load(opt_state)
    extra = {"allow_nonfinite": True} if allow_nonfinite else {}
    model_state = {k[len("model/") :]: v for k, v in arrays.items() if k in shapes}
    rest = [(optimizer, prepared)]
    if schedule is not None:
        rest.append((scheduler, {"base_lrs": schedule[0], "last_epoch": schedule[1]}))
    old, undo, done = model.state_dict(), [], False
    try:  # the model checks, then loads; the rest cannot fail, but Ctrl-C can land anywhere
        result = model.load_state_dict(model_state, strict=True, **extra)
        for obj, values in rest:
            if values is not None:
                undo.append((obj, {k: getattr(obj, k) for k in values}))
                install(obj, **values)
        done = True
    finally:
        if not done:
            for obj, values in undo:
                install(obj, **values)
            model.load_state_dict(old, strict=True, allow_nonfinite=True)
    return result


def _optimizer_entries(
    where: str, meta: dict[str, Any], params: list[Any]
) -> tuple[dict[str, Any], dict[str, tuple[int, ...]]]:
    """The optimizer's state dict with array references, and each array's expected shape."""
    state = meta.get("state")
    if not isinstance(state, dict):
        raise ValueError(f"{where}: its optimizer 'state' is not a dict")
    expected: dict[str, tuple[int, ...]] = {}
    out: dict[str, Any] = {"param_groups": meta.get("param_groups"), "state": {}}
    for j, entry in state.items():
        if not (j.isdigit() and int(j) < len(params)) or not isinstance(entry, dict):
            raise ValueError(f"{where}: optimizer state {_shown(j, 40)!r} is for no parameter")
        out["state"][j] = dict(entry)
        for key, value in entry.items():
            if value == "array":
                name = f"optimizer/state/{j}/{key}"
                expected[name] = np.shape(params[int(j)].data)
                out["state"][j][key] = ("array", name)
    if "rule_state" in meta:
        rule_state = meta["rule_state"]
        if not isinstance(rule_state, dict):
            raise ValueError(f"{where}: its 'rule_state' is not a dict")
        out["rule_state"] = dict(rule_state)
        for key, value in rule_state.items():
            if isinstance(value, dict) and set(value) == {"arrays"}:
                if value["arrays"] != len(params):
                    raise ValueError(f"{where}: rule_state[{key!r}] is not one array per parameter")
                names = [f"optimizer/rule_state/{key}/{j}" for j in range(len(params))]
                expected.update({n: np.shape(p.data) for n, p in zip(names, params, strict=True)})
                out["rule_state"][key] = [("array", n) for n in names]
    return out, expected


def _fill(opt_state: dict[str, Any], arrays: dict[str, Any]) -> None:
    """Put the arrays read from the file in place of their references."""
    for entry in opt_state["state"].values():
        for key, value in entry.items():
            if isinstance(value, tuple):
                entry[key] = arrays.get(value[1])
    for key, value in opt_state.get("rule_state", {}).items():
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            opt_state["rule_state"][key] = [arrays.get(n) for _, n in value]
