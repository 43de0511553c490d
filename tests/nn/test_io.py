"""`nn.save` / `nn.load`: .npz without pickles; bad files leave the model as it was."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pytest

import nn

X = np.array([[0.3, -0.2], [1.0, 2.0]])


def _outputs(model):
    return nn.predict(model, X).reshape(len(X), -1)


def _same_state(model, state):
    after = model.state_dict()
    return list(after) == list(state) and all(np.array_equal(after[k], state[k]) for k in state)


@pytest.mark.parametrize(
    ("src", "dst"), [("value", "tensor"), ("tensor", "value"), ("tensor", "tensor")]
)
def test_save_then_load_round_trips_across_engines(tmp_path, src, dst):
    a = nn.MLP(2, [4, 3], engine=src, activation="tanh", rng=0)
    b = nn.MLP(2, [4, 3], engine=dst, activation="tanh", rng=1)
    path = nn.save(a, tmp_path / "model.npz")
    result = nn.load(b, path)
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_allclose(_outputs(b), _outputs(a), rtol=1e-12)


def test_the_file_is_plain_npz_at_exactly_the_given_path(tmp_path):
    model = nn.MLP(2, [3, 1], engine="tensor", rng=0)
    path = tmp_path / "weights.bin"
    assert nn.save(model, path) == str(path)
    assert sorted(os.listdir(tmp_path)) == ["weights.bin"]
    with np.load(path, allow_pickle=False) as f:
        assert sorted(f.files) == ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"]
        np.testing.assert_array_equal(f["layers.0.W"], model.layers[0].W.data)


def _bad_files(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"this is not a numpy file at all")
    truncated = tmp_path / "truncated.npz"
    nn.save(nn.MLP(2, [3, 1], engine="tensor", rng=0), truncated)
    truncated.write_bytes(truncated.read_bytes()[:200])
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, **{"layers.0.W": np.array([object()], dtype=object)})
    raw_pickle = tmp_path / "raw.npz"
    raw_pickle.write_bytes(pickle.dumps({"layers.0.W": np.zeros((3, 2))}))
    npy = tmp_path / "single.npy"
    np.save(npy, np.zeros((3, 2)))
    shapes = tmp_path / "shapes.npz"
    nn.save(nn.MLP(2, [5, 1], engine="tensor", rng=0), shapes)
    words = tmp_path / "words.npz"
    np.savez(words, **{"layers.0.W": np.array(["a"])})
    return {
        "junk": (junk, "not a .npz archive"),
        "truncated": (truncated, "cannot load"),
        "pickled": (pickled, "pickled"),
        "raw_pickle": (raw_pickle, "pickled data"),
        "npy": (npy, "single .npy array"),
        "shapes": (shapes, "size mismatches"),
        "words": (words, "non-numeric dtype"),
    }


@pytest.mark.parametrize(
    "kind", ["junk", "truncated", "pickled", "raw_pickle", "npy", "shapes", "words"]
)
@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_bad_files_raise_clearly_and_leave_the_model_untouched(tmp_path, kind, engine):
    path, match = _bad_files(tmp_path)[kind]
    model = nn.MLP(2, [3, 1], engine=engine, rng=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=match):
        nn.load(model, path)
    assert _same_state(model, before)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="no state file"):
        nn.load(nn.Linear(2, 1), tmp_path / "absent.npz")


def test_a_failed_save_leaves_the_old_file_and_no_debris(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    nn.save(nn.MLP(2, [3, 1], engine="tensor", rng=0), path)
    old = path.read_bytes()

    def broken(file, **arrays):
        file.write(b"PK partial")
        raise OSError("disk full")

    monkeypatch.setattr(nn.io.np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        nn.save(nn.MLP(2, [3, 1], engine="tensor", rng=1), path)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.npz"]


def test_load_with_strict_false_reports_the_differences(tmp_path):
    path = nn.save(nn.MLP(2, [3], engine="tensor", rng=0), tmp_path / "small.npz")
    bigger = nn.MLP(2, [3, 1], engine="tensor", rng=1)
    result = nn.load(bigger, path, strict=False)
    assert result.missing_keys == ["layers.1.W", "layers.1.b"] and result.unexpected_keys == []
    with pytest.raises(ValueError, match=r"missing keys: layers\.1\.W, layers\.1\.b"):
        nn.load(bigger, path)
