"""Anomaly mode: stop at the first NaN or infinity, naming the op and the line that made it.

Inside ``with detect_anomaly():`` every op checks its result, and every backward rule its
gradient. The first non-finite number that appears from finite ones raises `AnomalyError`
with the op, the node's label and the place in your code where the node was created.
"""

from __future__ import annotations

import contextlib
import os
import sys
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np

from .modes import switch_modes
from .node import Node

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_LIBRARY_DIRS = (_PACKAGE_DIR, os.path.join(os.path.dirname(_PACKAGE_DIR), "nn"))

# Where each node made in anomaly mode was created (dropped with the node).
_sites: weakref.WeakKeyDictionary[Node, str] = weakref.WeakKeyDictionary()


class AnomalyError(RuntimeError):
    """A NaN or infinity appeared in the forward or the backward pass."""


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Check every forward result and every backward gradient for NaN and infinity, in
    this thread."""
    with switch_modes(anomaly=True):  # in this thread only, as in PyTorch
        yield


def _finite(x: Any) -> bool:
    if isinstance(x, Node):
        x = x.data
    if isinstance(x, float):
        return x - x == 0.0  # False for nan and ±inf
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in "fc":
        return bool(np.isfinite(x).all())
    return True


def _user_site() -> str:
    """The first stack frame outside this library: where the user's code made the node."""
    frame = sys._getframe(1)
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(_LIBRARY_DIRS):
            return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back
    return "<unknown>"


def _describe(node: Node) -> str:
    details = []
    if getattr(node, "label", ""):
        details.append(f"label {node.label!r}")
    if node in _sites:
        details.append(f"created at {_sites[node]}")
    return f"op '{node.grad_fn.name}'" + (f" ({', '.join(details)})" if details else "")


def check_forward(node: Node, op: Any, inputs: tuple) -> None:
    """Called by the node types for every result made in anomaly mode."""
    if node.grad_fn is not None:
        _sites[node] = _user_site()
    if not _finite(node.data) and all(_finite(x) for x in inputs):
        raise AnomalyError(
            f"forward: op '{op.name}' produced {_kind(node.data)} from finite inputs "
            f"at {_user_site()}"
        )


def check_backward(node: Node, i: int, g: Any, gi: Any) -> None:
    """An engine step hook: the rule of ``node`` for input ``i`` must keep gradients finite."""
    if not _finite(gi) and _finite(g):
        raise AnomalyError(
            f"backward: the derivative rule of {_describe(node)} produced {_kind(gi)} "
            f"in the gradient of its input {i} from a finite upstream gradient ∂J/∂out"
        )


def _kind(x: Any) -> str:
    x = np.asarray(x.data if isinstance(x, Node) else x)
    return "nan" if np.isnan(x).any() else "inf"
