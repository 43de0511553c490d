"""Each op's ``saves=`` declaration covers what its rules' code reads (found in bytecode).

The rules read their arguments when ``backward()`` runs; a Tensor op keeps exactly the
declared arrays read-only until then (`autograd.saved`). Reading one not declared would
let an in-place write change a gradient silently, so the declarations are checked here,
against the rules' bytecode, and not at run time (the library never inspects bytecode).
"""

from __future__ import annotations

import dis
import inspect
import pathlib
from typing import Any

import numpy as np
import pytest

import autograd
from autograd import rules as R
from autograd import tensor_elementwise as E
from autograd import tensor_rules as T
from autograd.op import Op

OPS = {id(op): op for m in (R, T, E) for op in vars(m).values() if isinstance(op, Op)}.values()

# What a rule may take from an input without reading its values: in-place writes into
# the values leave these as they were.
_METADATA = frozenset({"shape", "ndim", "size", "dtype"})


def _values_read(code: Any) -> set[str]:
    """The local names whose values the function reads: all but those it only asks for
    their shape (``x.shape``), plus any an inner function or comprehension captures."""
    instructions = list(dis.get_instructions(code))
    read = set(code.co_cellvars)
    for i, ins in enumerate(instructions):
        if not ins.opname.startswith("LOAD_FAST"):
            continue
        if isinstance(ins.argval, tuple):  # newer CPythons load two names in one instruction
            read.update(ins.argval)
            continue
        after = instructions[i + 1] if i + 1 < len(instructions) else None
        if not (after and after.opname == "LOAD_ATTR" and after.argval in _METADATA):
            read.add(ins.argval)
    return read


def _read_by(rules: Any) -> set[int] | None:
    """The positions in ``(out, *inputs)`` that any of ``rules`` reads; None (all of them)
    unless every rule is a plain function of named arguments. A rule that passes an
    argument on to a helper counts as reading it."""
    if not isinstance(rules, tuple):
        return None
    read: set[int] = set()
    for rule in rules:
        if rule is None:  # an input with no gradient (a condition, an index)
            continue
        if not inspect.isfunction(rule):
            return None
        code = rule.__code__
        if code.co_flags & inspect.CO_VARKEYWORDS:
            return None
        loaded = _values_read(code)
        n = code.co_argcount
        if code.co_flags & inspect.CO_VARARGS and code.co_varnames[n] in loaded:
            return None  # reads *inputs: all of them
        names = code.co_varnames[1:n]  # after g: out, then the inputs
        read.update(k for k, name in enumerate(names) if name in loaded)
    return read


def _declared(op: Op) -> set[int] | None:
    if op.saves is None:
        return None
    return {0 if s == "out" else s + 1 for s in op.saves}


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_declared_saves_cover_what_the_rules_read(op: Op) -> None:
    read, declared = _read_by(op.grads), _declared(op)
    if declared is None:  # everything saved: nothing to check
        return
    assert read is not None, f"{op.name}: the rules read every input; declare saves=None"
    missing = read - declared
    names = ["out" if k == 0 else k - 1 for k in sorted(missing)]
    assert not missing, f"{op.name}: the rules read {names} but saves={op.saves}"


def test_the_analysis_sees_reads_and_ignores_shapes() -> None:
    # The checker itself: a read of x counts, a look at x.shape does not.
    assert _read_by((lambda g, out, x: g * x,)) == {1}
    assert _read_by((lambda g, out, x: g.reshape(x.shape),)) == set()
    assert _read_by((lambda g, out, x, y: g * out,)) == {0}
    assert _read_by((lambda g, out, *xs: g * xs[0],)) is None


def test_an_op_without_a_declaration_keeps_every_array_it_was_given() -> None:
    twice = Op("twice", "2x", None, lambda x, y: 2 * x + 0 * y, (lambda g, out, x, y: 2 * g, None))
    x, y = autograd.Tensor(np.ones(2), requires_grad=True), autograd.Tensor(np.ones(2))
    out = twice(x, y)
    assert not any(a.flags.writeable for a in (x.data, y.data, out.data))
    out.sum().backward()
    assert all(a.flags.writeable for a in (x.data, y.data))


def test_no_module_of_the_library_reads_bytecode_at_run_time() -> None:
    root = pathlib.Path(autograd.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import dis" not in text, path.name
        if path.parent == root:  # (the pictures read op signatures for their labels)
            assert "import inspect" not in text, path.name
