"""Data sets, splitting, one-hot targets, and mini-batches in both schemes (epoch, sample)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn import data

GENERATORS = [
    (data.make_moons, 2),
    (data.make_circles, 2),
    (data.make_spirals, 3),
    (data.make_xor, 2),
]


@pytest.mark.parametrize(("make", "k"), GENERATORS)
def test_generators_give_rows_labels_and_reproduce_from_the_seed(make, k):
    X, y = make(90, rng=0)
    assert X.shape == (90, 2) and y.shape == (90,) and y.dtype.kind == "i"
    assert sorted(set(y.tolist())) == list(range(k))
    X2, y2 = make(90, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(make(90, rng=1)[0], X)


def test_moons_without_noise_lie_on_two_half_circles():
    X, y = data.make_moons(101, rng=0)
    upper, lower = X[y == 0], X[y == 1]
    assert len(upper) == 50 and len(lower) == 51
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert upper[:, 1].min() >= 0 and lower[:, 1].max() <= 0.5


def test_circles_have_radii_one_and_factor():
    X, y = data.make_circles(60, factor=0.3, rng=0)
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0)
    np.testing.assert_allclose(np.hypot(*X[y == 1].T), 0.3)


def test_spirals_have_equal_arms_within_the_unit_disc():
    X, y = data.make_spirals(301, n_classes=3, rng=0)
    assert np.bincount(y).tolist() == [101, 100, 100]
    assert np.hypot(*X.T).max() <= 1.0 + 1e-12


def test_xor_labels_are_the_xor_of_the_signs():
    X, y = data.make_xor(200, rng=0)
    np.testing.assert_array_equal(y, (X[:, 0] > 0) ^ (X[:, 1] > 0))


def test_housing_prices_follow_the_notes_relu_neuron():
    X, y = data.make_housing(50, noise=0.0, rng=0)
    assert X.shape == (50, 1)
    np.testing.assert_allclose(y, np.maximum(2.0 * X[:, 0] - 1.5, 0.0))
    assert np.any(y == 0.0) and np.any(y > 0)  # both sides of the kink
    X4, y4 = data.make_housing(50, n_features=4, rng=0)
    assert X4.shape == (50, 4) and y4.shape == (50,)
    with pytest.raises(ValueError, match="n_features must be 1 or 4"):
        data.make_housing(10, n_features=2)


def test_noise_moves_points_off_the_curve():
    X, _ = data.make_moons(100, noise=0.1, rng=0)
    X0, _ = data.make_moons(100, noise=0.0, rng=0)
    assert 0.05 < np.std(X - X0) < 0.15


def test_train_test_split_partitions_the_examples():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=0.3, rng=0)
    assert len(X_te) == 3 and len(X_tr) == 7
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(10))
    np.testing.assert_array_equal(X_tr[:, 0] // 2, y_tr)
    assert len(data.train_test_split(X, y, test_size=4)[1]) == 4
    with pytest.raises(ValueError, match="test_size"):
        data.train_test_split(X, y, test_size=1.5)
    with pytest.raises(ValueError, match="one row per example"):
        data.train_test_split(X, y[:5])


def test_one_hot():
    np.testing.assert_array_equal(data.one_hot([2, 0]), [[0, 0, 1], [1, 0, 0]])
    assert data.one_hot([1], num_classes=4).tolist() == [[0, 1, 0, 0]]
    with pytest.raises(ValueError, match="labels must lie in"):
        data.one_hot([3], num_classes=2)
    with pytest.raises(ValueError, match="integer labels"):
        data.one_hot([0.5])


@given(n=st.integers(1, 60), batch_size=st.integers(1, 70), seed=st.integers(0, 2**32))
def test_batches_visit_every_example_exactly_once(n, batch_size, seed):
    X, y = np.arange(n)[:, None] * 1.0, np.arange(n)
    parts = list(data.batches(X, y, batch_size, rng=seed))
    seen = np.concatenate([yb for _, yb in parts])
    assert sorted(seen.tolist()) == list(range(n))
    assert len(parts) == -(-n // batch_size)
    assert all(len(yb) == batch_size for _, yb in parts[:-1])
    assert all(np.array_equal(Xb[:, 0], yb) for Xb, yb in parts)  # rows stay paired


def test_batches_shuffle_with_the_rng_or_keep_the_order():
    X, y = np.zeros((10, 1)), np.arange(10)
    ordered = [yb.tolist() for _, yb in data.batches(X, y, 4, shuffle=False)]
    assert ordered == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    a = np.concatenate([yb for _, yb in data.batches(X, y, 4, rng=3)])
    b = np.concatenate([yb for _, yb in data.batches(X, y, 4, rng=3)])
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, np.arange(10))


def test_batches_check_arguments_when_called():
    with pytest.raises(ValueError, match="batch_size must be an int >= 1"):
        data.batches(np.zeros((3, 1)), np.zeros(3), 0)
    with pytest.raises(ValueError, match="one row per example"):
        data.batches(np.zeros((3, 1)), np.zeros(2), 1)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: data.make_moons(1), "n_samples"),
        (lambda: data.make_moons(10, noise=-1), "noise"),
        (lambda: data.make_circles(10, factor=1.5), "factor"),
        (lambda: data.make_spirals(10, n_classes=1), "n_classes"),
    ],
)
def test_generator_arguments_are_checked(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_epoch_scheme_is_the_default_partition():
    X, y = np.arange(20)[:, None] * 1.0, np.arange(20)
    default = [yb.tolist() for _, yb in data.batches(X, y, 6, rng=5)]
    epoch = [yb.tolist() for _, yb in data.batches(X, y, 6, rng=5, scheme="epoch")]
    assert default == epoch
    assert sorted(j for batch in epoch for j in batch) == list(
        range(20)
    )  # every example exactly once


@given(n=st.integers(1, 40), batch_size=st.integers(1, 40), seed=st.integers(0, 2**32))
def test_sample_scheme_draws_distinct_rows_afresh_each_iteration(n, batch_size, seed):
    batch_size = min(batch_size, n)  # Algorithm 2 draws B of the n without replacement
    X, y = np.arange(n)[:, None] * 1.0, np.arange(n)
    parts = list(data.batches(X, y, batch_size, rng=seed, scheme="sample"))
    assert len(parts) == -(-n // batch_size)  # by default as many steps as one epoch
    for Xb, yb in parts:
        assert len(yb) == batch_size and len(set(yb.tolist())) == batch_size  # no repeats
        assert np.array_equal(Xb[:, 0], yb)  # rows stay paired


def test_sample_scheme_is_not_a_partition_and_reproduces_from_the_seed():
    X, y = np.zeros((10, 1)), np.arange(10)
    draws = [yb.tolist() for _, yb in data.batches(X, y, 4, rng=1, scheme="sample", n_iter=50)]
    assert len(draws) == 50
    again = [yb.tolist() for _, yb in data.batches(X, y, 4, rng=1, scheme="sample", n_iter=50)]
    assert draws == again
    seen = [j for batch in draws[:3] for j in batch]
    assert len(set(seen)) < len(seen)  # three fresh draws of 4 from 10 share examples here
    # Over many iterations every example is drawn about B/n of the time.
    counts = np.bincount([j for batch in draws for j in batch], minlength=10)
    assert counts.min() > 0 and counts.sum() == 200


def test_batch_schemes_check_their_arguments():
    X, y = np.zeros((5, 1)), np.zeros(5)
    with pytest.raises(ValueError, match=r"scheme must be 'epoch'.*or 'sample'"):
        data.batches(X, y, 2, scheme="algorithm2")
    with pytest.raises(ValueError, match="n_iter is for scheme='sample'"):
        data.batches(X, y, 2, n_iter=3)
    with pytest.raises(ValueError, match="shuffle=False keeps the order"):
        data.batches(X, y, 2, scheme="sample", shuffle=False)
    with pytest.raises(ValueError, match="batch_size=6 is more than the n = 5"):
        data.batches(X, y, 6, scheme="sample")
    with pytest.raises(ValueError, match="n_iter must be an int >= 1"):
        data.batches(X, y, 2, scheme="sample", n_iter=0)
