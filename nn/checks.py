"""Argument checks shared by `nn`: one message style, run once per call at the API boundary.

Each check raises `TypeError` for a wrong kind of thing and `ValueError` for a wrong value,
naming the argument and what it must be, so ``fit(..., batch_size=0)`` says
"batch_size must be an int >= 1, got 0" rather than failing deep inside a loop.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from autograd import Tensor

from . import functional as F


def number(
    name: str,
    x: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    above: bool = False,
    below: bool = False,
) -> float:
    """A finite real number x with low ≤ x (low < x if ``above``) and x ≤ high (< if ``below``).

    Raises:
        TypeError: x is not a real number (a bool, a string, None, ...).
        ValueError: x is NaN, infinite or out of range.
    """
    if not isinstance(x, numbers.Real) or isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number{_range(low, high, above, below)}, got {x!r}")
    ok = math.isfinite(x)
    ok = ok and (low is None or (x > low if above else x >= low))
    ok = ok and (high is None or (x < high if below else x <= high))
    if not ok:
        raise ValueError(
            f"{name} must be a finite number{_range(low, high, above, below)}, got {x!r}"
        )
    return float(x)


def _range(low: float | None, high: float | None, above: bool, below: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if above else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if below else '<='} {high:g}")
    return (" " + " and ".join(parts)) if parts else ""


def integer(name: str, n: Any, low: int = 1) -> int:
    """An int (numpy ints too, not bools) of at least ``low``."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, (bool, np.bool_)):
        raise TypeError(f"{name} must be an int >= {low}, got {n!r}")
    if n < low:
        raise ValueError(f"{name} must be an int >= {low}, got {n!r}")
    return int(n)


def flag(name: str, x: Any) -> bool:
    """A bool (numpy bools too)."""
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {x!r}")
    return bool(x)


def float_dtype(name: str, dtype: Any) -> np.dtype:
    """``dtype`` as a numpy float type, or a ValueError naming ``name``."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.kind != "f":
        raise ValueError(
            f"{name} must be a float type such as 'float32' or 'float64', got {dtype!r}"
        )
    return dt


def where_bad(bad: np.ndarray) -> str:
    """``"at index (2, 0)"`` for the first True entry of a boolean mask, and how many there are."""
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    at = idx[0] if len(idx) == 1 else idx
    count = int(bad.sum())
    return f"at index {at}" + (f" ({count} entries)" if count > 1 else "")


def finite(name: str, arr: np.ndarray) -> np.ndarray:
    """``arr`` if it holds no NaN or infinity, else a ValueError naming the first such entry."""
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = ~np.isfinite(arr)
        what = "NaN" if np.isnan(arr[bad]).any() else "infinity"
        raise ValueError(
            f"{name} holds {what} {where_bad(bad)}; remove or fill in missing values first"
        )
    return arr


def array(
    name: str,
    x: Any,
    *,
    ndim: tuple[int, ...] | None = None,
    nonempty: bool = True,
    allow_nonfinite: bool = False,
) -> np.ndarray:
    """``x`` as a numeric numpy array (ints and bools kept), checked.

    Args:
        name: the argument's name, for messages.
        x: numbers, a (nested) list, an array, a Tensor, or Values (their numbers are used).
        ndim: the allowed numbers of dimensions, or None for any.
        nonempty: refuse an array with no entries.
        allow_nonfinite: accept NaN and infinities.
    """
    try:
        arr = x.data if isinstance(x, Tensor) else F.to_numpy(x)
    except (TypeError, ValueError, AttributeError) as e:
        raise TypeError(f"{name} must be numbers or an array of numbers: {e}") from None
    arr = np.asarray(arr)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold numbers, got an array of dtype {arr.dtype} "
            f"({type(x).__name__}); convert it to numbers first"
        )
    if ndim is not None and arr.ndim not in ndim:
        dims = " or ".join(str(d) for d in ndim)
        raise ValueError(f"{name} must have {dims} dimensions, got shape {arr.shape}")
    if nonempty and arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one example")
    return arr if allow_nonfinite else finite(name, arr)


def cast(name: str, arr: np.ndarray, dtype: Any) -> np.ndarray:
    """A copy of ``arr`` in the float type ``dtype``; a ValueError if a finite number overflows.

    float64 data given to a float32 model is converted to float32 (the model's type), as
    PyTorch users do with ``x.float()``; a value beyond float32's range (about 3.4e38)
    would silently become infinity, so it is refused, naming the first such entry.
    """
    dt = np.dtype(dtype)
    out = np.array(arr, dtype=dt)  # a copy: the user's array is never used as it is
    if arr.dtype.kind == "f" and dt.itemsize < arr.dtype.itemsize:
        bad = np.isinf(out) & np.isfinite(arr)
        if bad.any():
            raise ValueError(
                f"{name} holds {arr[bad].flat[0].item()!r} {where_bad(bad)}, beyond the range "
                f"of {dt}, the model's float type (largest {np.finfo(dt).max:.3g}); scale the "
                "data or use a float64 model"
            )
    return out


def labels(name: str, y: np.ndarray, k: int | None = None) -> np.ndarray:
    """Whole-number class labels as ints, in [0, k) when ``k`` is given."""
    if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
        raise ValueError(
            f"{name} must hold integer labels (class indices), found "
            f"{y[np.mod(y, 1) != 0].flat[0].item()!r} "
            f"{where_bad(np.mod(y, 1) != 0)}"
        )
    out = y.astype(np.intp)
    if out.size and (out.min() < 0 or (k is not None and out.max() >= k)):
        span = f"[0, {k}) for {k} classes" if k is not None else "0, 1, 2, ..."
        raise ValueError(
            f"{name}: labels must lie in {span}, got values from {out.min()} to {out.max()}"
        )
    return out
