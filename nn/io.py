"""Saving and loading a model's `state_dict` as a numpy ``.npz`` file (no pickles).

A state file may come from someone else, so `load` trusts nothing in it: the archive is
opened as a plain zip, each member's ``.npy`` header is read and checked (numbers only, the
shape the model expects) before its data, pickled objects are never read, and NaN or
infinite weights are refused unless asked for. Nothing in the file is ever executed.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import stat
import struct
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import checks

PathLike = str | os.PathLike
_FORMAT = np.lib.format
_NAME_KEPT = 200  # of the file name, in a temporary file's name (255 bytes at most)
_EOCD_SIZE = 22  # a zip's end-of-central-directory record, without its comment
_MAX_MEMBERS = 100_000  # members read when no shapes are expected
_MAX_NAME = 256  # characters in a member's name: a state key is far shorter
_LISTED = 5  # unexpected keys named in an error message
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
    midway (or a killed process) leaves any existing file as it was. As with ``np.savez``:
    the exact ``path`` is used (no suffix added), a new file gets the mode the umask allows
    and a replaced one keeps its mode, and a symbolic link at ``path`` is written through
    (its target is replaced). If the folder is not writable but the file is, the file is
    overwritten in place, as ``np.savez`` does (then not atomically). A temporary file left
    by a killed save (``.NAME.PID-XXXXXXXX.saving``) is removed by the next save to the same
    path.

    Returns:
        The path written.
    """
    if not callable(getattr(model, "state_dict", None)):
        raise TypeError(f"save: model must have state_dict(), got {type(model).__name__}")
    path = _path(path)
    write_npz(path, model.state_dict())
    return path


def write_npz(path: str, arrays: Mapping[str, Any]) -> None:
    """``np.savez(path, **arrays)``, atomically; OSErrors name ``path`` (see `save`)."""
    target = os.path.realpath(path)  # through a symbolic link, as open(path, "wb") goes
    folder, name = os.path.split(target)
    _remove_leftovers(folder, name)
    tmp = os.path.join(folder, f".{name[:_NAME_KEPT]}.{os.getpid()}-{secrets.token_hex(4)}.saving")
    try:
        try:
            f = _open_temp(tmp)
        except PermissionError:
            if not (os.path.isfile(target) and os.access(target, os.W_OK)):
                raise
            _write_in_place(target, arrays)
            return
        with f:
            np.savez(f, **arrays)
        if os.path.exists(target):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        if isinstance(e, OSError) and e.errno is not None:
            raise type(e)(e.errno, e.strerror, path) from None
        if isinstance(e, OSError):
            raise type(e)(f"cannot save to {path!r}: {_shown(str(e))}") from None
        raise


def _open_temp(tmp: str) -> Any:
    """A new file, mode 0o666 less the umask (what ``open(path, "wb")`` gives np.savez)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(tmp, flags, 0o666), "wb")


def _write_in_place(target: str, arrays: Mapping[str, Any]) -> None:
    """np.savez's own way for a writable file in a folder we cannot create files in."""
    buffer = io.BytesIO()  # the whole archive first: the file is cut only once it exists
    np.savez(buffer, **arrays)
    with open(target, "wb") as f:
        f.write(buffer.getbuffer())


def _remove_leftovers(folder: str, name: str) -> None:
    """Remove the temporary files of saves to ``name`` whose process no longer runs."""
    prefix = f".{name[:_NAME_KEPT]}."
    try:
        entries = [e.name for e in os.scandir(folder) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        pid, _, token = entry[len(prefix) :].partition("-")
        if token.endswith(".saving") and pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(folder, entry))


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":  # elsewhere os.kill would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _shown(text: str, limit: int = 120) -> str:
    """``text`` cut to ``limit`` characters: messages stay short whatever a file holds."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


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


def _member_count(f: Any) -> int | None:
    """How many members a zip archive's end record declares (None: no end record found).

    Read from the last bytes of the file, before the central directory is parsed, so an
    archive of a million members is refused in the time it takes to read 64 KB.
    """
    size = f.seek(0, os.SEEK_END)
    tail_size = min(size, _EOCD_SIZE + 0xFFFF)  # the end record, then a comment ≤ 64 KB
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]  # 0xFFFF: at least that (zip64)


def check_archive(path: str, most: int, expected: str | None) -> str:
    """Refuse what is not a zip archive of at most ``most`` members, before reading any.

    Returns:
        The start of an error message about ``path`` ("cannot load ... as a .npz ...").
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no state file at {path!r}")
    where = f"cannot load {path!r} as a .npz state file"
    with open(path, "rb") as f:
        magic = f.read(6)
        count = _member_count(f) if magic.startswith(b"PK") else None
    if not magic.startswith(b"PK"):
        what = {b"\x93NUMPY": "a single .npy array"}.get(magic)
        if what is None:
            what = "pickled data" if magic[:1] == b"\x80" else "not a .npz archive"
        raise ValueError(f"{where}: it is {what}")
    if count is not None and count > most:
        at_least = "at least " if count == 0xFFFF else ""
        raise ValueError(
            f"{where}: it has {at_least}{count} members"
            + ("" if expected is None else f" where {expected} are expected")
            + f" (at most {most} are read); nothing was read"
        )
    return where


def read_state(
    path: PathLike,
    shapes: Mapping[str, tuple[int, ...]] | None = None,
    allow_nonfinite: bool = False,
    most: int | None = None,
) -> dict[str, np.ndarray]:
    """The arrays of a ``.npz`` state file, read without pickles and checked.

    Args:
        path: the file.
        shapes: the shape expected for each key; an entry of another shape, or a key not
            listed, is not read but stands in as a zero-memory array of its declared shape
            (so a hostile file cannot make us allocate what it declares). An archive with
            more than ``2·len(shapes) + 64`` members is refused before any is read. None:
            read all (at most 100,000 members).
        allow_nonfinite: accept NaN and infinite numbers.
        most: the members accepted, if not the number above.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is not a readable ``.npz`` of real numbers (corrupt,
            truncated, a plain ``.npy``, pickled data, object, string, boolean or complex
            arrays, far more members than expected, member names over 256 characters), or
            it holds NaN or infinities. Messages stay short whatever the file holds.
    """
    path = _path(path)
    allow_nonfinite = checks.flag("allow_nonfinite", allow_nonfinite)
    if most is None:
        most = _MAX_MEMBERS if shapes is None else 2 * len(shapes) + 64
    where = check_archive(path, most, None if shapes is None else f"{len(shapes)} arrays")
    state: dict[str, np.ndarray] = {}
    read: list[str] = []  # the keys whose data was read (the others are placeholders)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > most:  # a zip64 archive, or an end record that lied
                raise ValueError(f"it has {len(members)} members (at most {most} are read)")
            for info in members:
                if len(info.filename) > _MAX_NAME:
                    raise ValueError(
                        f"member {_shown(info.filename, 40)!r} has a name of "
                        f"{len(info.filename)} characters (at most {_MAX_NAME})"
                    )
                if not info.filename.endswith(".npy"):
                    raise ValueError(f"member {_shown(info.filename, 60)!r} is not a .npy array")
                key = info.filename[: -len(".npy")]
                shown = _shown(key, 60)
                with archive.open(info) as f:
                    shape, dtype = _header(f)
                if dtype.hasobject:
                    raise ValueError(
                        f"entry {shown!r} holds Python objects (pickled data), which are never "
                        "loaded (allow_pickle=False)"
                    )
                if dtype.kind not in "iuf":
                    kind = "dtype" if dtype.kind in "bc" else "non-numeric dtype"
                    raise ValueError(
                        f"entry {shown!r} has {kind} {_shown(str(dtype), 60)}; expected real "
                        "numbers (float or int)"
                    )
                if shapes is not None and shapes.get(key) != shape:
                    state[key] = np.broadcast_to(np.zeros((), dtype), shape)
                    continue
                with archive.open(info) as f:
                    state[key] = _FORMAT.read_array(f, allow_pickle=False)
                read.append(key)
    except _READ_ERRORS as e:
        raise ValueError(f"{where}: {_shown(str(e), 300)}") from None
    if not allow_nonfinite:
        for key in read:
            arr = state[key]
            if arr.dtype.kind == "f" and not np.isfinite(arr).all():
                raise ValueError(
                    f"cannot load {path!r}: entry {_shown(key, 60)!r} holds NaN or infinite "
                    "weights "
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
    unexpected = [k for k in state if k not in shapes]
    if strict and len(unexpected) > _LISTED:  # the model would list each one
        raise ValueError(
            f"cannot load {path!r} into {type(model).__name__} (nothing was changed): the "
            f"file has {len(unexpected)} unexpected keys ("
            + ", ".join(repr(_shown(k, 40)) for k in unexpected[:_LISTED])
            + ", ...); pass strict=False to load the keys that match"
        )
    extra = {"allow_nonfinite": True} if allow_nonfinite else {}
    return model.load_state_dict(state, strict=strict, **extra)
