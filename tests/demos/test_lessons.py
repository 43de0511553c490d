"""The lessons of the notes that have a demo of their own: each printed claim, asserted."""

from __future__ import annotations

import numpy as np

from .conftest import assert_files_written


def test_symmetry_zero_start_keeps_units_equal_and_normal_start_splits_them(run_demo):
    r = run_demo("symmetry")
    zeros, normal = r["zeros"], r["normal"]
    assert zeros["spread"] < 1e-12 and zeros["distinct"] == 1  # identical for ever
    assert r["moved"] > 0.1  # ... though their weights did change
    assert normal["spread"] > 0.1 and normal["distinct"] == 4
    assert normal["losses"][-1] <= zeros["losses"][-1]
    assert "distinct hidden units after training         = 1 of 4" in r["stdout"]
    assert "distinct hidden units after training         = 4 of 4" in r["stdout"]
    assert_files_written(r)
