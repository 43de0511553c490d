"""Ctrl-C at any line of the entry of no_grad or of the read-only bookkeeping does no
lasting damage: grad mode comes back, and no array stays read-only for good.

Left out: the lines of ``with lock:`` statements (CPython cannot promise that a lock is
released when an interrupt lands in the statement's own exit) and of ``finally`` and
``except`` blocks (the clean-up after an interrupt, which a second one could cut short).
"""

from __future__ import annotations

import ast
import gc
import inspect
import linecache
import sys
import textwrap
from collections.abc import Callable

import numpy as np

from autograd import Tensor, detect_anomaly, is_grad_enabled, modes, no_grad, saved


def _clean_up_lines(code) -> set[int]:
    """The line numbers of the ``finally`` and ``except`` blocks of ``code``'s function."""
    lines, first = inspect.getsourcelines(code)
    tree = ast.parse(textwrap.dedent("".join(lines)))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            for part in [*node.finalbody, *node.handlers]:
                for sub in ast.walk(part):
                    if hasattr(sub, "lineno"):
                        out.add(sub.lineno + first - 1)
    return out


def _interrupt_at(code, k: int, run: Callable[[], object]) -> bool:
    """Run ``run()`` with a KeyboardInterrupt raised at the k-th line run in ``code``;
    True if it was raised (False: ``code`` runs fewer than k + 1 lines)."""
    seen = [0]
    skip = _clean_up_lines(code)

    def local(frame, event, arg):
        line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
        # (``try:`` is no instruction a signal can land on; a trace function can raise
        # there, outside the ``with`` block around it.)
        lock = (line.startswith("with _") and "lock" in line) or line.startswith("try:")
        if event == "line" and not lock and frame.f_lineno not in skip:
            if seen[0] == k:
                seen[0] += 1
                raise KeyboardInterrupt
            seen[0] += 1
        return local

    def trace(frame, event, arg):
        return local if frame.f_code is code else None

    sys.settrace(trace)
    try:
        run()
    except KeyboardInterrupt:
        return True
    finally:
        sys.settrace(None)
    return False


def _entering(mode) -> Callable[[], None]:
    def run() -> None:
        with mode():
            sys.settrace(None)  # inside the block: the entry is over

    return run


def test_ctrl_c_while_entering_no_grad_or_anomaly_mode_leaves_the_modes_as_they_were() -> None:
    code = modes.switch_modes.__wrapped__.__code__
    for mode in (no_grad, detect_anomaly):
        k = 0
        while _interrupt_at(code, k, _entering(mode)):
            assert is_grad_enabled() and not modes.grad_mode.anomaly, (mode, k)
            k += 1
        assert k > 3  # every line of the entry was tried
    modes.departed.clear()  # (a thread left in the set only takes the slower path)


def _graph_steps(W: Tensor, x: Tensor) -> None:
    J = (W * x).sum()
    J.backward()


def test_ctrl_c_inside_hold_or_release_leaves_no_array_read_only_for_good() -> None:
    for fn in (saved.hold, saved.release):
        k = 0
        while True:
            W = Tensor(np.ones(3), requires_grad=True)
            x = Tensor(np.ones(3))
            arrays = (W.data, x.data)
            hit = _interrupt_at(fn.__code__, k, lambda W=W, x=x: _graph_steps(W, x))
            gc.collect()  # the interrupted graph is dropped
            assert not saved._hold_lock._is_owned(), (fn.__name__, k)
            for a in arrays:
                assert a.flags.writeable, (fn.__name__, k)
                assert id(a) not in saved._held or not saved._held[id(a)], (fn.__name__, k)
            if not hit:
                break
            k += 1
        assert k > 5


def test_ctrl_c_inside_an_assignment_leaves_the_clock_moving_on() -> None:
    k = 0
    assert not saved._assign_lock._is_owned()
    while True:
        w = Tensor(np.ones(2), requires_grad=True)
        before = saved.epoch
        hit = _interrupt_at(saved.assign.__code__, k, lambda w=w: setattr(w, "data", np.zeros(2)))
        assert saved.epoch >= before and saved.begun == saved.epoch, k
        J = (w * w).sum()  # a graph made after it is not taken for changed
        J.backward()
        assert not saved._assign_lock._is_owned(), k
        if not hit:
            break
        k += 1
    assert k > 3
