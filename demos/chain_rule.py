"""One neuron, its graph with every gradient, and the same chain rule worked out by hand.

The expression is the notes' single neuron with a squared loss (CS229 notes 003, eq. 2.2
and 1.1, with a sigmoid as in notes 000) and UFLDL's weight decay on its two weights:

    z = w1·x1 + w2·x2 + b,   a = σ(z),   e = a − y,   J = ½e² + (λ/2)(w1² + w2²)

Each weight is used twice, by z and by the decay, so its gradient is the sum of the chain
rule (3.3) over both: ∂J/∂w1 = ∂J/∂z · ∂z/∂w1 + ∂J/∂R · ∂R/∂w1 = δ·x1 + λ·w1.

The engine records it as a graph of ``Value`` nodes; ``J.backward()`` fills every node's
``grad`` with ∂J/∂node. The demo prints the chain rule step by step by hand next to the
engine's numbers, and writes the graph with data and gradients, w1, w2 and b drawn as
parameters (``graph.svg``), the engine's own transcript of the backward pass, where each
weight's two contributions show (``chain_rule.md``), and a page that plays the backward
pass one step at a time (``backward.html``). ``--graph-only`` draws the neuron without the
decay, the README's example (``docs/graph.svg``).
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value, draw_dot, explain, save_backward_html

from ._common import Result, equation, fmt, out_dir, parser, section, title, wrote

#: The neuron's inputs, weights, bias and target.
START = {"x1": 2.0, "x2": -1.0, "w1": 0.5, "w2": 1.0, "b": 0.1, "y": 1.0}

#: The weight decay λ of the demo's expression (large, so that its share of ∂J/∂w shows).
LAMBDA = 0.1


def neuron(lam: float = 0.0) -> tuple[dict[str, Value], Value]:
    """The expression, every node labelled: (named nodes, J).

    With ``lam`` > 0, J = ½e² + (λ/2)(w1² + w2²): each weight feeds two nodes.
    """
    v = {k: Value(START[k], label=k) for k in ("x1", "w1", "x2", "w2", "b")}
    p1 = v["w1"] * v["x1"]
    p1.label = "w1x1"
    p2 = v["w2"] * v["x2"]
    p2.label = "w2x2"
    s = p1 + p2
    s.label = "wᵀx"
    z = s + v["b"]
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    e = a - START["y"]
    e.label = "e"
    e2 = e**2
    e2.label = "e²"
    J = 0.5 * e2
    if lam:
        data = J
        data.label = "½e²"
        sq1, sq2 = v["w1"] ** 2, v["w2"] ** 2
        sq1.label, sq2.label = "w1²", "w2²"
        squares = sq1 + sq2
        squares.label = "S"  # S = w1² + w2²
        R = (lam / 2) * squares
        R.label = "R"
        J = data + R
        v.update(R=R)
    J.label = "J"
    v.update(z=z, a=a, e=e, J=J)
    return v, J


def _line(formula: str, by_hand: float, node: Value) -> float:
    """One step of the chain rule: the formula, its value by hand, the engine's grad."""
    d = abs(by_hand - node.grad)
    print(f"  {formula:<38} = {fmt(by_hand):>9}    {node.label}.grad = {fmt(node.grad):>9}")
    return d


def by_hand(v: dict[str, Value], lam: float = LAMBDA) -> float:
    """The chain rule from J back to the leaves, in floats; returns the largest difference."""
    x1, x2, w1, w2, y = (START[k] for k in ("x1", "x2", "w1", "w2", "y"))
    a = v["a"].data
    dJ_da = a - y  # J = ½(a − y)² + R
    dJ_dz = dJ_da * a * (1.0 - a)  # σ′(z) = a(1 − a): δ of the notes
    worst = max(
        _line("∂J/∂a = a − y", dJ_da, v["a"]),
        _line("∂J/∂z = ∂J/∂a · a(1 − a)   (= δ)", dJ_dz, v["z"]),
        _line("∂J/∂w1 = δ·x1 + λ·w1   (two paths)", dJ_dz * x1 + lam * w1, v["w1"]),
        _line("∂J/∂w2 = δ·x2 + λ·w2   (two paths)", dJ_dz * x2 + lam * w2, v["w2"]),
        _line("∂J/∂b = δ · 1   (no decay on b)", dJ_dz, v["b"]),
        _line("∂J/∂x1 = δ · w1", dJ_dz * w1, v["x1"]),
        _line("∂J/∂x2 = δ · w2", dJ_dz * w2, v["x2"]),
    )
    return worst


def graph_svg(path: str) -> None:
    """Draw the neuron without decay, after backward, to ``path`` (docs/graph.svg)."""
    _, J = neuron()
    J.backward()
    draw_dot(J).save(path)


def main(argv: Sequence[str] | None = None) -> Result:
    """Print the chain rule next to the engine; write graph.svg, chain_rule.md, backward.html."""
    cli = parser("chain_rule", __doc__)
    cli.add_argument(
        "--graph-only", action="store_true", help="write graph.svg only (docs/graph.svg)"
    )
    args = cli.parse_args(argv)
    out = out_dir(args.out)
    files: list = []
    if args.graph_only:
        graph_svg(str(out / "graph.svg"))
        return {"max_diff": 0.0, "files": [wrote(out / "graph.svg", files)]}

    title("The chain rule on one neuron")
    v, J = neuron(LAMBDA)
    section("Forward: the engine records every operation")
    equation("z = w1·x1 + w2·x2 + b", v["z"].data)
    equation("a = σ(z) = 1 / (1 + e^−z)", v["a"].data)
    equation(f"R = (λ/2) S,  S = w1² + w2²,  λ = {LAMBDA:g}  (UFLDL)", v["R"].data)
    equation(f"J = ½(a − y)² + R,  y = {START['y']:g}", J.data)

    section("Backward: J.backward(), then each step of the chain rule by hand")
    print("  w1 feeds z (through w1·x1) and R (through w1²): by the chain rule (3.3),")
    print("  ∂J/∂w1 = Σⱼ ∂J/∂gⱼ · ∂gⱼ/∂w1 = ∂J/∂z · x1 + ∂J/∂R · λw1 = δ·x1 + λ·w1.")
    J.backward()
    worst = by_hand(v)
    print(f"\n  largest difference, by hand against the engine: {worst:.1e}")

    # w1, w2 and b drawn as parameters (green), x1 and x2 as inputs (blue).
    params = {k: v[k] for k in ("w1", "w2", "b")}
    draw_dot(J, params=params).save(str(out / "graph.svg"))
    wrote(out / "graph.svg", files)
    print("  colours: inputs blue, parameters (w1, w2, b) green, the loss J amber")

    # explain and save_backward_html run a backward pass of their own, and leaves add up
    # gradients across passes: each gets a fresh copy of the expression.
    section("The engine's own account of the same pass (autograd.explain)")
    transcript = explain(neuron(LAMBDA)[1])
    print(transcript)
    md = explain(neuron(LAMBDA)[1], markdown=True)
    (out / "chain_rule.md").write_text(md, encoding="utf-8")
    wrote(out / "chain_rule.md", files)
    save_backward_html(neuron(LAMBDA)[1], str(out / "backward.html"))
    wrote(out / "backward.html", files)
    print("  open backward.html in a browser to step through the backward pass")
    return {
        "max_diff": worst,
        "J": J.data,
        "grads": {k: v[k].grad for k in ("w1", "w2", "b", "x1", "x2")},
        "transcript": transcript,
        "files": files,
    }


if __name__ == "__main__":
    main()
