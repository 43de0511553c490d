"""Every op's forward and derivative, written once for `Value` and `Tensor`.

Read each entry as the lecture notes write the chain rule (notes 003, eq. 3.3): for an
op ``out = f(x, y)`` and upstream gradient ``g = ∂J/∂out``, the rule for input ``x`` is
``g · ∂f/∂x``. Because a rule uses only arithmetic and other ops, the same line runs on a
float (`Value`), an ndarray (`Tensor`) and on nodes (``backward(create_graph=True)``).

Broadcasting is not undone here: a rule may return a gradient of the output's shape and
the engine sums it back to the input's shape (`unbroadcast`).
"""

from __future__ import annotations

import math
import operator

import numpy as np

from .ops import Op, ieee


def _scalar_sigmoid(x: float) -> float:
    # Two forms so that exp never overflows: exp(-x) for x >= 0, exp(x) otherwise.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _array_sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _scalar_pow(a: float, b: float) -> float:
    try:
        r = a**b
    except (ZeroDivisionError, OverflowError):
        with np.errstate(all="ignore"):
            return float(np.power(np.float64(a), np.float64(b)))
    # A negative base with a fractional exponent: Python gives a complex number, IEEE nan.
    return math.nan if type(r) is complex else float(r)


def _scalar_relu(x: float) -> float:
    return 0.0 if x <= 0.0 else x  # nan stays nan, as in PyTorch


# --- helper ops used inside rules (their own derivative is zero) ------------------------

STEP = Op(
    "step",
    "step",
    lambda x: 1.0 if x > 0.0 else 0.0,
    lambda x: (x > 0).astype(x.dtype if x.dtype.kind == "f" else np.float64),
    (lambda g, out, x: g * 0.0,),
)
SIGN = Op(
    "sign",
    "sign",
    lambda x: float((x > 0.0) - (x < 0.0)) if x == x else math.nan,
    np.sign,
    (lambda g, out, x: g * 0.0,),
)

# --- elementwise ops: both engines ------------------------------------------------------

NEG = Op("neg", "-", operator.neg, np.negative, (lambda g, out, x: -g,), ("-1",))
EXP = Op(
    "exp",
    "exp",
    ieee(math.exp, np.exp),
    np.exp,
    (lambda g, out, x: g * out,),
    ("exp(x) = out",),
)
LOG = Op("log", "log", ieee(math.log, np.log), np.log, (lambda g, out, x: g / x,), ("1/x",))
TANH = Op(
    "tanh",
    "tanh",
    math.tanh,
    np.tanh,
    (lambda g, out, x: g * (1.0 - out * out),),
    ("1 - out²",),
)
SIGMOID = Op(
    "sigmoid",
    "σ",
    _scalar_sigmoid,
    _array_sigmoid,
    (lambda g, out, x: g * out * (1.0 - out),),
    ("out·(1 - out)",),
)
RELU = Op(
    "relu",
    "ReLU",
    _scalar_relu,
    lambda x: np.maximum(x, 0),
    (lambda g, out, x: g * STEP(x),),
    ("1 if x > 0 else 0",),
)
SIN = Op("sin", "sin", ieee(math.sin, np.sin), np.sin, (lambda g, out, x: g * COS(x),), ("cos x",))
COS = Op(
    "cos", "cos", ieee(math.cos, np.cos), np.cos, (lambda g, out, x: -g * SIN(x),), ("-sin x",)
)
ABS = Op("abs", "abs", math.fabs, np.abs, (lambda g, out, x: g * SIGN(x),), ("sign x",))
SQRT = Op(
    "sqrt",
    "√",
    ieee(math.sqrt, np.sqrt),
    np.sqrt,
    (lambda g, out, x: g * 0.5 / out,),
    ("1 / (2·out)",),
)

ADD = Op(
    "add", "+", operator.add, np.add, (lambda g, out, a, b: g, lambda g, out, a, b: g), ("1", "1")
)
SUB = Op(
    "sub",
    "-",
    operator.sub,
    np.subtract,
    (lambda g, out, a, b: g, lambda g, out, a, b: -g),
    ("1", "-1"),
)
MUL = Op(
    "mul",
    "*",
    operator.mul,
    np.multiply,
    (lambda g, out, a, b: g * b, lambda g, out, a, b: g * a),
    ("b", "a"),
)
DIV = Op(
    "div",
    "/",
    ieee(operator.truediv, np.true_divide),
    np.true_divide,
    (lambda g, out, a, b: g / b, lambda g, out, a, b: -g * out / b),
    ("1/b", "-a/b²"),
)
POW = Op(
    "pow",
    "^",
    _scalar_pow,
    np.power,
    (
        lambda g, out, a, b: g * b * POW(a, b - 1),
        lambda g, out, a, b: g * out * LOG(a),
    ),
    ("b·a^(b-1)", "out·log a"),
)

#: The elementwise methods every node type has: ``x.exp()``, ``x.relu()``, ...
UNARY = {op.name: op for op in (EXP, LOG, RELU, TANH, SIGMOID, SIN, COS, ABS, SQRT)}
