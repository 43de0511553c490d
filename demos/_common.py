"""What every demo shares: command line, output folder, printing equations next to numbers,
progress bars and figures.

Each demo is ``python -m demos.<name> [--out DIR] [--fast] [--seed N]`` and has a
``main(argv) -> dict`` that returns the numbers it claims (accuracy, largest difference,
files written), so that tests check the claims rather than the printed text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: Where demos write when ``--out`` is not given (relative to the current folder).
DEFAULT_OUT = Path("demo-output")

Result = dict[str, Any]


# The command line. -----------------------------------------------------------------------


def parser(name: str, doc: str | None, prog: str | None = None) -> argparse.ArgumentParser:
    """The options every demo takes: ``--out``, ``--fast`` and ``--seed``.

    Args:
        name: the demo's name; its files go to ``demo-output/<name>`` by default.
        doc: the demo module's docstring; its first line becomes the description.
        prog: the command shown in ``--help`` (``python -m demos.<name>`` by default).
    """
    first = (doc or name).strip().splitlines()[0]
    out = DEFAULT_OUT / name if prog is None else DEFAULT_OUT
    p = argparse.ArgumentParser(prog=prog or f"python -m demos.{name}", description=first)
    p.add_argument(
        "--out", type=Path, default=out, help=f"folder for the pictures (default: {out})"
    )
    p.add_argument(
        "--fast", action="store_true", help="a smaller run that finishes in a few seconds"
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    return p


def parse_args(name: str, doc: str | None, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse a demo's options (``argv=None`` reads ``sys.argv``)."""
    return parser(name, doc).parse_args(argv)


def out_dir(path: str | Path) -> Path:
    """Create the output folder (and its parents) if needed, and return it."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ValueError(f"--out {path} is a file; give a folder for the demo's pictures")
    path.mkdir(parents=True, exist_ok=True)
    return path


# Printing: the notes' equations next to the numbers. --------------------------------------


def title(text: str) -> None:
    """A demo's title."""
    print(f"\n{text}\n{'=' * len(text)}")


def section(text: str) -> None:
    """A step inside a demo."""
    print(f"\n{text}\n{'-' * len(text)}")


def fmt(x: Any, precision: int = 4) -> str:
    """A number or a small array on one line, rounded for reading."""
    arr = np.asarray(x, dtype=float) + 0.0  # + 0.0 prints -0.0 as 0.0
    if arr.ndim == 0:
        return f"{float(arr):.{precision}g}"
    return np.array2string(
        arr, precision=precision, suppress_small=True, max_line_width=10_000, threshold=40
    ).replace("\n", "")


def equation(formula: str, value: Any = None, width: int = 44) -> None:
    """Print an equation of the notes and, to its right, its value here."""
    if value is None:
        print(f"  {formula}")
    else:
        print(f"  {formula:<{width}} = {value if isinstance(value, str) else fmt(value)}")


def max_diff(a: Any, b: Any) -> float:
    """The largest |a − b| over all entries (shapes must agree)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare shapes {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def compare(formula: str, by_hand: Any, engine_name: str, engine: Any) -> float:
    """Print a quantity computed by hand next to the engine's, with their largest difference.

    Returns:
        max |by_hand − engine|.
    """
    d = max_diff(by_hand, engine)
    arr = np.asarray(by_hand)
    if arr.ndim <= 1 and arr.size <= 8:
        width = max(len(formula), len(engine_name)) + 2
        print(f"  {formula:<{width}} by hand: {fmt(by_hand)}")
        print(f"  {engine_name:<{width}} engine:  {fmt(engine)}   max |diff| = {d:.1e}")
    else:  # a matrix: its shape and the difference, not a wall of numbers
        shape = "×".join(map(str, arr.shape))
        print(f"  {formula} ({shape}) by hand vs {engine_name}:   max |diff| = {d:.1e}")
    return d


def wrote(path: Path, files: list[Path] | None = None) -> Path:
    """Say that a file was written (and remember it in ``files``)."""
    print(f"  wrote {path}")
    if files is not None:
        files.append(path)
    return path


# Progress bars and figures. ---------------------------------------------------------------


def progress(iterable: Iterable[Any], total: int | None = None, desc: str = "") -> Iterator[Any]:
    """``iterable`` with a tqdm progress bar when stderr is a terminal, as is otherwise."""
    if sys.stderr.isatty():
        try:
            from tqdm import tqdm
        except ImportError:  # the bar is a comfort, not a requirement
            pass
        else:
            return iter(tqdm(iterable, total=total, desc=desc, leave=False))
    return iter(iterable)


def pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend (files only: no window, no display needed)."""
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            'the demos draw with matplotlib: pip install -e ".[demos]" (or pip install matplotlib)'
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, path: Path, files: list[Path] | None = None) -> Path:
    """Save a matplotlib figure, close it, and say where it went."""
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")  # nothing clipped at the edges
    pyplot().close(fig)
    return wrote(path, files)
