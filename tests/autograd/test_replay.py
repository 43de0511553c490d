"""`autograd.trace`: the replay equals the dynamic engine on every op of the table."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import AnomalyError, Op, Tensor, Value, detect_anomaly, draw_dot, neuron, trace
from autograd.rules import SIGMOID

from .op_table import ELEMENTWISE, TENSOR_ONLY, Row
from .test_ops import _inputs

ALL = ELEMENTWISE + TENSOR_ONLY
SCALAR = [r for r in ALL if r.scalar]


def _dynamic(J_of, leaves):
    """The dynamic engine's value and gradients, the leaves' .grad left as they were."""
    before = [p.grad for p in leaves]
    for p in leaves:
        p.grad = 0.0 if isinstance(p, Value) else None
    J = J_of()
    J.backward()
    out = (J.data if isinstance(J, Value) else np.array(J.data), [p.grad for p in leaves])
    for p, g in zip(leaves, before, strict=True):
        p.grad = g
    return out


def _replayed(step, leaves, *args):
    for p in leaves:
        p.grad = 0.0 if isinstance(p, Value) else None
    J = step(*args)
    return J, [p.grad for p in leaves]


@pytest.mark.parametrize("row", SCALAR, ids=lambda r: r.name)
def test_value_replay_equals_dynamic_on_every_row(row: Row, rng) -> None:
    xs = [Value(float(a.flat[0])) for a in _inputs(row, rng)]
    step = trace(lambda: row.node(*xs))
    for _ in range(2):  # the traced data, then new data read afresh from the leaves
        J, grads = _replayed(step, xs)
        J_d, grads_d = _dynamic(lambda: row.node(*xs), xs)
        assert isinstance(J, float)
        assert pytest.approx(J_d, rel=1e-12) == J
        assert grads == pytest.approx(grads_d, rel=1e-12, abs=1e-14)
        for x, a in zip(xs, _inputs(row, rng), strict=True):
            x.data = float(a.flat[0])


@pytest.mark.parametrize("row", [r for r in SCALAR if r.arity == 2], ids=lambda r: r.name)
def test_value_replay_takes_new_arguments(row: Row, rng) -> None:
    a, b = (float(x.flat[0]) for x in _inputs(row, rng))
    w = Value(a)
    step = trace(lambda c: row.node(w, c), b)
    for new in (b, float(_inputs(row, rng)[1].flat[0])):
        J, grads = _replayed(step, [w], new)
        J_d, grads_d = _dynamic(lambda new=new: row.node(w, Value(new)), [w])
        assert pytest.approx(J_d, rel=1e-12) == J
        assert grads == pytest.approx(grads_d, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("row", ALL, ids=lambda r: r.name)
def test_tensor_replay_equals_dynamic_on_every_row(row: Row, rng) -> None:
    arrays = _inputs(row, rng)
    ts = [Tensor(a, requires_grad=True) for a in arrays]
    weights = rng.normal(size=row.ref(*arrays).shape)

    def f():
        return (row.node(*ts) * weights).sum()

    step = trace(f)
    for _ in range(3):  # the first replay, the final code, then new data
        J, grads = _replayed(step, ts)
        J_d, grads_d = _dynamic(f, ts)
        assert isinstance(J, np.ndarray)
        np.testing.assert_allclose(J, J_d, rtol=1e-12, atol=1e-14)
        for g, d in zip(grads, grads_d, strict=True):
            np.testing.assert_allclose(g, d, rtol=1e-12, atol=1e-14)
        for t, a in zip(ts, _inputs(row, rng), strict=True):
            t.data = a


@pytest.mark.parametrize("row", [r for r in ALL if r.arity >= 2], ids=lambda r: r.name)
def test_tensor_replay_takes_new_arguments(row: Row, rng) -> None:
    arrays = _inputs(row, rng)
    rest = [Tensor(a, requires_grad=True) for a in arrays[1:]]
    weights = rng.normal(size=row.ref(*arrays).shape)
    step = trace(lambda x: (row.node(x, *rest) * weights).sum(), arrays[0])
    for new in (arrays[0], _inputs(row, rng)[0]):
        J, grads = _replayed(step, rest, new)
        J_d, grads_d = _dynamic(
            lambda new=new: (row.node(Tensor(new), *rest) * weights).sum(), rest
        )
        np.testing.assert_allclose(J, J_d, rtol=1e-12, atol=1e-14)
        for g, d in zip(grads, grads_d, strict=True):
            np.testing.assert_allclose(g, d, rtol=1e-12, atol=1e-14)


SOFTPLUS = Op(  # README, "How to add an op", unchanged
    "softplus",
    "softplus",
    scalar=lambda x: max(x, 0.0) + math.log1p(math.exp(-abs(x))),
    array=lambda x: np.logaddexp(0.0, x),
    grads=(lambda g, out, x: g * SIGMOID(x),),
    local=("σ(x)",),
)


def test_the_readme_softplus_op_replays_on_both_engines(rng) -> None:
    xs = [Value(v) for v in (-1.5, 0.2, 2.0)]
    f = lambda: sum((SOFTPLUS(x) * x for x in xs), Value(0.0))
    J, grads = _replayed(trace(f), xs)
    J_d, grads_d = _dynamic(f, xs)
    assert pytest.approx(J_d, rel=1e-12) == J
    assert grads == pytest.approx(grads_d, rel=1e-12)
    t = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    g = lambda: (SOFTPLUS(t) * t).sum()
    J, (grad,) = _replayed(trace(g), [t])
    J_d, (grad_d,) = _dynamic(g, [t])
    np.testing.assert_allclose(J, J_d, rtol=1e-12)
    np.testing.assert_allclose(grad, grad_d, rtol=1e-12)


def test_value_graph_runs_by_levels_with_shared_inputs_summed() -> None:
    w = Value(0.5)
    # w feeds 50 products of one level: their shares of ∂J/∂w are summed (a sort, once)
    step = trace(lambda xs: sum((w * x for x in xs), Value(0.0)), [float(i) for i in range(50)])
    J, (g,) = _replayed(step, [w], [1.0] * 50)
    assert J == 25.0 and g == 50.0
    # one level of products, then the 50 additions as one chain (an accumulation)
    assert max(step.levels.values()) == 2
    assert [(lvl, op.name, len(nodes)) for lvl, op, nodes in step.schedule] == [
        (1, "mul", 50),
        (2, "add", 50),
    ]


def test_sums_whose_partial_results_are_used_elsewhere_replay_exactly() -> None:
    w = [Value(0.1 * k - 0.3) for k in range(6)]

    def f(x):
        s1 = w[0] * x[0] + w[1]  # used twice below: its chain ends here
        s2 = x[1] + (s1 + w[2] * x[1]) + s1  # a term on the left, then the chain
        tree = (w[3] + w[4]) + (w[5] + s2)  # a tree of sums
        return (s2 * tree + (tree + tree)).tanh()

    step = trace(f, [0.7, -1.2])
    for x in ([0.7, -1.2], [2.0, 0.5]):
        J, grads = _replayed(step, w, x)
        J_d, grads_d = _dynamic(lambda x=x: f([Value(v) for v in x]), w)
        assert pytest.approx(J_d, rel=1e-15) == J  # sums added in the recorded order
        assert grads == pytest.approx(grads_d, rel=1e-13, abs=1e-15)


def test_fused_neuron_replays() -> None:
    w = [Value(0.3), Value(-0.7)]
    b = Value(0.1)

    def f(x):
        return (neuron(w, x, b).tanh() * neuron(w, [x[1], x[0]], b)).relu()

    step = trace(f, [0.5, 2.0])
    J, grads = _replayed(step, [*w, b], [1.5, -0.5])
    J_d, grads_d = _dynamic(lambda: f([Value(1.5), Value(-0.5)]), [*w, b])
    assert pytest.approx(J_d, rel=1e-12) == J
    assert grads == pytest.approx(grads_d, rel=1e-12)


def test_gradients_accumulate_as_backward_does_and_trace_leaves_them() -> None:
    w = Value(3.0)
    w.grad = 7.0
    step = trace(lambda x: w * x, 2.0)
    assert w.grad == 7.0  # tracing leaves .grad as it was
    step(2.0)
    step(2.0)
    assert w.grad == 11.0
    t = Tensor(np.ones(3), requires_grad=True)
    tstep = trace(lambda x: (t * x).sum(), np.arange(3.0))
    assert t.grad is None
    tstep(np.arange(3.0))
    tstep(np.arange(3.0))
    np.testing.assert_array_equal(t.grad, [0.0, 2.0, 4.0])


def test_the_users_arrays_stay_theirs() -> None:
    X = np.arange(6.0).reshape(2, 3)
    W = Tensor(np.ones((3, 2)), requires_grad=True)
    step = trace(lambda x: (x @ W).relu().sum(), X)
    step(X)
    assert X.flags.writeable and np.array_equal(X, np.arange(6.0).reshape(2, 3))
    W.data -= 0.1 * W.grad  # the parameters' arrays are writeable between replays
    assert W.data.flags.writeable


def test_draw_dot_works_on_a_traced_graph() -> None:
    w = Value(0.5, label="w")
    step = trace(lambda x: (w * x[0] + x[1]).tanh(), [1.0, 2.0])
    dot = draw_dot(step.root).source
    assert "tanh" in dot and "w" in dot


# --- the limits, as documented -----------------------------------------------------------


def test_new_arguments_of_another_structure_or_shape_raise() -> None:
    w = Value(1.0)
    step = trace(lambda xs: sum((w * x for x in xs), Value(0.0)), [1.0, 2.0])
    with pytest.raises(ValueError, match=r"shape \(2,\).*a new shape needs a new trace"):
        step([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"takes 1 argument \(as when traced\), got 2"):
        step([1.0, 2.0], 3.0)
    t = Tensor(np.ones(3), requires_grad=True)
    tstep = trace(lambda x: (t * x).sum(), np.ones(3))
    with pytest.raises(ValueError, match=r"traced with shape \(3,\), got \(4,\)"):
        tstep(np.ones(4))


def test_a_leaf_replaced_by_another_shape_raises() -> None:
    W = Tensor(np.ones((2, 2)), requires_grad=True, label="W")
    step = trace(lambda x: (x @ W).sum(), np.ones((1, 2)))
    W.data = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"'W' was traced with shape \(2, 2\).*trace again"):
        step(np.ones((1, 2)))


def test_check_catches_control_flow_frozen_at_trace_time() -> None:
    w = Value(1.0)

    def f(x):
        return w * x if x.data > 0 else (w * x).exp()  # depends on the value

    step = trace(f, 2.0)
    assert step.check(3.0) <= 1e-12
    with pytest.raises(Exception, match="another graph") as info:
        step.check(-1.0)
    assert type(info.value).__name__ == "ReplayMismatchError"
    w.grad = 0.0
    every = trace(f, 2.0, check_every=2)
    every(-1.0)  # unchecked: the frozen graph runs
    with pytest.raises(RuntimeError, match="another graph"):
        every(-1.0)
    assert w.grad == -1.0  # the failed call added nothing


def test_check_catches_a_constant_computed_from_an_argument() -> None:
    w = Value(2.0)
    step = trace(lambda x: w * x + x.data, 1.0)  # x.data is frozen as a constant
    with pytest.raises(RuntimeError, match="differ in the result"):
        step.check(5.0)


def test_an_argument_turned_into_numbers_raises_at_trace_time() -> None:
    w = Value(1.0)
    with pytest.raises(ValueError, match=r"args\[1\] never reaches the result"):
        trace(lambda x, y: w * x[0] * y[0].data, [1.0], [2.0])


def test_nodes_the_replay_cannot_run_raise_a_clear_error() -> None:
    a = Value(2.0)
    closure_style = Value(4.0, (a,), "square")  # made by hand, as micrograd's lecture does
    closure_style._backward = lambda: None
    with pytest.raises(TypeError, match="with a _backward closure"):
        trace(lambda: closure_style * a)
    no_array = Value(4.0, (a,), Op("lecture_op", "l", None, None, (lambda g, out, x: g,)))
    with pytest.raises(TypeError, match="op 'lecture_op' has no array forward"):
        trace(lambda: no_array * a)
    with pytest.raises(TypeError, match="pass its data"):
        trace(lambda x: x * a, Value(1.0))
    with pytest.raises(ValueError, match="uses no parameter"):
        trace(lambda: Tensor(np.ones(2)).sum())


def test_f_may_return_its_outputs_with_J() -> None:
    w = Value(2.0)

    def f(xs):
        products = [w * x for x in xs]
        return sum(products, Value(0.0)), products

    J, outs = trace(f, [1.0, 3.0])([2.0, 5.0])
    assert J == 14.0 and outs.tolist() == [4.0, 10.0] and w.grad == 7.0
    t = Tensor(np.ones(2), requires_grad=True)

    def g(x):
        z = t * x
        return z.sum(), z

    J, out = trace(g, np.array([1.0, 2.0]))(np.array([3.0, 4.0]))
    assert float(J) == 7.0 and out.tolist() == [3.0, 4.0]
    with pytest.raises(ValueError, match="nodes J depends on"):
        trace(lambda x: ((t * x).sum(), t * 2.0), np.ones(2))


def test_in_anomaly_mode_a_replay_runs_the_dynamic_engine_and_names_the_op() -> None:
    w = Value(1.0)
    step = trace(lambda x: (w * x).log(), 2.0)
    assert step(2.0) == pytest.approx(math.log(2.0)) and w.grad == 1.0
    with detect_anomaly(), pytest.raises(AnomalyError, match="log"):
        step(0.0)
    assert w.grad == 1.0


def test_an_op_whose_array_forward_is_not_elementwise_raises_at_trace_time() -> None:
    # a scalar op whose array forward mixes the nodes it runs on (a wrong array forward)
    mixed = Op(
        "mixed", "m", lambda x: 2.0 * x, lambda x: np.cumsum(2.0 * x), (lambda g, out, x: 2.0 * g,)
    )
    xs = [Value(1.0), Value(2.0)]
    with pytest.raises(RuntimeError, match=r"op 'mixed'.*many nodes at once"):
        trace(lambda: mixed(xs[0]) + mixed(xs[1]))
