"""Saving and loading a model's `state_dict` as a numpy ``.npz`` file (no pickles).

A state file may come from someone else, so `load` trusts nothing in it: the archive is
opened as a plain zip, each member's ``.npy`` header is read and checked (numbers only, the
shape the model expects) before its data, pickled objects are never read, and NaN or
infinite weights are refused unless asked for. Nothing in the file is ever executed.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import checks

PathLike = str | os.PathLike
_FORMAT = np.lib.format
_READ_ERRORS = (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError)


def _path(path: Any) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike file name, got {path!r}")
    out = os.fspath(path)
    if not isinstance(out, str):
        raise TypeError(f"path must name a file as text, got {path!r}")
    return out


def save(model: Any, path: PathLike) -> str:
    """Write ``model.state_dict()`` to ``path`` (``.npz``, one array per key, no pickles).

    The file is written next to its destination and then moved into place, so an error
    midway leaves any existing file as it was. The exact ``path`` is used (no suffix added).

    Returns:
        The path written.
    """
    if not callable(getattr(model, "state_dict", None)):
        raise TypeError(f"save: model must have state_dict(), got {type(model).__name__}")
    path = _path(path)
    state = model.state_dict()
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(suffix=".npz.tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **state)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def _header(f: Any) -> tuple[tuple[int, ...], np.dtype]:
    """The shape and dtype a ``.npy`` stream declares (its data is not read)."""
    version = _FORMAT.read_magic(f)
    if version == (1, 0):
        shape, _, dtype = _FORMAT.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, _, dtype = _FORMAT.read_array_header_2_0(f)
    else:
        raise ValueError(f"unsupported .npy format version {version}")
    return shape, dtype


def read_state(
    path: PathLike,
    shapes: Mapping[str, tuple[int, ...]] | None = None,
    allow_nonfinite: bool = False,
) -> dict[str, np.ndarray]:
    """The arrays of a ``.npz`` state file, read without pickles and checked.

    Args:
        path: the file.
        shapes: the shape expected for each key; an entry of another shape, or a key not
            listed, is not read but stands in as a zero-memory array of its declared shape
            (so a hostile file cannot make us allocate what it declares). None: read all.
        allow_nonfinite: accept NaN and infinite numbers.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is not a readable ``.npz`` of real numbers (corrupt,
            truncated, a plain ``.npy``, pickled data, object, string, boolean or complex
            arrays), or it holds NaN or infinities.
    """
    path = _path(path)
    allow_nonfinite = checks.flag("allow_nonfinite", allow_nonfinite)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no state file at {path!r}")
    with open(path, "rb") as f:
        magic = f.read(6)
    where = f"cannot load {path!r} as a .npz state file"
    if not magic.startswith(b"PK"):
        what = {b"\x93NUMPY": "a single .npy array"}.get(magic)
        if what is None:
            what = "pickled data" if magic[:1] == b"\x80" else "not a .npz archive"
        raise ValueError(f"{where}: it is {what}")
    state: dict[str, np.ndarray] = {}
    read: list[str] = []  # the keys whose data was read (the others are placeholders)
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.endswith(".npy"):
                    raise ValueError(f"member {info.filename!r} is not a .npy array")
                key = info.filename[: -len(".npy")]
                with archive.open(info) as f:
                    shape, dtype = _header(f)
                if dtype.hasobject:
                    raise ValueError(
                        f"entry {key!r} holds Python objects (pickled data), which are never "
                        "loaded (allow_pickle=False)"
                    )
                if dtype.kind not in "iuf":
                    kind = "dtype" if dtype.kind in "bc" else "non-numeric dtype"
                    raise ValueError(
                        f"entry {key!r} has {kind} {dtype}; expected real numbers (float or int)"
                    )
                if shapes is not None and shapes.get(key) != shape:
                    state[key] = np.broadcast_to(np.zeros((), dtype), shape)
                    continue
                with archive.open(info) as f:
                    state[key] = _FORMAT.read_array(f, allow_pickle=False)
                read.append(key)
    except _READ_ERRORS as e:
        raise ValueError(f"{where}: {e}") from None
    if not allow_nonfinite:
        for key in read:
            arr = state[key]
            if arr.dtype.kind == "f" and not np.isfinite(arr).all():
                raise ValueError(
                    f"cannot load {path!r}: entry {key!r} holds NaN or infinite weights "
                    f"{checks.where_bad(~np.isfinite(arr))}; pass allow_nonfinite=True to "
                    "load them anyway"
                )
    return state


def load(model: Any, path: PathLike, strict: bool = True, allow_nonfinite: bool = False) -> Any:
    """Load a file written by `save` into ``model``; returns `Module.load_state_dict`'s result.

    The whole file is read and checked (format, dtypes, keys, shapes, finite numbers)
    before any parameter changes, so a corrupt, pickled or hostile file, or (with
    ``strict=True``) one whose keys or shapes differ from the model's, raises a ValueError
    and leaves the model untouched. No code in the file is ever run.
    """
    if not callable(getattr(model, "state_dict", None)) or not callable(
        getattr(model, "load_state_dict", None)
    ):
        raise TypeError(
            f"load: model must have state_dict() and load_state_dict(), got {type(model).__name__}"
        )
    shapes = {k: np.shape(v) for k, v in model.state_dict().items()}
    state = read_state(path, shapes, allow_nonfinite)
    extra = {"allow_nonfinite": True} if allow_nonfinite else {}
    return model.load_state_dict(state, strict=strict, **extra)
