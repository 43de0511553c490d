"""The bridge to PyTorch: `to_torch` and `from_torch` move an MLP between the two libraries.

A network is read as a plan, the notes' layers in order: ``("linear", W, b)`` for
z = W a + b (W of shape (out, in), PyTorch's ``weight`` layout) and ``("act", name)`` for
a = g(z). Both directions go through it, so a model that crosses and comes back is the
same model. PyTorch is an optional extra (``pip install 'deltagrad[torch]'``), imported
only when one of these functions is called.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .layers import Identity, Linear, ReLU, Sigmoid, Softmax, Tanh
from .micrograd import Layer
from .mlp import MLP
from .module import Module, Sequential

Plan = list[tuple[Any, ...]]

#: Elementwise activations: the name here and the PyTorch module's name.
_TORCH_NAMES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}
_FROM_TORCH = {v: k for k, v in _TORCH_NAMES.items()}


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError(
            "the bridge to PyTorch needs PyTorch: pip install 'deltagrad[torch]' (or torch)"
        ) from None
    return torch


# From here to a plan -----------------------------------------------------------------


def _plan(model: Any) -> Plan:
    """The layers of an MLP (either engine), a Sequential, a Linear or an activation."""
    if isinstance(model, MLP) and model.engine == "tensor":
        return _plan(model.net)
    if isinstance(model, MLP):
        plan: Plan = []
        for layer in model.layers:
            plan += _plan(layer)
        return plan + _plan(model.output)
    if isinstance(model, Sequential):
        return [step for m in model for step in _plan(m)]
    if isinstance(model, Linear):
        return [("linear", model.W.data, model.b.data)]
    if isinstance(model, Layer):  # a value-engine layer: its neurons as one W and b
        state, unit = model.state_dict(), model.neurons[0]
        act = [("act", unit.activation)] if unit.nonlin else []
        return [("linear", state["W"], state["b"]), *act]
    if isinstance(model, Identity):
        return []
    if isinstance(model, (ReLU, Tanh, Sigmoid)):
        return [("act", model.fn)]
    if isinstance(model, Softmax):
        return [("act", "softmax", model.axis)]
    raise TypeError(
        f"to_torch takes an nn.MLP, nn.Sequential, nn.Linear or activation module, got "
        f"{type(model).__name__}; a module of your own has no PyTorch counterpart to build"
    )


def to_torch(model: Module) -> Any:
    """The same network as a ``torch.nn.Sequential`` of ``Linear`` and activation modules.

    Works for an `MLP` on either engine (a value-engine MLP's neurons become one
    ``torch.nn.Linear`` per layer), a `Sequential`, or a `Linear`. The weights are copied:
    ``layers.l.W`` becomes ``weight`` (same (out, in) layout), ``layers.l.b`` ``bias``, in
    the model's float type (float64 unless built with ``dtype="float32"``). Identity
    activations are left out. Outputs and gradients equal this library's to rounding.

    Raises:
        ImportError: PyTorch is not installed.
        TypeError: a module with no PyTorch counterpart.
    """
    torch = _torch()
    steps = []
    for step in _plan(model):
        if step[0] == "linear":
            W, b = step[1], step[2]
            dtype = getattr(torch, str(np.asarray(W).dtype))
            lin = torch.nn.Linear(W.shape[1], W.shape[0], dtype=dtype)
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(np.array(W), dtype=dtype))
                lin.bias.copy_(torch.tensor(np.array(b), dtype=dtype))
            steps.append(lin)
        elif step[1] == "softmax":
            steps.append(torch.nn.Softmax(dim=step[2]))
        else:
            steps.append(getattr(torch.nn, _TORCH_NAMES[step[1]])())
    return torch.nn.Sequential(*steps)


# From PyTorch to a plan, and to an MLP ---------------------------------------------------


def _torch_plan(module: Any, torch: Any) -> Plan:
    if not isinstance(module, torch.nn.Sequential):
        raise TypeError(
            f"from_torch takes a torch.nn.Sequential of Linear, ReLU, Tanh and Sigmoid "
            f"modules, got {type(module).__name__}; wrap a lone layer as Sequential(layer)"
        )
    plan: Plan = []
    for i, m in enumerate(module):
        kind = type(m).__name__
        if isinstance(m, torch.nn.Linear):
            if m.bias is None:
                raise ValueError(
                    f"from_torch: module {i} is Linear(..., bias=False); nn.Linear always has "
                    "a bias b, so this network has no exact counterpart here"
                )
            W, b = (t.detach().cpu().numpy().copy() for t in (m.weight, m.bias))
            plan.append(("linear", W, b))
        elif kind in _FROM_TORCH and isinstance(m, getattr(torch.nn, kind)):
            plan.append(("act", _FROM_TORCH[kind]))
        elif isinstance(m, torch.nn.Softmax) and m.dim == -1:
            plan.append(("act", "softmax"))
        elif isinstance(m, torch.nn.Identity):
            continue
        else:
            raise TypeError(
                f"from_torch: module {i} is {m}, which has no counterpart here; an MLP is built "
                "from Linear, ReLU, Tanh and Sigmoid modules (Identity, and Softmax(dim=-1) last)"
            )
    return plan


def _mlp_shape(plan: Plan) -> tuple[list[tuple[np.ndarray, np.ndarray]], str, str]:
    """The plan's (W, b) per layer, its hidden activation and its output activation."""
    layers: list[tuple[np.ndarray, np.ndarray]] = []
    after: list[list[str]] = []  # the activations after each Linear
    for step in plan:
        if step[0] == "linear":
            if layers and step[1].shape[1] != layers[-1][0].shape[0]:
                raise ValueError(
                    f"from_torch: Linear layer {len(layers)} takes {step[1].shape[1]} inputs "
                    f"but the layer before gives {layers[-1][0].shape[0]}"
                )
            layers.append((step[1], step[2]))
            after.append([])
        elif not layers:
            raise ValueError(f"from_torch: an MLP starts with a Linear layer, got {step[1]} first")
        else:
            after[-1].append(step[1])
        if layers and len(after[-1]) > 1:
            raise ValueError(
                f"from_torch: two activations in a row ({', '.join(after[-1])}) after Linear "
                f"layer {len(layers) - 1}; an MLP has one per layer"
            )
    if not layers:
        raise ValueError("from_torch: the Sequential holds no Linear layer")
    hidden = {(a[0] if a else "identity") for a in after[:-1]}
    if len(hidden) > 1:
        raise ValueError(
            f"from_torch: an nn.MLP uses one activation for all hidden layers, this network "
            f"uses {sorted(hidden)}"
        )
    output = after[-1][0] if after[-1] else "identity"
    return layers, hidden.pop() if hidden else "relu", output


def from_torch(module: Any, engine: str = "tensor", fused: bool = False) -> MLP:
    """The same MLP here, from a ``torch.nn.Sequential`` of Linear, ReLU, Tanh and Sigmoid.

    The Sequential must read as an MLP: Linear layers, each followed by at most one
    activation, the same one after every hidden layer (none means identity); the activation
    after the last Linear (also ``Softmax(dim=-1)``) becomes ``output_activation``.
    Weights and biases are copied, in the module's float type (the value engine computes in
    float64 only).

    Args:
        module: the PyTorch network (on any device; its parameters are copied to numpy).
        engine: ``"tensor"`` (default) or ``"value"`` (micrograd's, one Value per weight).
        fused: value engine: one node per neuron's z (see `MLP`).

    Raises:
        ImportError: PyTorch is not installed.
        TypeError, ValueError: a module that is not such a Sequential, naming what is not.
    """
    torch = _torch()
    layers, hidden, output = _mlp_shape(_torch_plan(module, torch))
    dtype = layers[0][0].dtype
    if engine == "value" and dtype != np.float64:
        raise ValueError(
            f"from_torch: the value engine computes in float64 and this module is {dtype}; "
            "convert it with module.double(), or use engine='tensor'"
        )
    nin, nouts = layers[0][0].shape[1], [W.shape[0] for W, _ in layers]
    model = MLP(nin, nouts, hidden, output, engine=engine, rng=0, fused=fused, dtype=dtype)
    model.load_state_dict(
        {f"layers.{i}.{k}": a for i, (W, b) in enumerate(layers) for k, a in (("W", W), ("b", b))}
    )
    return model
