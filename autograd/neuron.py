"""`neuron`: the notes' pre-activation z = w·x + b as one node instead of 2n."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .rules import NEURON


def neuron(w: Sequence[Any], x: Sequence[Any], b: Any) -> Any:
    """z = w·x + b = b + Σₖ wₖxₖ, recorded as one node (the ``neuron`` op, drawn as z).

    The same number as ``sum((wk * xk for wk, xk in zip(w, x)), b)``, which records 2n
    nodes: one graph node per neuron makes the scalar engine several times faster and its
    pictures smaller. Backward gives ∂J/∂b = δ, ∂J/∂wₖ = δ·xₖ and ∂J/∂xₖ = δ·wₖ with
    δ = ∂J/∂z. The entries may be Values, Tensors (elementwise) or numbers.

    Args:
        w: the weights w₁ … wₙ.
        x: the inputs x₁ … xₙ, as many as ``w``.
        b: the bias.
    """
    n = len(w)
    if len(x) != n:
        raise ValueError(f"neuron: w has {n} entries but x has {len(x)}; they must match")
    inputs: list[Any] = [b] * (2 * n + 1)
    inputs[1::2] = w  # b, w₁, x₁, w₂, x₂, ...: each weight next to its input
    inputs[2::2] = x
    # Written for speed: with b a node (a parameter, as usual) its type records the node
    # directly, skipping the op's dispatch over all 2n + 1 inputs.
    apply = getattr(type(b), "_apply", None)
    z = apply(NEURON, *inputs) if apply is not None else NEURON(*inputs)
    if z is NotImplemented:  # Values and Tensors mixed in one neuron
        kinds = sorted({type(v).__name__ for v in inputs})
        raise TypeError(
            f"neuron: w, x and b must be Values and numbers, or Tensors and arrays; got "
            f"{', '.join(kinds)} (convert them to one node type first)"
        )
    return z
