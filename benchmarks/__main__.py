"""``python -m benchmarks [--quick]``: every benchmark, side by side, into RESULTS.md.

Each measurement runs in a fresh process (`benchmarks.worker`), one library per process,
libraries alternating from round to round; the table reports medians and min–max over
the rounds, and ratios taken within each round.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

from . import report
from .machine import describe, load
from .runner import CLOCK, WorkerError, rotated, run_worker

HERE = Path(__file__).resolve().parent


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def fused_available() -> bool:
    import autograd

    return hasattr(autograd, "neuron")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_demo(cfg: dict, threads: int) -> dict[str, Any]:
    """The micrograd demo step on micrograd, Value, and Value with the fused neuron."""
    libs = [
        lib
        for lib in ("micrograd", "value", "value-fused", "value-replay", "value-fused-replay")
        if lib_ok(lib, cfg)
    ]
    rounds: list[dict[str, Any]] = []
    for r in range(cfg["rounds"]):
        log(f"demo step, round {r + 1}/{cfg['rounds']}")
        rounds.append(
            {
                lib: run_worker(
                    "demo", threads, lib=lib, steps=cfg["demo_steps"], checks=r == 0, **cfg["demo"]
                )
                for lib in rotated(libs, r)
            }
        )
    memory = {lib: rounds[0][lib].pop("memory", None) for lib in libs}
    freed = {lib: rounds[0][lib].pop("freed", None) for lib in libs}
    return {"libs": libs, "rounds": rounds, "memory": memory, "freed": freed}


def lib_ok(lib: str, cfg: dict) -> bool:
    """Whether ``lib`` is installed and not left out by the configuration."""
    if lib in cfg.get("skip", ()):
        return False
    if lib == "micrograd":
        return installed("micrograd")
    if lib == "torch":
        return installed("torch")
    if lib.endswith("-replay"):
        import autograd

        if not hasattr(autograd, "trace"):
            return False
        lib = lib.removesuffix("-replay")
    if lib == "value-fused":
        return fused_available()
    return True


def run_mlp(cfg: dict, threads: int) -> dict[str, Any]:
    """One training step: Tensor engine, PyTorch and numpy, each in its own process."""
    libs = [lib for lib in ("tensor", "tensor-replay", "torch", "numpy") if lib_ok(lib, cfg)]
    rounds: list[dict[str, Any]] = []
    for r in range(cfg["rounds"]):
        log(f"MLP step, round {r + 1}/{cfg['rounds']}")
        rounds.append(
            {lib: run_worker("mlp", threads, lib=lib, **cfg["mlp"]) for lib in rotated(libs, r)}
        )
    return {"libs": libs, "rounds": rounds}


def run_scaling(cfg: dict, threads: int) -> dict[str, Any]:
    """Theorem 3.1: forward and backward per node as graphs grow (fresh process each)."""
    runs: list[dict[str, Any]] = []
    for r in range(cfg["scaling_rounds"]):
        for kind in ("chain", "wide"):
            for n in cfg["sizes"]:
                log(f"scaling: {kind} of {n} nodes, round {r + 1}/{cfg['scaling_rounds']}")
                repeats = max(1, min(10, 200_000 // n))  # small graphs: the median of several
                runs.append(run_worker("scaling", threads, kind=kind, n=n, repeats=repeats))
    return {"runs": runs, "sizes": cfg["sizes"]}


FULL = {
    "rounds": 5,
    "demo_steps": 3,
    "demo": {"points": 100, "hidden": 16},
    "mlp": {
        "models": ["2-16-16-1", "784-256-128-10", "784-1024-1024-10"],
        "dtypes": ["float32", "float64"],
        "warmup": 3,
        "min_steps": 10,
        "seconds": 1.0,
    },
    "scaling_rounds": 3,
    "sizes": [1_000, 10_000, 100_000, 1_000_000],
}
QUICK = {
    **FULL,
    "rounds": 2,
    "demo_steps": 2,
    "mlp": {**FULL["mlp"], "warmup": 2, "min_steps": 5, "seconds": 0.3},
    "scaling_rounds": 1,
}
# A tiny run that only checks the harness end to end (used by the test suite; PyTorch is
# left out because importing it alone takes seconds).
SMOKE = {
    "skip": ["torch"],
    "rounds": 1,
    "demo_steps": 1,
    "demo": {"points": 8, "hidden": 4},
    "mlp": {
        "models": ["2-16-16-1"],
        "dtypes": ["float64"],
        "warmup": 0,
        "min_steps": 1,
        "seconds": 0.0,
    },
    "scaling_rounds": 1,
    "sizes": [1_000],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a few minutes)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the harness")
    parser.add_argument("--threads", type=int, default=1, help="BLAS and PyTorch threads")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="process CPU time (default; steadier on a shared machine) or elapsed time",
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="Markdown file")
    parser.add_argument(
        "--only", choices=("demo", "mlp", "scaling"), action="append", help="run these parts"
    )
    args = parser.parse_args(argv)
    cfg = SMOKE if args.smoke else QUICK if args.quick else FULL
    CLOCK["name"] = args.clock if args.threads == 1 else "wall"  # CPU time adds threads up
    parts = args.only or ["demo", "mlp", "scaling"]
    machine = describe(args.threads)
    machine["clock"] = {"cpu": "process CPU time", "wall": "elapsed (wall) time"}[CLOCK["name"]]
    results: dict[str, Any] = {}
    try:
        if "demo" in parts:
            results["demo"] = run_demo(cfg, args.threads)
        if "mlp" in parts:
            results["mlp"] = run_mlp(cfg, args.threads)
        if "scaling" in parts:
            results["scaling"] = run_scaling(cfg, args.threads)
    except WorkerError as e:
        log(str(e))
        return 1
    machine["load average at end (1, 5, 15 min)"] = load()
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    command = "python -m benchmarks" + ("" if mode == "full" else f" --{mode}")
    if args.threads != 1:
        command += f" --threads {args.threads}"
    if args.clock != "cpu":
        command += f" --clock {args.clock}"
    text = report.markdown(machine, results, command)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
