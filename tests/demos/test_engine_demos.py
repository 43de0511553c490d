"""The demos that need only the engine: each claim they print, asserted."""

from __future__ import annotations

from .conftest import assert_files_written


def test_backprop_by_hand_equals_engine_to_rounding(run_demo):
    r = run_demo("backprop_by_hand")
    assert set(r["diffs"]) == {"cs229_algorithm4", "cs229_softmax", "ufldl_batch"}
    assert r["max_diff"] < 1e-14
    assert f"{r['max_diff']:.1e}" in r["stdout"]


def test_logistic_gradient_is_the_closed_form_and_learns(run_demo):
    r = run_demo("logistic")
    assert r["max_diff"] < 1e-14
    assert r["accuracy"] >= 0.85
    assert r["losses"][-1] < r["losses"][0]
    assert_files_written(r)


def test_xor_linear_network_collapses_and_tanh_learns(run_demo):
    r = run_demo("xor")
    assert r["collapse_diff"] < 1e-12  # the trained linear network is exactly W̃x + b̃
    assert r["linear_accuracy"] <= 0.75  # no line separates XOR
    assert r["tanh_accuracy"] == 1.0
    assert_files_written(r)


def test_theorem31_runs_each_rule_once_and_scales_linearly(run_demo):
    r = run_demo("theorem31")
    for row in r["rows"]:
        n = row["n_ops"]
        assert row["rules_run"] == n  # one rule per operation, each exactly once
        assert n < row["nodes"] <= n + 100  # the operations plus the inputs they use
        assert n <= row["rule_applications"] <= 2 * n  # one per edge
    assert [row["n_ops"] for row in r["rows"]] == sorted(row["n_ops"] for row in r["rows"])
    assert_files_written(r)


def test_theorem31_prints_both_ratios_and_the_cycle_collector(run_demo):
    r = run_demo("theorem31")
    out = r["stdout"]
    for row in r["rows"]:  # every row: two forward passes, one backward, two ratios
        assert row["float_s"] > 0 and row["forward_s"] > 0 and row["backward_s"] > 0
        assert row["ratio"] == row["backward_s"] / row["forward_s"]
        assert row["ratio_float"] == row["backward_s"] / row["float_s"]
        assert f"{row['ratio']:.2f}" in out and f"{row['ratio_float']:.2f}" in out
    assert f"∇f / f recorded = {r['ratio']:.2f}" in out
    assert f"∇f / f on floats = {r['ratio_float']:.2f}" in out
    assert "not the same cost" in out  # Theorem 3.1 claims a constant, not 1
    assert "Cycle collector: the times above are with it off" in out
    assert r["forward_with_collector_s"] > 0
