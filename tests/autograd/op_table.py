"""The op table: every op once, with its numpy reference, its torch twin and its domain.

Each row is checked (test_ops.py) for its forward value, its gradient by central differences
and, when torch is installed, against PyTorch in float64, on both node types where the op
exists on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import linear


@dataclass(frozen=True)
class Row:
    name: str
    node: Any  # f(*nodes) -> node
    ref: Any  # f(*arrays) -> array (numpy reference)
    torch: Any  # f(torch, *tensors) -> tensor
    arity: int = 1
    low: float = -2.0  # inputs drawn uniformly from [low, high]
    high: float = 2.0
    scalar: bool = True  # also on Value
    shapes: tuple = field(default=((3, 4),))  # input shapes for the Tensor check
    away_from_zero: bool = False  # keep |x| > 0.1 (kinks of relu and abs)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


ELEMENTWISE = [
    Row("neg", lambda x: -x, np.negative, lambda t, x: -x),
    Row("exp", lambda x: x.exp(), np.exp, lambda t, x: x.exp()),
    Row("log", lambda x: x.log(), np.log, lambda t, x: x.log(), low=0.2, high=3.0),
    Row(
        "relu",
        lambda x: x.relu(),
        lambda x: np.maximum(x, 0),
        lambda t, x: x.relu(),
        away_from_zero=True,
    ),
    Row("tanh", lambda x: x.tanh(), np.tanh, lambda t, x: x.tanh()),
    Row("sigmoid", lambda x: x.sigmoid(), _sigmoid, lambda t, x: x.sigmoid()),
    Row("sin", lambda x: x.sin(), np.sin, lambda t, x: x.sin()),
    Row("cos", lambda x: x.cos(), np.cos, lambda t, x: x.cos()),
    Row("abs", lambda x: x.abs(), np.abs, lambda t, x: x.abs(), away_from_zero=True),
    Row("sqrt", lambda x: x.sqrt(), np.sqrt, lambda t, x: x.sqrt(), low=0.2, high=3.0),
    Row("add", lambda a, b: a + b, np.add, lambda t, a, b: a + b, arity=2),
    Row("sub", lambda a, b: a - b, np.subtract, lambda t, a, b: a - b, arity=2),
    Row("mul", lambda a, b: a * b, np.multiply, lambda t, a, b: a * b, arity=2),
    Row("div", lambda a, b: a / b, np.divide, lambda t, a, b: a / b, arity=2, low=0.5),
    Row("pow", lambda a, b: a**b, np.power, lambda t, a, b: a**b, arity=2, low=0.5),
    Row("pow_const", lambda x: x**3, lambda x: x**3, lambda t, x: x**3),
    Row("rpow_const", lambda x: 2.0**x, lambda x: 2.0**x, lambda t, x: 2.0**x),
    Row("radd_const", lambda x: 1.5 + x, lambda x: 1.5 + x, lambda t, x: 1.5 + x),
    Row("rsub_const", lambda x: 1.5 - x, lambda x: 1.5 - x, lambda t, x: 1.5 - x),
    Row("rmul_const", lambda x: 3 * x, lambda x: 3 * x, lambda t, x: 3 * x),
    Row("rdiv_const", lambda x: 2.0 / x, lambda x: 2.0 / x, lambda t, x: 2.0 / x, low=0.5),
]

TENSOR_ONLY = [
    Row(
        "matmul",
        lambda a, b: a @ b,
        np.matmul,
        lambda t, a, b: a @ b,
        arity=2,
        scalar=False,
        shapes=((3, 4), (4, 2)),
    ),
    Row(
        "matmul_vec_mat",
        lambda a, b: a @ b,
        np.matmul,
        lambda t, a, b: a @ b,
        arity=2,
        scalar=False,
        shapes=((4,), (4, 2)),
    ),
    Row(
        "matmul_mat_vec",
        lambda a, b: a @ b,
        np.matmul,
        lambda t, a, b: a @ b,
        arity=2,
        scalar=False,
        shapes=((3, 4), (4,)),
    ),
    Row(
        "matmul_vec_vec",
        lambda a, b: a @ b,
        np.matmul,
        lambda t, a, b: a @ b,
        arity=2,
        scalar=False,
        shapes=((4,), (4,)),
    ),
    Row(
        "matmul_batched",
        lambda a, b: a @ b,
        np.matmul,
        lambda t, a, b: a @ b,
        arity=2,
        scalar=False,
        shapes=((2, 3, 4), (4, 5)),
    ),
    Row(
        "matmul_batched_both",
        lambda a, b: a @ b,
        np.matmul,
        lambda t, a, b: a @ b,
        arity=2,
        scalar=False,
        shapes=((2, 1, 3, 4), (3, 4, 2)),
    ),
    *(
        Row(
            name,
            linear,
            lambda x, W, b: x @ W.T + b,
            lambda t, x, W, b: t.nn.functional.linear(x, W, b),
            arity=3,
            scalar=False,
            shapes=(x_shape, (2, 3), (2,)),
        )
        for name, x_shape in (
            ("linear", (4, 3)),
            ("linear_vec", (3,)),
            ("linear_batched", (2, 4, 3)),
        )
    ),
    Row("sum", lambda x: x.sum(), np.sum, lambda t, x: x.sum(), scalar=False),
    Row(
        "sum_axis",
        lambda x: x.sum(axis=1),
        lambda x: x.sum(axis=1),
        lambda t, x: x.sum(dim=1),
        scalar=False,
    ),
    Row(
        "sum_axes_keepdims",
        lambda x: x.sum(axis=(0, 2), keepdims=True),
        lambda x: x.sum(axis=(0, 2), keepdims=True),
        lambda t, x: x.sum(dim=(0, 2), keepdim=True),
        scalar=False,
        shapes=((2, 3, 4),),
    ),
    Row(
        "mean",
        lambda x: x.mean(axis=0),
        lambda x: x.mean(axis=0),
        lambda t, x: x.mean(dim=0),
        scalar=False,
    ),
    Row(
        "max",
        lambda x: x.amax(axis=-1),
        lambda x: x.max(axis=-1),
        lambda t, x: x.amax(dim=-1),
        scalar=False,
    ),
    Row("max_all", lambda x: x.max(), np.max, lambda t, x: x.amax(), scalar=False),
    Row(
        "logsumexp",
        lambda x: x.logsumexp(axis=1),
        lambda x: np.log(np.exp(x).sum(axis=1)),
        lambda t, x: x.logsumexp(dim=1),
        scalar=False,
    ),
    Row(
        "softmax",
        lambda x: x.softmax(axis=1),
        lambda x: np.exp(x) / np.exp(x).sum(axis=1, keepdims=True),
        lambda t, x: x.softmax(dim=1),
        scalar=False,
    ),
    Row(
        "log_softmax",
        lambda x: x.log_softmax(axis=0),
        lambda x: x - np.log(np.exp(x).sum(axis=0, keepdims=True)),
        lambda t, x: x.log_softmax(dim=0),
        scalar=False,
    ),
    Row(
        "reshape",
        lambda x: x.reshape(2, -1),
        lambda x: x.reshape(2, -1),
        lambda t, x: x.reshape(2, -1),
        scalar=False,
    ),
    Row(
        "transpose",
        lambda x: x.permute(2, 0, 1),
        lambda x: x.transpose(2, 0, 1),
        lambda t, x: x.permute(2, 0, 1),
        scalar=False,
        shapes=((2, 3, 4),),
    ),
    Row("T", lambda x: x.T, lambda x: x.T, lambda t, x: x.T, scalar=False),
    Row(
        "amin",
        lambda x: x.amin(dim=0),
        lambda x: x.min(axis=0),
        lambda t, x: x.amin(dim=0),
        scalar=False,
    ),
    Row(
        "max_dim_values",
        lambda x: x.max(dim=1).values,
        lambda x: x.max(axis=1),
        lambda t, x: x.max(dim=1).values,
        scalar=False,
    ),
    Row(
        "clamp",
        lambda x: x.clamp(min=0.0),
        lambda x: np.clip(x, 0.0, None),
        lambda t, x: x.clamp(min=0.0),
        scalar=False,
        away_from_zero=True,
    ),
    Row("clone", lambda x: x.clone(), lambda x: x.copy(), lambda t, x: x.clone(), scalar=False),
    Row(
        "getitem_slice",
        lambda x: x[1:, ::2],
        lambda x: x[1:, ::2],
        lambda t, x: x[1:, ::2],
        scalar=False,
    ),
    Row(
        "getitem_repeats",
        lambda x: x[[0, 2, 0, 0]],
        lambda x: x[[0, 2, 0, 0]],
        lambda t, x: x[[0, 2, 0, 0]],
        scalar=False,
    ),
    Row(
        "getitem_pairs",
        lambda x: x[np.array([0, 1, 1]), np.array([3, 0, 0])],
        lambda x: x[np.array([0, 1, 1]), np.array([3, 0, 0])],
        lambda t, x: x[[0, 1, 1], [3, 0, 0]],
        scalar=False,
    ),
    Row(
        "broadcast_add",
        lambda a, b: a + b,
        np.add,
        lambda t, a, b: a + b,
        arity=2,
        scalar=False,
        shapes=((3, 1), (4,)),
    ),
    Row(
        "broadcast_mul",
        lambda a, b: a * b,
        np.multiply,
        lambda t, a, b: a * b,
        arity=2,
        scalar=False,
        shapes=((2, 3, 4), (3, 1)),
    ),
]
