"""The lessons of the notes that have a demo of their own: each printed claim, asserted."""

from __future__ import annotations

import pytest

from .conftest import assert_files_written


def test_symmetry_zero_start_keeps_units_equal_and_normal_start_splits_them(run_demo):
    r = run_demo("symmetry")
    zeros, normal = r["zeros"], r["normal"]
    assert zeros["spread"] < 1e-12 and zeros["distinct"] == 1  # identical for ever
    assert r["moved"] > 0.1  # ... though their weights did change
    assert normal["spread"] > 0.1 and normal["distinct"] == 4
    assert normal["losses"][-1] <= zeros["losses"][-1]
    assert "distinct hidden units after training         = 1 of 4" in r["stdout"]
    assert "distinct hidden units after training         = 4 of 4" in r["stdout"]
    assert_files_written(r)


def test_conventions_001s_programme_equals_the_engine_and_differs_by_2n(run_demo):
    r = run_demo("conventions")
    assert r["max_diff"] < 1e-14  # the recursion on ∂C/∂a by hand = the engine's grads
    assert r["scale_gap"] < 1e-14  # ∇C = 2N ∇J
    assert abs(r["cosine"] - 1.0) < 1e-12 and r["step_gap"] < 1e-14
    out = r["stdout"]
    assert "∂C/∂a(L) = 2(a(L) − y)" in out
    assert f"largest difference {r['max_diff']:.1e}" in out
    assert f"= {2 * r['N']}" in out


def test_sgd_runs_the_three_rules_on_the_same_examples(run_demo):
    r = run_demo("sgd")
    runs = r["runs"]
    sgd, mini, gd = (runs[k] for k in runs)  # Algorithm 1, Algorithm 2, gradient descent
    assert sgd["seen"] == mini["seen"] == gd["seen"] == 500  # 5 epochs of 100 moons
    assert (sgd["steps"], mini["steps"], gd["steps"]) == (500, 25, 5)  # n, n/B, 1 per epoch
    for name, run in runs.items():
        assert run["losses"][-1] < run["losses"][0], name  # every rule descends
        assert run["timed_losses"][-1] < run["timed_losses"][0], name
        assert run["timed_seen"] > 0 and run["timed_seconds"] > 0
    assert sgd["losses"][0] == mini["losses"][0] == gd["losses"][0]  # one start
    assert r["best_examples"] in runs and r["best_time"] in runs
    assert f"lowest J for the same examples: {r['best_examples']}" in r["stdout"]
    assert_files_written(r)


def test_ufldl_loop_as_written_equals_the_engine_and_decay_shrinks_w(run_demo):
    r = run_demo("ufldl")
    assert r["max_diff"] < 1e-14
    assert f"largest |θ_UFLDL − θ_engine| over the iterations = {r['max_diff']:.1e}" in r["stdout"]
    runs = r["runs"]
    lams = sorted(runs)
    squares = [runs[lam]["squares"][-1] for lam in lams]
    data_cost = [runs[lam]["data_cost"][-1] for lam in lams]
    assert squares == sorted(squares, reverse=True)  # more decay, smaller weights
    assert data_cost == sorted(data_cost)  # ... paid for in the data term
    assert_files_written(r)


def test_gradient_check_passes_the_engine_and_catches_the_wrong_op(run_demo):
    r = run_demo("gradient_check")
    assert r["hand_gap"] < 1e-8 and r["network_ok"] is True
    assert r["caught"].startswith("gradcheck failed at inputs[0]: analytic")
    assert r["caught_tensor"].startswith("gradcheck failed at inputs[0] element (0,)")
    assert r["fixed_ok"] is True
    out = r["stdout"]
    assert "gradcheck on the Value engine: GradcheckError: gradcheck failed" in out
    assert "the same op with the rule g·a(1 − a): gradcheck = True" in out


def test_the_wrong_op_is_wrong_only_in_its_rule():
    from autograd import Value
    from demos.gradient_check import MY_SIGMOID, WRONG_SIGMOID

    for x in (-3.0, 0.0, 0.8):
        right, wrong = Value(x), Value(x)
        a, b = MY_SIGMOID(right), WRONG_SIGMOID(wrong)
        assert a.data == b.data == Value(x).sigmoid().data  # the same forward
        a.backward()
        b.backward()
        assert right.grad == pytest.approx(a.data * (1 - a.data), abs=1e-15)
        assert wrong.grad == pytest.approx(b.data, abs=1e-15)  # the forgotten (1 − a)
