"""Arrays a graph saved for its backward pass are read-only until that pass has run.

A Tensor op's rules read its inputs' arrays (and often its own result) when ``backward()``
runs. Writing into one of those arrays in between (``W.data[0] = 5``, ``x.data *= 2``,
``np.copyto(x.data, ...)``) would make the gradients silently wrong, and numpy cannot tell
anyone that an array was written. So while a node that saved an array is alive and its
backward pass has not run, the array's ``writeable`` flag is off: the write itself fails
(numpy's "assignment destination is read-only"). The flag comes back on when the last
node holding the array has run its backward pass or been freed. Arrays that were
read-only before are left as they are. (Replacing ``.data`` by assignment is caught
differently: the node keeps the versions of its inputs, see `Tensor._check_saved`.)
"""

from __future__ import annotations

import contextlib

import numpy as np

# id(array) -> [array, number of live nodes holding it read-only]; the array is kept so
# its id stays unique while it is listed.
_held: dict[int, list] = {}


def hold(arrays: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Make ``arrays`` read-only for one more node; returns those this node must release."""
    held = []
    todo = list(arrays)
    for arr in todo:
        base = arr.base
        if isinstance(base, np.ndarray):
            todo.append(base)  # a view (W.T, x[0]): writing through its base counts too
        entry = _held.get(id(arr))
        flags = arr.flags  # a new object on each access: taken once
        if entry is not None:
            entry[1] += 1
        elif flags.writeable:
            flags.writeable = False
            _held[id(arr)] = [arr, 1]
        else:
            continue  # read-only already (the caller's own, or a view of a held array)
        held.append(arr)
    return tuple(held)


def release(arrays: tuple[np.ndarray, ...]) -> None:
    """One node no longer needs ``arrays``: each is writeable again once no node does."""
    for arr in arrays:
        entry = _held[id(arr)]
        entry[1] -= 1
        if entry[1] == 0:
            del _held[id(arr)]
            # A view whose base another node still holds stays read-only.
            with contextlib.suppress(ValueError):
                arr.flags.writeable = True
