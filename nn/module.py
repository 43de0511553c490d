"""`Module`: parameters found by attribute, dotted names, `state_dict`; and `Sequential`.

A module's parameters are the leaves it holds in its attributes, in the order they were set:
a `Value`, a `Tensor` with ``requires_grad=True``, lists of them, and other modules (their
names prefixed, ``layers.0.W``). Attributes whose names start with ``_`` are not searched.
This is micrograd's and PyTorch's convention at once: micrograd's ``self.w = [Value...]``
and PyTorch's ``self.W = Tensor(..., requires_grad=True)`` both register.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor, Value

from . import checks


def is_parameter(x: Any) -> bool:
    """A leaf that learns: any `Value`, or a `Tensor` leaf with ``requires_grad=True``."""
    return isinstance(x, Value) or (isinstance(x, Tensor) and x.requires_grad and x.grad_fn is None)


def zero_grads(params: Iterable[Any]) -> None:
    """Forget the gradients of ``params``: ``Module.zero_grad`` and ``Optimizer.zero_grad``.

    A `Value`'s grad becomes 0.0 (micrograd's), a `Tensor`'s None (PyTorch's default,
    ``set_to_none=True``): the next backward pass then writes a fresh array instead of
    adding into the old one.
    """
    for p in params:
        p.grad = 0.0 if isinstance(p, Value) else None


class Entry:
    """One `state_dict` entry: a Tensor parameter, or Values viewed as one array."""

    __slots__ = ("params", "shape")

    def __init__(self, params: Tensor | list[Value], shape: tuple[int, ...] | None = None) -> None:
        self.params = params
        self.shape = params.shape if isinstance(params, Tensor) else shape

    def get(self) -> np.ndarray:
        """A copy of the numbers, as an array of ``self.shape``."""
        if isinstance(self.params, Tensor):
            return self.params.data.copy()
        return np.array([v.data for v in self.params], dtype=float).reshape(self.shape)

    def set(self, array: np.ndarray) -> None:
        """Copy ``array`` (already checked to have ``self.shape``) into the parameters."""
        if isinstance(self.params, Tensor):
            self.params.data = np.array(array, dtype=self.params.data.dtype)
        else:
            for v, x in zip(
                self.params, np.asarray(array, dtype=float).ravel().tolist(), strict=True
            ):
                v.data = x


class LoadResult(NamedTuple):
    """What `Module.load_state_dict` left out (PyTorch's two lists, and shape mismatches)."""

    missing_keys: list[str]
    unexpected_keys: list[str]
    mismatched_keys: list[str]


class Module:
    """Base class of layers and networks: parameters, gradients, modes and saved state."""

    #: Modules start in training mode; `eval()` switches every submodule off.
    training: bool = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward() or __call__()")

    # What a module holds ---------------------------------------------------------------
    def _members(self) -> Iterator[tuple[str, Any]]:
        for name, obj in vars(self).items():
            if not name.startswith("_") and name != "training":
                yield name, obj

    def _walk(self) -> Iterator[tuple[str, Any]]:
        """Everything held, depth first in attribute order, each submodule visited once."""
        seen: set[int] = set()
        stack: list[tuple[str, Any]] = [("", self)]
        while stack:
            name, obj = stack.pop()
            if isinstance(obj, Module):
                if id(obj) in seen:
                    continue
                seen.add(id(obj))
                children = [(_join(name, n), o) for n, o in obj._members()]
            elif isinstance(obj, (list, tuple)):
                children = [(_join(name, str(i)), o) for i, o in enumerate(obj)]
            else:
                children = []
            yield name, obj
            stack.extend(reversed(children))

    def named_modules(self) -> list[tuple[str, Module]]:
        """This module (named ``""``) and every submodule, with dotted names."""
        return [(n, m) for n, m in self._walk() if isinstance(m, Module)]

    def modules(self) -> list[Module]:
        """This module and every submodule."""
        return [m for _, m in self.named_modules()]

    def named_parameters(self) -> list[tuple[str, Any]]:
        """``(dotted name, parameter)`` pairs, in the order the attributes were set, each once.

        A value-engine network lists micrograd's order (per neuron: weights, then bias):
        ``layers.0.neurons.0.w.0``, ..., ``layers.0.neurons.0.b``, ...
        """
        out: list[tuple[str, Any]] = []
        seen: set[int] = set()
        for name, obj in self._walk():
            if is_parameter(obj) and id(obj) not in seen:
                seen.add(id(obj))
                out.append((name, obj))
        return out

    def parameters(self) -> list[Any]:
        """Every parameter once, in `named_parameters` order (a list, as micrograd's)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Forget accumulated gradients: a Value's grad becomes 0.0, a Tensor's None."""
        zero_grads(self.parameters())

    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and every submodule; returns self."""
        mode = checks.flag("mode", mode)
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode (``train(False)``); returns self."""
        return self.train(False)

    # Saved state -----------------------------------------------------------------------
    def _state_entries(self) -> list[tuple[str, Entry]]:
        """The state_dict entries of this module's own attributes (submodules recurse).

        A lone Value is a 0-d entry and a list of Values one 1-d entry; subclasses may group
        parameters differently (a value-engine `Layer` shows its neurons as ``W`` and ``b``).
        """
        out: list[tuple[str, Entry]] = []
        for name, obj in self._members():
            out.extend(_entries(name, obj))
        return out

    def state_dict(self) -> dict[str, np.ndarray]:
        """Every parameter as a named array (a copy): ``layers.0.W`` of shape (out, in), ..."""
        return {name: entry.get() for name, entry in self._state_entries()}

    def load_state_dict(
        self, state: Mapping[str, Any], strict: bool = True, allow_nonfinite: bool = False
    ) -> LoadResult:
        """Copy arrays from ``state`` into the parameters, after checking all of them.

        Every key, shape and number is checked before anything changes. With
        ``strict=True`` any difference raises one ValueError listing the missing keys, the
        unexpected keys and the size mismatches, and nothing is loaded. With ``strict=False``
        the entries whose name and shape match are loaded and the rest are returned: missing,
        unexpected and mismatched keys. Arrays that are not real numbers (strings, objects,
        booleans, complex numbers) and, unless ``allow_nonfinite=True``, arrays holding NaN
        or infinities are always an error.
        """
        if not isinstance(state, Mapping):
            raise TypeError(
                f"load_state_dict takes a mapping of names to arrays, got {type(state).__name__}"
            )
        strict = checks.flag("strict", strict)
        allow_nonfinite = checks.flag("allow_nonfinite", allow_nonfinite)
        entries = dict(self._state_entries())
        missing = [k for k in entries if k not in state]
        unexpected = [k for k in state if k not in entries]
        bad, nonfinite, mismatched, sizes, ready = [], [], [], [], {}
        for key, entry in entries.items():
            if key not in state:
                continue
            value = state[key]
            try:
                arr = np.asarray(value.data if isinstance(value, Tensor) else value)
            except (TypeError, ValueError) as e:
                bad.append(f"{key}: expected numbers, got {type(value).__name__} ({e})")
                continue
            if arr.dtype.kind not in "iuf":
                bad.append(f"{key}: expected numbers (float or int), got dtype {arr.dtype}")
            elif arr.shape != entry.shape:
                mismatched.append(key)
                sizes.append(f"{key}: expected shape {entry.shape}, got {arr.shape}")
            elif not allow_nonfinite and arr.dtype.kind == "f" and not np.isfinite(arr).all():
                nonfinite.append(f"{key} {checks.where_bad(~np.isfinite(arr))}")
            else:
                ready[key] = arr
        errors = []
        if strict and missing:
            errors.append("missing keys: " + ", ".join(missing))
        if strict and unexpected:
            errors.append("unexpected keys: " + ", ".join(unexpected))
        if strict and sizes:
            errors.append("size mismatches: " + "; ".join(sizes))
        if bad:
            errors.append("not numbers: " + "; ".join(bad))
        if nonfinite:
            errors.append(
                "NaN or infinite weights (pass allow_nonfinite=True to load them anyway): "
                + "; ".join(nonfinite)
            )
        if errors:
            raise ValueError(
                f"cannot load state into {type(self).__name__} (nothing was changed): "
                + " | ".join(errors)
            )
        for key, arr in ready.items():
            entries[key].set(arr)
        return LoadResult(missing, unexpected, mismatched)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _entries(name: str, obj: Any) -> list[tuple[str, Entry]]:
    if isinstance(obj, Module):
        return [(_join(name, k), e) for k, e in obj._state_entries()]
    if isinstance(obj, Value):
        return [(name, Entry([obj], ()))]
    if is_parameter(obj):
        return [(name, Entry(obj))]
    if isinstance(obj, (list, tuple)):
        if obj and all(isinstance(v, Value) for v in obj):
            return [(name, Entry(list(obj), (len(obj),)))]
        out = []
        for i, item in enumerate(obj):
            out.extend(_entries(_join(name, str(i)), item))
        return out
    return []


class Sequential(Module):
    """Modules applied one after another: ``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))``.

    The modules are kept in ``layers``, so parameters are named ``layers.0.W``, ``layers.0.b``,
    ``layers.2.W``, ... As PyTorch's, it has ``len``, iteration, ``model[i]`` and slices
    (``model[:2]``, a Sequential of the same module objects).
    """

    def __init__(self, *modules: Any) -> None:
        for i, m in enumerate(modules):
            if not callable(m):
                raise TypeError(f"Sequential: module {i} is not callable: {m!r}")
        self.layers = list(modules)

    def forward(self, x: Any) -> Any:
        """a[l] = layer_l(a[l−1]), from a[0] = x."""
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, i: int | slice) -> Any:
        """``model[i]`` is the i-th module; ``model[a:b]`` a `Sequential` of the same modules."""
        if isinstance(i, slice):
            return Sequential(*self.layers[i])
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool):
            raise TypeError(f"index a Sequential with an int or a slice, got {i!r}")
        if not -len(self.layers) <= i < len(self.layers):
            raise IndexError(
                f"index {i} is out of range for a Sequential of {len(self.layers)} modules"
            )
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.layers)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {m!r}" for i, m in enumerate(self.layers))
        return f"Sequential({inner}\n)"
