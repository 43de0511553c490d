"""Optimizers (PyTorch's update rules), the notes' gradient update schedules, and α schedules.

Every optimizer works on `Value` and `Tensor` parameters alike:
``opt = nn.optim.Adam(model.parameters(), lr=1e-3)``, then per batch
``opt.zero_grad(); loss.backward(); opt.step()``. A step is all or nothing: a gradient of
the wrong shape, a NaN or infinite gradient, or an update that would overflow raises a
ValueError naming the parameter, and no parameter or optimizer state changes.
As in PyTorch, ``params`` may be parameter groups (``[{"params": body}, {"params": head,
"lr": 0.5}]``), schedulers set each group's ``lr``, and ``state_dict()`` /
``load_state_dict()`` save and restore everything a resumed run needs.
"""

from __future__ import annotations

from .base import Optimizer
from .lr_scheduler import ExponentialLR, LambdaLR, LinearLR, LRScheduler, StepLR
from .optimizers import SGD, Adagrad, Adam, AdamW, RMSprop
from .schedules import RULES, GradientUpdate, adagrad, constant, normalized

__all__ = [
    "RULES",
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "ExponentialLR",
    "GradientUpdate",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "Optimizer",
    "RMSprop",
    "StepLR",
    "adagrad",
    "constant",
    "normalized",
]
