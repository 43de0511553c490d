"""Changed data: how ``backward()`` knows the numbers its rules read are the forward pass's.

A node's derivative rules read, when ``backward()`` runs, the data of its inputs and often
its own result (minitorch's "saved for backward"). Between the forward pass and
``backward()`` those numbers can change in two ways, and both are caught here:

* **Assignment** (``w.data = 2.0``, ``W.data = new_array``, both node types). One clock,
  `epoch`, moves on at every assignment. A node made by an op is stamped (``_stamp``) with
  the epoch it was made in; a leaf keeps the epoch its data was last assigned in, and a
  node made by an op whose data is assigned gets `CHANGED`. `check` raises when an input's
  stamp is newer than its consumer's, or a node's own is CHANGED. A node stamped with the
  current epoch has neither, so a sweep calls `check` only for the others (one comparison
  a node).
* **A write into an array** (``W.data[0] = 5``, ``x.data *= 2``: tensors). numpy cannot
  tell anyone that an array was written, so while a node that saved an array is alive and
  its backward pass has not run, the array's ``writeable`` flag is off (`hold`) and the
  write itself fails ("assignment destination is read-only"). The flag comes back on when
  the last node holding the array has run its backward pass or been freed (`release`).
  Arrays that were read-only before are left as they are. The arrays held are always the
  library's own: ``Tensor(X)`` and ``t.data = X`` copy the caller's array
  (`tensor_args.own_array`), and array constants the rules read (``t * C``, an index) are
  copied when the node is made (`Tensor._apply`), so the caller's arrays never change.

Threads: the clock and the holds are shared by all threads. An assignment counts itself in
`begun`, sets the node's stamp, then its data, and moves `epoch` on last; a node made by
an op reads `epoch` before its inputs' data, so one that read the old data is always
older than the assignment; and a sweep compares a node's stamp with `begun` after reading
the data its rules use, so an assignment made by another thread during the pass is seen
too. (A node racing an assignment may be taken for changed: an error, never a wrong
number.)
Assignments and holds take a lock (what relies on the GIL: see `modes.departed`).
Ctrl-C: every change here is undone or completed by a ``finally`` or an idempotent
`release`, so an interrupted call leaves no array read-only for good.
"""

from __future__ import annotations

import itertools
import sys
import threading
from typing import Any

import numpy as np

from .op import NODE_TYPES as _NODE_TYPES

#: The stamp of a node made by an op whose data was assigned: newer than every epoch.
CHANGED = sys.maxsize

#: The clock nodes are stamped with: the number of ``.data`` assignments finished so far
#: (both node types). `begun` counts those begun: the two differ only during one.
epoch = 0
begun = 0

_assign_lock = threading.RLock()  # reentrant: see `_hold_lock`


def assign(node: Any, data: Any) -> None:
    """``node._data = data``, moving the clock on and stamping ``node`` (see above)."""
    global begun, epoch
    with _assign_lock:
        now = epoch + 1
        try:
            begun = now
            node._stamp = now if node.grad_fn is None else CHANGED  # first: see "Threads"
            node._data = data
        finally:  # (interrupted, the clock still moves on: no node is taken for changed)
            epoch = begun = now


def restamp(node: Any) -> None:
    """After unpickling: stamps count assignments in the process that made them, so one
    from another process may be ahead of this one's clock; it is brought back to it."""
    if epoch < node._stamp != CHANGED:
        node._stamp = epoch


def check(node: Any) -> None:
    """Raise if the data this node's rules read changed since the forward pass."""
    stamp = node._stamp
    if stamp == CHANGED:
        raise RuntimeError(_message(node))
    for x in node._inputs:  # a loop, not any(): this runs for every node not stamped now
        if x.__class__ in _NODE_TYPES and x._stamp > stamp:
            raise RuntimeError(_message(node))


def _message(node: Any) -> str:
    op = node.grad_fn.name
    if node._stamp == CHANGED:
        what = f"the output of op '{op}'"
    else:
        k, x = next(
            (k, x)
            for k, x in enumerate(node._inputs)
            if x.__class__ in _NODE_TYPES and x._stamp > node._stamp
        )
        details = [repr(x.label)] if x.label else []
        if hasattr(x, "shape"):
            details.append(f"shape {x.shape}")
        what = f"input {k}{' (' + ', '.join(details) + ')' if details else ''} of op '{op}'"
    return (
        f"backward(): the .data of {what} was assigned after the graph was built, so "
        "the values its derivative needs are gone; run the forward pass again after "
        "changing .data (update parameters after backward(), not between forward and "
        "backward)"
    )


# Read-only holds. ----------------------------------------------------------------------
# id(array) -> the tokens of the live nodes holding it read-only. Each of those nodes keeps
# the array (in the tuple `hold` returned), so its id stays unique while it is listed.
# Tokens, not counts: adding or discarding one is idempotent, so an interrupted `hold` is
# undone exactly and `release` may run twice (after backward, and again in __del__).
_held: dict[int, set[int]] = {}
_tokens = itertools.count(1)
# Reentrant: a Tensor's __del__ (release) may run inside `hold` when the cycle collector
# frees a graph there.
_hold_lock = threading.RLock()


def hold(arrays: list[np.ndarray]) -> tuple:
    """Make ``arrays`` (a list of the caller's, extended here) read-only for one more node;
    returns what that node must pass to `release`. It runs for every tensor op."""
    if not arrays:
        return ()
    held: list[Any] = [next(_tokens)]
    token = held[0]
    get = _held.get
    try:  # Ctrl-C anywhere in here, the lock's release included, is undone
        with _hold_lock:
            for arr in arrays:
                base = arr.base
                # (``is not None`` first: most arrays an op saves are no views.)
                if base is not None and isinstance(base, np.ndarray):
                    arrays.append(base)  # a view (W.T, x[0]): writing through its base counts
                key = id(arr)
                holders = get(key)
                if holders:
                    held.append(arr)
                    holders.add(token)
                elif arr.flags.writeable:  # not read-only already (the caller's own, a view)
                    held.append(arr)
                    if holders is None:
                        _held[key] = {token}
                    else:
                        holders.add(token)
                    arr.setflags(False)  # positional: a third of the cost of flags.writeable
        return tuple(held)
    except BaseException:
        release(tuple(held))
        raise


def release(held: tuple) -> None:
    """One node no longer needs the arrays `hold` gave it: each is writeable again once no
    node does. Calling it again for the same node changes nothing."""
    if not held:
        return
    token = held[0]
    with _hold_lock:
        for arr in held[1:]:
            key = id(arr)
            holders = _held.get(key)
            if holders is None:
                continue
            holders.discard(token)
            if not holders:
                try:  # noqa: SIM105 (no context manager per array: this runs per op)
                    arr.setflags(True)  # before the entry goes: see the tokens above
                except ValueError:
                    pass  # a view whose base another node still holds stays read-only
                _held.pop(key, None)
