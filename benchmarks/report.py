"""The results as Markdown tables: medians, [min–max] over rounds, ratios, targets."""

from __future__ import annotations

import statistics
from typing import Any

from .runner import summary

TARGETS = {
    "speedup": 20.0,
    "speedup_fused": 60.0,
    "speedup_replay": 100.0,
    "speedup_fused_replay": 150.0,
    "trace_over_steps": 3.0,
    "mlp_replay": {"2-16-16-1": 0.35},  # of PyTorch; elsewhere: never slower than dynamic
    "forward_nodes_per_s": 4e6,
    "backward_nodes_per_s": 3e6,
    "bytes_per_node": 120.0,
    "mlp": {"2-16-16-1": 1.0, "784-256-128-10": 1.2, "784-1024-1024-10": 1.05},
    "backward_over_forward": 2.0,
    "growth": 2.0,
}
NAMES = {
    "micrograd": "micrograd 0.1.0",
    "value": "Value",
    "value-fused": "Value, fused neuron",
    "value-replay": "Value, replayed",
    "value-fused-replay": "Value, fused, replayed",
    "tensor": "Tensor",
    "tensor-replay": "Tensor, replayed",
    "torch": "PyTorch",
    "numpy": "numpy by hand",
}


def fmt(x: float) -> str:
    """Three significant digits, no exponent for everyday sizes."""
    if x == 0 or 1e-3 <= abs(x) < 1e6:
        return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"
    return f"{x:.3g}"


def spread(xs: list[float], scale: float = 1.0, unit: str = "") -> str:
    """``median [min–max]`` of ``xs`` times ``scale``."""
    s = summary([x * scale for x in xs])
    if s["n"] == 1:
        return f"{fmt(s['median'])}{unit}"
    return f"{fmt(s['median'])}{unit} [{fmt(s['min'])}–{fmt(s['max'])}]"


def at_least(value: float, target: float, unit: str = "") -> str:
    if value >= target:
        return f"met (≥ {fmt(target)}{unit})"
    return f"**missed**: {fmt(value)}{unit} < {fmt(target)}{unit} ({fmt(target / value)}× short)"


def at_most(value: float, target: float, unit: str = "") -> str:
    if value <= target:
        return f"met (≤ {fmt(target)}{unit})"
    over = 100 * (value / target - 1)
    return f"**missed**: {fmt(value)}{unit} > {fmt(target)}{unit} ({over:.0f}% over)"


def table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def med(xs: list[float]) -> float:
    return statistics.median(xs)


# --- the demo step ------------------------------------------------------------------------


def demo_section(res: dict[str, Any], summary: list[list[str]]) -> str:
    libs, rounds = res["libs"], res["rounds"]

    def per_round(lib: str, phase: str) -> list[float]:
        return [med(r[lib]["times"][phase]) for r in rounds]

    def cell(lib: str, phase: str) -> str:
        if phase in rounds[0][lib]["times"]:
            return spread(per_round(lib, phase), 1e3)
        return "in forward" if phase == "backward" else "none"  # a replay: one call

    head = ["per step (ms)", *(NAMES[lib] for lib in libs)]
    rows = [
        [phase, *(cell(lib, phase) for lib in libs)]
        for phase in ("step", "forward", "backward", "update", "free")
    ]
    replays = [lib for lib in libs if lib.endswith("-replay")]
    if replays:
        trace_row = ["trace, once (ms)"]
        for lib in libs:
            if lib not in replays:
                trace_row.append("")
                continue
            traced = [r[lib]["trace"] for r in rounds]
            base = lib.removesuffix("-replay")
            steps = [t / s for t, s in zip(traced, per_round(base, "step"), strict=True)]
            status = at_most(med(steps), TARGETS["trace_over_steps"], " steps")
            trace_row.append(f"{spread(traced, 1e3)} = {spread(steps)} dynamic steps: {status}")
            summary.append([f"tracing, {NAMES[lib]}, in dynamic steps", status])
        rows.append(trace_row)
    rows.append(["nodes in the graph", *(str(rounds[0][lib]["nodes"]) for lib in libs)])
    rows.append(["first loss", *(f"{rounds[0][lib]['first_loss']:.6f}" for lib in libs)])
    out = [table(head, rows)]
    checks = []
    if "micrograd" in libs:
        base = per_round("micrograd", "step")
        speed = ["speed-up over micrograd (ratio per round)", "1"]
        for lib in libs[1:]:
            ratios = [b / t for b, t in zip(base, per_round(lib, "step"), strict=True)]
            kind = "speedup" + ("_fused" if "fused" in lib else "")
            target = TARGETS[kind + ("_replay" if lib.endswith("-replay") else "")]
            status = at_least(med(ratios), target, "×")
            speed.append(f"{spread(ratios, unit='×')}: {status}")
            summary.append([f"demo step, {NAMES[lib]}: speed-up over micrograd", status])
        out[0] += "\n| " + " | ".join(speed) + " |"
    fwd_target = TARGETS["forward_nodes_per_s"] / 1e6
    bwd_target = TARGETS["backward_nodes_per_s"] / 1e6
    for lib in (x for x in libs if x != "micrograd" and not x.endswith("-replay")):
        nodes = rounds[0][lib]["nodes"]
        fwd = [nodes / t for t in per_round(lib, "forward")]
        bwd = [nodes / t for t in per_round(lib, "backward")]
        mem = res["memory"][lib]
        # The node targets are about the engine's own nodes; a fused neuron is a bigger node.
        targeted = lib == "value"
        if targeted:
            summary += [
                ["forward nodes/s", at_least(med(fwd) / 1e6, fwd_target, "M")],
                ["backward nodes/s", at_least(med(bwd) / 1e6, bwd_target, "M")],
                ["bytes per node", at_most(mem["forward"], TARGETS["bytes_per_node"])],
                [
                    "graph freed by reference counting",
                    "met" if res["freed"][lib]["freed"] else "**missed**",
                ],
            ]
        checks.append(
            [
                NAMES[lib],
                spread(fwd, 1e-6)
                + (f": {at_least(med(fwd) / 1e6, fwd_target, 'M')}" if targeted else ""),
                spread(bwd, 1e-6)
                + (f": {at_least(med(bwd) / 1e6, bwd_target, 'M')}" if targeted else ""),
                fmt(mem["forward"])
                + (f": {at_most(mem['forward'], TARGETS['bytes_per_node'])}" if targeted else ""),
                fmt(mem["backward"]),
                "yes" if res["freed"][lib]["freed"] else "**no**",
            ]
        )
    if "micrograd" in libs:
        mem = res["memory"]["micrograd"]
        freed = "yes" if res["freed"]["micrograd"]["freed"] else "no (needs the cycle collector)"
        checks.append(
            [NAMES["micrograd"], "", "", fmt(mem["forward"]), fmt(mem["backward"]), freed]
        )
    head = [
        "engine",
        "forward (M nodes/s)",
        "backward (M nodes/s)",
        "bytes/node (graph)",
        "bytes/node (with grads)",
        "freed by refcount alone",
    ]
    out.append(table(head, checks))
    return "\n\n".join(out)


# --- the MLP step ---------------------------------------------------------------------------


def mlp_section(res: dict[str, Any], summary: list[list[str]]) -> str:
    libs, rounds = res["libs"], res["rounds"]
    keys = list(rounds[0][libs[0]]["results"])

    def per_round(lib: str, key: str) -> list[float]:
        return [r[lib]["results"][key]["median"] for r in rounds]

    head = ["model", "batch", "dtype", *(f"{NAMES[lib]} (ms)" for lib in libs)]
    has_torch = "torch" in libs
    if has_torch:
        head += [f"{NAMES[lib]} / PyTorch" for lib in libs if lib != "torch"] + ["target"]
        if "tensor-replay" in libs:
            head.append("replayed: target")
    head.append("same first loss")
    rows = []
    for key in keys:
        model, dtype = key.split("/")
        batch = rounds[0][libs[0]]["results"][key].get("batch", "")
        row = [model, str(batch), dtype, *(spread(per_round(lib, key), 1e3) for lib in libs)]
        if has_torch:
            torch_t = per_round("torch", key)
            for lib in libs:
                if lib == "torch":
                    continue
                ratios = [a / b for a, b in zip(per_round(lib, key), torch_t, strict=True)]
                row.append(spread(ratios))
                if lib == "tensor":
                    target_status = at_most(med(ratios), TARGETS["mlp"][model])
                    summary.append([f"Tensor / PyTorch, {model} {dtype}", target_status])
            row.append(target_status if "tensor" in libs else "")
            if "tensor-replay" in libs:
                row.append(_replay_status(model, dtype, per_round, summary))
        losses = [rounds[0][lib]["results"][key]["loss0"] for lib in libs]
        same = max(losses) - min(losses) <= 1e-4 * max(1.0, abs(losses[0]))
        row.append(f"yes ({losses[0]:.4f})" if same else "**no**: " + ", ".join(map(fmt, losses)))
        rows.append(row)
    blas = "\n".join(
        f"- {NAMES[lib]} process: {rounds[0][lib]['info'].get('blas', '')}"
        + (f"; PyTorch BLAS {rounds[0][lib]['info']['torch_blas']}" if lib == "torch" else "")
        for lib in libs
    )
    return (
        table(head, rows)
        + "\n\nThread pools and BLAS kernels, as threadpoolctl reports them:\n\n"
        + blas
    )


def _replay_status(model: str, dtype: str, per_round: Any, summary: list[list[str]]) -> str:
    """The replayed step's target: a ratio to PyTorch (small model), else to the dynamic."""
    key = f"{model}/{dtype}"
    replayed = per_round("tensor-replay", key)
    if model in TARGETS["mlp_replay"]:
        ratios = [a / b for a, b in zip(replayed, per_round("torch", key), strict=True)]
        status = "/ PyTorch " + at_most(med(ratios), TARGETS["mlp_replay"][model])
    else:
        ratios = [a / b for a, b in zip(replayed, per_round("tensor", key), strict=True)]
        status = f"/ Tensor {spread(ratios)}: " + at_most(med(ratios), 1.0)
    summary.append([f"Tensor replayed, {model} {dtype}", status])
    return status


# --- Theorem 3.1 ------------------------------------------------------------------------------


def scaling_section(res: dict[str, Any], summary: list[list[str]]) -> str:
    runs, sizes = res["runs"], res["sizes"]
    rows, statuses = [], []
    for kind in ("chain", "wide"):
        base: dict[str, float] = {}
        growth: dict[str, float] = {}
        worst_ratio = 0.0
        for n in sizes:
            mine = [r for r in runs if r["kind"] == kind and _size_of(r, sizes) == n]
            nodes = mine[0]["nodes"]
            per = {
                p: [r[p] / r["nodes"] * 1e9 for r in mine] for p in ("forward", "backward", "free")
            }
            ratios = [r["backward"] / r["forward"] for r in mine]
            worst_ratio = max(worst_ratio, med(ratios))
            for p in ("forward", "backward"):
                base.setdefault(p, med(per[p]))
                growth[p] = med(per[p]) / base[p]
            rows.append(
                [
                    kind,
                    str(nodes),
                    spread(per["forward"]),
                    spread(per["backward"]),
                    spread(ratios),
                    f"{fmt(growth['forward'])}, {fmt(growth['backward'])}",
                    spread(per["free"]),
                ]
            )
        ratio_status = at_most(worst_ratio, TARGETS["backward_over_forward"])
        growth_status = [
            at_most(growth[p], TARGETS["growth"], "×") for p in ("forward", "backward")
        ]
        statuses.append(
            f"- {kind}: backward/forward (worst size) {ratio_status}; time per node at "
            f"{sizes[-1]} over {sizes[0]}: forward {growth_status[0]}, backward {growth_status[1]}"
        )
        summary += [
            [f"Theorem 3.1, {kind}: backward / forward at every size", ratio_status],
            [
                f"Theorem 3.1, {kind}: forward per node, {sizes[-1]} over {sizes[0]}",
                growth_status[0],
            ],
            [
                f"Theorem 3.1, {kind}: backward per node, {sizes[-1]} over {sizes[0]}",
                growth_status[1],
            ],
        ]
    head = [
        "graph",
        "nodes",
        "forward (ns/node)",
        "backward (ns/node)",
        "backward / forward",
        f"per node vs {sizes[0]} nodes (fwd, bwd)",
        "freeing (ns/node)",
    ]
    return table(head, rows) + "\n\n" + "\n".join(statuses)


def _size_of(run: dict[str, Any], sizes: list[int]) -> int:
    """The requested size a run was made for (graphs have a few nodes more or less)."""
    return min(sizes, key=lambda n: abs(n - run["nodes"]))


# --- the page ---------------------------------------------------------------------------------


def markdown(machine: dict[str, str], results: dict[str, Any], command: str) -> str:
    parts = [
        "# Benchmark results",
        f"Made by `{command}`. Medians over rounds, [min–max] in brackets; ratios are "
        "taken within each round (the libraries alternate, each in its own process).",
        "## Machine",
        table(["", ""], [[k, v] for k, v in machine.items()]),
    ]
    summary: list[list[str]] = []
    sections: list[str] = []
    if "demo" in results:
        sections += [
            "## Value engine vs micrograd: micrograd's demo step",
            "MLP(2, [16, 16, 1]) on 100 moons points, hinge loss + 1e-4·Σp², backward, SGD "
            "update, graph dropped; the same code and initial weights on both engines, the "
            "cycle collector on (as a user has it).",
            demo_section(results["demo"], summary),
        ]
    if "mlp" in results:
        sections += [
            "## Tensor engine vs PyTorch (CPU) vs numpy by hand: one training step",
            "Forward, loss (hinge + L2 for one output, softmax cross-entropy for ten), "
            "backward and an SGD update, from the same weights and data.",
            mlp_section(results["mlp"], summary),
        ]
    if "scaling" in results:
        sections += [
            "## Theorem 3.1: time per node as the graph grows (Value engine)",
            "`chain`: x ← x·a + b repeated; `wide`: n/2 products of one leaf summed by a "
            "balanced tree. Each size in a fresh process, cycle collector on.",
            scaling_section(results["scaling"], summary),
        ]
    parts += ["## Targets", table(["target", "result (median)"], summary), *sections]
    return "\n\n".join(parts) + "\n"
