"""`Op`: one operation's name, its forward functions and its derivative rules.

An op is applied to plain numbers, to numpy arrays, or to nodes:

* on a Python float it runs the ``scalar`` forward (IEEE results: ``log(0) = -inf``,
  ``exp(1000) = inf``, never a Python ``OverflowError``);
* on an ndarray it runs the ``array`` forward;
* on a node (`Value` or `Tensor`) it records a new node whose ``grad_fn`` is the op.

Each op has one derivative function per input, ``d(g, out, *inputs)``, returning that
input's share of ∂J/∂input given the upstream gradient ``g = ∂J/∂out``. The same function
serves floats, arrays and (for ``create_graph=True``) nodes, because it uses only
arithmetic operators and other ops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

Rule = Callable[..., Any]


def ieee(math_fn: Callable[..., float], array_fn: Callable[..., Any]) -> Callable[..., float]:
    """A float function that follows IEEE 754 where ``math`` would raise.

    ``math.log(0)`` raises ``ValueError`` and ``math.exp(1000)`` raises ``OverflowError``;
    PyTorch (float64) gives ``-inf`` and ``inf``. The fast ``math`` call runs first and
    numpy, which follows IEEE, answers only the rare edge cases.
    """

    def f(*xs: float) -> float:
        try:
            return math_fn(*xs)
        except (OverflowError, ValueError, ZeroDivisionError):
            with np.errstate(all="ignore"):
                return float(array_fn(*(np.float64(x) for x in xs)))

    f.__name__ = getattr(math_fn, "__name__", "f")
    return f


#: The node types (`Value`, `Tensor`, and any subclass), registered as they are defined
#: (`Node.__init_subclass__`): an op applied to one of them records a node.
NODE_TYPES: set[type] = set()


class Op:
    """One differentiable operation.

    Args:
        name: the op's name, shown in graphs and transcripts (``"mul"``).
        symbol: how a graph draws it (``"*"``).
        scalar: the forward function on Python floats, or None (tensor-only ops).
        array: the forward function on numpy arrays.
        grads: one derivative rule per input, ``d(g, out, *inputs) -> ∂J/∂input``.
        local: the local derivative ∂out/∂input of each input, in words, for `explain`.
        saves: what the rules read besides ``g`` (minitorch's "save for backward"):
            ``"out"`` for the result, ``k`` for input k; None (the default) for all of them.
            A Tensor op keeps exactly these arrays read-only until its backward pass
            (`autograd.saved`); ``tests/autograd/test_saves.py`` checks each declaration
            against what the rules' code reads.
        variadic: the op takes any number of inputs (the fused neuron); its rules are then
            ``d(g, out, inputs)``, the inputs as one tuple, so that running the rules of
            all n inputs passes n references, not n² (`Node._vjp` calls them either way).
    """

    __slots__ = ("array", "grads", "local", "name", "saves", "scalar", "symbol", "variadic")

    def __init__(
        self,
        name: str,
        symbol: str,
        scalar: Callable[..., float] | None,
        array: Callable[..., Any],
        grads: tuple[Rule, ...],
        local: tuple[str, ...] = (),
        variadic: bool = False,
        saves: tuple[str | int, ...] | None = None,
    ) -> None:
        self.name = name
        self.symbol = symbol
        self.scalar = scalar
        self.array = array
        self.grads = grads
        self.local = local
        self.variadic = variadic
        self.saves = None if saves is None else tuple(saves)

    def __call__(self, *inputs: Any) -> Any:
        """Apply the op: to nodes (records a node), arrays, or floats."""
        # Floats first, written for speed: the scalar engine's rules call ops on floats.
        if self.scalar is not None:
            for x in inputs:
                if type(x) is not float and type(x) is not int:
                    break
            else:
                return self.scalar(*inputs)
        for x in inputs:
            if type(x) in NODE_TYPES:  # a set lookup: most inputs are arrays or constants
                return type(x)._apply(self, *inputs)
        return self.array(*inputs)

    def __repr__(self) -> str:
        return f"Op({self.name!r})"
