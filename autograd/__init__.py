"""Reverse-mode automatic differentiation, for teaching and for real work.

`Value` holds one float (micrograd's API); `Tensor` holds a numpy array (PyTorch's API).
Both run on one backward core and one table of derivative rules.

Reading order (the whole design in six files):

1. `autograd.op`: what an op is: its forward functions and one derivative rule per input.
2. `autograd.rules` (elementwise, both node types) and `autograd.tensor_rules` (matmul,
   reductions, shapes): the table of ops, each rule next to its forward.
3. `autograd.engine`: the topological order and the backward sweep (Theorem 3.1),
   knowing no node type; whether ops record is this thread's grad mode (`autograd.modes`,
   ``no_grad``).
4. `autograd.node`: what a node is, and its operators and methods (each applies an op).
5. `autograd.value` and `autograd.tensor`: the two node types.

Then, as needed: `functions` (``neuron``, ``linear``, ``concatenate``, ``stack``,
``where``), `transforms` (``grad``, ``value_and_grad``, ``hvp``, ``hessian``),
`gradcheck`, `anomaly` (``detect_anomaly``), `tensor_args` (argument checks) and `viz`
(pictures and transcripts). Skip on a first read `value_fast` (the same as node + engine
for Values, written for speed) and `saved` (how backward() knows its data is unchanged).

Grad mode and anomaly mode are per thread, as in PyTorch.
"""

from __future__ import annotations

from .anomaly import AnomalyError, detect_anomaly
from .functions import concatenate, linear, neuron, stack, where
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .modes import is_grad_enabled, no_grad, set_grad_enabled
from .op import Op
from .replay import Trace, trace
from .tensor import Tensor
from .transforms import grad, hessian, hvp, value_and_grad
from .value import Value
from .viz import backward_frames, draw_dot, explain, save_backward_html

__all__ = [
    "AnomalyError",
    "GradcheckError",
    "Op",
    "Tensor",
    "Trace",
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
    "trace",
    "value_and_grad",
    "where",
]
