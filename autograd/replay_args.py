"""`autograd.trace`'s arguments: their structure, the leaves made from them, and checks.

Numbers and (nested) lists of numbers become `Value` leaves, numeric arrays `Tensor`
leaves; a replay's arguments must have the traced structure and shapes.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .node import Node
from .tensor import Tensor
from .value import Value


def signature(a: Any, where: str) -> Any:
    """The structure of an argument: "v" (a number), ("a", shape, dtype), or a list of them."""
    if isinstance(a, Node):
        raise TypeError(
            f"trace: {where} is a {type(a).__name__}; pass its data (numbers or an array): "
            "trace makes the argument nodes itself, and parameters are used by f directly"
        )
    if isinstance(a, numbers.Real) and not isinstance(a, (bool, np.bool_)):
        return "v"
    if isinstance(a, np.ndarray) and a.dtype.kind in "biuf":
        dtype = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
        return ("a", a.shape, dtype)
    if isinstance(a, (list, tuple)):
        return [type(a), *(signature(x, f"{where}[{i}]") for i, x in enumerate(a))]
    raise TypeError(
        f"trace: {where} must be numbers, (nested) lists of numbers or a numeric numpy array, "
        f"got {type(a).__name__}"
    )


def make_nodes(args: tuple, signature: list) -> tuple[list[Any], list[list[Any]]]:
    """Nodes for ``args`` in their structure, and each argument's leaves in flat order."""
    leaves: list[list[Any]] = []
    nodes = []
    for a, sig in zip(args, signature, strict=True):
        mine: list[Any] = []
        nodes.append(_make(a, sig, mine))
        leaves.append(mine)
    return nodes, leaves


def _make(a: Any, sig: Any, leaves: list[Any]) -> Any:
    if sig == "v":
        v = Value(float(a))
    elif isinstance(sig, tuple):
        # A copy: the graph holds what it saves read-only, and the user's array stays theirs.
        v = Tensor(np.array(a, dtype=sig[2]), requires_grad=True)
    else:
        return sig[0](_make(x, s, leaves) for x, s in zip(a, sig[1:], strict=True))
    leaves.append(v)
    return v


def numbers_of(a: Any, sig: Any, where: str, shape: Any = False) -> np.ndarray:
    """The numbers of a Value argument, flat, checked against the traced structure
    (``shape``: its `_rectangle`, when known)."""
    if sig == "v":
        if not isinstance(a, numbers.Real) or isinstance(a, (bool, np.bool_)):
            raise TypeError(f"replay: {where} was a number when traced, got {type(a).__name__}")
        return np.array([float(a)])
    if shape is False:
        shape = rectangle(sig)
    if shape is not None:  # a list of numbers, or a list of rows: one numpy conversion
        try:
            arr = np.asarray(a, dtype=float)
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.shape != shape:
            got = "not numbers" if arr is None else f"shape {arr.shape}"
            raise ValueError(
                f"replay: {where} must have the traced structure (shape {shape}), got {got}; "
                "a new shape needs a new trace"
            )
        return arr.ravel()
    if not isinstance(a, (list, tuple, np.ndarray)) or len(a) != len(sig) - 1:
        n = len(a) if hasattr(a, "__len__") else type(a).__name__
        raise ValueError(
            f"replay: {where} must be a list of {len(sig) - 1} entries as when traced, got {n}"
        )
    parts = [
        numbers_of(x, s, f"{where}[{i}]") for i, (x, s) in enumerate(zip(a, sig[1:], strict=True))
    ]
    return np.concatenate(parts) if parts else np.empty(0)


def rectangle(sig: Any) -> tuple[int, ...] | None:
    """The shape of a list (of lists ...) of numbers, or None if ragged or mixed."""
    if sig == "v":
        return ()
    if isinstance(sig, tuple):
        return None
    inner = [rectangle(s) for s in sig[1:]]
    if not inner or any(s is None or s != inner[0] for s in inner):
        return None if inner else (0,)
    return (len(inner), *inner[0])


def array_of(a: Any, sig: Any, where: str) -> np.ndarray:
    """A Tensor argument as an array of the traced shape and dtype."""
    if not isinstance(sig, tuple):
        raise TypeError(f"replay: {where}: Tensor graphs take arrays as arguments")
    if isinstance(a, Node) or not isinstance(a, (np.ndarray, list, tuple, numbers.Real)):
        raise TypeError(f"replay: {where} must be a numeric array, got {type(a).__name__}")
    arr = np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"replay: {where} must be numeric, got an array of dtype {arr.dtype}")
    if arr.shape != sig[1]:
        raise ValueError(
            f"replay: {where} was traced with shape {sig[1]}, got {arr.shape}; a new shape "
            "needs a new trace"
        )
    return arr if arr.dtype == sig[2] else arr.astype(sig[2])
