"""Bad input to every public function and constructor of `nn`, catalogued.

Each row: what is wrong, the call, the exception (TypeError for a wrong kind of thing,
ValueError for a wrong value) and words the message must contain: the argument's name and
what it should be. Data (X, y, targets, labels, weights) must hold finite numbers; model
outputs are not checked for NaN (they follow IEEE arithmetic, and `detect_anomaly()` finds
where a NaN starts). The cases live in bad_input_cases*.py.
"""

from __future__ import annotations

import pytest

from .bad_input_cases import LOSSES, MODULES
from .bad_input_cases_training import DATA, OPTIMIZERS, TRAINING

CASES = MODULES + LOSSES + OPTIMIZERS + DATA + TRAINING


def test_every_case_has_its_own_name():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("name", "call", "error", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(name, call, error, words):
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error, f"{name}: {type(info.value).__name__}: {info.value}"
    assert words in str(info.value), f"{name}: {info.value}"
