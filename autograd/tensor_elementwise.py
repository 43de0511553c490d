"""Tensor-only elementwise ops that PyTorch code calls: `clamp`, dtype casts, `clone`.

Each is one row, as in `tensor_rules`: a forward on arrays and one derivative rule per input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .op import Op
from .rules import passthrough


def _inside(x: Any, lo: Any, hi: Any) -> np.ndarray:
    """1 where lo ≤ x ≤ hi (either bound None: no bound), else 0, in x's float dtype."""
    keep = np.ones(x.shape, dtype=bool)
    if lo is not None:
        keep &= x >= lo
    if hi is not None:
        keep &= x <= hi
    return keep.astype(x.dtype)


# A helper of clamp's rule (its own derivative is zero).
INSIDE = Op("inside", "inside", None, _inside, (lambda g, out, x, lo, hi: g * 0.0,), saves=())
# The bounds count as inside, as in PyTorch: ∂out/∂x = 1 for lo ≤ x ≤ hi, else 0.
CLAMP = Op(
    "clamp",
    "clamp",
    None,
    lambda x, lo, hi: np.clip(x, lo, hi),
    (lambda g, out, x, lo, hi: g * INSIDE(x, lo, hi),),  # lo, hi: options, as an axis
    ("1 if lo ≤ x ≤ hi else 0",),
    saves=(0, 1, 2),
)
# To another float dtype (t.float(), t.double()): the gradient goes back in x's dtype.
CAST = Op(
    "cast",
    "cast",
    None,
    lambda x, dtype: x.astype(dtype),
    (lambda g, out, x, dtype: CAST(g, x.dtype),),
    ("1",),
    saves=(),
)
# A copy with its own array (t.clone()): the gradient passes through.
CLONE = Op("clone", "clone", None, lambda x: x.copy(), (passthrough,), ("1",), saves=())
