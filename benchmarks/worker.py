"""A benchmark process: ``python -m benchmarks.worker '<json>'`` prints one JSON result.

The parent (`benchmarks.__main__`) starts one of these per library and round, so that no
two libraries share a process and the thread count is set the same way for each.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def limit_threads(threads: int, lib: str) -> dict[str, Any]:
    """Give every thread pool ``threads`` threads; describe the BLAS that will run."""
    info: dict[str, Any] = {"threads": threads}
    if lib == "torch":
        import torch

        torch.set_num_threads(threads)
        info["torch_threads"] = torch.get_num_threads()
        info["torch_blas"] = "MKL" if torch.backends.mkl.is_available() else "other"
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        info["blas"] = "unknown (threadpoolctl not installed; threads set by environment)"
        return info
    threadpool_limits(threads)
    pools = [
        f"{p['internal_api']} {p.get('version') or ''} {p.get('architecture') or ''}"
        f" ({p['num_threads']} threads)".replace("  ", " ")
        for p in threadpool_info()
    ]
    info["blas"] = "; ".join(pools)
    return info


def run(spec: dict[str, Any]) -> dict[str, Any]:
    from .timing import use_clock

    use_clock(spec.get("clock", "wall"))
    job = spec["job"]
    if job == "mlp":
        return mlp_job(spec)
    from . import scalar

    if job == "demo":
        result = scalar.demo(spec["lib"], spec["steps"], spec["points"], spec["hidden"])
        replayed = spec["lib"].endswith("-replay")  # no graph is built per step
        if spec.get("checks") and not replayed:  # once per library: memory, freeing
            result["memory"] = scalar.memory(spec["lib"])
            result["freed"] = scalar.freed(spec["lib"])
        return result
    if job == "scaling":
        return scalar.scaling(spec["kind"], spec["n"], spec.get("repeats", 1))
    raise ValueError(f"unknown benchmark job {job!r}")


def mlp_job(spec: dict[str, Any]) -> dict[str, Any]:
    """Time one library's training step on every (model, dtype) asked for."""
    from .mlp import MODELS, STEPS, problem
    from .timing import median, time_steps

    lib = spec["lib"]
    info = limit_threads(spec["threads"], lib)
    results = {}
    for name in spec["models"]:
        sizes, batch = MODELS[name]
        batch = spec.get("batch") or batch
        for dtype in spec["dtypes"]:
            X, y, params = problem(sizes, batch, dtype)
            step = STEPS[lib](X, y, params)
            loss0 = step()  # the first loss: the same in every library
            times = time_steps(step, spec["warmup"], spec["min_steps"], spec["seconds"])
            results[f"{name}/{dtype}"] = {
                "median": median(times),
                "steps": len(times),
                "loss0": loss0,
                "batch": batch,
            }
    return {"lib": lib, "info": info, "results": results}


def main() -> None:
    spec = json.loads(sys.argv[1])
    print(json.dumps(run(spec)))


if __name__ == "__main__":
    main()
