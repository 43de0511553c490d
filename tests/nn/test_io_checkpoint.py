"""Checkpoints: model + optimizer + schedule in one pickle-free file; resuming changes nothing.

Training that saves a checkpoint, is rebuilt from scratch (new model, optimizer and
scheduler objects, as in a new process) and loads it, takes the same steps as training
that never stopped, to the last bit, on both engines. Bad or hostile checkpoints raise a
clear error and leave the model, the optimizer and the scheduler as they were.
"""

from __future__ import annotations

import json
import pickle
import zipfile

import numpy as np
import pytest

import nn
from nn import optim
from nn.checkpoint import load_checkpoint, save_checkpoint

X = np.array([[0.5, -1.0], [2.0, 0.1], [-0.3, 0.8], [1.5, 1.5]])
Y = [0, 1, 1, 0]
OPTIMIZERS = {
    "Adam": lambda ps: optim.Adam(ps, lr=0.05, amsgrad=True),
    "SGD": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
    "Adagrad": lambda ps: optim.Adagrad(ps, lr=0.1),
    "RMSprop": lambda ps: optim.RMSprop(ps, lr=0.01, centered=True, momentum=0.5),
    "GradientUpdate": lambda ps: optim.GradientUpdate(ps, rule="adagrad", lr=0.1),
}


def _fresh(engine, make):
    model = nn.MLP(2, [4, 2], engine=engine, activation="tanh", rng=0)
    opt = make(model.parameters())
    sched = optim.StepLR(opt, step_size=2, gamma=0.5)
    return model, opt, sched


def _train(model, opt, sched, steps):
    for _ in range(steps):
        opt.zero_grad()
        nn.losses.cross_entropy(nn.train.forward(model, X), Y).backward()
        opt.step()
        sched.step()


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=list(OPTIMIZERS))
def test_training_resumed_from_a_checkpoint_equals_training_that_never_stopped(
    tmp_path, engine, make
):
    straight = _fresh(engine, make)
    _train(*straight, 6)
    first = _fresh(engine, make)
    _train(*first, 3)
    path = save_checkpoint(tmp_path / "run.ckpt", *first)
    resumed = _fresh(engine, make)  # a new process would build these again
    load_checkpoint(path, *resumed)
    _train(*resumed, 3)
    a, b = straight[0].state_dict(), resumed[0].state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert straight[1].lr == resumed[1].lr and straight[2].last_epoch == resumed[2].last_epoch


def test_the_file_is_an_npz_without_pickles_with_json_metadata(tmp_path):
    model, opt, sched = _fresh("tensor", OPTIMIZERS["Adam"])
    _train(model, opt, sched, 2)
    path = save_checkpoint(tmp_path / "run.npz", model, opt, sched)
    with np.load(path, allow_pickle=False) as f:
        names = set(f.files)
        meta = json.loads(f["checkpoint"].tobytes())
    assert {"model/layers.0.W", "optimizer/state/0/exp_avg", "checkpoint"} <= names
    assert meta["optimizer"] == "Adam" and meta["state"]["0"]["step"] == 2
    assert meta["scheduler"] == {"last_epoch": 2, "base_lrs": [0.05]}


def test_only_the_model_can_be_loaded_from_a_checkpoint(tmp_path):
    model, opt, sched = _fresh("tensor", OPTIMIZERS["SGD"])
    _train(model, opt, sched, 2)
    path = save_checkpoint(tmp_path / "run.npz", model, opt)
    other = nn.MLP(2, [4, 2], engine="value", activation="tanh", rng=5)
    load_checkpoint(path, other)
    a, b = model.state_dict(), other.state_dict()
    assert all(np.allclose(a[k], b[k], rtol=1e-15) for k in a)


def _rewritten(path, tmp_path, change):
    """The checkpoint at ``path`` with its JSON (a dict) or members changed by ``change``."""
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    meta = json.loads(arrays["checkpoint"].tobytes())
    change(meta, arrays)
    arrays["checkpoint"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    out = tmp_path / "changed.npz"
    np.savez(out, **arrays)
    return out


CHANGES = {
    "other optimizer": (
        lambda m, a: m.update(optimizer="SGD"),
        "holds the state of SGD, not of Adam",
    ),
    "lr": (
        lambda m, a: m["param_groups"][0].update(lr="fast"),
        r"param_groups\[0\]\['lr'\] must be a number",
    ),
    "state shape": (
        lambda m, a: a.update({"optimizer/state/0/exp_avg": np.zeros(3)}),
        r"state\['0'\]\['exp_avg'\] has shape \(3,\)",
    ),
    "missing array": (
        lambda m, a: a.pop("optimizer/state/1/exp_avg_sq"),
        r"state\['1'\] has no 'exp_avg_sq'",
    ),
    "state for no parameter": (
        lambda m, a: m["state"].update({"77": {"step": 1}}),
        "optimizer state '77' is for no parameter",
    ),
    "model shape": (
        lambda m, a: a.update({"model/layers.1.b": np.zeros(5)}),
        r"layers\.1\.b: expected shape \(2,\), got \(5,\)",
    ),
    "stray member": (lambda m, a: a.update({"extra": np.zeros(1)}), "unexpected member 'extra'"),
    "no scheduler": (lambda m, a: m.pop("scheduler"), "holds no scheduler state"),
    "bad scheduler": (
        lambda m, a: m["scheduler"].update(last_epoch=-4),
        "'last_epoch' must be an int >= 0",
    ),
    "format": (lambda m, a: m.update(version=7), "is not a version 1 deltagrad-checkpoint"),
    "NaN": (
        lambda m, a: a.update({"optimizer/state/0/exp_avg": np.full((4, 2), np.nan)}),
        "holds NaN or infinite",
    ),
}


@pytest.mark.parametrize("kind", CHANGES, ids=list(CHANGES))
def test_a_bad_checkpoint_is_refused_and_changes_nothing(tmp_path, kind):
    change, match = CHANGES[kind]
    model, opt, sched = _fresh("tensor", OPTIMIZERS["Adam"])
    _train(model, opt, sched, 2)
    good = save_checkpoint(tmp_path / "run.npz", model, opt, sched)
    path = _rewritten(good, tmp_path, change)
    target = _fresh("tensor", OPTIMIZERS["Adam"])
    _train(*target, 1)
    before = repr((target[0].state_dict(), target[1].state_dict(), target[2].state_dict()))
    with pytest.raises((ValueError, TypeError), match=match):
        load_checkpoint(path, *target)
    after = repr((target[0].state_dict(), target[1].state_dict(), target[2].state_dict()))
    assert after == before


def _hostile(tmp_path, kind):
    path = tmp_path / f"{kind}.npz"
    if kind == "pickle":
        path.write_bytes(pickle.dumps({"checkpoint": 1}))
    elif kind == "plain weights":
        nn.save(nn.MLP(2, [4, 2], engine="tensor", rng=0), path)
    elif kind == "json not bytes":
        np.savez(path, checkpoint=np.zeros(3))
    elif kind == "bad json":
        np.savez(path, checkpoint=np.frombuffer(b"{not json", dtype=np.uint8))
    elif kind == "json NaN":
        np.savez(path, checkpoint=np.frombuffer(b'{"format": NaN}', dtype=np.uint8))
    elif kind == "many members":
        with zipfile.ZipFile(path, "w") as z:
            for i in range(3000):
                z.writestr(f"k{i}.npy", b"")
    return path


HOSTILE = {
    "pickle": "it is pickled data",
    "plain weights": "not a file written by nn.save_checkpoint",
    "json not bytes": "is not JSON text",
    "bad json": "cannot load",
    "json NaN": "holds NaN, which is not a number",
    "many members": "it has 3000 members",
}


@pytest.mark.parametrize("kind", HOSTILE, ids=list(HOSTILE))
def test_hostile_files_are_refused_with_a_short_message(tmp_path, kind):
    model, opt, sched = _fresh("tensor", OPTIMIZERS["Adam"])
    before = repr((model.state_dict(), opt.state_dict()))
    with pytest.raises(ValueError, match=HOSTILE[kind]) as info:
        load_checkpoint(_hostile(tmp_path, kind), model, opt, sched)
    assert len(str(info.value)) < 400 and repr((model.state_dict(), opt.state_dict())) == before


def test_a_hyperparameter_a_checkpoint_cannot_store_is_refused_before_writing(tmp_path):
    model, opt, _ = _fresh("tensor", OPTIMIZERS["SGD"])
    opt.param_groups[0]["tag"] = object()
    with pytest.raises(TypeError, match=r"param_groups\[0\]\['tag'\] holds a object"):
        save_checkpoint(tmp_path / "run.npz", model, opt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("at", [1, 2])
def test_ctrl_c_during_a_checkpoint_load_leaves_model_optimizer_and_scheduler(
    tmp_path, monkeypatch, at
):
    saved = _fresh("tensor", OPTIMIZERS["Adam"])
    _train(*saved, 3)
    path = save_checkpoint(tmp_path / "run.npz", *saved)
    target = _fresh("tensor", OPTIMIZERS["Adam"])
    _train(*target, 1)
    before = repr((target[0].state_dict(), target[1].state_dict(), target[2].state_dict()))
    calls = []
    real = nn.checkpoint.install

    def interrupted(obj, **values):
        calls.append(obj)
        real(obj, **values)
        if len(calls) == at:  # just after the optimizer's (1) or the scheduler's (2) state
            raise KeyboardInterrupt

    monkeypatch.setattr(nn.checkpoint, "install", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_checkpoint(path, *target)
    after = repr((target[0].state_dict(), target[1].state_dict(), target[2].state_dict()))
    assert after == before
