"""The machine a benchmark ran on: CPU, cores, versions, load."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
import time


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(dist: str) -> str:
    """A package's installed version, read without importing it."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def describe(threads: int) -> dict[str, str]:
    """What the results table says about the machine and the software."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "CPU": cpu_model(),
        "cores": str(os.cpu_count()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "numpy": version("numpy"),
        "torch": version("torch"),
        "micrograd": version("micrograd"),
        "threads (BLAS and PyTorch)": str(threads),
        "load average at start (1, 5, 15 min)": load(),
    }
