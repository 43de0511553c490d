"""Random expression graphs (hypothesis) against PyTorch float64 and finite differences.

A program is a list of instructions over a growing list of nodes, each instruction reading
earlier nodes by index, so shared subexpressions, broadcasting between leaves of different
shapes, every elementwise op, reductions over random axes and (on tensors) the matrix,
shape and selection ops all occur.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value, concatenate, gradcheck, linear, neuron, where

# Domain-safe forms: log and sqrt see positive numbers, division a denominator ≥ 1.
UNARY = {
    "neg": lambda x: -x,
    "exp": lambda x: (x * 0.5).exp(),
    "log": lambda x: (x * x + 1.0).log(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "sqrt": lambda x: (x * x + 0.5).sqrt(),
    "square": lambda x: x**2,
    "relu": lambda x: x.relu(),
    "abs": lambda x: x.abs(),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
    "pow": lambda a, b: (a * a + 1.0) ** (b.tanh()),
    "neuron": lambda a, b: neuron([a, b], [b, a.tanh()], a),  # one node: a + a·b + b·tanh a
}
KINKS = {"relu", "abs", "max", "where"}  # finite differences are unreliable at a kink


def _array(lib: str, name: str, x, y):
    """A tensor-only op, in a form that keeps the shape broadcastable with the others.

    The matrix products see tanh(x), scaled, so that repeated products stay near 1.
    """
    if name == "where":  # max(x, y) with a condition computed from the data
        if lib == "torch":
            import torch

            return torch.where(x > y, x, y)
        return where(x.data > y.data, x, y)
    if len(x.shape) == 0:
        return x * 1.0
    rows = x.shape[0]
    if name == "flip":
        return x.flip(0) if lib == "torch" else x[::-1]
    if name == "reshape":
        return x.reshape(-1).reshape(tuple(x.shape))
    if name == "concat":
        if lib == "torch":
            import torch

            return torch.cat([x, x * 0.5], 0)[:rows]
        return concatenate([x, x * 0.5], axis=0)[:rows]
    t = x.tanh()
    if name == "matmul":  # (t tᵀ) t: matmul, transpose and their rules twice over
        if len(x.shape) == 1:
            return (t @ t) * t * 0.25
        return (t @ t.T) @ t * (1.0 / 6.0)
    # linear: t as the input, the weights and (a column of it) the bias at once
    if lib == "torch":
        import torch.nn.functional as F

        lin = F.linear
    else:
        lin = linear
    if len(x.shape) == 1:
        return lin(t, t.reshape(1, -1), t[:1]) * 0.25
    return lin(t, t, t[:, 0]) @ t * 0.125


ARRAY = ["matmul", "linear", "flip", "reshape", "concat", "where"]


def _reduce(lib: str, name: str, x, axis: int):
    if lib == "torch":
        return {
            "sum": lambda: x.sum(dim=axis, keepdim=True),
            "mean": lambda: x.mean(dim=axis, keepdim=True),
            "max": lambda: x.amax(dim=axis, keepdim=True),
            "logsumexp": lambda: x.logsumexp(dim=axis, keepdim=True),
            "softmax": lambda: x.softmax(dim=axis),
            "log_softmax": lambda: x.log_softmax(dim=axis),
        }[name]()
    if name in ("softmax", "log_softmax"):
        return getattr(x, name)(axis=axis)
    if name == "max":  # max(axis) gives (values, indices), as in PyTorch
        name = "amax"
    return getattr(x, name)(axis=axis, keepdims=True)


REDUCTIONS = ["sum", "mean", "max", "logsumexp", "softmax", "log_softmax"]


@st.composite
def programs(draw, shaped: bool = True):
    n_leaves = draw(st.integers(1, 3))
    shapes = (
        [draw(st.sampled_from([(2, 3), (3,), (2, 1), (1, 3), ()])) for _ in range(n_leaves)]
        if shaped
        else [()] * n_leaves
    )
    steps = []
    for k in range(draw(st.integers(1, 8))):
        n = n_leaves + k
        kinds = ["unary", "binary"] + (["reduce", "array"] if shaped else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "unary":
            steps.append(
                ("unary", draw(st.sampled_from(sorted(UNARY))), draw(st.integers(0, n - 1)))
            )
        elif kind == "binary":
            i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            steps.append(("binary", draw(st.sampled_from(sorted(BINARY))), i, j))
        elif kind == "array":
            i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            steps.append(("array", draw(st.sampled_from(ARRAY)), i, j))
        else:
            steps.append(
                (
                    "reduce",
                    draw(st.sampled_from(REDUCTIONS)),
                    draw(st.integers(0, n - 1)),
                    draw(st.integers(-2, 1)),
                )
            )
    seed = draw(st.integers(0, 2**31 - 1))
    return shapes, steps, seed


def _run(lib: str, steps, leaves):
    nodes = list(leaves)
    for step in steps:
        kind, name = step[0], step[1]
        if kind == "unary":
            nodes.append(UNARY[name](nodes[step[2]]))
        elif kind == "binary" and name == "neuron" and lib == "torch":
            a, b = nodes[step[2]], nodes[step[3]]
            nodes.append(a + a * b + b * a.tanh())
        elif kind == "binary":
            nodes.append(BINARY[name](nodes[step[2]], nodes[step[3]]))
        elif kind == "array":
            nodes.append(_array(lib, name, nodes[step[2]], nodes[step[3]]))
        else:
            x = nodes[step[2]]
            ndim = len(x.shape)
            if ndim == 0:
                nodes.append(x * 1.0)
            else:
                nodes.append(_reduce(lib, name, x, step[3] % ndim))
    # Every node contributes, so gradients reach the whole graph through many paths.
    total = nodes[-1].sum() if lib != "value" else nodes[-1]
    for node in nodes[len(leaves) : -1]:
        total = total + (node.sum() if lib != "value" else node) * 0.5
    return total


def _tensor_leaves(program):
    shapes, _, seed = program
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.5, 1.5, size=s) for s in shapes]


def _value_leaves(program):
    shapes, _, seed = program
    rng = np.random.default_rng(seed)
    return [float(rng.uniform(-1.5, 1.5)) for _ in shapes]


def _smooth(steps) -> bool:
    return not any(step[1] in KINKS for step in steps)


# About a minute for the four fuzz tests on a 2-core machine.
FUZZ = settings(derandomize=True, max_examples=800)


@FUZZ
@given(program=programs())
def test_random_tensor_graphs_match_finite_differences(program) -> None:
    steps = program[1]
    arrays = _tensor_leaves(program)
    if _smooth(steps):
        assert gradcheck(lambda *xs: _run("tensor", steps, xs), [Tensor(a) for a in arrays])
    else:  # kinks: the gradient is still finite and of the leaves' shapes (None if unused)
        leaves = [Tensor(a, requires_grad=True) for a in arrays]
        _run("tensor", steps, leaves).backward()
        grads = [t.grad for t in leaves if t.grad is not None]
        assert grads and all(np.isfinite(g).all() for g in grads)
        assert all(t.grad is None or t.grad.shape == t.shape for t in leaves)


@FUZZ
@given(program=programs())
def test_random_tensor_graphs_match_torch(program) -> None:
    torch = pytest.importorskip("torch")
    steps = program[1]
    arrays = _tensor_leaves(program)
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    out = _run("tensor", steps, ours)
    out.backward()
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    tout = _run("torch", steps, theirs)
    tout.backward()
    assert out.item() == pytest.approx(tout.item(), rel=1e-10, abs=1e-10)
    for o, t in zip(ours, theirs, strict=True):
        assert (o.grad is None) == (t.grad is None)
        if o.grad is not None:
            np.testing.assert_allclose(o.grad, t.grad.numpy(), rtol=1e-9, atol=1e-10)


@FUZZ
@given(program=programs(shaped=False))
def test_random_value_graphs_match_finite_differences(program) -> None:
    steps = program[1]
    xs = _value_leaves(program)
    if _smooth(steps):
        assert gradcheck(lambda *vs: _run("value", steps, vs), [Value(x) for x in xs])
    else:
        leaves = [Value(x) for x in xs]
        _run("value", steps, leaves).backward()
        assert all(np.isfinite(v.grad) for v in leaves)


@FUZZ
@given(program=programs(shaped=False))
def test_random_value_graphs_match_torch(program) -> None:
    torch = pytest.importorskip("torch")
    steps = program[1]
    xs = _value_leaves(program)
    ours = [Value(x) for x in xs]
    out = _run("value", steps, ours)
    out.backward()
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    tout = _run("torch", steps, theirs)
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-10, abs=1e-10)
    for o, t in zip(ours, theirs, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()  # an unused Value keeps grad 0
        assert o.grad == pytest.approx(expected, rel=1e-9, abs=1e-10)
