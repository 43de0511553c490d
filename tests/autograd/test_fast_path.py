"""The Value fast path (`autograd.value_fast`) against the reference engine, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from autograd import Value
from autograd import engine as E

from .test_fuzz import _run, _value_leaves, programs


def _bits(x: float) -> bytes:
    return np.float64(x).tobytes()  # -0.0 and 0.0 differ, as do NaNs of other payloads


def _pass(program, reference: bool) -> list[bytes]:
    leaves = [Value(x) for x in _value_leaves(program)]
    out = _run("value", program[1], leaves)
    order = E.topological_order(out)
    if reference:  # a step hook: the engine's own sweep (`engine._sweep`) runs
        E.backward(out, on_step=lambda node, i, g, gi: None)
    else:
        E.backward(out)
    return [_bits(n.grad) for n in order] + [_bits(v.grad) for v in leaves]


@settings(derandomize=True, max_examples=400, deadline=None)
@given(program=programs(shaped=False))
def test_fast_and_reference_sweeps_give_the_same_bits_on_random_value_graphs(program) -> None:
    assert _pass(program, reference=False) == _pass(program, reference=True)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(program=programs(shaped=False))
def test_fast_order_is_the_reference_order_on_random_value_graphs(program) -> None:
    out = _run("value", program[1], [Value(x) for x in _value_leaves(program)])
    fast, reference = Value._fast_path.order(out), E.topological_order(out)
    assert len(fast) == len(reference)
    assert all(p is q for p, q in zip(fast, reference, strict=True))


def test_the_fast_path_is_taken_only_when_nothing_but_gradients_is_asked(monkeypatch) -> None:
    calls = []
    fast = Value._fast_path

    class Spy:
        order = staticmethod(fast.order)

        @staticmethod
        def sweep(*args):
            calls.append("fast")
            return fast.sweep(*args)

    monkeypatch.setattr(Value, "_fast_path", Spy)
    x = Value(1.5)
    (x * x).backward()
    (x * x).backward(create_graph=True)
    E.backward(x * x, on_step=lambda *a: None)
    assert calls == ["fast"]
