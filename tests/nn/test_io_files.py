"""`nn.save` behaves as ``np.savez`` on the file system, and `nn.load` refuses big archives fast.

Saving: a new file gets the umask's mode and a replaced one keeps its mode, a symbolic
link is written through, errors name the user's path (never the temporary file), a
writable file in a folder we cannot write to is overwritten in place, and a save killed
midway leaves a temporary file that the next save to the same path removes. Loading: an
archive with far more members than the model has keys is refused before any member is
read, and every message stays short whatever the file holds.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib

import numpy as np
import pytest

import nn

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and signals")


def _model(seed=0):
    return nn.MLP(2, [3, 2], engine="tensor", rng=seed)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@POSIX
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_mode_np_savez_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        nn.save(_model(), tmp_path / "ours.npz")
        np.savez(tmp_path / "numpy.npz", a=np.zeros(1))
    finally:
        os.umask(old)
    assert _mode(tmp_path / "ours.npz") == _mode(tmp_path / "numpy.npz") == 0o666 & ~umask


@POSIX
def test_a_replaced_file_keeps_its_mode_as_with_np_savez(tmp_path):
    for name in ("ours.npz", "numpy.npz"):
        (tmp_path / name).write_bytes(b"old")
        os.chmod(tmp_path / name, 0o640)
    nn.save(_model(), tmp_path / "ours.npz")
    np.savez(tmp_path / "numpy.npz", a=np.zeros(1))
    assert _mode(tmp_path / "ours.npz") == _mode(tmp_path / "numpy.npz") == 0o640


@POSIX
@pytest.mark.parametrize("target_exists", [True, False])
def test_a_symbolic_link_is_written_through(tmp_path, target_exists):
    target, link = tmp_path / "real.npz", tmp_path / "link.npz"
    if target_exists:
        nn.save(_model(0), target)
    link.symlink_to(target)
    model = _model(1)
    assert nn.save(model, link) == str(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    loaded = _model(2)
    nn.load(loaded, target)
    assert all(np.array_equal(loaded.state_dict()[k], v) for k, v in model.state_dict().items())
    assert sorted(os.listdir(tmp_path)) == ["link.npz", "real.npz"]


def test_a_missing_folder_is_named_by_the_users_path(tmp_path):
    path = tmp_path / "absent" / "model.npz"
    with pytest.raises(FileNotFoundError) as info:
        nn.save(_model(), path)
    assert str(path) in str(info.value) and ".saving" not in str(info.value)
    assert info.value.filename == str(path)


def _no_new_files(monkeypatch):
    """The folder refuses new files (root ignores chmod, so the refusal is simulated)."""

    def refuse(tmp):
        raise PermissionError(13, "Permission denied", tmp)

    monkeypatch.setattr(nn.io, "_open_temp", refuse)


def test_a_read_only_folder_is_named_by_the_users_path(tmp_path, monkeypatch):
    _no_new_files(monkeypatch)
    path = tmp_path / "model.npz"
    with pytest.raises(PermissionError) as info:
        nn.save(_model(), path)
    assert info.value.filename == str(path) and ".saving" not in str(info.value)
    assert os.listdir(tmp_path) == []


def test_a_writable_file_in_a_read_only_folder_is_overwritten_in_place(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    nn.save(_model(0), path)
    inode = os.stat(path).st_ino
    _no_new_files(monkeypatch)
    model = _model(1)
    nn.save(model, path)
    assert os.stat(path).st_ino == inode and os.listdir(tmp_path) == ["model.npz"]
    with np.load(path, allow_pickle=False) as f:
        assert all(np.array_equal(f[k], v) for k, v in model.state_dict().items())


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_real_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    nn.save(_model(0), folder / "model.npz")
    folder.chmod(0o555)
    try:
        nn.save(_model(1), folder / "model.npz")  # np.savez succeeds here: so do we
        with pytest.raises(PermissionError) as info:
            nn.save(_model(), folder / "new.npz")
        assert info.value.filename == str(folder / "new.npz")
    finally:
        folder.chmod(0o755)


KILLED_SAVE = """
import os, signal, sys
import numpy as np
import nn

def killed(file, **arrays):
    file.write(b"PK partial")
    file.flush()
    os.kill(os.getpid(), signal.SIGKILL)

np.savez = killed
nn.save(nn.MLP(2, [3, 2], engine="tensor", rng=0), sys.argv[1])
"""


@POSIX
def test_the_next_save_removes_what_a_killed_save_left(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(_model(0), path)
    old = path.read_bytes()
    root = os.path.dirname(os.path.dirname(os.path.abspath(nn.__file__)))  # this nn, not another
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_SAVE), str(path)], env=env)
    assert run.returncode == -signal.SIGKILL
    left = sorted(os.listdir(tmp_path))
    assert len(left) == 2 and left[0].startswith(".model.npz.") and left[0].endswith(".saving")
    assert path.read_bytes() == old  # the killed save did not touch the file
    (tmp_path / ".other.npz.1-00000000.saving").write_bytes(b"another path's")
    nn.save(_model(1), path)
    assert sorted(os.listdir(tmp_path)) == [".other.npz.1-00000000.saving", "model.npz"]


def test_a_save_in_progress_in_this_process_is_left_alone(tmp_path):
    mine = tmp_path / f".model.npz.{os.getpid()}-0123abcd.saving"
    mine.write_bytes(b"another thread's save")
    nn.save(_model(), tmp_path / "model.npz")
    assert mine.exists()


# loading big or strange archives --------------------------------------------------------


def _stored_zip(names, data=b""):
    """A zip of stored members, built directly (zipfile takes seconds for 10⁵ members)."""
    crc, local, central = zlib.crc32(data), [], []
    offset = 0
    for name in names:
        raw = name.encode()
        head = struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data), len(raw), 0
        )
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(data),
                len(data), len(raw), 0, 0, 0, 0, 0, offset,
            )
            + raw
        )  # fmt: skip
        local.append(head + raw + data)
        offset += len(head) + len(raw) + len(data)
    directory = b"".join(central)
    n = min(len(names), 0xFFFF)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, n, n, len(directory), offset, 0)
    return b"".join(local) + directory + end


def _npy(array):
    f = io.BytesIO()
    np.lib.format.write_array(f, array)
    return f.getvalue()


def test_the_zip_builder_makes_archives_numpy_reads(tmp_path):
    path = tmp_path / "small.npz"
    path.write_bytes(_stored_zip(["a.npy", "b.npy"], _npy(np.arange(3.0))))
    with np.load(path) as f:
        assert f.files == ["a", "b"] and np.array_equal(f["b"], np.arange(3.0))


@pytest.mark.parametrize("members", [100_000, 1_000])
@pytest.mark.parametrize("strict", [True, False])
def test_an_archive_of_far_more_members_is_refused_before_any_is_read(
    tmp_path, monkeypatch, members, strict
):
    path = tmp_path / "many.npz"
    path.write_bytes(_stored_zip([f"k{i}.npy" for i in range(members)]))
    opened = []
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: opened.append(a) or 1 / 0)
    model = _model()
    before = model.state_dict()
    with pytest.raises(
        ValueError, match=rf"it has (at least )?{min(members, 0xFFFF)} members where 4 arrays"
    ) as info:
        nn.load(model, path, strict=strict)
    assert opened == [] and len(str(info.value)) < 300
    assert all(np.array_equal(model.state_dict()[k], v) for k, v in before.items())


def test_a_good_file_with_a_few_extra_members_still_loads_with_strict_false(tmp_path):
    path = tmp_path / "bigger.npz"
    np.savez(path, **_model(1).state_dict(), **{f"extra{i}": np.zeros(1) for i in range(60)})
    model = _model(0)
    result = nn.load(model, path, strict=False)
    assert len(result.unexpected_keys) == 60 and result.missing_keys == []
    with pytest.raises(ValueError, match="60 unexpected keys") as info:
        nn.load(model, path)
    assert len(str(info.value)) < 400


def _long_messages(tmp_path):
    good = {f"{k}.npy": _npy(v) for k, v in _model().state_dict().items()}
    long_name = tmp_path / "long_name.npz"
    long_name.write_bytes(_stored_zip([*good, "x" * 60_000 + ".npy"]))
    header = tmp_path / "header.npz"
    with zipfile.ZipFile(header, "w") as z:
        for name, data in good.items():
            z.writestr(name, data)
        bad = b"\x93NUMPY\x02\x00" + struct.pack("<I", 60_000) + b"{" + b"x" * 59_998 + b"\n"
        z.writestr("extra.npy", bad)
    dtype = tmp_path / "dtype.npz"
    fields = [(f"f{i}" + "y" * 50, "f8") for i in range(300)]
    np.savez(dtype, **_model().state_dict(), extra=np.zeros(2, dtype=fields))
    return {"long_name": long_name, "header": header, "dtype": dtype}


@pytest.mark.parametrize("kind", ["long_name", "header", "dtype"])
def test_error_messages_stay_short_whatever_the_file_holds(tmp_path, kind):
    path = _long_messages(tmp_path)[kind]
    with pytest.raises(ValueError, match="cannot load") as info:
        nn.load(_model(), path, strict=False)
    assert len(str(info.value)) < 400 + len(str(path))
