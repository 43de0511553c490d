"""micrograd's classes on the value engine: `Neuron` and `Layer` (its `MLP` is `nn.MLP`).

A neuron computes z = Σ_j w_j a_j + b and a = g(z) with one `Value` per weight, so every
multiplication and addition is a node of the graph a student can draw. The sum runs in
micrograd's order (b + w₁a₁ + w₂a₂ + ...), so with the same weights the numbers agree
with micrograd's to the last bit. With ``fused=True`` the same sum is one node, the notes'
z (`autograd.neuron`): the same numbers, 1 node instead of 2n, several times faster.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Value, neuron

from . import checks
from .init import Init, Rng, initialize
from .module import Entry, Module

_NAMES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def _check_activation(activation: str) -> str:
    if activation not in _NAMES:
        raise ValueError(
            f"a Neuron's activation must be one of {sorted(_NAMES)} (use nonlin=False for a "
            f"linear neuron), got {activation!r}"
        )
    return activation


class Neuron(Module):
    """One unit: a = g(w·a_prev + b), or z itself when ``nonlin=False`` (micrograd's API).

    Args:
        nin: number of inputs; ``w`` is a list of ``nin`` Values, ``b`` a Value (0 at start
            unless ``bias_init`` says otherwise).
        nonlin: apply the activation (micrograd's flag; False gives a linear neuron).
        activation: ``"relu"`` (micrograd's), ``"tanh"`` or ``"sigmoid"``.
        init: how to draw ``w`` (see `nn.init`; micrograd's U(−1, 1) by default).
        rng: an int seed, an `np.random.Generator`, or None (Python's `random`, as micrograd).
        fused: record z = w·a_prev + b as one node (`autograd.neuron`, drawn as z) instead
            of micrograd's 2n nodes (n products, n sums): the same parameters, numbers and
            gradients, a smaller graph and a several times faster step. False (micrograd's
            graph) by default.
        bias_init: where ``b`` starts: None (0, micrograd's package), ``"uniform"`` (U(−1, 1),
            micrograd's lecture), ``"normal"``, or a function (see `nn.init.initialize`).
    """

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        activation: str = "relu",
        init: Init = "uniform",
        rng: Rng = None,
        fused: bool = False,
        bias_init: Init | None = None,
    ) -> None:
        fused = checks.flag("fused", fused)
        W, b = initialize(init, 1, nin, rng, bias_init)
        self._set(W[0].tolist(), float(b[0]), nonlin, activation, fused)

    @classmethod
    def _from(cls, w: list[float], b: float, nonlin: bool, activation: str, fused: bool) -> Neuron:
        unit = cls.__new__(cls)
        unit._set(w, b, nonlin, activation, fused)
        return unit

    def _set(self, w: list[float], b: float, nonlin: bool, activation: str, fused: bool) -> None:
        self.w = [Value(x) for x in w]
        self.b = Value(b)
        self.nonlin = bool(nonlin)
        self.activation = _check_activation(activation)
        self.fused = fused

    def forward(self, x: Any) -> Value:
        """a = g(b + Σ_j w_j x_j) for one example ``x`` (numbers or Values)."""
        if isinstance(x, Value):
            x = [x]
        if len(x) != len(self.w):
            raise ValueError(f"this Neuron takes {len(self.w)} inputs, got {len(x)}")
        if self.fused:
            z = neuron(self.w, x, self.b)
        else:
            z = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        return getattr(z, self.activation)() if self.nonlin else z

    def __repr__(self) -> str:
        kind = _NAMES[self.activation] if self.nonlin else "Linear"
        return f"{kind}Neuron({len(self.w)}{', fused' if self.fused else ''})"


class Layer(Module):
    """``nout`` neurons reading the same inputs (micrograd's API).

    Calling it on one example gives a list of ``nout`` Values (one Value when ``nout`` is 1).
    Its saved state shows the neurons as one layer of the notes: ``W`` of shape (nout, nin)
    (row i is neuron i's weights) and ``b`` of shape (nout,), the tensor engine's keys.
    ``fused=True`` makes each neuron's z one node and ``bias_init`` chooses where b starts
    (see `Neuron`).
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        nonlin: bool = True,
        activation: str = "relu",
        init: Init = "uniform",
        rng: Rng = None,
        fused: bool = False,
        bias_init: Init | None = None,
    ) -> None:
        fused = checks.flag("fused", fused)
        W, b = initialize(init, nout, nin, rng, bias_init)
        self.neurons = [
            Neuron._from(W[i].tolist(), float(b[i]), nonlin, activation, fused) for i in range(nout)
        ]

    def forward(self, x: Sequence[Any] | Value) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def _state_entries(self) -> list[tuple[str, Entry]]:
        nin = len(self.neurons[0].w)
        W = Entry([w for n in self.neurons for w in n.w], (len(self.neurons), nin))
        return [("W", W), ("b", Entry([n.b for n in self.neurons], (len(self.neurons),)))]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"
