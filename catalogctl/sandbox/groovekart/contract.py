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
    deeper: list[Any] = []
    for node in _parents(body, head[:-1], seen):
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
    seen[head] = deeper
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
    return _is_int(value) or (isinstance(value, str) and bool(_NUMBER_TEXT.match(value)))


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


def _truthy(flag: Any) -> bool:
    return flag is True or (isinstance(flag, int | str) and str(flag).strip() in ("1", "true"))


def broken_by(row: Row, body: Any) -> bool:
    """Whether `body` breaks this row."""
    return _broken(row, body, {})


def _broken(row: Row, body: Any, seen: dict[_Head, list[Any]]) -> bool:
    head, key, options = _parsed(row.path)
    when, check = row.when, row.check
    for parent in _parents(body, head, seen):
        if when is not None and not applies(parent, when):
            continue
        if check is Check.REQUIRED:
            if not isinstance(parent, dict):
                return True
            if all(missing(parent.get(option)) for option in options) if len(options) > 1 \
                    else missing(parent.get(key)):
                return True
        elif isinstance(parent, dict) and (value := parent.get(key)) is not None \
                and not _VALID[check](value, row.allowed):
            return True
    return False


def first_broken(rows: tuple[Row, ...], body: dict[str, Any]) -> Row | None:
    """The first row `body` breaks, in the table's order; None when it breaks none."""
    seen: dict[_Head, list[Any]] = {}
    return next((row for row in rows if _broken(row, body, seen)), None)


def refusal(rows: tuple[Row, ...], body: dict[str, Any]) -> Reply | None:
    """The documented failure of the first row `body` breaks; None when none is."""
    row = first_broken(rows, body)
    return None if row is None else fail(row.failure, row.status, reason=row.key)
