"""The tour of deltagrad: the chain rule on one neuron, then micrograd's moons on both engines.

1. A small expression (one neuron and its squared loss), its graph with every gradient as
   SVG, and the same chain rule worked out by hand next to the engine's numbers.
2. micrograd's moons classifier, MLP(2, [16, 16, 1]) with hinge loss, weight decay and SGD,
   trained on the value engine to 100% training accuracy.
3. The same network, from the same weights, on the tensor engine: the same numbers, faster.
4. Pictures: the decision boundary and the loss curve, the network's architecture.

Everything goes into one folder (``--out``, default ``demo-output``); nothing is downloaded.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from . import DEMOS, chain_rule, moons
from ._common import Result, out_dir, parser, section, title


def main(argv: Sequence[str] | None = None) -> Result:
    """Run the tour; returns the chain-rule and moons results and every file written."""
    args = parser("tour", __doc__, prog="python -m demos").parse_args(argv)
    out = out_dir(args.out)
    start = time.perf_counter()
    title("deltagrad: a tour of backpropagation")
    print(f"  pictures and pages go to {out.resolve()}")

    common = ["--out", str(out), "--seed", str(args.seed)] + (["--fast"] if args.fast else [])
    chain = chain_rule.main(common)

    title("micrograd's moons, on both engines")
    trained = moons.run(out, args.fast, args.seed)

    files = [*chain["files"], *trained["files"]]
    seconds = time.perf_counter() - start
    section(f"Done in {seconds:.0f} s. Everything is in {out.resolve()}:")
    for path in files:
        print(f"  {path.name:<16} {path.stat().st_size:>9,} bytes")
    section("One idea per demo: python -m demos.<name>")
    for name, what in DEMOS.items():
        print(f"  {name:<17} {what}")
    return {"chain_rule": chain, "moons": trained, "files": files, "seconds": seconds}


if __name__ == "__main__":
    main()
