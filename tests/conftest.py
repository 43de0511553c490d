"""Shared test set-up: PyTorch cross-checks when torch is installed, hypothesis settings."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# No deadline: the machine is shared and timings vary; speed lives in benchmarks/.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture
def torch():
    """PyTorch in float64, or the test is skipped (finite-difference checks still run)."""
    torch = pytest.importorskip("torch")
    torch.set_default_dtype(torch.float64)
    return torch


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)
