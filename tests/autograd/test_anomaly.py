"""Anomaly mode: the first NaN or infinity raises, naming the op, the label and the line."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import AnomalyError, Tensor, Value, detect_anomaly


def test_forward_nan_names_the_op_and_the_callers_line() -> None:
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        Tensor([-1.0, 4.0], requires_grad=True).sqrt()
    assert "op 'sqrt'" in str(err.value) and "nan" in str(err.value)
    assert "test_anomaly.py" in str(err.value)


def test_backward_inf_names_the_op_label_and_creation_site() -> None:
    with detect_anomaly():
        x = Value(0.0, label="x")
        y = x.sqrt()  # finite forward (0), infinite derivative 1/(2·0)
        y.label = "root of x"
        J = y * 2.0
        with pytest.raises(AnomalyError) as err:
            J.backward()
    message = str(err.value)
    assert "op 'sqrt'" in message and "'root of x'" in message and "inf" in message
    assert "test_anomaly.py" in message and "test_backward_inf" in message


def test_non_finite_inputs_are_not_blamed_on_the_op() -> None:
    with detect_anomaly():
        y = Value(float("nan")) * 2.0  # the nan came in; mul produced nothing new
    assert np.isnan(y.data)


def test_outside_anomaly_mode_ieee_results_flow_through() -> None:
    x = Value(0.0)
    y = x.sqrt()
    y.backward()
    assert x.grad == float("inf")
