"""Initialisers (micrograd's U(−1, 1), UFLDL's N(0, 0.01²), He, Xavier) and random sources."""

from __future__ import annotations

import random

import numpy as np
import pytest

import nn
from nn import init


def test_uniform_is_micrograds_u_minus_one_one():
    W = init.uniform((200, 100), rng=0)
    assert W.shape == (200, 100) and W.min() >= -1.0 and W.max() <= 1.0
    assert W.min() < -0.99 and W.max() > 0.99
    assert W.mean() == pytest.approx(0.0, abs=0.01)


def test_normal_is_ufldls_small_gaussian_for_weights_and_biases():
    W, b = init.initialize("normal", 300, 200, rng=0)
    assert W.std() == pytest.approx(0.01, rel=0.02) and W.mean() == pytest.approx(0, abs=1e-3)
    assert b.shape == (300,) and b.std() == pytest.approx(0.01, rel=0.2)


def test_he_and_xavier_scale_with_the_fans():
    W = init.he((400, 100), rng=0)
    assert W.std() == pytest.approx(np.sqrt(2 / 100), rel=0.02)
    W = init.xavier((300, 100), rng=0)
    bound = np.sqrt(6 / (100 + 300))
    assert np.abs(W).max() <= bound and np.abs(W).max() > 0.99 * bound
    assert W.std() == pytest.approx(bound / np.sqrt(3), rel=0.02)


@pytest.mark.parametrize("name", ["uniform", "he", "xavier"])
def test_biases_start_at_zero_except_ufldl(name):
    _, b = init.initialize(name, 5, 3, rng=0)
    assert b.tolist() == [0.0] * 5


def test_a_function_can_be_the_initialiser():
    W, b = init.initialize(lambda shape, rng: np.full(shape, 0.25), 2, 3, rng=0)
    assert W.tolist() == [[0.25] * 3] * 2 and b.tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match=r"init returned shape \(3,\), expected \(2, 3\)"):
        init.initialize(lambda shape, rng: np.zeros(3), 2, 3)
    model = nn.MLP(2, [3], init=lambda shape, rng: np.ones(shape), engine="tensor")
    assert model.layers[0].W.data.tolist() == [[1.0, 1.0]] * 3


def test_no_rng_draws_from_pythons_random_module_like_micrograd():
    random.seed(42)
    W = init.uniform((2, 3))
    random.seed(42)
    expected = [random.uniform(-1, 1) for _ in range(6)]  # micrograd's draws, row-major
    assert W.ravel().tolist() == expected
    random.seed(42)
    a = nn.data.make_moons(10, noise=0.1)
    random.seed(42)
    b = nn.data.make_moons(10, noise=0.1)
    np.testing.assert_array_equal(a[0], b[0])


def test_generator_accepts_seeds_and_generators_only():
    g = np.random.default_rng(0)
    assert init.generator(g) is g
    assert init.generator(3).integers(1000) == np.random.default_rng(3).integers(1000)
    with pytest.raises(TypeError, match="rng must be"):
        init.generator(1.5)
    with pytest.raises(TypeError, match="rng must be"):
        init.generator(True)


def test_bias_init_chooses_where_biases_start():
    _, b = init.initialize("he", 400, 3, rng=0, bias_init="uniform")
    assert b.min() >= -1.0 and b.max() <= 1.0 and b.min() < -0.9 and b.max() > 0.9
    _, b = init.initialize("normal", 5, 3, rng=0, bias_init="zeros")
    assert b.tolist() == [0.0] * 5
    _, b = init.initialize("xavier", 3, 2, rng=0, bias_init=lambda shape, rng: np.full(shape, 0.5))
    assert b.tolist() == [0.5] * 3


def test_uniform_weights_and_biases_are_drawn_per_neuron_as_the_lecture_does():
    random.seed(7)
    W, b = init.initialize("uniform", 3, 2, bias_init="uniform")
    random.seed(7)
    rows = [[random.uniform(-1, 1) for _ in range(3)] for _ in range(3)]  # w1, w2, then b
    assert W.tolist() == [r[:2] for r in rows] and b.tolist() == [r[2] for r in rows]
    w2, b2 = init.initialize("uniform", 3, 2, rng=5, bias_init="uniform")
    both = init.uniform((3, 3), rng=5)
    assert (w2 == both[:, :2]).all() and (b2 == both[:, 2]).all()
