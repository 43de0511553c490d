"""Reverse-mode automatic differentiation, for teaching and for real work.

`Value` holds one float (micrograd's API); `Tensor` holds a numpy array (PyTorch's API).
Both run on one backward core (`autograd.engine`) and one table of derivative rules
(`autograd.rules`, `autograd.tensor_rules`).
"""

from __future__ import annotations

from .anomaly import AnomalyError, detect_anomaly
from .engine import is_grad_enabled, no_grad, set_grad_enabled
from .functions import concatenate, linear, neuron, stack, where
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .op import Op
from .tensor import Tensor
from .transforms import grad, hessian, hvp, value_and_grad
from .value import Value
from .viz import backward_frames, draw_dot, explain, save_backward_html

__all__ = [
    "AnomalyError",
    "GradcheckError",
    "Op",
    "Tensor",
    "Value",
    "backward_frames",
    "concatenate",
    "detect_anomaly",
    "draw_dot",
    "explain",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "hvp",
    "is_grad_enabled",
    "linear",
    "neuron",
    "no_grad",
    "save_backward_html",
    "set_grad_enabled",
    "stack",
    "value_and_grad",
    "where",
]
