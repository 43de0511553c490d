"""Functions on either engine's nodes: a `Tensor`, or `Value`s held in a numpy array.

A batch of `Value`s (a list, a list of lists, or one `Value`) becomes a numpy array of
dtype object, so the same code runs on both engines: operators (``a - y``, ``2 * a``),
``.sum(axis)``, ``.mean()`` and indexing act elementwise on the Values, and the functions
here call each Value's own method (``v.relu()``). Nothing here writes a derivative: every
result is made of the engine's ops.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, Value
from autograd import tensor_rules as T

_METHODS: dict[str, Any] = {}  # one numpy ufunc per method name


def is_value_batch(x: Any) -> bool:
    """True for a `Value`, or a list, tuple or object array holding Values."""
    if isinstance(x, Value):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype == object and any(isinstance(v, Value) for v in x.flat)
    if isinstance(x, (list, tuple)):
        return any(is_value_batch(v) for v in x)
    return False


def value_array(x: Any) -> np.ndarray:
    """A batch of Values as an object array of at least one dimension (numbers become Values)."""
    arr = np.array(x, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    flat = arr.reshape(-1)
    for i, v in enumerate(flat):
        if not isinstance(v, Value):
            flat[i] = Value(v)
    return flat.reshape(arr.shape)


def as_nodes(x: Any) -> Any:
    """A Tensor as it is, Values as an object array, anything else as a constant Tensor."""
    if isinstance(x, Tensor):
        return x
    if is_value_batch(x):
        return value_array(x)
    return Tensor(x)


def _method(name: str) -> Any:
    if name not in _METHODS:
        _METHODS[name] = np.frompyfunc(lambda v: getattr(v, name)(), 1, 1)
    return _METHODS[name]


def apply(name: str, x: Any) -> Any:
    """The elementwise method ``name`` (``"relu"``, ``"exp"``, ...) on any node or batch."""
    if isinstance(x, (Value, Tensor)):
        return getattr(x, name)()
    if isinstance(x, np.ndarray) and x.dtype == object:
        return _method(name)(x)
    if isinstance(x, (list, tuple)):
        return [apply(name, v) for v in x]
    return getattr(Tensor(x), name)()


def relu(x: Any) -> Any:
    """a = max(z, 0)."""
    return apply("relu", x)


def tanh(x: Any) -> Any:
    """a = tanh(z)."""
    return apply("tanh", x)


def sigmoid(x: Any) -> Any:
    """a = σ(z) = 1 / (1 + e^(−z))."""
    return apply("sigmoid", x)


def exp(x: Any) -> Any:
    """e^x elementwise."""
    return apply("exp", x)


def log(x: Any) -> Any:
    """log x elementwise."""
    return apply("log", x)


def abs(x: Any) -> Any:
    """|x| elementwise."""
    return apply("abs", x)


def _rows(x: np.ndarray) -> np.ndarray:
    return x.reshape(-1, x.shape[-1])


def _shifted(x: np.ndarray) -> list[tuple[list[Any], list[Any], Any, float]]:
    """Per row of Values: the nodes x_j − c, exp(x_j − c), their sum Σ, and the constant c.

    c is the row's logsumexp as the op table computes it (`autograd.tensor_rules`), a
    constant: every x_j − c ≤ 0, so exp never overflows, and Σ is near 1.
    Any constant c gives the same function and gradient, so these nodes differentiate as
    the table's rules do, and with this c their numbers are the table's to rounding.
    """
    rows = _rows(x)
    with np.errstate(divide="ignore", invalid="ignore"):  # IEEE results, as Value's own ops
        shift = T.LOGSUMEXP.array(to_numpy(rows), -1, False)
    shift = np.where(np.isfinite(shift), shift, 0.0).tolist()  # all −inf, or an inf: no shift
    out = []
    for row, c in zip(rows, shift, strict=True):
        d = [v - c for v in row]
        exps = [dj.exp() for dj in d]
        out.append((d, exps, sum(exps[1:], exps[0]), c))
    return out


def logsumexp(x: Any, axis: int = -1) -> Any:
    """log Σ_j exp(x_j) along the last axis, stable for large |x|.

    A Tensor runs the op table's ``logsumexp``; on Values the node is
    c + log Σ_j exp(x_j − c) with the table's value c, whose gradient is softmax(x).
    """
    if isinstance(x, Tensor):
        return x.logsumexp(axis=axis)
    x = _last_axis(x, axis)
    out = np.empty(np.prod(x.shape[:-1], dtype=int), dtype=object)
    out[:] = [total.log() + c for _, _, total, c in _shifted(x)]
    return out.reshape(x.shape[:-1])


def log_softmax(x: Any, axis: int = -1) -> Any:
    """log softmax(x)_j = x_j − logsumexp(x), as (x_j − c) − log Σ_k exp(x_k − c)."""
    if isinstance(x, Tensor):
        return x.log_softmax(axis=axis)
    x = _last_axis(x, axis)
    out = np.empty(x.shape, dtype=object)
    for (d, _, total, _), dst in zip(_shifted(x), _rows(out), strict=True):
        log_total = total.log()
        dst[:] = [dj - log_total for dj in d]
    return out


def softmax(x: Any, axis: int = -1) -> Any:
    """softmax(x)_j = exp(x_j − c) / Σ_k exp(x_k − c), stable for large |x|.

    A Tensor runs the op table's ``softmax``; on Values c is the table's logsumexp, as in
    `logsumexp` (the division cancels c's rounding, so the numbers are the table's).
    """
    if isinstance(x, Tensor):
        return x.softmax(axis=axis)
    as_list, lone = isinstance(x, list), isinstance(x, Value)
    x = _last_axis(x, axis)
    out = np.empty(x.shape, dtype=object)
    for (_, exps, total, _), dst in zip(_shifted(x), _rows(out), strict=True):
        dst[:] = [e / total for e in exps]
    return out.tolist() if as_list else (out[0] if lone else out)


def _last_axis(x: Any, axis: int) -> np.ndarray:
    x = value_array(x)
    if axis not in (-1, x.ndim - 1):
        raise ValueError(
            f"on Values, softmax-like functions work along the last axis only, got axis={axis}"
        )
    if x.shape[-1] == 0:
        raise ValueError(f"softmax-like functions need at least one entry, got shape {x.shape}")
    return x


def to_numpy(x: Any) -> np.ndarray:
    """The numbers behind a Tensor, a Value, or a (nested) list or array of them."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, Value):
        return np.asarray(x.data)
    arr = np.array(x, dtype=object) if is_value_batch(x) else np.asarray(x)
    if arr.dtype == object:
        numbers = np.frompyfunc(lambda v: v.data if isinstance(v, (Value, Tensor)) else v, 1, 1)
        return numbers(arr).astype(float)
    return arr
