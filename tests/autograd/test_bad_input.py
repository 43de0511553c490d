"""Bad input to every public engine function: TypeError or ValueError that says what to do."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import (
    Tensor,
    Value,
    concatenate,
    detect_anomaly,
    grad,
    gradcheck,
    hvp,
    linear,
    stack,
    where,
)

M = Tensor(np.ones((2, 3)), requires_grad=True)

# (description, call, exception, the words the message must contain)
CASES = [
    ("Value of a string", lambda: Value("a"), TypeError, "real number"),
    ("Value of a dict", lambda: Value({}), TypeError, "dict"),
    ("Value plus a string", lambda: Value(1.0) + "a", TypeError, "str"),
    ("Value to a list power", lambda: Value(1.0) ** [2], TypeError, "list"),
    ("Value times a Tensor", lambda: Value(1.0) * M, TypeError, "Tensor"),
    ("Tensor of strings", lambda: Tensor(["a", "b"]), TypeError, "dtype"),
    ("Tensor of objects", lambda: Tensor([{}, 1]), TypeError, "dtype object"),
    ("Tensor ragged", lambda: Tensor([[1.0, 2.0], [3.0]]), ValueError, "rectangular"),
    ("Tensor integer dtype", lambda: Tensor([1], dtype="int64"), ValueError, "float type"),
    ("Tensor plus strings", lambda: M + np.array(["a"]), TypeError, "dtype"),
    ("broadcast shapes", lambda: M + np.ones((4, 3)), ValueError, "(2, 3) and (4, 3)"),
    ("matmul shapes", lambda: M @ M, ValueError, "(2, 3) and (2, 3)"),
    ("matmul of a scalar", lambda: M @ 2.0, ValueError, "1-D"),
    ("reshape size", lambda: M.reshape(4, 2), ValueError, "(2, 3) into (4, 2)"),
    ("axis out of range", lambda: M.sum(axis=2), ValueError, "out of range"),
    ("axis of wrong type", lambda: M.mean(axis="rows"), TypeError, "axis must be an int"),
    ("softmax axis", lambda: M.softmax(axis=5), ValueError, "out of range"),
    ("permute axes", lambda: M.permute(0, 0), ValueError, "permutation"),
    ("item of many", lambda: M.item(), ValueError, "one element"),
    ("concatenate nothing", lambda: concatenate([]), ValueError, "at least one"),
    ("concatenate a tensor", lambda: concatenate(M), TypeError, "list or tuple"),
    ("concatenate shapes", lambda: concatenate([M, Tensor(np.ones((2, 2)))]), ValueError, "differ"),
    ("stack shapes", lambda: stack([M, Tensor(np.ones(3))]), ValueError, "one shape"),
    ("linear x and W", lambda: linear(M, np.ones((3, 2)), np.ones(3)), ValueError, "(3, 2)"),
    ("linear bias", lambda: linear(M, np.ones((4, 3)), np.ones(3)), ValueError, "b (3,)"),
    ("linear weights", lambda: linear(M, "W", np.ones(2)), TypeError, "W must be numeric"),
    ("where shapes", lambda: where(np.ones(4) > 0, M, M), ValueError, "do not broadcast"),
    ("backward non-scalar", lambda: (M * 2).backward(), RuntimeError, "scalar outputs"),
    ("backward gradient shape", lambda: (M * 2).backward(np.ones(3)), ValueError, "(3,)"),
    (
        "backward without graph",
        lambda: Tensor([1.0]).sum().backward(),
        RuntimeError,
        "requires grad",
    ),
    ("gradcheck of a float", lambda: gradcheck(lambda x: x, [1.0]), TypeError, "inputs[0]"),
    ("gradcheck output", lambda: gradcheck(lambda x: 3.0, [Value(1.0)]), TypeError, "float"),
    ("grad non-scalar", lambda: grad(lambda x: x * 2)(np.ones(3)), ValueError, "scalar"),
    ("grad argnums", lambda: grad(lambda x: x, argnums=2)(1.0), ValueError, "argnums"),
    ("hvp shapes", lambda: hvp(lambda x: x.sum(), np.ones(3), np.ones(2)), ValueError, "(2,)"),
]


@pytest.mark.parametrize(("name", "call", "error", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(name, call, error, words) -> None:
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value), f"{name}: {info.value}"


def test_failed_backward_leaves_gradients_as_they_were() -> None:
    W = Tensor(np.ones(3), requires_grad=True)
    (W * 2).sum().backward()
    before = W.grad.copy()
    J = (W * W).sum() + W.sqrt().sum() * 0.0 + (W - 1.0).sqrt().sum()  # sqrt'(0) is inf
    with detect_anomaly(), pytest.raises(RuntimeError):
        J.backward()
    np.testing.assert_array_equal(W.grad, before)
    v = Value(0.0)
    v.grad = 0.5
    with detect_anomaly(), pytest.raises(RuntimeError):
        (v * 3.0 + v.sqrt()).backward()
    assert v.grad == 0.5
