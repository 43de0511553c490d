"""Small data sets to learn from, splitting, one-hot targets, and mini-batches.

Every generator takes ``rng`` (an int seed, an `np.random.Generator`, or None: seeded
from Python's `random` module) and returns ``X`` of shape (n, d), examples as rows (the
notes' a[0] = x), with ``y``: integer labels, or real targets for regression.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import Any

import numpy as np

from . import checks
from .init import Rng, generator

_count = checks.integer


def _noise(noise: Any) -> float:
    return checks.number("noise", noise, 0.0)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    order = rng.permutation(len(X))
    return X[order], y[order]


def make_moons(
    n_samples: int = 100, noise: float = 0.0, rng: Rng = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's construction): labels 0 and 1."""
    n = _count("n_samples", n_samples, 2)
    noise, g = _noise(noise), generator(rng)
    n_out, n_in = n // 2, n - n // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
            np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], axis=1),
        ]
    )
    y = np.concatenate([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    X, y = _shuffled(X, y, g)
    return X + noise * g.standard_normal(X.shape), y


def make_circles(
    n_samples: int = 100, noise: float = 0.0, factor: float = 0.5, rng: Rng = None
) -> tuple[np.ndarray, np.ndarray]:
    """A circle (label 0) around a smaller one of radius ``factor`` (label 1)."""
    n = _count("n_samples", n_samples, 2)
    noise, g = _noise(noise), generator(rng)
    factor = checks.number("factor", factor, 0.0, 1.0, above=True, below=True)
    n_out, n_in = n // 2, n - n // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
            factor * np.stack([np.cos(t_in), np.sin(t_in)], axis=1),
        ]
    )
    y = np.concatenate([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    X, y = _shuffled(X, y, g)
    return X + noise * g.standard_normal(X.shape), y


def make_spirals(
    n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, rng: Rng = None
) -> tuple[np.ndarray, np.ndarray]:
    """``n_classes`` interleaved spiral arms (labels 0..n_classes−1), not linearly separable.

    Arm j: radius r from 0 to 1, angle θ = 4j + 4r (+ noise), x = (r sin θ, r cos θ).
    """
    n = _count("n_samples", n_samples, 1)
    k = _count("n_classes", n_classes, 2)
    noise, g = _noise(noise), generator(rng)
    sizes = [n // k + (j < n % k) for j in range(k)]
    Xs, ys = [], []
    for j, m in enumerate(sizes):
        r = np.linspace(0.0, 1.0, m)
        theta = np.linspace(4.0 * j, 4.0 * (j + 1), m) + noise * g.standard_normal(m)
        Xs.append(np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1))
        ys.append(np.full(m, j, dtype=np.int64))
    return _shuffled(np.concatenate(Xs), np.concatenate(ys), g)


def make_xor(
    n_samples: int = 200, noise: float = 0.0, rng: Rng = None
) -> tuple[np.ndarray, np.ndarray]:
    """Points in [−1, 1]²: label 1 where exactly one coordinate is positive (XOR), else 0."""
    n = _count("n_samples", n_samples, 1)
    noise, g = _noise(noise), generator(rng)
    X = g.uniform(-1.0, 1.0, size=(n, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64)
    return X + noise * g.standard_normal(X.shape), y


def make_housing(
    n_samples: int = 100, n_features: int = 1, noise: float = 0.1, rng: Rng = None
) -> tuple[np.ndarray, np.ndarray]:
    """The CS229 deep-learning notes' housing prices (regression), in units of $100k.

    ``n_features=1``: the size x (in 1000 sq ft) and a price with a "kink", a single ReLU
    neuron h(x) = max(w x + b, 0) (eq. 2.1) plus noise. ``n_features=4``: size, bedrooms,
    zip code (a walkability score in [0, 1]) and neighbourhood wealth (in [0, 1]); the
    price is a linear function of three hidden ReLU features, as in eq. 2.3: family size
    from size and bedrooms, walkability from the zip code, school quality from zip code
    and wealth.
    """
    n = _count("n_samples", n_samples, 1)
    if _count("n_features", n_features, 1) not in (1, 4):
        raise ValueError(f"n_features must be 1 or 4, got {n_features!r}")
    noise, g = _noise(noise), generator(rng)
    size = g.uniform(0.5, 3.5, size=n)
    if n_features == 1:
        price = np.maximum(2.0 * size - 1.5, 0.0)
        X = size[:, None]
    else:  # n_features == 4
        bedrooms = g.integers(1, 6, size=n).astype(float)
        zip_code, wealth = g.uniform(0.0, 1.0, size=n), g.uniform(0.0, 1.0, size=n)
        family = np.maximum(0.8 * size + 0.5 * bedrooms - 1.0, 0.0)
        walkable = np.maximum(2.0 * zip_code - 0.5, 0.0)
        school = np.maximum(1.0 * zip_code + 2.0 * wealth - 0.8, 0.0)
        price = 1.0 * family + 0.5 * walkable + 1.5 * school + 0.5
        X = np.stack([size, bedrooms, zip_code, wealth], axis=1)
    return X, price + noise * g.standard_normal(n)


def train_test_split(
    X: Any, y: Any, test_size: float | int = 0.3, rng: Rng = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle, then split into ``X_train, X_test, y_train, y_test`` (scikit-learn's order).

    ``test_size`` is a fraction in (0, 1) or a number of test examples. ``X`` and ``y``
    hold finite numbers, one row per example.
    """
    X, y = _xy(X, y)
    n = len(X)
    if isinstance(test_size, (bool, np.bool_)):
        raise TypeError(f"test_size must be a fraction in (0, 1) or an int, got {test_size!r}")
    if isinstance(test_size, numbers.Integral):
        n_test = int(test_size)
    elif isinstance(test_size, numbers.Real) and 0 < test_size < 1:
        n_test = int(np.ceil(test_size * n))
    else:
        raise ValueError(f"test_size must be a fraction in (0, 1) or an int, got {test_size!r}")
    if not 0 < n_test < n:
        raise ValueError(f"test_size={test_size!r} leaves no examples in one part (n = {n})")
    order = generator(rng).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def one_hot(y: Any, num_classes: int | None = None) -> np.ndarray:
    """Labels (n,) as rows of a (n, k) float matrix with a single 1 at each label.

    ``num_classes`` is k (by default the largest label + 1); labels must lie in [0, k).
    """
    y = checks.array("y", y)
    k = None if num_classes is None else _count("num_classes", num_classes, 1)
    labels = checks.labels("y", y, k)
    if k is None:
        k = int(labels.max()) + 1
    out = np.zeros(labels.shape + (k,))
    np.put_along_axis(out, labels[..., None], 1.0, axis=-1)
    return out


#: The two ways of cutting the data into mini-batches, named after the notes that use them.
SCHEMES = ("epoch", "sample")


def batches(
    X: Any,
    y: Any,
    batch_size: int,
    rng: Rng = None,
    shuffle: bool = True,
    scheme: str = "epoch",
    n_iter: int | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Mini-batches ``(X_b, y_b)`` of ``batch_size`` = B rows, in one of two schemes.

    - ``scheme="epoch"`` (the default; the course-club notes, 001): a random partition of
      the n examples into ⌈n / B⌉ batches (the last may be smaller), so that one pass
      visits every example exactly once. ``shuffle=False`` keeps the data's order.
    - ``scheme="sample"``: Algorithm 2 of the CS229 deep-learning notes (003): at each of
      ``n_iter`` iterations, B examples sampled afresh, without replacement within the
      batch, uniformly from all n (an example may come back in the next batch, and some
      may not come at all). ``n_iter`` defaults to ⌈n / B⌉, the steps of one epoch.

    Arguments are checked at the call: ``X`` and ``y`` hold finite numbers, one row per
    example.
    """
    X, y = _xy(X, y)
    n = len(X)
    B = _count("batch_size", batch_size, 1)
    shuffle = checks.flag("shuffle", shuffle)
    if scheme not in SCHEMES:
        raise ValueError(
            f"scheme must be 'epoch' (a random partition, notes 001) or 'sample' (a fresh "
            f"batch each iteration, Algorithm 2 of notes 003), got {scheme!r}"
        )
    g = generator(rng)
    if scheme == "epoch":
        if n_iter is not None:
            raise ValueError(
                "n_iter is for scheme='sample'; scheme='epoch' gives the ⌈n / B⌉ batches of "
                "one pass (loop over epochs for more)"
            )
        order = g.permutation(n) if shuffle else np.arange(n)
        return ((X[order[i : i + B]], y[order[i : i + B]]) for i in range(0, n, B))
    if not shuffle:
        raise ValueError(
            "shuffle=False keeps the order of scheme='epoch'; 'sample' draws at random"
        )
    if n < B:
        raise ValueError(
            f"batch_size={B} is more than the n = {n} examples: scheme='sample' draws B of "
            "them without replacement (Algorithm 2); use batch_size <= n"
        )
    steps = -(-n // B) if n_iter is None else _count("n_iter", n_iter, 1)
    return _sampled(X, y, B, steps, g)


def _sampled(
    X: np.ndarray, y: np.ndarray, B: int, steps: int, g: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Algorithm 2's draws: ``steps`` batches of B distinct rows, each drawn afresh."""
    for _ in range(steps):
        j = g.choice(len(X), size=B, replace=False)
        yield X[j], y[j]


def _xy(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """X and y as checked arrays (numbers, finite, not empty) with one row per example."""
    X, y = checks.array("X", X), checks.array("y", y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"X and y need one row per example: got shapes {X.shape} and {y.shape}")
    return X, y
