"""Each op's ``local`` words (∂out/∂input, shown by `explain`) say what its rule computes.

Elementwise words are read as formulas (``out·(1 - out)``, ``b·a^(b-1)``, ``cos x``) and
evaluated at sample points against the rule with g = 1. The tensor ops' words (``Bᵀ``,
``diag(s) - s sᵀ``) name a product with g, written out below in numpy; a word not listed
here fails, so changing a rule or its words means changing this file too.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import neuron
from autograd import rules as R
from autograd import tensor_elementwise as E
from autograd import tensor_rules as T
from autograd.op import Op

ELEMENTWISE = [op for op in vars(R).values() if isinstance(op, Op) and op.local and op.scalar]
_POINTS = [0.3, 0.7, 1.9, -0.6, -1.4]


def _formula(word: str) -> str:
    """Python for a word: · is a product, ² a square, ^ a power, ``f x`` a call."""
    expr = word.replace("·", "*").replace("²", "**2").replace("^", "**")
    for f in ("sign", "cos", "sin", "log"):
        expr = expr.replace(f"{f} x", f"{f}(x)").replace(f"{f} a", f"{f}(a)")
    return expr


def _sign(x: float) -> float:
    return float(np.sign(x))


@pytest.mark.parametrize("op", ELEMENTWISE, ids=lambda op: op.name)
def test_elementwise_words_are_the_rule_at_sample_points(op: Op) -> None:
    assert len(op.local) == len(op.grads)
    arity = len(op.grads)
    for i, (word, rule) in enumerate(zip(op.local, op.grads, strict=True)):
        for p in _POINTS:
            positive = op in (R.LOG, R.SQRT)
            inputs = ((abs(p) if positive else p),) if arity == 1 else (abs(p) + 0.5, p)
            out = op.scalar(*inputs)
            names = dict(zip(("x",) if arity == 1 else ("a", "b"), inputs, strict=True))
            env = {
                "out": out,
                "exp": math.exp,
                "sign": _sign,
                "cos": math.cos,
                "sin": math.sin,
                "log": math.log,
                **names,
            }
            for side in word.split(" = "):  # "exp(x) = out": both sides are the derivative
                expected = eval(_formula(side), {}, env)
                got = rule(1.0, out, *inputs)
                assert got == pytest.approx(expected, rel=1e-12), (op.name, i, word, inputs)


def test_the_fused_neuron_words_name_each_inputs_partner() -> None:
    w, x, b = [0.5, -2.0], [3.0, 0.25], 1.0
    neuron(w, x, b)  # widens the rule list to five inputs
    inputs = (b, w[0], x[0], w[1], x[1])
    env = {"w1": w[0], "x1": x[0], "w2": w[1], "x2": x[1]}
    for i in range(5):
        word = R.NEURON.local[i]
        got = R.NEURON.grads[i](1.0, 0.0, inputs)
        assert got == eval(word, {}, env)


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


rng = np.random.default_rng(0)
A, B, G = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
X, GX, G2 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2,))
W, GW = rng.normal(size=(4, 3)), rng.normal(size=(2, 4))
COND = X > 0

# op, the rule's inputs, its upstream g, and for each word: the product it names.
TENSOR_WORDS = [
    (T.MATMUL, (A, B), G, {"Bᵀ": lambda: G @ B.T, "Aᵀ": lambda: A.T @ G}),
    (
        T.LINEAR,
        (X, W, np.zeros(4)),
        GW,
        {"W": lambda: GW @ W, "x": lambda: GW.T @ X, "1": lambda: GW},
    ),
    (T.SUM, (X, 1, False), G2, {"1": lambda: np.repeat(G2[:, None], 3, axis=1)}),
    (T.MEAN, (X, 1, False), G2, {"1/n": lambda: np.repeat(G2[:, None], 3, axis=1) / 3}),
    (
        T.MAX,
        (X, 1, False),
        G2,
        {"1 at the max": lambda: G2[:, None] * (X.max(axis=1, keepdims=True) == X)},
    ),
    (
        T.MIN,
        (X, 1, False),
        G2,
        {"1 at the min": lambda: G2[:, None] * (X.min(axis=1, keepdims=True) == X)},
    ),
    (
        T.MAX_ALONG,
        (X, 1, False),
        G2,
        {"1 at the max's index": lambda: G2[:, None] * (np.arange(3) == X.argmax(1)[:, None])},
    ),
    (
        T.MIN_ALONG,
        (X, 1, False),
        G2,
        {"1 at the min's index": lambda: G2[:, None] * (np.arange(3) == X.argmin(1)[:, None])},
    ),
    (
        E.CLAMP,
        (X, -0.5, 0.5),
        GX,
        {"1 if lo ≤ x ≤ hi else 0": lambda: GX * ((X >= -0.5) & (X <= 0.5))},
    ),
    (E.CAST, (X, np.float32), GX.astype(np.float32), {"1": lambda: GX.astype(np.float32)}),
    (E.CLONE, (X,), GX, {"1": lambda: GX}),
    (T.LOGSUMEXP, (X, 1, False), G2, {"softmax(x)": lambda: G2[:, None] * _softmax(X, 1)}),
    (
        T.SOFTMAX,
        (X, 1),
        GX,
        {
            "diag(s) - s sᵀ": lambda: np.stack(
                [(np.diag(s) - np.outer(s, s)) @ g for s, g in zip(_softmax(X, 1), GX, strict=True)]
            )
        },
    ),
    (
        T.LOG_SOFTMAX,
        (X, 1),
        GX,
        {
            "I - softmax": lambda: np.stack(
                [
                    (np.eye(3) - np.outer(np.ones(3), s)).T @ g
                    for s, g in zip(_softmax(X, 1), GX, strict=True)
                ]
            )
        },
    ),
    (T.RESHAPE, (X, (3, 2)), GX.reshape(3, 2), {"1": lambda: GX}),
    (T.TRANSPOSE, (X, (1, 0)), GX.T, {"1": lambda: GX}),
    (T.BROADCAST_TO, (X[:1], (2, 3)), GX, {"1": lambda: GX}),
    (
        T.GETITEM,
        (X, (1,)),
        GX[1],
        {"1 at the index": lambda: np.where(np.arange(2)[:, None] == 1, GX, 0.0)},
    ),
    (T.SCATTER_ADD, (X[1], (1,), (2, 3)), GX, {"1": lambda: GX[1]}),
    (
        T.WHERE,
        (COND, X, -X),
        GX,
        {
            "": None,
            "1 where cond": lambda: np.where(COND, GX, 0.0),
            "1 where not cond": lambda: np.where(COND, 0.0, GX),
        },
    ),
]


@pytest.mark.parametrize(
    "op, inputs, g, meaning", TENSOR_WORDS, ids=lambda x: getattr(x, "name", "")
)
def test_tensor_words_name_the_product_the_rule_computes(op, inputs, g, meaning) -> None:
    out = op.array(*inputs)
    assert len(op.local) == len(op.grads)
    for word, rule in zip(op.local, op.grads, strict=True):
        assert word in meaning, f"{op.name}: the word {word!r} has no meaning listed here"
        if rule is None:
            continue
        np.testing.assert_allclose(np.asarray(rule(g, out, *inputs)), meaning[word](), rtol=1e-12)


def test_every_op_with_rules_has_its_words_checked_here() -> None:
    checked = {id(op) for op in ELEMENTWISE} | {id(row[0]) for row in TENSOR_WORDS}
    checked |= {id(R.NEURON)}
    unchecked = [
        op.name
        for m in (R, T, E)
        for op in vars(m).values()
        if isinstance(op, Op) and op.local and id(op) not in checked
    ]
    assert not unchecked
