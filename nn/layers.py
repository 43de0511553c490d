"""Tensor-engine layers: `Linear` (z = W a + b) and activation modules (a = g(z)).

The activation modules also take a `Value`, or a list of Values (one example's layer), so
the value engine shares them: ``Softmax()([v1, v2, v3])`` is a list of three Values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, linear

from . import checks
from . import functional as F
from .init import Init, Rng, initialize
from .module import Module


class Linear(Module):
    """A fully connected layer: Z = A Wᵀ + b for a batch A of shape (n, nin).

    This is the notes' z = W a + b with examples as rows (DESIGN: row-major form).

    Args:
        nin, nout: input and output sizes; ``W`` has shape (nout, nin), ``b`` shape (nout,).
        init: ``"uniform"``, ``"normal"``, ``"he"``, ``"xavier"`` (default) or a function
            ``f(shape, rng)`` (see `nn.init`).
        rng: an int seed, an `np.random.Generator`, or None (Python's `random` module).
        dtype: the parameters' float type, ``"float64"`` (default) or ``"float32"``; a
            float32 input then stays float32 through the layer and its gradients. Arrays
            are converted to this type; a Tensor of another type is refused (as PyTorch).
        bias_init: where ``b`` starts: None (the ``init``'s default, zeros for most),
            ``"zeros"``, ``"uniform"`` (U(−1, 1)), ``"normal"`` or a function.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        init: Init = "xavier",
        rng: Rng = None,
        dtype: Any = "float64",
        bias_init: Init | None = None,
    ) -> None:
        dtype = checks.float_dtype("dtype", dtype)
        W, b = initialize(init, nout, nin, rng, bias_init)
        self.W = Tensor(W, requires_grad=True, dtype=dtype)
        self.b = Tensor(b, requires_grad=True, dtype=dtype)

    @property
    def nin(self) -> int:
        return self.W.shape[1]

    @property
    def nout(self) -> int:
        return self.W.shape[0]

    def forward(self, a: Any) -> Tensor:
        """Z = A Wᵀ + b: (n, nin) → (n, nout), and as PyTorch (*, nin) → (*, nout).

        A numpy array or list is converted to the layer's float type (as `nn.fit` and
        `nn.predict` convert X); a `Tensor` of another float type is refused, as PyTorch
        refuses it, since converting it would cut it off from its graph.
        """
        W = self.W
        if not isinstance(a, Tensor):
            a = self._converted(a)
        elif a.dtype != W.dtype:
            raise TypeError(
                f"{self!r} has {W.dtype} parameters and got a {a.dtype} Tensor (PyTorch "
                f"refuses this too): pass Tensor(x.data, dtype='{W.dtype}'), or build the "
                f"layer with dtype='{a.dtype}'"
            )
        if a.ndim < 1 or a.shape[-1] != self.nin:
            raise ValueError(
                f"Linear({self.nin}, {self.nout}) takes input of shape (n, {self.nin}) or "
                f"({self.nin},), got {a.shape}: the last axis must have {self.nin} entries "
                f"(any leading axes, as PyTorch's (*, {self.nin}))"
            )
        return linear(a, W, self.b)  # one node: a @ W.T + b, over any leading axes

    def _converted(self, a: Any) -> Tensor:
        try:
            t = Tensor(a)
        except (TypeError, ValueError) as e:
            raise TypeError(f"{self!r}: the input must be an array of numbers: {e}") from None
        dtype = self.W.dtype
        return t if t.dtype == dtype else Tensor(checks.cast(f"{self!r}: the input", t.data, dtype))

    def __repr__(self) -> str:
        return f"Linear({self.nin}, {self.nout})"


class _Activation(Module):
    """a = g(z) elementwise, on a Tensor, a Value, or a list of Values."""

    fn = "identity"

    def forward(self, z: Any) -> Any:
        return F.apply(self.fn, z)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ReLU(_Activation):
    """a = max(z, 0)."""

    fn = "relu"


class Tanh(_Activation):
    """a = tanh(z)."""

    fn = "tanh"


class Sigmoid(_Activation):
    """a = σ(z) = 1 / (1 + e^(−z)); the notes' output activation for binary classification."""

    fn = "sigmoid"


class Identity(Module):
    """a = z (the notes' output activation for regression)."""

    def forward(self, z: Any) -> Any:
        return z


class Softmax(Module):
    """a_j = exp(z_j) / Σ_k exp(z_k) along ``axis``; the notes' multiclass output activation."""

    def __init__(self, axis: int = -1) -> None:
        if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
            raise TypeError(f"Softmax: axis must be an int, got {axis!r}")
        self.axis = int(axis)

    def forward(self, z: Any) -> Any:
        return F.softmax(z, axis=self.axis)

    def __repr__(self) -> str:
        return f"Softmax(axis={self.axis})"


#: Activation names the constructors accept.
ACTIVATIONS: dict[str, type[Module]] = {
    "relu": ReLU,
    "tanh": Tanh,
    "sigmoid": Sigmoid,
    "identity": Identity,
    "linear": Identity,
    "softmax": Softmax,
}


def activation(name: str | None, what: str = "activation") -> Module:
    """The activation module called ``name`` (None means identity)."""
    if name is None:
        return Identity()
    if isinstance(name, str) and name.lower() in ACTIVATIONS:
        return ACTIVATIONS[name.lower()]()
    raise ValueError(f"{what} must be one of {sorted(ACTIVATIONS)} or None, got {name!r}")
