"""Grad mode and anomaly mode: per thread, as in PyTorch.

``with no_grad():`` stops graph recording in this thread only; ``detect_anomaly()`` (in
`autograd.anomaly`) turns on this thread's checks. A new thread starts with grad mode on
and anomaly mode off.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class _Modes(threading.local):
    """This thread's modes: a new thread starts with grad mode on and anomaly mode off."""

    def __init__(self) -> None:
        self.enabled = True
        self.anomaly = False  # `detect_anomaly()` checks every result for NaN and inf


grad_mode = _Modes()

#: The threads whose modes are not the defaults (in `no_grad`, or in anomaly mode). The
#: node types' fast paths test only that this set is empty, a global read ten times
#: cheaper than a thread-local one; when it is not, they read this thread's modes. A
#: thread joins the set before its modes change and leaves it after they are restored,
#: and only a thread itself changes its membership, so an empty set means every thread
#: records, without anomaly checks.
#:
#: What relies on the GIL, here and in `autograd.saved`: that ``set.add``/``discard``,
#: ``dict`` operations, ``next()`` of an ``itertools.count`` and single reads and stores
#: of attributes and globals are atomic. Everything else that threads share is under a
#: lock: backward passes (`backward_lock`), ``.data`` assignments and read-only holds
#: (`autograd.saved`), and the widening of the fused neuron's rule list (`rules`).
departed: set[int] = set()


@contextlib.contextmanager
def switch_modes(enabled: bool | None = None, anomaly: bool | None = None) -> Iterator[None]:
    """Set this thread's grad mode and/or anomaly mode inside a ``with`` block."""
    mode = grad_mode
    before = (mode.enabled, mode.anomaly)
    me = threading.get_ident()
    try:  # every change inside the try: Ctrl-C at any point is undone by the finally
        after = (
            before[0] if enabled is None else bool(enabled),
            before[1] if anomaly is None else bool(anomaly),
        )
        if after != (True, False):
            departed.add(me)
        mode.enabled, mode.anomaly = after
        yield
    finally:
        mode.enabled, mode.anomaly = before
        if before == (True, False):
            departed.discard(me)


def is_grad_enabled() -> bool:
    """Whether ops record a graph now in this thread (False inside `no_grad`)."""
    return grad_mode.enabled


class set_grad_enabled:  # noqa: N801 (PyTorch's name: a function to its users)
    """Turn graph recording on or off in this thread, as PyTorch's ``set_grad_enabled``.

    Called, it takes effect at once (``set_grad_enabled(False)`` alone turns recording off
    until ``set_grad_enabled(True)``); as ``with set_grad_enabled(flag):`` the mode before
    the call comes back at the end of the block.
    """

    def __init__(self, enabled: bool) -> None:
        self.before = (grad_mode.enabled, grad_mode.anomaly)
        _set_modes((bool(enabled), self.before[1]))

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        _set_modes(self.before)


def _set_modes(after: tuple[bool, bool]) -> None:
    """This thread's (grad mode, anomaly mode) become ``after``, `departed` kept true."""
    me = threading.get_ident()
    if after != (True, False):
        departed.add(me)  # joined before the modes change, left after they are restored
    grad_mode.enabled, grad_mode.anomaly = after
    if after == (True, False):
        departed.discard(me)


def no_grad() -> contextlib.AbstractContextManager[None]:
    """``with no_grad():`` runs ops without recording a graph (evaluation, updates), in
    this thread only: other threads go on recording."""
    return switch_modes(enabled=False)
