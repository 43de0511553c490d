"""The demos that need only the engine: each claim they print, asserted."""

from __future__ import annotations

import numpy as np

from .conftest import assert_files_written


def test_backprop_by_hand_equals_engine_to_rounding(run_demo):
    r = run_demo("backprop_by_hand")
    assert set(r["diffs"]) == {"cs229_algorithm4", "cs229_softmax", "ufldl_batch"}
    assert r["max_diff"] < 1e-14
    assert f"{r['max_diff']:.1e}" in r["stdout"]


def test_backprop_by_hand_uses_one_notation_per_section_and_names_the_claims(run_demo):
    r = run_demo("backprop_by_hand")
    out = r["stdout"]
    ufldl = out[out.index("3. UFLDL") : out.index("Result")]
    # Section 3: CS229's layer numbers, the row-major batch form, each claim with its shapes.
    assert "Layer numbers are CS229's" in ufldl and "its output δ(3) is" in ufldl
    assert "Δ[l] = (Δ[l+1] W[l+1]) ⊙ g′(Z[l])" in ufldl
    assert "W(l)ᵀ" not in ufldl and "δ(l)" not in ufldl  # no UFLDL column form left
    assert "Claim 3.4: ∂J/∂A[1] = Δ[2] W[2]" in ufldl and "(5×2)(2×4) → (5×4)" in ufldl
    assert "Claim 3.3: Δ[1] = (Δ[2] W[2]) ⊙ g′(Z[1])" in ufldl
    assert "Claim 3.2: ΔW[1] = Σᵢ δ[1](i) a[0](i)ᵀ = Δ[1]ᵀ A[0]" in ufldl
    assert "(4×5)(5×3) → (4×3)" in ufldl
    # ReLU′ at 0, stated once: the same convention in the recipe and in the engine.
    assert out.count("ReLU′(z) = 1{z > 0}, in this recipe and in the engine") == 1
    assert "1{z ≥ 0}" in out and "δ[k] = (W[k+1]ᵀ δ[k+1]) ⊙ ReLU′(z[k])" in out


def test_relu_prime_at_zero_is_the_engines():
    from autograd import Tensor
    from demos.backprop_by_hand import relu_at_zero, relu_prime

    z = np.array([-1.0, 0.0, 2.0])
    t = Tensor(z, requires_grad=True)
    t.relu().sum().backward()
    np.testing.assert_array_equal(relu_prime(z), t.grad)  # 0 at z = 0, as the engine
    assert relu_at_zero() == 0.0


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


def test_xor_counts_ties_and_shows_the_collapse_where_w_tilde_is_not_zero(run_demo):
    r = run_demo("xor")
    out = r["stdout"]
    # XOR's linear fit is h = ½ on all four points: four ties, neither right nor wrong.
    assert r["linear_verdicts"] == {"right": 0, "wrong": 0, "ties": 4}
    assert "right / wrong / ties at h = ½                = 0 / 0 / 4" in out
    np.testing.assert_allclose(r["xor_collapse"]["W_tilde"], 0.0, atol=1e-6)
    # On AND the trained linear network is W̃x + b̃ with W̃ ≠ 0: the least-squares line.
    W_tilde = r["and_collapse"]["W_tilde"]
    assert np.min(np.abs(W_tilde)) > 0.4
    assert r["and_collapse"]["gap"] < 1e-12
    np.testing.assert_allclose(r["and_collapse"]["line"], [0.5, 0.5, -0.25], atol=1e-12)
    assert r["and_line_gap"] < 1e-6
    assert r["and_verdicts"] == {"right": 4, "wrong": 0, "ties": 0}
    assert "W̃ ≠ 0" in out


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
