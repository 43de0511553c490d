"""`nn.load` on files from someone else: no code runs, only finite real numbers get in.

Every bad file is built here in ``tmp_path``: live pickles (which would create a marker
file if anything unpickled them), object, string, boolean, complex, date and structured
arrays, NaN and infinite weights, headers that declare enormous arrays, and files that are
not ``.npz`` at all. Each load raises a ValueError (FileNotFoundError for a missing file)
that says what is wrong, and leaves the model and the file as they were.
"""

from __future__ import annotations

import gzip
import io
import os
import pickle
import re
import zipfile

import numpy as np
import pytest

import nn

KEYS = ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"]


class Payload:
    """Unpickling this creates the file at ``marker``: a stand-in for arbitrary code."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _model(engine="tensor"):
    return nn.MLP(2, [3, 2], engine=engine, rng=0)


def _good_state():
    return _model().state_dict()


def _npz(path, arrays, compress=False):
    (np.savez_compressed if compress else np.savez)(path, **arrays)
    return path


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _npy_bytes(array=None, header=None):
    """The bytes of a .npy member: an array, or only a header (declared, with no data)."""
    f = io.BytesIO()
    if header is None:
        np.lib.format.write_array(f, array, allow_pickle=True)
    else:
        np.lib.format.write_array_header_1_0(f, header)
    return f.getvalue()


def _load_refused(model, path, match, **kwargs):
    """nn.load raises ValueError matching ``match``; the model and the file are unchanged."""
    before, data = model.state_dict(), path.read_bytes() if path.is_file() else None
    with pytest.raises(ValueError, match=match):
        nn.load(model, path, **kwargs)
    after = model.state_dict()
    assert all(np.array_equal(after[k], before[k]) for k in before)
    if data is not None:
        assert path.read_bytes() == data


def test_the_payload_is_live_so_the_tests_below_mean_something(tmp_path):
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Payload(marker)))
    assert marker.exists()


def _live_pickles(tmp_path, marker):
    payload = Payload(marker)
    obj = np.array([payload, 1.0], dtype=object)
    state = _good_state()
    return {
        "raw pickle named .npz": (
            _write(tmp_path / "raw.npz", pickle.dumps(payload)),
            "it is pickled data",
        ),
        "object array in an npz": (
            _npz(tmp_path / "objects.npz", {**state, "layers.0.b": obj}),
            "'layers.0.b' holds Python objects",
        ),
        "object array, compressed": (
            _npz(tmp_path / "packed.npz", {**state, "layers.1.b": obj}, compress=True),
            "'layers.1.b' holds Python objects",
        ),
        "object array under an unexpected key": (
            _npz(tmp_path / "extra.npz", {**state, "extra": obj}),
            "'extra' holds Python objects",
        ),
        "object .npy": (_write(tmp_path / "one.npy", _npy_bytes(obj)), "a single .npy array"),
        "pickle as a zip member": (
            _zip(tmp_path / "member.npz", {"layers.0.W.npy": pickle.dumps(payload)}),
            "cannot load",
        ),
        "pickle under another name": (
            _zip(tmp_path / "other.npz", {"payload.pkl": pickle.dumps(payload)}),
            "member 'payload.pkl' is not a .npy array",
        ),
    }


def _write(path, data):
    path.write_bytes(data)
    return path


KINDS = [
    "raw pickle named .npz",
    "object array in an npz",
    "object array, compressed",
    "object array under an unexpected key",
    "object .npy",
    "pickle as a zip member",
    "pickle under another name",
]


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("kind", KINDS)
def test_no_pickle_is_ever_unpickled(tmp_path, kind, strict):
    marker = tmp_path / "ran"
    path, match = _live_pickles(tmp_path, marker)[kind]
    _load_refused(_model(), path, match, strict=strict)
    assert not marker.exists()


DTYPES = {
    "strings": np.array([["a", "b"]] * 3),
    "bytes": np.array([[b"a", b"b"]] * 3),
    "booleans": np.ones((3, 2), dtype=bool),
    "complex": np.ones((3, 2), dtype=complex),
    "dates": np.zeros((3, 2), dtype="datetime64[D]"),
    "durations": np.zeros((3, 2), dtype="timedelta64[s]"),
    "structured": np.zeros((3, 2), dtype=[("w", "f8"), ("v", "f8")]),
}


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize("kind", DTYPES, ids=list(DTYPES))
def test_arrays_that_are_not_real_numbers_are_refused(tmp_path, kind, engine):
    array = DTYPES[kind]
    path = _npz(tmp_path / "m.npz", {**_good_state(), "layers.0.W": array})
    _load_refused(
        _model(engine), path, rf"entry 'layers\.0\.W' has .*dtype {re.escape(str(array.dtype))}"
    )


def test_integer_and_float32_weights_are_numbers_and_load(tmp_path):
    state = _good_state()
    ints = {k: np.round(v * 10).astype(np.int32) for k, v in state.items()}
    ints["layers.1.b"] = state["layers.1.b"].astype(np.float32)
    model = _model("value")
    nn.load(model, _npz(tmp_path / "m.npz", ints))
    loaded = model.state_dict()
    assert all(np.array_equal(loaded[k], ints[k]) for k in KEYS)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_nan_and_infinite_weights_are_refused_unless_allowed(tmp_path, engine, bad):
    state = _good_state()
    state["layers.1.W"] = state["layers.1.W"].copy()
    state["layers.1.W"][1, 2] = bad
    path = _npz(tmp_path / "m.npz", state)
    model = _model(engine)
    _load_refused(model, path, r"'layers\.1\.W' holds NaN or infinite weights at index \(1, 2\)")
    nn.load(model, path, allow_nonfinite=True)
    np.testing.assert_array_equal(model.state_dict()["layers.1.W"], state["layers.1.W"])


def _not_npz(tmp_path):
    truncated = tmp_path / "truncated.npz"
    _npz(truncated, _good_state())
    truncated.write_bytes(truncated.read_bytes()[:300])
    corrupt = tmp_path / "corrupt.npz"
    _npz(corrupt, _good_state(), compress=True)
    data = bytearray(corrupt.read_bytes())
    data[60:90] = bytes(30)  # inside the first member's compressed data
    corrupt.write_bytes(bytes(data))
    (tmp_path / "folder.npz").mkdir()
    return {
        "empty file": (_write(tmp_path / "empty.npz", b""), "not a .npz archive"),
        "text": (_write(tmp_path / "notes.npz", b"layers.0.W = [[1, 2]]\n"), "not a .npz archive"),
        "png": (_write(tmp_path / "image.npz", b"\x89PNG\r\n\x1a\n" + bytes(64)), "not a .npz"),
        "gzip": (_write(tmp_path / "data.npz", gzip.compress(b"{}")), "not a .npz archive"),
        "plain .npy": (_write(tmp_path / "a.npy", _npy_bytes(np.zeros((3, 2)))), "single .npy"),
        "truncated": (truncated, "cannot load"),
        "corrupt member": (corrupt, "cannot load"),
        "zip of text": (_zip(tmp_path / "zip.npz", {"readme.txt": "hello"}), "not a .npy array"),
        "folder": (tmp_path / "folder.npz", "no state file"),
        "many members": (
            _zip(tmp_path / "many.npz", {f"k{i}.npy": b"" for i in range(200)}),
            "it has 200 members where 4 arrays are expected",
        ),
        "long member name": (
            _zip(tmp_path / "long.npz", {"k" * 5000 + ".npy": b""}),
            "has a name of 5004 characters",
        ),
    }


NOT_NPZ = [
    "empty file",
    "text",
    "png",
    "gzip",
    "plain .npy",
    "truncated",
    "corrupt member",
    "zip of text",
    "many members",
    "long member name",
]


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize("kind", NOT_NPZ)
def test_files_that_are_not_npz_state_files_are_refused_clearly(tmp_path, kind, engine):
    path, match = _not_npz(tmp_path)[kind]
    _load_refused(_model(engine), path, match)


@pytest.mark.parametrize("kind", ["folder", "missing"])
def test_a_folder_or_a_missing_path_is_file_not_found(tmp_path, kind):
    path = _not_npz(tmp_path)["folder"][0] if kind == "folder" else tmp_path / "absent.npz"
    with pytest.raises(FileNotFoundError, match="no state file"):
        nn.load(_model(), path)


def test_a_header_declaring_a_huge_array_is_refused_without_allocating_it(tmp_path):
    """2·10¹² float64 (16 TB) declared where (3, 2) is expected: the header is read, the
    shape compared, and the data never read (no MemoryError)."""
    members = {f"{k}.npy": _npy_bytes(v) for k, v in _good_state().items()}
    header = {"descr": "<f8", "fortran_order": False, "shape": (2_000_000, 1_000_000)}
    members["layers.0.W.npy"] = _npy_bytes(header=header)
    members["extra.npy"] = _npy_bytes(header=header)
    path = _zip(tmp_path / "huge.npz", members)
    _load_refused(
        _model(), path, r"layers\.0\.W: expected shape \(3, 2\), got \(2000000, 1000000\)"
    )
    model = _model()
    result = nn.load(model, path, strict=False)
    assert result.mismatched_keys == ["layers.0.W"] and result.unexpected_keys == ["extra"]


def test_loading_reads_and_never_writes_the_file(tmp_path):
    path = tmp_path / "m.npz"
    nn.save(_model(), path)
    data, stamp = path.read_bytes(), os.stat(path).st_mtime_ns
    nn.load(_model("value"), path)
    assert path.read_bytes() == data and os.stat(path).st_mtime_ns == stamp
    assert os.listdir(tmp_path) == ["m.npz"]
