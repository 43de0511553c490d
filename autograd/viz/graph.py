"""The graph as pictures and transcripts see it: nodes in order, roles, module groups.

Every node a root depends on is listed once, inputs before outputs, in a deterministic
order (depth-first, inputs taken left to right), so that node ``k`` of a picture is the
same node every time the same expression is built. Unlike the engine's
`~autograd.engine.topological_order`, the walk also keeps inputs that need no gradient
(data tensors), because a picture shows them.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from .. import engine
from ..node import Node
from ..op import Op
from ..rules import UNARY
from ..tensor import Tensor

#: Ops that count as a module's activation a = g(z) (the elementwise functions, softmax).
ACTIVATIONS = frozenset([*UNARY, "softmax"])
#: Ops that only rearrange their input: a view of a parameter still belongs to its module.
VIEWS = frozenset(["transpose", "reshape", "getitem", "broadcast_to", "concatenate"])

# Roles, each drawn in its own colour.
INPUT, PARAM, OUTPUT, INNER = "input", "param", "output", "inner"


def walk(root: Node) -> list[Node]:
    """All nodes `root` depends on (itself included), inputs before outputs.

    Iterative, so a chain of a million nodes needs no recursion.
    """
    if not isinstance(root, Node):
        raise TypeError(
            f"root must be a Value or a Tensor (a node of the graph), got {type(root).__name__}"
        )
    return engine.walk(root, everything=True)


def named_params(model: Any = None, params: Any = None) -> dict[int, str]:
    """``id(parameter) -> dotted name`` from a model or a params argument.

    ``model`` is anything with ``named_parameters()`` (or just ``parameters()``);
    ``params`` is a mapping name -> node, or an iterable of nodes (then unnamed: they get
    the parameter colour but no module group).
    """
    out: dict[int, str] = {}
    if model is not None:
        if hasattr(model, "named_parameters"):
            params = dict(model.named_parameters())
        elif hasattr(model, "parameters"):
            params = list(model.parameters())
        else:
            raise TypeError(
                "model must have named_parameters() or parameters() (an nn module), got "
                f"{type(model).__name__}; or pass params= (a dict name -> node)"
            )
    if params is None:
        return out
    items: Iterable[tuple[str, Any]]
    if isinstance(params, Mapping):
        items = params.items()
    elif isinstance(params, Iterable):
        items = (("", p) for p in params)
    else:
        raise TypeError(f"params must be a dict name -> node or a list of nodes, got {params!r}")
    for name, p in items:
        if not isinstance(p, Node):
            raise TypeError(f"params: {name or 'an entry'} is {type(p).__name__}, not a node")
        out[id(p)] = str(name)
    return out


def roles(nodes: list[Node], names: dict[int, str]) -> list[str]:
    """The role of every node: input, param(eter), output (the root) or inner.

    A leaf is a parameter when it is among ``names``; without any names given, a leaf
    `Tensor` with ``requires_grad=True`` counts as a parameter.
    """
    out = []
    for node in nodes:
        if node.grad_fn is not None:
            out.append(INNER)
        elif id(node) in names or (not names and isinstance(node, Tensor) and node.requires_grad):
            out.append(PARAM)
        else:
            out.append(INPUT)
    if out:
        out[-1] = OUTPUT
    return out


def module_path(name: str) -> str:
    """The module of a parameter: ``"layers.0.neurons.3.w.2"`` -> ``"layers.0.neurons.3"``."""
    parts = name.split(".")
    while parts and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts[:-1])


def groups(nodes: list[Node], names: dict[int, str]) -> list[str | None]:
    """The module group of every node (a heuristic), or None.

    A parameter belongs to its module. An op node joins module C when one of its inputs is
    a parameter of C (or made from C's parameters alone, like ``W.T``), when all its inputs
    already sit in C and one of them was so joined (the sum in ``w·x + b``), and, one step
    only, when it is an elementwise function of such a node (the activation ``a = g(z)``).
    What follows (a loss) stays outside.
    """
    group: list[str | None] = [None] * len(nodes)
    if not any(module_path(name) for name in names.values()):
        return group
    index = {id(n): k for k, n in enumerate(nodes)}
    kind: list[str] = [""] * len(nodes)  # param, pure (params only), mixed, act
    for k, node in enumerate(nodes):
        if node.grad_fn is None:
            name = names.get(id(node))
            if name and module_path(name):
                group[k], kind[k] = module_path(name), "param"
            continue
        ins = [index[id(x)] for x in node._inputs if isinstance(x, Node)]
        gs = {group[j] for j in ins}
        from_params = [j for j in ins if kind[j] in ("param", "view", "pure")]
        # A module's computation reads its parameters (w * x) or views of them (W.T);
        # what is computed from parameters alone (W * W, Σ p²) is a penalty's, outside.
        owners = [group[j] for j in ins if kind[j] in ("param", "view") and group[j]]
        if from_params and len(from_params) == len(ins):  # made of parameters alone
            view = node.grad_fn.name in VIEWS and all(kind[j] != "pure" for j in ins)
            one = owners[0] if view and len(gs) == 1 and owners else None
            group[k], kind[k] = one, "view" if view else "pure"
        elif owners:
            group[k], kind[k] = owners[0], "mixed"
        elif len(gs) == 1 and None not in gs:
            if len(ins) >= 2 and any(kind[j] == "mixed" for j in ins):
                group[k], kind[k] = gs.pop(), "mixed"
            elif node.grad_fn.name in ACTIVATIONS and kind[ins[0]] == "mixed":
                group[k], kind[k] = gs.pop(), "act"
    _release_penalties(nodes, index, group, kind)
    return group


def _release_penalties(
    nodes: list[Node], index: dict[int, int], group: list[str | None], kind: list[str]
) -> None:
    """Take out of its module a view of parameters (``W.T``) that only a penalty reads."""
    stays = [False] * len(nodes)
    for k in range(len(nodes) - 1, -1, -1):  # consumers before their inputs
        if kind[k] == "view" and not stays[k]:
            group[k] = None
            continue
        if group[k] is None:
            continue
        for x in nodes[k]._inputs:
            if isinstance(x, Node):
                j = index[id(x)]
                if kind[j] == "view" and group[j] == group[k]:
                    stays[j] = True


def natural_key(key: str) -> tuple:
    """Sort key that puts ``neurons.2`` before ``neurons.10`` (numbers compared as numbers)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in key.split("."))


def cluster_tree(group: list[str | None]) -> dict[str, str]:
    """``cluster path -> parent cluster path`` ("" for the top level).

    Every group is a cluster; an enclosing path (``layers.0`` around its neurons) becomes a
    cluster too when it holds two or more groups but not all of them.
    """
    keys = sorted({g for g in group if g}, key=natural_key)
    if not keys:
        return {}
    covers: dict[str, frozenset[str]] = {}
    for key in keys:
        parts = key.split(".")
        for n in range(1, len(parts)):
            prefix = ".".join(parts[:n])
            covers[prefix] = covers.get(prefix, frozenset()) | {key}
    chosen = set(keys)
    by_set: dict[frozenset[str], str] = {}
    for prefix in sorted(covers, key=lambda p: (len(p), p)):
        members = covers[prefix]
        if prefix in chosen or len(members) < 2 or len(members) == len(keys):
            continue
        if members not in by_set:  # the shortest prefix names a set of groups
            by_set[members] = prefix
    chosen |= set(by_set.values())
    parent = {}
    for key in sorted(chosen, key=natural_key):
        outer = [p for p in chosen if key.startswith(p + ".") and p != key]
        parent[key] = max(outer, key=len) if outer else ""
    return parent


# Op arguments that are not graph inputs (axis=1, keepdims, an index) ------------------

_signatures: dict[str, list[str]] = {}


def _param_names(op: Op) -> list[str]:
    names = _signatures.get(op.name)
    if names is None:
        try:
            sig = inspect.signature(op.array)
            names = [p.name for p in sig.parameters.values() if p.kind != p.VAR_POSITIONAL]
        except (TypeError, ValueError):
            names = []
        _signatures[op.name] = names
    return names


def is_data_slot(op: Op, i: int) -> bool:
    """Whether input ``i`` of ``op`` is an operand (has a derivative rule), not an option."""
    grads = op.grads
    return isinstance(grads, tuple) and i < len(grads)


def constant_inputs(node: Node) -> list[tuple[int, Any]]:
    """The numbers and arrays among a node's inputs that are operands (``2 * a``)."""
    out = []
    for i, x in enumerate(node._inputs):
        if isinstance(x, Node) or not is_data_slot(node.grad_fn, i):
            continue
        out.append((i, x))
    return out


def op_options(node: Node) -> str:
    """The op's non-operand arguments in words: ``"axis=1, keepdims"`` ('' if defaults)."""
    op = node.grad_fn
    names = _param_names(op)
    words = []
    for i, x in enumerate(node._inputs):
        if isinstance(x, Node) or is_data_slot(op, i) or x is None or x is False:
            continue
        name = names[i] if i < len(names) else f"arg{i}"
        words.append(name if x is True else f"{name}={short(x)}")
    return ", ".join(words)


# Numbers in words ------------------------------------------------------------------------


def num(x: float, digits: int = 4) -> str:
    """A number as pictures show it: fixed point when readable, else scientific."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return f"{x:.{digits}f}"
    return f"{x:.{digits}g}"


def short(x: Any, limit: int = 24) -> str:
    """A short text for an op option (an axis, a shape, an index)."""
    if isinstance(x, np.ndarray):
        text = f"array{x.shape}" if x.size > 4 else np.array2string(x, separator=",")
    elif isinstance(x, slice):
        text = ":".join("" if v is None else str(v) for v in (x.start, x.stop, x.step))
        text = text.rstrip(":") or ":"
    elif isinstance(x, tuple):
        text = "(" + ", ".join(short(v, limit) for v in x) + ("," if len(x) == 1 else "") + ")"
    else:
        text = repr(x)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def preview(data: Any, digits: int = 3, max_size: int = 4) -> str:
    """An array in one line when it is small (``[1.5 -2]``), else its norm."""
    arr = np.asarray(data)
    if arr.size <= max_size:
        if arr.ndim == 0:
            return num(arr.item(), digits)
        return np.array2string(
            arr, precision=digits, separator=" ", max_line_width=10_000, suppress_small=True
        ).replace("\n", "")
    return f"‖·‖ {num(float(np.linalg.norm(arr)), digits)}"
