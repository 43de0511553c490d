"""`fit(trace=True)`: each batch's step recorded once and replayed (`autograd.trace`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import replay

#: At most this many traces per `fit` call; batches beyond it run the dynamic step.
MAX_TRACES = 16


def replayed_step(
    traces: dict, model: Any, loss_fn: Any, opt: Any, Xb: Any, yb: Any, value: bool, dtype: Any
) -> Any:
    """Zero the gradients and replay one batch, giving ``(J, outputs, yb)``; or None, to run
    the dynamic step.

    The losses read targets as numbers, constants of the graph, so a trace serves one set
    of targets: the batch is put in the order of its targets (a mean or sum over examples
    does not depend on their order but for rounding) and traced the second time the same
    targets come (full batch: from the second epoch on; ±1 labels: once per count of +1s),
    at most `MAX_TRACES` traces. Other batches, a ragged last one included, run the dynamic
    step.
    """
    order = np.lexsort(yb.reshape(len(yb), -1).T[::-1])
    Xb, yb = Xb[order], yb[order]
    key = (Xb.shape, yb.shape, yb.dtype.str, yb.tobytes())
    made = traces.get(key)
    if made is None or made == 1:
        if made is None or sum(v != 1 for v in traces.values()) >= MAX_TRACES:
            if len(traces) < 10_000:
                traces[key] = 1  # seen once: the dynamic step this time
            return None

        def convert(X: np.ndarray) -> Any:
            return X.tolist() if value else X.astype(dtype)

        def f(xs: Any, y_b: np.ndarray = yb) -> Any:
            out = [model(row) for row in xs] if value else model(xs)
            return loss_fn(out, y_b), out

        traces[key] = made = (replay.trace(f, convert(Xb)), convert)
    step, convert = made
    opt.zero_grad()
    J, out = step(convert(Xb))
    return float(np.asarray(J).reshape(())), out, yb
