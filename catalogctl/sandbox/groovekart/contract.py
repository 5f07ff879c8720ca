"""How the table of documented parameters (contract_table.py) is read and enforced.

A row names a call, a field path, what the document demands of it and the failure body the call
documents. Paths are dotted: `variants[].price` is the `price` of every element of `variants` (a
single object counts as a list of one, as PHP arrays do), `*` is every value of an object
(`variant_values.*.variant_name`), and `a|b` means at least one of `a` and `b`. A row only looks
inside parents that exist: a missing parent is its own row's failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from catalogctl.sandbox.groovekart.reply import Reply, fail

_NUMBER_TEXT = re.compile(r"^\s*\d+(\.\d+)?\s*$")
_IDS_TEXT = re.compile(r"^\s*\d+(\s*,\s*\d+)*\s*$")
PRESENT = object()  # a `when` value: the sibling field is given (not missing)


class Check(Enum):
    """What a row demands of its field."""

    REQUIRED = "required"  # given, and not null, "", [] or {}
    INT = "int"  # a JSON integer
    NUMBER = "number"  # a JSON number or a plain decimal string ("27.99", as the document's examples send)
    BOOL = "bool"  # true/false or 1/0 ("e.g. 1 or 0")
    TRUE_FALSE = "true_false"  # JSON true or false only, where the document says "value: true or false"
    TEXT = "text"  # a JSON string
    TEXT_OR_INT = "text_or_int"  # "type: string/int"
    ONE_OF = "one_of"  # one of `allowed`, exactly as written
    OBJECT = "object"  # a JSON object ("type: array" of named fields)
    OBJECTS = "objects"  # an object or a list of objects
    ID_LIST = "id_list"  # "array (numeric): single id or list of ids"
    ID_TEXT = "id_text"  # "int/string: 10 or 10,12,34"
    ONE_DEFAULT = "one_default"  # a list of variants: "only one variant can have [default_on] = 1"

    # A member is its own identity: hashed in C, not by Enum.__hash__ (a Python call per row checked).
    __hash__ = object.__hash__


@dataclass(frozen=True)
class Row:
    """One documented demand: `path` of call `call` must satisfy `check`, else the call answers `failure`."""

    call: str
    path: str
    check: Check
    failure: dict[str, Any]
    status: int = 200
    allowed: tuple[str, ...] = ()
    when: tuple[str, object] | None = None  # only when this sibling field has this value (or PRESENT)
    note: str = ""  # the stricter reading chosen where the document is ambiguous
    doc: str = field(default="", compare=False)  # the document's words for the field

    @property
    def key(self) -> str:
        return f"{self.call} {self.path} {self.check.value}"


def missing(value: Any) -> bool:
    """Absent as PHP's empty() on a required field sees it; 0 and false are values."""
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


def _elements(value: Any, many: bool) -> list[Any]:
    if not many:
        return [value]
    return value if isinstance(value, list) else [value]


def places(body: Any, path: str) -> Iterator[tuple[Any, str]]:
    """Every (parent, last key) the path reaches in `body`; parents that are not objects are yielded too."""
    head, last, _ = _parsed(path)
    for node in _parents(body, head, {}):
        yield node, last


_Segment = tuple[bool, str, bool]   # (`*`, the name, `[]`)
_Head = tuple[_Segment, ...]


@cache
def _parsed(path: str) -> tuple[_Head, str, tuple[str, ...]]:
    """A path taken apart once (the sandbox checks ~45 rows per create_product): segments, last key, its options."""
    *head, last = path.split(".")
    return tuple((segment == "*", segment.removesuffix("[]"), segment.endswith("[]")) for segment in head), \
        last, tuple(last.split("|"))


def _parents(body: Any, head: _Head, seen: dict[_Head, list[Any]]) -> list[Any]:
    """The nodes `head` reaches in `body`; `seen` keeps those of every prefix already walked (rows share them)."""
    if not head:
        return [body]
    if (known := seen.get(head)) is not None:
        return known
    star, name, many = head[-1]
    deeper = _children(_parents(body, head[:-1], seen), star, name, many)
    seen[head] = deeper
    return deeper


def _children(parents: list[Any], star: bool, name: str, many: bool) -> list[Any]:
    """One path segment down from `parents`: every value (`*`), or the `name` value (a list's items for `name[]`)."""
    deeper: list[Any] = []
    for node in parents:
        if not isinstance(node, dict):
            continue
        if star:
            deeper.extend(node.values())
            continue
        value = node.get(name)
        if not missing(value):
            if many and isinstance(value, list):
                deeper.extend(value)
            else:
                deeper.append(value)
    return deeper


def applies(parent: Any, when: tuple[str, object] | None) -> bool:
    if when is None:
        return True
    if not isinstance(parent, dict):
        return False
    sibling, wanted = when
    value = parent.get(sibling)
    if wanted is PRESENT:
        return not missing(value)
    return isinstance(value, str) and value.lower() == str(wanted).lower()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def valid(check: Check, value: Any, allowed: tuple[str, ...] = ()) -> bool:
    """Whether a given (non-null) value has the documented type."""
    return _VALID[check](value, allowed)


def _number(value: Any, allowed: tuple[str, ...]) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    if value.__class__ is str:  # prices repeat ("19.50" in every variant): the match is remembered
        known = _NUMBER_TEXTS.get(value)
        if known is None:
            if len(_NUMBER_TEXTS) >= 4096:
                _NUMBER_TEXTS.clear()
            known = _NUMBER_TEXTS[value] = bool(_NUMBER_TEXT.match(value))
        return known
    return _is_int(value) or (isinstance(value, str) and bool(_NUMBER_TEXT.match(value)))


_NUMBER_TEXTS: dict[str, bool] = {}


def _one_default(value: Any, allowed: tuple[str, ...]) -> bool:
    items = _elements(value, True)
    return sum(isinstance(item, dict) and _truthy(item.get("default_on")) for item in items) <= 1


# One test per check, looked up once per row (not a match over the checks per value: issue 13).
_VALID: dict[Check, Callable[[Any, tuple[str, ...]], bool]] = {
    Check.REQUIRED: lambda value, allowed: not missing(value),
    Check.INT: lambda value, allowed: _is_int(value),
    Check.NUMBER: _number,
    Check.BOOL: lambda value, allowed: isinstance(value, bool) or (_is_int(value) and value in (0, 1)),
    Check.TRUE_FALSE: lambda value, allowed: isinstance(value, bool),
    Check.TEXT: lambda value, allowed: isinstance(value, str),
    Check.TEXT_OR_INT: lambda value, allowed: isinstance(value, str) or _is_int(value),
    Check.ONE_OF: lambda value, allowed: isinstance(value, str) and value in allowed,
    Check.OBJECT: lambda value, allowed: isinstance(value, dict),
    Check.OBJECTS: lambda value, allowed: all(isinstance(item, dict) for item in _elements(value, True)),
    Check.ID_LIST: lambda value, allowed: all(_is_int(item) for item in _elements(value, True)),
    Check.ID_TEXT: lambda value, allowed: _is_int(value) or (isinstance(value, str) and bool(_IDS_TEXT.match(value))),
    Check.ONE_DEFAULT: _one_default,
}
assert set(_VALID) == set(Check), "every check has its test"


_INT_OR_STR = (int, str)  # a tuple: `int | str` in the call made a new union per call


def _truthy(flag: Any) -> bool:
    return flag is True or (isinstance(flag, _INT_OR_STR) and str(flag).strip() in ("1", "true"))


def broken_by(row: Row, body: Any) -> bool:
    """Whether `body` breaks this row."""
    return _broken(row, body, {})


def _broken(row: Row, body: Any, seen: dict[_Head, list[Any]]) -> bool:
    head, key, options = _parsed(row.path)
    return any(_breaks(row, parent, key, options) for parent in _parents(body, head, seen))


def _breaks(row: Row, parent: Any, key: str, options: tuple[str, ...]) -> bool:
    """Whether this one parent breaks the row (`key` and `options`: the row's last path segment)."""
    if row.when is not None and not applies(parent, row.when):
        return False
    return _breaks_here(row, parent, key, options)


def _breaks_here(row: Row, parent: Any, key: str, options: tuple[str, ...]) -> bool:
    """_breaks for a parent the row applies to."""
    if row.check is Check.REQUIRED:
        if not isinstance(parent, dict):
            return True
        return all(missing(parent.get(option)) for option in options) if len(options) > 1 \
            else missing(parent.get(key))
    return isinstance(parent, dict) and (value := parent.get(key)) is not None \
        and not _VALID[row.check](value, row.allowed)


def first_broken(rows: tuple[Row, ...], body: dict[str, Any]) -> Row | None:
    """The first row `body` breaks, in the table's order; None when it breaks none."""
    cut = _SHORTCUTS.get(id(rows))
    if cut is not None and cut[0] is rows and cut[1](body):
        rows = cut[2]  # the body breaks none of the rows the shortcut covers: the others are left
        if not rows:
            return None
    heads, steps = _plan(rows)
    reached: list[list[Any] | None] = [None] * len(heads)
    reached[0] = [body]
    for step in steps:
        parents = reached[step.head]
        if parents is None:
            parents = _reach(heads, reached, step.head)
        if parents and _step_broken(step, parents):
            return step.row
    return None


# A table's shortcut (see shortcut()): the table, the test, the rows the test does not cover.
_SHORTCUTS: dict[int, tuple[tuple[Row, ...], Callable[[Any], bool], tuple[Row, ...]]] = {}


def shortcut(rows: tuple[Row, ...], takes: Callable[[Any], bool], rest: tuple[Row, ...]) -> None:
    """Have first_broken(rows, body) run only `rest` (rows of `rows`, in order) for a body `takes` is true
    of: `takes` must be true only of bodies that break no row of `rows` outside `rest`."""
    assert all(row in rows for row in rest), "rest is some of the table's own rows"
    _SHORTCUTS[id(rows)] = (rows, takes, rest)


# What first_broken runs per row (issue 13: the ~45 rows of a create_product were a fifth of the
# sandbox's CPU per create). A row's path is taken apart once per table, its parents are found by
# index instead of by hashing the path, and a value whose exact class always passes the check skips
# the call: an int is an INT, a str is TEXT, whatever its value. broken_by() stays the reference.
_ALWAYS_VALID: dict[Check, frozenset[type]] = {
    Check.INT: frozenset({int}), Check.NUMBER: frozenset({int}), Check.BOOL: frozenset({bool}),
    Check.TRUE_FALSE: frozenset({bool}), Check.TEXT: frozenset({str}), Check.TEXT_OR_INT: frozenset({str, int}),
    Check.OBJECT: frozenset({dict}), Check.OBJECTS: frozenset({dict}), Check.ID_LIST: frozenset({int}),
    Check.ID_TEXT: frozenset({int}),
}
_EMPTY_WHEN_FALSY = frozenset({str, list, dict})  # exactly these: missing() is `not value` for them
_NEVER_MISSING = frozenset({int, bool, Decimal, float})


@dataclass(frozen=True, slots=True)
class _Step:
    row: Row
    head: int  # index of the row's parent path in its plan's heads (0: the body)
    key: str
    options: tuple[str, ...]
    required: bool
    test: Callable[[Any, tuple[str, ...]], bool]
    passes: frozenset[type]


# (index of the parent head, `*`, name, `[]`) per head; head 0 is the body and its entry unused
_HeadStep = tuple[int, bool, str, bool]
_PLANS: dict[int, tuple[tuple[Row, ...], list[_HeadStep], list[_Step]]] = {}


def _plan(rows: tuple[Row, ...]) -> tuple[list[_HeadStep], list[_Step]]:
    known = _PLANS.get(id(rows))
    if known is not None and known[0] is rows:
        return known[1], known[2]
    index: dict[_Head, int] = {(): 0}
    heads: list[_HeadStep] = [(0, False, "", False)]

    def head_of(head: _Head) -> int:
        if head not in index:
            parent = head_of(head[:-1])
            index[head] = len(heads)
            heads.append((parent, *head[-1]))
        return index[head]

    steps: list[_Step] = []
    for row in rows:
        head, key, options = _parsed(row.path)
        if row.when is not None:  # a few rows: the general path
            steps.append(_Step(row, head_of(head), key, options, False, _VALID[row.check], frozenset()))
            continue
        steps.append(_Step(row, head_of(head), key, options if len(options) > 1 else (),
                           row.check is Check.REQUIRED, _VALID[row.check], _ALWAYS_VALID.get(row.check, frozenset())))
    if len(_PLANS) > 64:  # tables are few and live as long as the process; a stray caller's rows are not kept
        _PLANS.clear()
    _PLANS[id(rows)] = (rows, heads, steps)
    return heads, steps


def _reach(heads: list[_HeadStep], reached: list[list[Any] | None], at: int) -> list[Any]:
    """The nodes head `at` reaches (as _parents finds them), remembered in `reached`."""
    parent_at, star, name, many = heads[at]
    parents = reached[parent_at]
    if parents is None:
        parents = _reach(heads, reached, parent_at)
    deeper = _children(parents, star, name, many)
    reached[at] = deeper
    return deeper


def _applying(when: tuple[str, object], parents: list[Any]) -> list[Any]:
    """The parents `when` applies to (applies(), without a call per parent)."""
    sibling, wanted = when
    if wanted is PRESENT:
        return [parent for parent in parents if isinstance(parent, dict) and not missing(parent.get(sibling))]
    folded = str(wanted).lower()
    return [parent for parent in parents if isinstance(parent, dict)
            and isinstance(value := parent.get(sibling), str) and value.lower() == folded]


def _step_broken(step: _Step, parents: list[Any]) -> bool:
    row = step.row
    if row.when is not None:
        return any(_breaks_here(row, parent, step.key, step.options) for parent in _applying(row.when, parents))
    key = step.key
    if step.required:
        for parent in parents:
            if not isinstance(parent, dict):
                return True
            if step.options:
                if all(missing(parent.get(option)) for option in step.options):
                    return True
                continue
            value = parent.get(key)
            kind = value.__class__
            if value is None or (not value if kind in _EMPTY_WHEN_FALSY else
                                 kind not in _NEVER_MISSING and missing(value)):
                return True
        return False
    test, passes, allowed = step.test, step.passes, row.allowed
    for parent in parents:
        if isinstance(parent, dict):
            value = parent.get(key)
            if value is not None and value.__class__ not in passes and not test(value, allowed):
                return True
    return False


def refusal(rows: tuple[Row, ...], body: dict[str, Any]) -> Reply | None:
    """The documented failure of the first row `body` breaks; None when none is."""
    row = first_broken(rows, body)
    return None if row is None else fail(row.failure, row.status, reason=row.key)
