"""Reverse-mode automatic differentiation, for teaching and for real work.

`Value` holds one float (micrograd's API); `Tensor` holds a numpy array (PyTorch's API).
Both run on one backward core (`autograd.engine`) and one table of derivative rules
(`autograd.rules`, `autograd.tensor_rules`).
"""

from __future__ import annotations

from .check import GradcheckError, gradcheck
from .engine import is_grad_enabled, no_grad, set_grad_enabled
from .functions import concatenate, stack, where
from .tensor import Tensor
from .value import Value

__all__ = [
    "GradcheckError",
    "Tensor",
    "Value",
    "concatenate",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "stack",
    "where",
]
