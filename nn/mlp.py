"""`MLP`: a fully connected network on either engine, from one constructor.

The notes' forward propagation (CS229 backprop notes): a[0] = x, then for l = 1..N
z[l] = W[l] a[l−1] + b[l] and a[l] = g(z[l]), with one activation g for the hidden layers
and an output activation g[N] (identity for regression, sigmoid for binary and softmax for
multiclass classification).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import checks
from .init import Init, Rng, generator
from .layers import Linear
from .layers import activation as make_activation
from .micrograd import Layer
from .module import Module, Sequential

ENGINES = ("value", "tensor")
_HIDDEN = ("relu", "tanh", "sigmoid", "identity", "linear")


class MLP(Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` is 2 inputs, two hidden layers, 1 output.

    Args:
        nin: number of inputs d.
        nouts: the size of each layer, the last one being the output size k.
        activation: g of the hidden layers: ``"relu"`` (micrograd's), ``"tanh"``,
            ``"sigmoid"`` or ``"identity"``.
        output_activation: g[N]: None (identity, micrograd's linear last layer),
            ``"sigmoid"``, ``"softmax"``, ``"tanh"`` (the micrograd lecture's) or ``"relu"``.
        engine: ``"value"``: micrograd-compatible, one `Value` per weight, ``model([x1, x2])``
            gives a Value (a list of Values for several outputs); ``"tensor"``: `Linear`
            layers and activation modules in a `Sequential`, ``model(X)`` maps an (n, d)
            array or Tensor to an (n, k) Tensor (any (*, d) to (*, k), as PyTorch).
        init: ``"uniform"`` (micrograd's U(−1, 1)), ``"normal"`` (UFLDL's N(0, 0.01²)),
            ``"he"``, ``"xavier"`` or a function (see `nn.init`). None: ``"uniform"`` on the
            value engine (as micrograd); on the tensor engine ``"he"`` for ReLU hidden layers,
            else ``"xavier"``.
        rng: an int seed, an `np.random.Generator`, or None (Python's `random`, as micrograd).
        fused: value engine: each neuron's z = w·a[l−1] + b is one node (`autograd.neuron`,
            drawn as z) instead of micrograd's 2n nodes: the same parameters, outputs and
            gradients, several times faster. Accepted and ignored on the tensor engine, whose
            layers already compute Z = X Wᵀ + b as one matrix product, so one call works with
            either engine.
        dtype: tensor engine: the parameters' float type, ``"float64"`` (default) or
            ``"float32"``; numpy input is converted to it (as `nn.fit` does), a `Tensor` of
            another type is refused (as PyTorch refuses it). The value engine holds Python
            floats (float64) only.
        bias_init: where the biases start: None (the ``init``'s default: 0, micrograd's
            package), ``"uniform"`` (U(−1, 1)), ``"normal"``, ``"zeros"`` or a function.

    Karpathy's micrograd lecture builds its network with tanh everywhere and b ~ U(−1, 1);
    here that is ``MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh",
    bias_init="uniform")``, drawing the lecture's numbers in the lecture's order (per
    neuron, w then b) from Python's `random`. The default stays micrograd's package: ReLU
    hidden layers, a linear output and b = 0.

    Both engines have the same `state_dict` keys and shapes (``layers.0.W`` of shape
    (out, in), ``layers.0.b`` of shape (out,), ...), so a model trained on one loads into
    the other and gives the same outputs. Layers are drawn in order from one random stream,
    so the same ``init`` and ``rng`` give the same weights on both engines.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str | None = None,
        engine: str = "value",
        init: Init | None = None,
        rng: Rng = None,
        fused: bool = False,
        dtype: Any = "float64",
        bias_init: Init | None = None,
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be 'value' or 'tensor', got {engine!r}")
        if isinstance(nouts, (int, np.integer)) or not isinstance(nouts, Sequence) or not nouts:
            raise TypeError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        for i, n in enumerate(nouts):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
                raise ValueError(f"nouts[{i}]: nout must be a positive int, got {n!r}")
        if not isinstance(activation, str) or activation.lower() not in _HIDDEN:
            raise ValueError(
                f"activation (hidden layers) must be one of {list(_HIDDEN)}, got {activation!r}"
            )
        activation = activation.lower()
        fused = checks.flag("fused", fused)
        if engine == "value" and checks.float_dtype("dtype", dtype) != np.float64:
            raise ValueError(
                f"dtype: the value engine holds Python floats (float64), got {dtype!r}; "
                "use engine='tensor' for float32"
            )
        out_act = _output(output_activation)
        if init is None:
            init = "uniform" if engine == "value" else ("he" if activation == "relu" else "xavier")
        if rng is not None:
            rng = generator(rng)  # one stream for every layer
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.engine = engine
        self._sizes = tuple(sizes)
        self._activations = (activation, out_act)
        if engine == "value":
            hidden = "relu" if activation in ("identity", "linear") else activation
            self.layers = [
                Layer(
                    sizes[i],
                    sizes[i + 1],
                    nonlin=i != last and activation not in ("identity", "linear"),
                    activation=hidden,
                    init=init,
                    rng=rng,
                    fused=fused,
                    bias_init=bias_init,
                )
                for i in range(len(nouts))
            ]
            self.output = make_activation(out_act)
        else:
            self.layers = [
                Linear(sizes[i], sizes[i + 1], init, rng, dtype, bias_init)
                for i in range(len(nouts))
            ]
            steps: list[Module] = []
            for i, layer in enumerate(self.layers):
                steps += [layer, make_activation(out_act if i == last else activation)]
            # The same Linear objects, in order with their activations; `layers` names them.
            self._net = Sequential(*steps)

    @property
    def nin(self) -> int:
        return self._sizes[0]

    @property
    def nouts(self) -> list[int]:
        return list(self._sizes[1:])

    @property
    def net(self) -> Sequential:
        """The tensor engine's network as a `Sequential` of `Linear` and activation modules."""
        if self.engine != "tensor":
            raise AttributeError("net: only tensor-engine MLPs are a Sequential")
        return self._net

    def forward(self, x: Any) -> Any:
        """The network's output a[N] for ``x``.

        Value engine: ``x`` is one example (d numbers or Values), the result a Value or a
        list of k Values; a batch (n rows) gives a list of n such results. Tensor engine:
        ``x`` of shape (n, d) (array or Tensor) gives a Tensor of shape (n, k).
        """
        if self.engine == "tensor":
            return self._net(x)
        batch = isinstance(x, (list, tuple, np.ndarray)) and len(x) > 0
        if batch and isinstance(x[0], (list, tuple, np.ndarray)):
            return [self(row) for row in x]
        a = x
        try:
            for layer in self.layers:
                a = layer(a)
        except TypeError as e:  # checked on failure only: the per-example path stays lean
            raise TypeError(
                f"MLP: an example must be {self.nin} numbers or Values, got {x!r} ({e})"
            ) from None
        return self.output(a)

    def __repr__(self) -> str:
        if self.engine == "value":
            out = "" if self._activations[1] == "identity" else f", then {self.output!r}"
            return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]{out}"
        act, out = self._activations
        return (
            f"MLP({self.nin}, {self.nouts}, activation={act!r}, output_activation={out!r}, "
            f"engine='tensor')"
        )


def _output(name: str | None) -> str:
    """The output activation's canonical name (None and "linear" mean identity)."""
    if name is None or (isinstance(name, str) and name.lower() in ("identity", "linear")):
        return "identity"
    if isinstance(name, str) and name.lower() in ("sigmoid", "softmax", "tanh", "relu"):
        return name.lower()
    raise ValueError(
        "output_activation must be None, 'identity', 'sigmoid', 'softmax', 'tanh' or 'relu', "
        f"got {name!r}"
    )
