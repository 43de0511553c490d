"""Run one measurement in a fresh Python process and collect its numbers.

Every library is timed in a process of its own (never numpy and PyTorch in one process),
started with a clean environment: OpenBLAS tuning variables that some machines set (and
that can select a slower kernel) are removed, and the thread count is passed explicitly.
A worker prints one JSON object on its last line of output.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: Variables that change which OpenBLAS kernel runs; the benchmark lets OpenBLAS choose.
BLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


class WorkerError(RuntimeError):
    """A benchmark process failed; the message holds the end of its error output."""


def clean_env(threads: int) -> dict[str, str]:
    """The environment of a benchmark process: no BLAS overrides, ``threads`` threads."""
    env = {k: v for k, v in os.environ.items() if k not in BLAS_OVERRIDES}
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


#: The clock every worker uses ("cpu" or "wall"), set once by the command line.
CLOCK = {"name": "wall"}


def run_worker(job: str, threads: int, timeout: float = 1800.0, **params: Any) -> dict:
    """Run ``benchmarks.worker`` on ``job`` with ``params`` in a new process; its JSON result."""
    spec = json.dumps({"job": job, "threads": threads, "clock": CLOCK["name"], **params})
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", spec],
        cwd=ROOT,
        env=clean_env(threads),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise WorkerError(f"benchmark job {job} {params} failed:\n{tail}")
    return json.loads(lines[-1])


def summary(xs: list[float]) -> dict[str, float]:
    """Median, min and max of repeated measurements."""
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def rotated(items: list[Any], k: int) -> list[Any]:
    """``items`` started at position ``k``: round k runs the libraries in a new order."""
    k %= len(items)
    return items[k:] + items[:k]
