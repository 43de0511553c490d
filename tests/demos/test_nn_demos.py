"""The demos built on `nn`: each claim they print, asserted on the numbers they return."""

from __future__ import annotations

import numpy as np

from .conftest import assert_files_written


def test_housing_neuron_finds_the_kink_and_networks_beat_a_line(run_demo):
    r = run_demo("housing")
    neuron = r["neuron"]
    assert neuron["J"] < 0.02  # noise alone gives ½σ² = 0.005
    assert 0.3 < -neuron["b"] / neuron["w"] < 1.0  # the kink of the data (0.75) is found
    J = r["test_J"]
    assert J["figure2"] < J["line"] and J["full"] < J["line"]
    assert J["full"] < 0.015
    assert_files_written(r)


def test_housing_says_adam_and_compares_the_neuron_with_a_line(run_demo):
    r = run_demo("housing")
    out = r["stdout"]
    assert out.count("trained by Adam, α = 0.05") == 2  # both two-layer networks
    assert r["neuron"]["J"] < r["neuron"]["line_J"]  # the kink beats the straight line
    assert f"{r['neuron']['line_J']:.4g}" in out


def test_vectorization_engines_agree_and_report_the_ratio(run_demo):
    r = run_demo("vectorization")
    assert r["max_diff"] < 1e-12  # same layer, loss and gradients every way
    assert [row["n"] for row in r["rows"]] == [10, 40]
    assert all(row["value_s"] > 0 and row["tensor_s"] > 0 for row in r["rows"])
    assert f"{r['speed_ratio']:.0f}× faster" in r["stdout"]
    assert_files_written(r)


def test_vectorization_relates_the_notes_row_major_w_to_layer_w(run_demo):
    r = run_demo("vectorization")
    out = r["stdout"]
    names = list(r["layer"]["times"])
    assert "Z = X W + b, W ∈ R^{d×m} (eq. 4.4)" in names
    assert "Z = X Wᵀ + b, W ∈ R^{m×d} (layer.W)" in names
    assert r["layer"]["max_diff"] < 1e-12  # the same numbers both ways
    assert "eq. 4.4's W is 24×32 (d × m, row-major); layer.W is 32×24" in out


def test_optimizers_all_descend_on_the_same_problem(run_demo):
    r = run_demo("optimizers")
    names = {"SGD", "momentum", "AdaGrad", "normalised", "Adam", "sign (yours)"}
    assert set(r["final"]) == names == set(r["losses"])
    for name, final in r["final"].items():
        assert final["J"] < r["start_J"] / 3, name
        assert len(r["losses"][name]) == 60
    # Adam and momentum get closest in the fast run, as the plot shows.
    best = sorted(r["final"], key=lambda n: r["final"][n]["J"])
    assert set(best[:3]) >= {"Adam"}
    assert_files_written(r)


def test_digits_reach_96_percent_on_held_out_images(run_demo):
    r = run_demo("digits")
    assert r["test_accuracy"] >= 0.96
    C = r["confusion"]
    assert C.shape == (10, 10) and C.sum() == 540  # 30% of 1,797 images held out
    assert np.trace(C) / C.sum() == r["test_accuracy"]
    assert f"{r['test_accuracy']:.1%}" in r["stdout"]
    assert len(r["history"]["loss"]) == 8
    assert_files_written(r)


def test_digits_validates_on_its_own_split_and_says_what_train_accuracy_is(run_demo):
    r = run_demo("digits")
    out = r["stdout"]
    assert "training / validation / test examples        = 1005 / 252 / 540" in out
    h = r["history"]
    assert len(h["accuracy"]) == len(h["train_accuracy"]) == len(h["val_accuracy"]) == 8
    # The running average scores each batch before the epoch's later steps: it lags.
    assert h["accuracy"][0] < h["train_accuracy"][0]
    assert "train (running): the mean over the epoch's batches" in out
    assert f"train (after) {h['train_accuracy'][-1]:.1%}" in out
    assert f"validation {h['val_accuracy'][-1]:.1%}" in out


def test_moons_on_the_tensor_engine_alone(run_demo):
    r = run_demo("moons", "--engine", "tensor")
    assert set(r) >= {"tensor", "files"} and "value" not in r
    assert r["tensor"]["accuracy"] == 1.0
    assert r["tensor"]["losses"][-1] < r["tensor"]["losses"][0]
    assert_files_written(r)
    # micrograd's penalty runs over the biases too; the demo's (λ/2)ΣW² does not, and says so.
    assert "(micrograd: + α Σ p² over weights and biases, α = 0.0001)" in r["stdout"]
