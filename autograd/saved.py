"""Arrays a graph saved for its backward pass are read-only until that pass has run.

A Tensor op's rules read its inputs' arrays (and often its own result) when ``backward()``
runs. Writing into one of those arrays in between (``W.data[0] = 5``, ``x.data *= 2``,
``np.copyto(x.data, ...)``) would make the gradients silently wrong, and numpy cannot tell
anyone that an array was written. So while a node that saved an array is alive and its
backward pass has not run, the array's ``writeable`` flag is off: the write itself fails
(numpy's "assignment destination is read-only"). The flag comes back on when the last
node holding the array has run its backward pass or been freed. Arrays that were
read-only before are left as they are. (Replacing ``.data`` by assignment is caught
differently, for both engines: nodes are stamped when made, see `Node._check_saved`.)
"""

from __future__ import annotations

import numpy as np

# id(array) -> number of live nodes holding it read-only. Each of those nodes keeps the
# array (in the tuple `hold` returned), so its id stays unique while it is listed.
_held: dict[int, int] = {}


def hold(arrays: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Make ``arrays`` (a list of the caller's, extended here) read-only for one more node;
    returns those this node must release. Written for speed: it runs for every op."""
    if not arrays:
        return ()
    held = []
    get = _held.get
    for arr in arrays:
        base = arr.base
        # (``is not None`` first, written for speed: most arrays an op saves are no views.)
        if base is not None and isinstance(base, np.ndarray):
            arrays.append(base)  # a view (W.T, x[0]): writing through its base counts too
        key = id(arr)
        count = get(key)
        if count is not None:
            _held[key] = count + 1
        else:
            if not arr.flags.writeable:
                continue  # read-only already (the caller's own, or a view of a held array)
            # setflags, positional: a third of the cost of setting ``flags.writeable``.
            arr.setflags(False)
            _held[key] = 1
        held.append(arr)
    return tuple(held)


def release(arrays: tuple[np.ndarray, ...]) -> None:
    """One node no longer needs ``arrays``: each is writeable again once no node does."""
    for arr in arrays:
        key = id(arr)
        count = _held[key] - 1
        if count:
            _held[key] = count
        else:
            del _held[key]
            try:  # noqa: SIM105 (written for speed: no context manager per array)
                arr.setflags(True)  # positional ``write``: as in `hold`
            except ValueError:
                pass  # a view whose base another node still holds stays read-only
