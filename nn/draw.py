"""`draw_mlp`: a fully connected network drawn as the notes draw one (notes 003, Figure 3).

Inputs x₁ … x_d on the left, the hidden units a[l]ⱼ of each layer, the outputs ŷ on the
right; the edge from unit i of layer l−1 to unit j of layer l carries the weight W[l]ⱼᵢ and
is drawn thicker the larger |W[l]ⱼᵢ| is (blue positive, red negative).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from autograd.viz import GraphView
from autograd.viz.dot import attrs

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_ACTS = {"identity", "linear", "relu", "tanh", "sigmoid", "softmax"}
POSITIVE, NEGATIVE = "#2563eb", "#dc2626"
_DX, _DY = 2.2, 0.65  # inches between layers, and between units of a layer


def _sub(n: int) -> str:
    return str(n).translate(_SUB)


def _weights(model: Any) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
    """(name, W of shape (out, in), b or None) per layer, from the model's ``state_dict``."""
    if not hasattr(model, "state_dict"):
        raise TypeError(
            f"draw_mlp takes an MLP (a module with state_dict()), got {type(model).__name__}"
        )
    state = model.state_dict()
    layers = []
    for key, value in state.items():
        W = np.asarray(value)
        if key.rsplit(".", 1)[-1] in ("W", "weight") and W.ndim == 2:
            prefix = key.rsplit(".", 1)[0] + "." if "." in key else ""
            b = state.get(prefix + "b", state.get(prefix + "bias"))
            layers.append((prefix.rstrip(".") or key, W, None if b is None else np.asarray(b)))
    if not layers:
        raise ValueError(
            "draw_mlp: the model's state_dict has no weight matrix (a key ending in .W of 2 "
            f"dimensions); keys: {list(state)[:8]}"
        )
    for (n0, W0, _), (n1, W1, _) in itertools.pairwise(layers):
        if W1.shape[1] != W0.shape[0]:
            raise ValueError(
                f"draw_mlp: {n0} gives {W0.shape[0]} units but {n1} takes {W1.shape[1]}; "
                "the model is not a chain of fully connected layers"
            )
    return layers


def _activations(model: Any, n: int) -> list[str] | None:
    """The activation g of each layer, read from an nn MLP when it has them, else None."""
    try:
        net = getattr(model, "net", model)
        found = []
        for _, m in net.named_modules():
            neurons = getattr(m, "neurons", None)
            if neurons:
                found.append(neurons[0].activation if neurons[0].nonlin else "identity")
                continue
            fn = getattr(m, "fn", None)
            if fn is None and type(m).__name__ in ("Identity", "Softmax"):
                fn = type(m).__name__.lower()
            if isinstance(fn, str) and fn in _ACTS:
                found.append(fn)
    except Exception:  # a model of another make: draw without activation names
        return None
    if len(found) == n + 1:  # a value-engine MLP: the output activation comes last
        found = [*found[: n - 1], found[n] if found[n] != "identity" else found[n - 1]]
    return found if len(found) == n else None


def _shown(size: int, max_units: int) -> list[int | None]:
    """Unit indices to draw: all, or the first ones, a gap (None) and the last one."""
    if size <= max_units:
        return list(range(size))
    return [*range(max_units - 2), None, size - 1]


def draw_mlp(
    model: Any,
    *,
    rankdir: str = "LR",
    max_units: int = 12,
    activations: list[str] | None = None,
    backend: str | None = None,
) -> GraphView:
    """Draw an MLP's architecture: units as circles, weights as edges of width ∝ |w|.

    Args:
        model: an ``nn.MLP`` (either engine) or any module whose ``state_dict()`` holds
            ``<layer>.W`` of shape (out, in) and ``<layer>.b``, in order.
        rankdir: ``"LR"`` (inputs left) or ``"TB"``.
        max_units: a layer with more units shows the first ``max_units - 2``, a ``⋮`` node
            and the last one.
        activations: the g of each layer (for the layer titles); read from the model if
            None.
        backend: the renderer (see `autograd.draw_dot`).

    Returns:
        A `GraphView` (``.svg()``, ``.save(path)``, inline in Jupyter).
    """
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"rankdir must be 'LR' or 'TB', got {rankdir!r}")
    if not isinstance(max_units, int) or max_units < 3:
        raise ValueError(f"max_units must be an int of at least 3, got {max_units!r}")
    layers = _weights(model)
    for name, W, b in layers:
        for what, arr in (("W", W), ("b", b)):
            if arr is not None and not np.isfinite(arr).all():
                raise ValueError(
                    f"draw_mlp: layer {name} has NaN or infinite weights in {what}; a weight's "
                    "width and colour need a finite number"
                )
    if activations is not None and (
        not isinstance(activations, (list, tuple))
        or not all(isinstance(a, str) for a in activations)
    ):
        raise TypeError(f"activations must be a list of names, one per layer, got {activations!r}")
    acts = activations if activations is not None else _activations(model, len(layers))
    if acts is not None and len(acts) != len(layers):
        raise ValueError(f"activations: {len(acts)} names for {len(layers)} layers")
    sizes = [layers[0][1].shape[1]] + [W.shape[0] for _, W, _ in layers]
    top = max((float(np.abs(W).max()) for _, W, _ in layers if W.size), default=1.0) or 1.0
    N = len(layers)
    shown = [_shown(n, max_units) for n in sizes]
    half = (max(len(units) for units in shown) - 1) / 2 * _DY
    title_gap = 1.9 if rankdir == "TB" else 0.8

    def pos(column: int, row: float) -> str:
        x, y = column * _DX, row
        return f"{-y:.3f},{-x:.3f}!" if rankdir == "TB" else f"{x:.3f},{y:.3f}!"

    # Pinned positions (neato): columns in layer order, units top to bottom as numbered.
    body = [
        "\tgraph " + attrs(layout="neato", splines="line", fontname="Helvetica", pad=0.3),
        "\tnode "
        + attrs(
            shape="circle",
            fontname="Helvetica",
            fontsize=10,
            width=0.45,
            fixedsize="true",
            style="filled",
        ),
        "\tedge " + attrs(arrowhead="none"),
    ]
    for layer, units in enumerate(shown):
        if layer == 0:
            title, fill = f"input\na[0] = x ∈ ℝ{_sup(sizes[0])}", "#dbeafe"
        else:
            g = acts[layer - 1] if acts else "g"
            kind = "output" if layer == N else f"hidden layer {layer}"
            n, m = layer, layer - 1
            title = f"{kind}\na[{n}] = {g}(z[{n}])\nz[{n}] = W[{n}] a[{m}] + b[{n}]"
            fill = "#fde68a" if layer == N else "#ffffff"
        body.append(
            f"\tt{layer} "
            + attrs(
                label=title,
                shape="plaintext",
                fixedsize="false",
                style="solid",
                pos=pos(layer, half + title_gap),
            )
        )
        first = (len(units) - 1) / 2 * _DY
        for r, j in enumerate(units):
            at = pos(layer, first - r * _DY)
            if j is None:
                more = sizes[layer] - (len(units) - 1)
                body.append(
                    f"\tu{layer}_gap "
                    + attrs(
                        label=f"⋮ {more} more",
                        shape="plaintext",
                        fixedsize="false",
                        style="solid",
                        fontsize=9,
                        pos=at,
                    )
                )
                continue
            b = layers[layer - 1][2] if layer else None
            tip = f"b = {b[j]:.4g}" if b is not None else None
            body.append(
                f"\tu{layer}_{j} "
                + attrs(label=_unit(layer, j, N, sizes), fillcolor=fill, tooltip=tip, pos=at)
            )
    for layer in range(1, N + 1):
        W = layers[layer - 1][1]
        for j in shown[layer]:
            for i in shown[layer - 1]:
                if i is None or j is None:
                    continue
                w = float(W[j, i])
                share = abs(w) / top
                color = (POSITIVE if w >= 0 else NEGATIVE) + f"{int(40 + 215 * share):02x}"
                body.append(
                    f"\tu{layer - 1}_{i} -> u{layer}_{j} "
                    + attrs(
                        penwidth=f"{0.3 + 3.7 * share:.2f}",
                        color=color,
                        tooltip=f"W[{layer}]{_sub(j + 1)},{_sub(i + 1)} = {w:.4g}",
                    )
                )
    return GraphView(body, backend, nodes=sum(sizes))


def _unit(layer: int, j: int, N: int, sizes: list[int]) -> str:
    if layer == 0:
        return f"x{_sub(j + 1)}"
    if layer == N:
        return "ŷ" if sizes[layer] == 1 else f"ŷ{_sub(j + 1)}"
    return f"a{_sub(j + 1)}"


def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


__all__ = ["draw_mlp"]
