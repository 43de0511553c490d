"""Random Value graphs (hypothesis): the replay equals the dynamic engine.

Programs mix every elementwise op, the fused neuron, constants on either side, shared
subexpressions and chains of sums whose partial sums are read elsewhere, so that levels,
the summing of shared inputs and the accumulation of chains all meet.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value, trace

from .test_fuzz import BINARY, UNARY, _run, _tensor_leaves, programs

OPS = [*UNARY, *BINARY, "sum", "const"]

instruction = st.tuples(
    st.sampled_from(OPS),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.floats(-2.0, 2.0),
)


def _run_values(program, leaves, xs):
    nodes = [*leaves, *xs]
    for name, i, j, c in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if name in UNARY:
            nodes.append(UNARY[name](a))
        elif name in BINARY:
            nodes.append(BINARY[name](a, b))
        elif name == "sum":  # a chain of sums from a, whose partial sums stay readable
            s = a
            for k in range(1 + i % 5):
                s = s + nodes[(j + k) % len(nodes)]
                nodes.append(s)
        else:
            nodes.append(c * a + c if i % 2 else a - c)
    return sum(nodes[len(leaves) :], Value(0.0)).tanh()


@given(
    program=st.lists(instruction, min_size=1, max_size=25),
    data=st.lists(st.floats(-1.5, 1.5), min_size=5, max_size=5),
    new=st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=2),
)
def test_random_value_graphs_replay_as_the_dynamic_engine(program, data, new) -> None:
    leaves = [Value(x) for x in data[:3]]
    step = trace(lambda xs: _run_values(program, leaves, xs), data[3:])
    for args in (data[3:], new):
        for p in leaves:
            p.grad = 0.0
        value = step(args)
        replayed = [p.grad for p in leaves]
        for p in leaves:
            p.grad = 0.0
        K = _run_values(program, leaves, [Value(x) for x in args])
        K.backward()
        assert value == pytest.approx(K.data, rel=1e-9, abs=1e-12)
        scale = max([abs(p.grad) for p in leaves] + [1.0])
        for r, p in zip(replayed, leaves, strict=True):
            assert r == pytest.approx(p.grad, rel=1e-8, abs=1e-9 * scale)


@settings(max_examples=200)
@given(program=programs())
def test_random_tensor_graphs_replay_as_the_dynamic_engine(program) -> None:
    steps = program[1]
    leaves = [Tensor(a, requires_grad=True) for a in _tensor_leaves(program)]
    step = trace(lambda: _run("tensor", steps, leaves))
    # where's condition is computed from the data: frozen, so new data only without it
    frozen = any(s[1] == "where" for s in steps)
    for k in range(1 if frozen else 3):
        if k == 2:
            for t in leaves:
                t.data = t.data * 0.7 - 0.1
        for t in leaves:
            t.grad = None
        value = step()
        replayed = [t.grad for t in leaves]
        for t in leaves:
            t.grad = None
        J = _run("tensor", steps, leaves)
        J.backward()
        np.testing.assert_allclose(value, J.data, rtol=1e-10, atol=1e-12)
        for r, t in zip(replayed, leaves, strict=True):
            if t.grad is None:
                assert r is None
            else:
                np.testing.assert_allclose(r, t.grad, rtol=1e-9, atol=1e-10)
