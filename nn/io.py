"""Saving and loading a model's `state_dict` as a numpy ``.npz`` file (no pickles)."""

from __future__ import annotations

import os
import tempfile
import zipfile
from typing import Any

import numpy as np

PathLike = str | os.PathLike


def save(model: Any, path: PathLike) -> str:
    """Write ``model.state_dict()`` to ``path`` (``.npz``, one array per key, no pickles).

    The file is written next to its destination and then moved into place, so an error
    midway leaves any existing file as it was. The exact ``path`` is used (no suffix added).

    Returns:
        The path written.
    """
    state = model.state_dict()
    path = os.fspath(path)
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


def read_state(path: PathLike) -> dict[str, np.ndarray]:
    """The arrays of a ``.npz`` state file, read with ``allow_pickle=False``.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is not a readable ``.npz`` of numeric arrays (corrupt,
            truncated, a plain ``.npy``, or holding pickled objects).
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no state file at {path!r}")
    with open(path, "rb") as f:
        magic = f.read(6)
    if not magic.startswith(b"PK"):
        what = {b"\x93NUMPY": "a single .npy array"}.get(magic)
        if what is None:
            what = "pickled data" if magic[:1] == b"\x80" else "not a .npz archive"
        raise ValueError(f"cannot load {path!r} as a .npz state file: it is {what}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            state = {key: archive[key] for key in archive.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError) as e:
        detail = str(e)
        if "pickle" in detail.lower():
            detail = "it contains pickled objects, which are never loaded (allow_pickle=False)"
        raise ValueError(f"cannot load {path!r} as a .npz state file: {detail}") from None
    for key, arr in state.items():
        if arr.dtype.kind not in "biuf":
            raise ValueError(
                f"cannot load {path!r}: entry {key!r} has non-numeric dtype {arr.dtype}"
            )
    return state


def load(model: Any, path: PathLike, strict: bool = True) -> Any:
    """Load a file written by `save` into ``model``; returns `Module.load_state_dict`'s result.

    The whole file is read and checked (keys and shapes) before any parameter changes, so a
    corrupt or pickled file, or (with ``strict=True``) one whose keys or shapes differ from
    the model's, raises a ValueError and leaves the model untouched.
    """
    return model.load_state_dict(read_state(path), strict=strict)
