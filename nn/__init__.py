"""Neural networks built only from `autograd` nodes: modules, MLPs, losses, optimizers, data.

``nn.MLP(2, [16, 16, 1])`` is micrograd's network on `Value`s; ``engine="tensor"`` builds the
same network from `Linear` layers on numpy `Tensor`s. Layers and losses compose the engine's
operations (z = W a + b, a = g(z)); nothing here writes a derivative.

Reading order: `module` (Module, Sequential, parameters by attribute) → `micrograd`
(micrograd's Neuron and Layer on Values) → `layers` (Linear, activations) → `mlp` (both
engines from one constructor) → `functional` and `losses` → `optim` → `train` (`fit`,
with `fit_checks` and `metrics`) → `io` and `checkpoint` (files) and `bridge` (to and from PyTorch).
"""

from __future__ import annotations

from . import data, functional, init, losses, optim
from .bridge import from_torch, to_torch
from .checkpoint import load_checkpoint, save_checkpoint
from .draw import draw_mlp
from .io import load, save
from .layers import Identity, Linear, ReLU, Sigmoid, Softmax, Tanh
from .micrograd import Layer, Neuron
from .mlp import MLP
from .module import LoadResult, Module, Sequential
from .train import History, accuracy, fit, predict

__all__ = [
    "MLP",
    "History",
    "Identity",
    "Layer",
    "Linear",
    "LoadResult",
    "Module",
    "Neuron",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "accuracy",
    "data",
    "draw_mlp",
    "fit",
    "from_torch",
    "functional",
    "init",
    "load",
    "load_checkpoint",
    "losses",
    "optim",
    "predict",
    "save",
    "save_checkpoint",
    "to_torch",
]
