"""Data replaced between forward and backward: a loud error, never silently wrong gradients."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor


def test_replacing_an_input_before_backward_raises_naming_the_op() -> None:
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    X = Tensor(np.ones((4, 3)))
    J = (X @ W.T).tanh().sum()
    W.data = W.data * 2  # the forward pass used the old W
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\)\) of op 'transpose'"):
        J.backward()
    assert W.grad is None


def test_augmented_assignment_counts_as_a_change() -> None:
    b = Tensor(np.zeros(3), requires_grad=True)
    J = (b * b).sum()
    b.data += 1.0
    with pytest.raises(RuntimeError, match="replaced after the graph was built"):
        J.backward()


def test_changing_an_intermediate_result_raises() -> None:
    x = Tensor([0.5, 1.0], requires_grad=True)
    y = x.tanh()
    J = y.sum()
    y.data = np.zeros(2)
    # The first rule to read y is sum's, which reports its changed input.
    with pytest.raises(RuntimeError, match=r"input 0 \(shape \(2,\)\) of op 'sum'"):
        J.backward()


def test_updates_after_backward_keep_working() -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    for _ in range(3):
        W.grad = None
        J = (W * W).sum()
        J.backward()
        W.data -= 0.25 * W.grad
    np.testing.assert_allclose(W.data, np.full(3, 0.125))
