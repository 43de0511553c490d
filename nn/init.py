"""Initialisers: where a network's weights start, and where randomness comes from.

Every random function of `nn` takes ``rng``: an int seed, an `np.random.Generator`, or None.
None draws from Python's `random` module, as micrograd does, so ``random.seed(1337)``
reproduces micrograd's initial weights exactly (same numbers, same order).

Weights are drawn as W ∈ R^{out×in} (the notes' W[l] ∈ R^{m×d}); biases start at zero
except for UFLDL's ``"normal"``, which draws every parameter from Normal(0, ε²), and
``bias_init`` chooses them otherwise (``"uniform"``: the micrograd lecture's b ~ U(−1, 1)).
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable
from typing import Any

import numpy as np

Rng = int | np.random.Generator | None
Shape = tuple[int, ...]


class _PythonRandom:
    """The two draws initialisers need, taken from Python's `random` module in row-major order."""

    def uniform(self, low: float, high: float, size: Shape) -> np.ndarray:
        n = math.prod(size)
        return np.array([random.uniform(low, high) for _ in range(n)], dtype=float).reshape(size)

    def normal(self, loc: float, scale: float, size: Shape) -> np.ndarray:
        n = math.prod(size)
        return np.array([random.gauss(loc, scale) for _ in range(n)], dtype=float).reshape(size)


def generator(rng: Rng) -> np.random.Generator:
    """An `np.random.Generator` from a seed, a generator, or None (seeded from `random`)."""
    if rng is None:
        return np.random.default_rng(random.getrandbits(128))
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng: a seed must be >= 0, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be a non-negative int seed, an np.random.Generator or None, got {rng!r}"
    )


def _source(rng: Rng) -> Any:
    return _PythonRandom() if rng is None else generator(rng)


def _shape(shape: Any) -> Shape:
    """A weight's shape: a tuple (or list) of positive ints, or one int."""
    dims = (shape,) if isinstance(shape, (int, np.integer)) else shape
    ok = isinstance(dims, (tuple, list)) and len(dims) > 0
    if not ok or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1 for n in dims
    ):
        raise ValueError(f"shape must be a tuple of positive ints such as (out, in), got {shape!r}")
    return tuple(int(n) for n in dims)


def _finite(name: str, x: Any, low: float = -math.inf) -> float:
    if not isinstance(x, numbers.Real) or isinstance(x, bool) or not low <= x < math.inf:
        raise ValueError(f"{name} must be a finite number >= {low:g}, got {x!r}")
    return float(x)


def _fans(shape: Shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in); a 1-D shape is one neuron's w."""
    if len(shape) == 1:
        return shape[0], 1
    return shape[-1], shape[0]


def zeros(shape: Shape, rng: Rng = None) -> np.ndarray:
    """All zeros (biases)."""
    return np.zeros(_shape(shape))


def uniform(shape: Shape, rng: Rng = None, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """micrograd's initialiser: every weight from U(low, high), U(−1, 1) by default."""
    low, high = _finite("low", low), _finite("high", high)
    if not low < high:
        raise ValueError(f"uniform needs low < high, got low={low!r} and high={high!r}")
    return _source(rng).uniform(low, high, size=_shape(shape))


def normal(shape: Shape, rng: Rng = None, std: float = 0.01) -> np.ndarray:
    """UFLDL's initialiser: Normal(0, ε²) with ε = 0.01, small values that break symmetry."""
    return _source(rng).normal(0.0, _finite("std", std, 0.0), size=_shape(shape))


def he(shape: Shape, rng: Rng = None) -> np.ndarray:
    """He (Kaiming) normal: Normal(0, 2 / fan_in), for ReLU layers."""
    shape = _shape(shape)
    fan_in, _ = _fans(shape)
    return _source(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=shape)


def xavier(shape: Shape, rng: Rng = None) -> np.ndarray:
    """Xavier/Glorot uniform: U(−a, a) with a = √(6 / (fan_in + fan_out)), for tanh/sigmoid."""
    shape = _shape(shape)
    fan_in, fan_out = _fans(shape)
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return _source(rng).uniform(-a, a, size=shape)


#: name -> (weight initialiser, bias initialiser)
INITS: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "uniform": (uniform, zeros),
    "normal": (normal, normal),
    "he": (he, zeros),
    "xavier": (xavier, zeros),
}

Init = str | Callable[..., np.ndarray]


#: ``bias_init`` names: where b starts, whatever ``init`` draws W from.
BIAS_INITS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": zeros,
    "uniform": uniform,
    "normal": normal,
}


def initialize(
    init: Init, nout: int, nin: int, rng: Rng = None, bias_init: Init | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """W of shape (nout, nin) and b of shape (nout,) for one fully connected layer.

    Args:
        init: a name in `INITS` (``"uniform"``, ``"normal"``, ``"he"``, ``"xavier"``) or a
            function ``f(shape, rng) -> array`` for W (biases then start at zero).
        nout, nin: the layer's sizes.
        rng: an int seed, an `np.random.Generator`, or None (Python's `random` module).
        bias_init: None (the default of ``init``: zeros, or N(0, ε²) for ``"normal"``),
            ``"zeros"``, ``"uniform"`` (U(−1, 1), the micrograd lecture's b), ``"normal"``,
            or a function ``f(shape, rng)``. With ``init="uniform"`` and
            ``bias_init="uniform"`` each neuron draws its weights and then its bias, the
            lecture's order (``Neuron``: ``w = [uniform(-1, 1) ...]``, then ``b``), so the
            same ``random.seed`` gives the lecture's numbers.
    """
    for name, n in (("nin", nin), ("nout", nout)):
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            raise TypeError(f"{name} must be a positive int, got {n!r}")
        if n < 1:
            raise ValueError(f"{name} must be a positive int, got {n!r}")
    if callable(init):
        w_init, b_init = init, zeros
    elif isinstance(init, str) and init in INITS:
        w_init, b_init = INITS[init]
    else:
        raise ValueError(f"init must be one of {sorted(INITS)} or a function, got {init!r}")
    if bias_init is not None:
        b_init = _bias_init(bias_init)
    if rng is not None:
        rng = generator(rng)  # one stream for W then b, whatever the seed type
    if w_init is uniform and b_init is uniform:  # one U(−1, 1) draw per neuron: w₁..wₙ, b
        both = _drawn("init", uniform((nout, nin + 1), rng), (nout, nin + 1))
        return both[:, :nin].copy(), both[:, nin].copy()
    W = _drawn("init", w_init((nout, nin), rng), (nout, nin))
    b = _drawn(
        "bias_init" if bias_init is not None else "init (biases)", b_init((nout,), rng), (nout,)
    )
    return W, b


def _bias_init(bias_init: Any) -> Callable[..., np.ndarray]:
    if callable(bias_init):
        return bias_init
    if isinstance(bias_init, str) and bias_init in BIAS_INITS:
        return BIAS_INITS[bias_init]
    raise ValueError(
        f"bias_init must be None, one of {sorted(BIAS_INITS)} or a function, got {bias_init!r}"
    )


def _drawn(name: str, x: Any, shape: Shape) -> np.ndarray:
    """An initialiser's output as a float array of ``shape`` holding finite numbers."""
    try:
        W = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name} must return an array of numbers: {e}") from None
    if W.shape != shape:
        raise ValueError(f"{name} returned shape {W.shape}, expected {shape}")
    if not np.isfinite(W).all():
        raise ValueError(f"{name} returned NaN or infinite weights")
    return W
