"""Checking and normalising the arguments of tensor ops: data, shapes, axes, indices.

Each check raises a TypeError or ValueError that names the argument and the shapes, so a
mistake is reported where the user made it, not deep inside numpy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .node import Node


def as_array(data: Any, dtype: Any = None, what: str = "data") -> np.ndarray:
    """A float ndarray from numbers, lists or arrays: float64 unless ``dtype`` says."""
    if dtype is None and type(data) is np.ndarray and data.dtype.kind == "f":
        return data  # taken as it is, written for speed: optimizers assign one per step
    if isinstance(data, Node):
        data = data.data
    if dtype is not None and np.dtype(dtype).kind != "f":
        raise ValueError(
            f"dtype must be a float type such as 'float32' or 'float64', got {dtype!r}"
        )
    try:
        arr = np.asarray(data, dtype=dtype)
    except ValueError as e:
        raise ValueError(f"{what} must be a rectangular array of numbers: {e}") from None
    except TypeError as e:
        raise TypeError(f"{what} must be numbers or an array of numbers: {e}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{what} must be numeric, got an array of dtype {arr.dtype} "
            f"({type(data).__name__}); convert it to float first"
        )
    if arr.dtype.kind != "f":  # integers and booleans are promoted, never truncated
        arr = arr.astype(np.float64)
    return arr


def own_array(data: Any, dtype: Any = None, what: str = "data") -> np.ndarray:
    """`as_array`, but never the caller's own memory: an array it would share is copied
    (as ``torch.tensor`` copies), so that the library never changes the caller's array,
    its values or its flags (a graph makes the arrays it saved read-only)."""
    arr = as_array(data, dtype, what)
    src = data._data if isinstance(data, Node) else data
    if isinstance(src, np.ndarray) and (arr is src or np.may_share_memory(arr, src)):
        arr = arr.copy()
    return arr


def check_broadcast(name: str, sa: tuple[int, ...], sb: tuple[int, ...]) -> None:
    """A ValueError naming both shapes unless they broadcast together."""
    # numpy's rule spelled out, for speed (np.broadcast_shapes costs more than most ops):
    # aligned from the right, each pair of sizes is equal or has a 1.
    for m, n in zip(reversed(sa), reversed(sb), strict=False):
        if m != n and m != 1 and n != 1:
            raise ValueError(f"{name}: shapes {sa} and {sb} cannot be broadcast together")


def check_matmul(sa: tuple[int, ...], sb: tuple[int, ...]) -> None:
    """A ValueError naming both shapes unless ``A @ B`` is defined for them."""
    if not sa or not sb:
        raise ValueError(f"matmul needs at least 1-D operands, got shapes {sa} and {sb}")
    k_a, k_b = sa[-1], (sb[-2] if len(sb) > 1 else sb[0])
    try:
        if k_a != k_b:
            raise ValueError
        if len(sa) > 2 or len(sb) > 2:  # batches of matrices: their batch shapes broadcast
            np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ValueError(
            f"matmul: shapes {sa} and {sb} do not match (inner sizes {k_a} and {k_b})"
        ) from None


def normalize_axis(axis: Any, ndim: int) -> Any:
    """Check and normalise an axis argument (int, tuple of ints, or None)."""
    if axis is None:
        return None
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    for a in axes:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(f"axis must be an int, a tuple of ints or None, got {axis!r}")
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f"axis {axis!r} is out of range for a tensor with {ndim} dimensions")
    axes = tuple(int(a) % max(ndim, 1) for a in axes)
    return axes if isinstance(axis, (tuple, list)) else axes[0]


def new_shape(old: tuple[int, ...], shape: tuple) -> tuple[int, ...]:
    """``shape`` with its -1 resolved, or a ValueError naming both shapes."""
    size = math.prod(old)
    new = tuple(int(n) for n in shape)
    known = math.prod(n for n in new if n != -1)
    if new.count(-1) == 1 and known and size % known == 0:
        new = tuple(size // known if n == -1 else n for n in new)
    if any(n < 0 for n in new) or math.prod(new) != size:
        raise ValueError(f"cannot reshape a tensor of shape {old} into {shape}")
    return new


def normalize_index(index: Any) -> Any:
    """Indices as numpy takes them: Tensors to integer arrays, boolean masks to positions."""
    parts = index if isinstance(index, tuple) else (index,)
    out = []
    for p in parts:
        if isinstance(p, Node):  # a bool Tensor is a mask (t[t > 0]), others are positions
            p = p.data if p.data.dtype == bool else p.data.astype(np.intp)
        if isinstance(p, list):
            p = np.asarray(p)
        if isinstance(p, np.ndarray) and p.dtype == bool:
            out.extend(np.nonzero(p))
            continue
        if isinstance(p, np.ndarray):
            p = p.copy()  # the caller's index array may change before backward() reads it
        out.append(p)
    return tuple(out) if isinstance(index, tuple) or len(out) > 1 else out[0]
