"""`explain`: the forward Wengert list and every backward step, in words and numbers.

Read a transcript next to the notes' chain rule (notes 003, eq. 3.3): for each op
``c = f(a, b)`` the engine sends ``∂J/∂a = ∂J/∂c · ∂c/∂a`` to its input ``a``, and a node
used several times adds up what it receives. The numbers are the engine's own (recorded
through its ``on_step`` hook), in the order the engine ran the rules.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..node import Node
from .graph import (
    INPUT,
    PARAM,
    constant_inputs,
    is_data_slot,
    named_params,
    op_options,
    roles,
    walk,
)
from .steps import Record, Step, record_backward

_INFIX = {"add", "sub", "mul", "div", "pow", "matmul"}


def fmt(x: Any, digits: int = 6) -> str:
    """A number as a transcript writes it (``2.0``, ``0.00986604``); an array by its norm."""
    if isinstance(x, Node):
        x = x.data
    if isinstance(x, np.ndarray) and x.ndim:
        return f"‹{tuple(x.shape)}, ‖·‖ = {fmt(float(np.linalg.norm(x)), digits)}›"
    x = float(x)
    text = f"{x:.{digits}g}"
    return text + ".0" if text.lstrip("-").isdigit() else text


def names_of(nodes: list[Node], params: dict[int, str] | None = None) -> list[str]:
    """A node's name: its label (or parameter name) when no other node has it, else ``v<k>``."""
    params = params or {}
    given = [n.label or params.get(id(n), "") for n in nodes]
    count: dict[str, int] = {}
    for g in given:
        if g:
            count[g] = count.get(g, 0) + 1
    return [g if g and count[g] == 1 else f"v{k}" for k, g in enumerate(given)]


def definition(k: int, nodes: list[Node], name: list[str], index: dict, digits: int) -> str:
    """The right-hand side of node k's Wengert line: ``a * b``, ``tanh(v4)``, ``input``."""
    node = nodes[k]
    op = node.grad_fn
    if op is None:
        return ""
    consts = dict(constant_inputs(node))
    args = []
    for i, x in enumerate(node._inputs):
        if isinstance(x, Node):
            args.append(name[index[id(x)]])
        elif i in consts:
            args.append(fmt(x, digits) if np.ndim(x) == 0 else f"const{tuple(np.shape(x))}")
    if op.name in _INFIX and len(args) == 2:
        return f"{args[0]} {op.symbol} {args[1]}"
    if op.name == "neg" and len(args) == 1:
        return f"-{args[0]}"
    options = op_options(node)
    return f"{op.name}({', '.join(args + ([options] if options else []))})"


def value_text(x: Any, digits: int) -> str:
    if isinstance(x, float):
        return fmt(x, digits)
    arr = np.asarray(x)
    if arr.ndim == 0:
        return fmt(arr.item(), digits)
    return f"shape {tuple(arr.shape)}, ‖·‖ = {fmt(float(np.linalg.norm(arr)), digits)}"


# ASCII look-arounds: "Aᵀ" and "out²" must still match (ᵀ and ² count as \w in Python).
_FORMAL = re.compile(r"(?<![A-Za-z0-9_])(a|b|x|A|B|out)(?![A-Za-z0-9_])")


def local_words(node: Node, i: int, name: list[str], index: dict, digits: int) -> str:
    """The op's ∂out/∂input_i in words, with the formal a, b, x, out replaced by names."""
    op = node.grad_fn
    text = op.local[i] if i < len(op.local) else ""
    operands = []
    for m, x in enumerate(node._inputs):
        if isinstance(x, Node):
            operands.append(name[index[id(x)]])
        elif is_data_slot(op, m):
            operands.append(fmt(x, digits) if np.ndim(x) == 0 else f"const{tuple(np.shape(x))}")
    formal = {"out": name[index[id(node)]]}
    if len(operands) == 1:
        formal["x"] = operands[0]
    elif len(operands) == 2:
        formal.update(a=operands[0], b=operands[1], A=operands[0], B=operands[1])
    return _FORMAL.sub(lambda m: formal.get(m.group(1), m.group(1)), text)


def step_equations(
    rec: Record, step: Step, name: list[str], index: dict, digits: int = 6
) -> list[str]:
    """The chain rule of one step, one equation per input the rule sends to."""
    node = rec.nodes[step.k]
    scalar = isinstance(node.data, float)
    # A node named J (the output's own symbol) would read ∂J/∂a = ∂J/∂J · ∂J/∂a, as if
    # circular: its local derivative is written on its definition, ∂(e + f)/∂a.
    of = name[step.k]
    if of == "J":
        of = f"({definition(step.k, rec.nodes, name, index, digits)})"
    out = []
    for part in step.parts:
        a, c = name[part.j], name[step.k]
        local_text = local_words(node, part.i, name, index, digits)
        sign = "=" if part.nth == 1 else "+="
        head = f"∂J/∂{a} {sign} ∂J/∂{c} · ∂{of}/∂{a}"
        if scalar:
            local = _local(node, part.i)
            eq = f"{head} = {fmt(step.g, digits)} · {fmt(local, digits)} = {fmt(part.sent, digits)}"
        else:
            eq = f"{head} = {fmt(part.sent, digits)}"
            if np.shape(part.sent) != np.shape(part.total):
                eq += f", summed over broadcast axes to shape {np.shape(part.total)}"
        if local_text:
            eq += f"   [∂{of}/∂{a} = {local_text}]"
        if part.nth > 1:
            eq += f"; now ∂J/∂{a} = {fmt(part.total, digits)} ({part.nth} contributions)"
        out.append(eq)
    return out


def _local(node: Node, i: int) -> float:
    """∂node/∂input_i as a number: the engine's own rule run with upstream gradient 1."""
    inputs = tuple(x.data if isinstance(x, Node) else x for x in node._inputs)
    return float(node._vjp(i, 1.0, node.data, inputs))


class Explanation(str):
    """A transcript: a `str` (printed, saved, compared as text) that Jupyter shows as Markdown.

    ``.text`` and ``.markdown`` are both forms; the string itself is the one asked for.
    """

    text: str
    markdown: str

    def __new__(cls, value: str, text: str, markdown: str) -> Explanation:
        out = super().__new__(cls, value)
        out.text, out.markdown = text, markdown
        return out

    def _repr_markdown_(self) -> str:
        return self.markdown

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython's text: as print shows it
        p.text(str.__str__(self))

    def __repr__(self) -> str:  # at a prompt, the lines themselves, not an escaped string
        return str.__str__(self)


def explain(
    root: Node,
    markdown: bool = False,
    digits: int = 6,
    gradient: Any = None,
    *,
    model: Any = None,
    params: Any = None,
) -> Explanation:
    """The chain rule at work on ``root``'s graph: forward list, backward steps, gradients.

    Runs one real backward pass (through the engine's ``on_step`` hook): afterwards every
    ``.grad`` is what ``root.backward()`` leaves (leaves accumulate: zero them first).
    `Value` numbers are printed; for a `Tensor`, shapes and norms ‖·‖.

    Args:
        root: the output J.
        markdown: Markdown (tables and a numbered list) instead of plain text.
        digits: significant digits of every number (17 reproduces floats exactly).
        gradient: ∂J/∂root, for a non-scalar `Tensor` root.
        model, params: which leaves are parameters, as for `draw_dot` (an unlabelled
            parameter is named by its name there).

    Returns:
        An `Explanation`: the text (a `str`, as ``print`` shows it), displayed as Markdown
        in Jupyter.
    """
    if model is not None and params is not None:
        raise TypeError("explain takes model= or params=, not both")
    nodes = walk(root)
    given = named_params(model, params)
    name = names_of(nodes, given)
    role = roles(nodes, given)
    rec = record_backward(root, nodes, gradient)
    index = {id(n): k for k, n in enumerate(nodes)}
    fwd = []
    for k, node in enumerate(nodes):
        rhs = definition(k, nodes, name, index, digits)
        kind = {INPUT: "input", PARAM: "parameter"}.get(role[k], "")
        fwd.append((name[k], rhs, value_text(node.data, digits), kind))
    steps = [
        (
            f"{name[s.k]} = {definition(s.k, nodes, name, index, digits)}",
            step_equations(rec, s, name, index, digits),
        )
        for s in rec.steps
    ]
    leaves = [
        (name[k], value_text(n.grad, digits) if n.grad is not None else "none")
        for k, n in enumerate(nodes)
        if n.grad_fn is None
    ]
    seed = f"∂J/∂{name[-1]} = {value_text(rec.seed, digits)}"
    note = ""
    if rec.prior:
        held = ", ".join(name[k] for k in rec.prior)
        note = (
            f"Note: {held} held gradients from earlier passes, and leaves accumulate: "
            "zero the grads first for a transcript of one pass."
        )
    text = _text(fwd, steps, leaves, name[-1], seed, note)
    md = _markdown(fwd, steps, leaves, name[-1], seed, note)
    return Explanation(md if markdown else text, text, md)


def _text(fwd: list, steps: list, leaves: list, root: str, seed: str, note: str) -> str:
    lines = ["Forward pass (Wengert list, inputs first):"]
    width = max(len(n) for n, *_ in fwd)
    for n, rhs, value, kind in fwd:
        eq = f"{n:<{width}} = {rhs} = {value}" if rhs else f"{n:<{width}} = {value}"
        lines.append(f"  {eq}" + (f"   ({kind})" if kind else ""))
    lines += ["", f"Backward pass (chain rule, in the engine's order), J = {root}:", f"  {seed}"]
    for i, (title, eqs) in enumerate(steps, 1):
        lines.append(f"  step {i}: {title}")
        lines += [f"    {eq}" for eq in eqs]
    lines += ["", "Gradients of the leaves (.grad):"]
    lines += [f"  ∂J/∂{n} = {g}" for n, g in leaves]
    lines += [note] if note else []
    return "\n".join(lines) + "\n"


def _markdown(fwd: list, steps: list, leaves: list, root: str, seed: str, note: str) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|")

    lines = [
        "### Forward pass (Wengert list)",
        "",
        "| node | definition | value |",
        "|---|---|---|",
    ]
    for n, rhs, value, kind in fwd:
        lines.append(f"| `{n}` | {cell(rhs) or kind} | {cell(value)} |")
    lines += ["", f"### Backward pass (engine order), J = `{root}`", "", f"Seed: `{seed}`", ""]
    for i, (title, eqs) in enumerate(steps, 1):
        lines.append(f"{i}. **{title}**: " + "; ".join(f"`{eq}`" for eq in eqs))
    lines += ["", "### Gradients of the leaves", "", "| leaf | ∂J/∂leaf |", "|---|---|"]
    lines += [f"| `{n}` | {cell(g)} |" for n, g in leaves]
    lines += ["", note] if note else []
    return "\n".join(lines) + "\n"
