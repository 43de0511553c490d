"""Grad mode and anomaly mode are per thread; the engine's shared state survives threads.

Each case runs work in several threads at once and compares it with the same work done in
one thread: the numbers must be the same. Threads are made to switch often
(``sys.setswitchinterval``), so the cases that depend on timing meet the races at once.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from autograd import (
    Tensor,
    Value,
    detect_anomaly,
    is_grad_enabled,
    no_grad,
    saved,
    set_grad_enabled,
)


@pytest.fixture(autouse=True)
def _switch_often() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _run(*fns: Callable[[], object]) -> list[object]:
    """Run each function in its own thread; their results, or the first error raised."""
    results: list[object] = [None] * len(fns)
    errors: list[BaseException] = []

    def target(k: int) -> None:
        try:
            results[k] = fns[k]()
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=target, args=(k,)) for k in range(len(fns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def _while_other_thread_is_in(mode: Callable[[], object], work: Callable[[], object]) -> object:
    """``work()`` in this thread while another thread sits inside ``with mode():``."""
    inside, done = threading.Event(), threading.Event()

    def other() -> None:
        with mode():
            inside.set()
            done.wait(timeout=30)

    t = threading.Thread(target=other)
    t.start()
    try:
        assert inside.wait(timeout=30)
        return work()
    finally:
        done.set()
        t.join(timeout=30)


# Small models, trained step by step. ---------------------------------------------------


def _value_training(seed: int, steps: int = 15) -> list[float]:
    rng = np.random.default_rng(seed)
    w = [Value(float(v)) for v in rng.normal(size=12)]
    X = rng.normal(size=(8, 12)).tolist()
    y = rng.normal(size=8).tolist()
    for _ in range(steps):
        J = sum(
            ((sum(wi * xi for wi, xi in zip(w, row, strict=True)) - t) ** 2).tanh()
            for row, t in zip(X, y, strict=True)
        )
        for p in w:
            p.grad = 0.0
        J.backward()
        with no_grad():  # as an optimizer's step does
            for p in w:
                p.data -= 0.05 * p.grad
    return [p.data for p in w]


def _tensor_training(seed: int, steps: int = 15) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    W = Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    b = Tensor(np.zeros(4), requires_grad=True)
    X = rng.normal(size=(16, 3))
    for _ in range(steps):
        J = ((Tensor(X) @ W.T + b).tanh() ** 2).mean()
        W.grad = b.grad = None
        J.backward()
        with no_grad():
            W.data = W.data - 0.1 * W.grad
            b.data = b.data - 0.1 * b.grad
    return [W.data, b.data]


# no_grad and detect_anomaly in one thread leave the others alone. ------------------------


def test_no_grad_in_another_thread_leaves_this_threads_value_step_as_alone() -> None:
    alone = _value_training(0)
    beside = _while_other_thread_is_in(no_grad, lambda: _value_training(0))
    assert beside == alone


def test_no_grad_in_another_thread_leaves_this_threads_tensor_step_as_alone() -> None:
    alone = _tensor_training(0)
    beside = _while_other_thread_is_in(no_grad, lambda: _tensor_training(0))
    for a, b in zip(alone, beside, strict=True):
        np.testing.assert_array_equal(a, b)


def test_overlapping_no_grad_blocks_leave_grad_mode_on_everywhere() -> None:
    # A enters, B enters, A exits, B exits: each thread gets its own mode back.
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def a() -> None:
        with no_grad():
            a_in.set()
            b_in.wait(timeout=30)
        seen["a"] = is_grad_enabled()
        a_out.set()

    def b() -> None:
        a_in.wait(timeout=30)
        with no_grad():
            b_in.set()
            a_out.wait(timeout=30)
            seen["b inside"] = is_grad_enabled()
        seen["b"] = is_grad_enabled()

    _run(a, b)
    assert seen == {"a": True, "b inside": False, "b": True}
    assert is_grad_enabled()
    x = Value(2.0)
    (x * x).backward()
    assert x.grad == 4.0


def test_anomaly_mode_in_another_thread_does_not_raise_here() -> None:
    def work() -> tuple[float, float]:
        x = Value(0.0)
        y = x.log() * 1.0  # -inf, as IEEE and PyTorch outside anomaly mode
        t = Tensor(np.zeros(2), requires_grad=True)
        s = t.log().sum()
        return y.data, float(s.data)

    alone = work()
    assert _while_other_thread_is_in(detect_anomaly, work) == alone == (-np.inf, -np.inf)


def test_a_new_thread_starts_with_grad_mode_on_and_anomaly_mode_off() -> None:
    def probe() -> tuple[bool, float]:
        x = Value(0.0)
        return is_grad_enabled(), x.log().data  # no AnomalyError

    with no_grad(), detect_anomaly():
        (enabled, logged) = _run(probe)[0]
        assert not is_grad_enabled()
    assert enabled and logged == -np.inf


# Training and backward in several threads at once. --------------------------------------


def test_two_value_models_trained_in_two_threads_match_one_thread() -> None:
    alone = [_value_training(1), _value_training(2)]
    for _ in range(5):
        assert _run(lambda: _value_training(1), lambda: _value_training(2)) == alone


def test_two_tensor_models_trained_in_two_threads_match_one_thread() -> None:
    alone = [_tensor_training(1), _tensor_training(2)]
    for _ in range(3):
        together = _run(lambda: _tensor_training(1), lambda: _tensor_training(2))
        for mine, theirs in zip(together, alone, strict=True):
            for a, b in zip(mine, theirs, strict=True):
                np.testing.assert_array_equal(a, b)


def test_four_threads_backpropagating_through_shared_weights_sum_as_one_thread() -> None:
    # Small integers: every sum is exact, so any order of the passes gives the same bits.
    W = Tensor(np.arange(12.0).reshape(3, 4) - 5.0, requires_grad=True)
    w = [Value(float(k - 2)) for k in range(4)]
    rng = np.random.default_rng(0)
    batches = [rng.integers(-3, 4, size=(5, 4)).astype(float) for _ in range(4)]

    def passes(X: np.ndarray, repeats: int = 25) -> None:
        for _ in range(repeats):
            ((Tensor(X) @ W.T) ** 2).sum().backward()
            sum(
                ((sum(wi * xi for wi, xi in zip(w, row, strict=True))) ** 2 for row in X),
                Value(0.0),
            ).backward()

    for X in batches:
        passes(X)
    alone = W.grad.copy(), [p.grad for p in w]
    W.grad = None
    for p in w:
        p.grad = 0.0
    _run(*[lambda X=X: passes(X) for X in batches])
    np.testing.assert_array_equal(W.grad, alone[0])
    assert [p.grad for p in w] == alone[1]


def test_read_only_holds_from_many_threads_are_all_given_back() -> None:
    W = Tensor(np.ones((3, 3)), requires_grad=True)

    def graphs() -> None:
        for _ in range(200):
            J = (W * W).sum()  # each graph holds W's array read-only
            assert not W.data.flags.writeable
            if _ % 2:
                J.backward()  # released by the pass, the others by being dropped
            del J

    _run(graphs, graphs, graphs, graphs)
    assert W.data.flags.writeable
    assert id(W.data) not in saved._held
    W.data[0, 0] = 2.0  # the user's update works again


def test_assignments_in_another_thread_never_give_a_silently_wrong_gradient() -> None:
    w = Value(1.0)
    stop = threading.Event()

    def updates() -> None:
        k = 0
        while not stop.is_set():
            k += 1
            w.data = 1.0 + k % 7

    def passes() -> int:
        wrong = 0
        try:
            for _ in range(3000):
                J = w * w * 1.0  # J = x², from the x this forward pass read
                try:
                    J.backward()
                except RuntimeError as e:
                    assert "assigned after the graph was built" in str(e)
                    continue
                used = J.data**0.5
                wrong += J._a._a.grad != 2.0 * used
                w.grad = 0.0
        finally:
            stop.set()
        return wrong

    assert _run(updates, passes)[1] == 0


def test_set_grad_enabled_called_alone_takes_effect_in_this_thread_as_in_pytorch() -> None:
    set_grad_enabled(False)
    try:
        assert not is_grad_enabled()
        assert (Value(2.0) * Value(3.0)).grad_fn is None
        seen = []
        thread = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
        thread.start()
        thread.join()
        assert seen == [True]  # other threads go on recording
    finally:
        set_grad_enabled(True)
    assert is_grad_enabled() and (Value(2.0) * Value(3.0)).grad_fn is not None
    with set_grad_enabled(False):
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_set_grad_enabled_matches_pytorchs_as_a_call_and_as_a_block(torch) -> None:
    ours, theirs = [], []
    for module, record in ((None, ours), (torch, theirs)):
        set_mode = set_grad_enabled if module is None else torch.set_grad_enabled
        enabled = is_grad_enabled if module is None else torch.is_grad_enabled
        set_mode(False)
        record.append(enabled())
        with set_mode(True):
            record.append(enabled())
        record.append(enabled())
        set_mode(True)
        record.append(enabled())
    assert ours == theirs == [False, True, False, True]
