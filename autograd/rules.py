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
import threading
from typing import Any

import numpy as np

from .op import Op, Rule, ieee


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


def passthrough(g: Any, out: Any, *inputs: Any) -> Any:
    """The rule of an input that the op adds to its result: its share of ∂J/∂out is all of
    it. (One function for every such input, so that the float sweep can add ``g`` without
    calling it.)"""
    return g


# --- helper ops used inside rules (their own derivative is zero) ------------------------

STEP = Op(
    "step",
    "step",
    lambda x: 1.0 if x > 0.0 else 0.0,
    lambda x: (x > 0).astype(x.dtype if x.dtype.kind == "f" else np.float64),
    (lambda g, out, x: g * 0.0,),
    saves=(),
)
SIGN = Op(
    "sign",
    "sign",
    lambda x: float((x > 0.0) - (x < 0.0)) if x == x else math.nan,
    np.sign,
    (lambda g, out, x: g * 0.0,),
    saves=(),
)

# --- elementwise ops: both engines ------------------------------------------------------

NEG = Op("neg", "-", operator.neg, np.negative, (lambda g, out, x: -g,), ("-1",), saves=())
EXP = Op(
    "exp",
    "exp",
    ieee(math.exp, np.exp),
    np.exp,
    (lambda g, out, x: g * out,),
    ("exp(x) = out",),
    saves=("out",),
)
LOG = Op(
    "log", "log", ieee(math.log, np.log), np.log, (lambda g, out, x: g / x,), ("1/x",), saves=(0,)
)
TANH = Op(
    "tanh",
    "tanh",
    math.tanh,
    np.tanh,
    (lambda g, out, x: g * (1.0 - out * out),),
    ("1 - out²",),
    saves=("out",),
)
SIGMOID = Op(
    "sigmoid",
    "σ",
    _scalar_sigmoid,
    _array_sigmoid,
    (lambda g, out, x: g * out * (1.0 - out),),
    ("out·(1 - out)",),
    saves=("out",),
)
RELU = Op(
    "relu",
    "ReLU",
    _scalar_relu,
    lambda x: np.maximum(x, 0),
    (lambda g, out, x: g * STEP(x),),
    ("1 if x > 0 else 0",),
    saves=(0,),
)
SIN = Op(
    "sin",
    "sin",
    ieee(math.sin, np.sin),
    np.sin,
    (lambda g, out, x: g * COS(x),),
    ("cos x",),
    saves=(0,),
)
COS = Op(
    "cos",
    "cos",
    ieee(math.cos, np.cos),
    np.cos,
    (lambda g, out, x: -g * SIN(x),),
    ("-sin x",),
    saves=(0,),
)
ABS = Op("abs", "abs", math.fabs, np.abs, (lambda g, out, x: g * SIGN(x),), ("sign x",), saves=(0,))
SQRT = Op(
    "sqrt",
    "√",
    ieee(math.sqrt, np.sqrt),
    np.sqrt,
    (lambda g, out, x: g * 0.5 / out,),
    ("1 / (2·out)",),
    saves=("out",),
)

ADD = Op("add", "+", operator.add, np.add, (passthrough, passthrough), ("1", "1"), saves=())
SUB = Op(
    "sub",
    "-",
    operator.sub,
    np.subtract,
    (passthrough, lambda g, out, a, b: -g),
    ("1", "-1"),
    saves=(),
)
MUL = Op(
    "mul",
    "*",
    operator.mul,
    np.multiply,
    (lambda g, out, a, b: g * b, lambda g, out, a, b: g * a),
    ("b", "a"),
    saves=(0, 1),
)
DIV = Op(
    "div",
    "/",
    ieee(operator.truediv, np.true_divide),
    np.true_divide,
    (lambda g, out, a, b: g / b, lambda g, out, a, b: -g * out / b),
    ("1/b", "-a/b²"),
    saves=("out", 1),
)
POW = Op(
    "pow",
    "^",
    _scalar_pow,
    np.power,
    (
        lambda g, out, a, b: g * POW_DA(a, b),
        lambda g, out, a, b: g * out * LOG_BASE(a, b),
    ),
    ("b·a^(b-1)", "out·log a"),
    saves=("out", 0, 1),
)


# The two factors of pow's rules, as ops of their own so that they give PyTorch's 0 at a
# base of 0 where the formulas give nan or -inf: for a ** 0 (any a: b·a^(b-1) would be
# 0·inf at a = 0), and for 0 ** b with b >= 0 (out·log a would be 0·(-inf) or 1·(-inf)).
def _scalar_pow_da(a: float, b: float) -> float:
    return 0.0 if b == 0 else b * _scalar_pow(a, b - 1)


def _array_pow_da(a: Any, b: Any) -> np.ndarray:
    return np.where(np.equal(b, 0), 0.0, b * np.power(a, b - 1))


def _scalar_log_base(a: float, b: float) -> float:
    return 0.0 if a == 0 and b >= 0 else LOG.scalar(a)


def _array_log_base(a: Any, b: Any) -> np.ndarray:
    # In the operands' own dtype (a Python number keeps a float32 exponent float32).
    dtype = np.result_type(a, b, np.float32)
    return np.where(np.equal(a, 0) & np.greater_equal(b, 0), 0.0, np.log(a)).astype(dtype)


POW_DA = Op(
    "pow_da",
    "b·a^(b-1)",
    _scalar_pow_da,
    _array_pow_da,
    (
        lambda g, out, a, b: g * b * POW_DA(a, b - 1),  # b·(b-1)·a^(b-2)
        lambda g, out, a, b: g * POW(a, b - 1) * (1.0 + b * LOG(a)),
    ),
    saves=(0, 1),
)
LOG_BASE = Op(
    "log_base",
    "log a",
    _scalar_log_base,
    _array_log_base,
    (lambda g, out, a, b: g / a, lambda g, out, a, b: g * 0.0),
    saves=(0,),
)

# --- the fused neuron: z = w·x + b as one node (both engines) ------------------------------
# Inputs in the order b, w₁, x₁, w₂, x₂, ...: z = b + Σₖ wₖ·xₖ (elementwise for arrays), so
# ∂z/∂b = 1, ∂z/∂wₖ = xₖ (the input just after wₖ) and ∂z/∂xₖ = wₖ (the one just before).
# A neuron has as many inputs as it likes: the forward grows the rule list to its width.

_NEURON_RULES: list[Rule] = []
_NEURON_LOCAL: list[str] = []


def _neuron_rule(i: int) -> Rule:
    # The op is variadic: its rules take the inputs as one tuple.
    if i == 0:
        return passthrough
    partner = i + 1 if i % 2 else i - 1
    return lambda g, out, inputs: g * inputs[partner]


_NEURON_LOCK = threading.Lock()  # two threads widening the lists at once would skip rules


def _neuron_width(n_inputs: int) -> None:
    """Make sure the rule list covers ``n_inputs`` inputs (b and the pairs)."""
    if n_inputs % 2 == 0:
        raise ValueError(f"neuron takes b and pairs (w, x): got {n_inputs} inputs")
    with _NEURON_LOCK:
        for i in range(len(_NEURON_RULES), n_inputs):
            del _NEURON_LOCAL[i:]  # (a word left by an interrupted widening)
            _NEURON_LOCAL.append("1" if i == 0 else f"x{(i + 1) // 2}" if i % 2 else f"w{i // 2}")
            _NEURON_RULES.append(_neuron_rule(i))


def _scalar_neuron(b: float, *wx: float) -> float:
    if len(wx) >= len(_NEURON_RULES):
        _neuron_width(len(wx) + 1)
    # sum() adds in C, from b on: b + w₁x₁ + w₂x₂ + ... (micrograd's order).
    return sum(map(operator.mul, wx[0::2], wx[1::2]), b)


def _array_neuron(b: np.ndarray, *wx: np.ndarray) -> np.ndarray:
    if len(wx) >= len(_NEURON_RULES):
        _neuron_width(len(wx) + 1)
    z = b
    for w, x in zip(wx[0::2], wx[1::2], strict=True):
        z = z + w * x
    return np.asarray(z)


NEURON = Op(
    "neuron", "z", _scalar_neuron, _array_neuron, _NEURON_RULES, _NEURON_LOCAL, variadic=True
)

#: The elementwise methods every node type has: ``x.exp()``, ``x.relu()``, ...
UNARY = {op.name: op for op in (EXP, LOG, RELU, TANH, SIGMOID, SIN, COS, ABS, SQRT)}
