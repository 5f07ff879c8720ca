"""Attribute differences between a desired and a live resource, and the JSON form of values.

Rule for write-only attributes (the store never returns them, e.g. a product's
short_description, a variant's weight_unit, a group's type): they are compared only when the
live resource carries a known value, which the provider's reader gives only when state
remembers it. A missing key or None means "unknown", never "different": losing state must not
make every product look changed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from catalogctl.model.address import Address
from catalogctl.model.money import ZERO, plain_string


@dataclass(frozen=True)
class FieldDiff:
    """One attribute that differs: native values (Decimal, tuples), not yet JSON."""

    name: str
    old: Any
    new: Any


def diff_attrs(
    desired: Mapping[str, Any], live: Mapping[str, Any], write_only: frozenset[str] = frozenset(),
    skip: Collection[str] = (),
) -> tuple[FieldDiff, ...]:
    """Fields of `desired` (but those in `skip`) whose value differs in `live`, in the desired mapping's order."""
    if desired == live and _same_types(desired, live):
        return ()  # the common case of a large plan, decided at C speed: every field equal, no True == 1
    diffs: list[FieldDiff] = []
    for name, new in desired.items():
        if name in skip:
            continue
        old = live.get(name, _MISSING)
        if old is _MISSING or (old is None and name in write_only):
            if name in write_only:
                continue  # unknown: the store cannot tell us, state does not remember
            diffs.append(FieldDiff(name, None, new))
            continue
        if type(old) is type(new) and old == new:
            continue  # the common case, decided without _equal's checks (same type: no True == 1)
        if not _equal(old, new):
            diffs.append(FieldDiff(name, old, new))
    return tuple(diffs)


_MISSING = object()


def same_attrs(desired: Mapping[str, Any], live: Mapping[str, Any]) -> bool:
    """True when `diff_attrs(desired, live, ...)` is () whatever its write_only and skip, decided without
    a field loop of diff_attrs: every field equal with values of the same types (so no True == 1)."""
    return desired == live and _same_types(desired, live)


def _same_types(desired: Mapping[str, Any], live: Mapping[str, Any]) -> bool:
    """Equal mappings whose values are of the same types name by name: then no field differs (without this,
    True == 1 and Decimal(1) == True would pass for equal). In any order: diff_attrs goes by name. A loop,
    not lists of names and types (each `map(type, ...)` item is a type call through a tuple of arguments):
    callgrind, 11 variant pairs: 107k -> 66k instructions."""
    for name, value in desired.items():
        if type(live[name]) is not type(value):
            break
    else:
        return True
    return False


def _equal(old: Any, new: Any) -> bool:
    # Decimal("24.99") == Decimal("24.990000") already; guard bool/int confusion (True == 1).
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    return bool(old == new)


def jsonable(value: Any) -> Any:
    """The JSON form used inside a Plan: Decimal -> "24.99", tuples -> lists (round-trips exactly)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:  # by type first: a plan makes millions
        return value
    if kind is Decimal:
        return _plain_text(value)
    if kind is tuple:
        return [jsonable(item) for item in value]
    match value:
        case bool() | int() | str() | None:
            return value
        case Decimal():
            return plain_string(value)
        case tuple() | list():
            return [jsonable(item) for item in value]
        case Mapping():
            return {str(key): jsonable(item) for key, item in value.items()}
        case _:
            return str(value)


def _plain_text(value: Decimal) -> str:
    """plain_string, remembered per value: equal Decimals ("19.5", "19.50") have one plain text, and a
    large plan formats the same few prices hundreds of thousands of times."""
    if not value.is_finite():  # a signaling NaN cannot be hashed (and no plan holds one)
        return plain_string(value)
    text = _PLAIN.get(value)
    if text is None:
        text = plain_string(value)
        if len(_PLAIN) < 65536:
            _PLAIN[value] = text
    return text


_PLAIN: dict[Decimal, str] = {}
# str(Decimal) -> its plain text: str() spells sign, digits and exponent exactly, so one spelling is one value
_PLAIN_BY_TEXT: dict[str, str] = {}


def jsonable_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    return {name: jsonable(value) for name, value in attrs.items()}


class JsonForms:
    """jsonable_attrs for one plan's many resources: a tuple shared by many of them (a variant's values,
    one object for every product with that combination) is put in its JSON form once, and that one list
    is shared by every change that shows it, like the tuple by the resources (nothing writes to a
    change's attrs). A 10,000-product create plan converts 120,000 resources."""

    def __init__(self) -> None:
        self._tuples: dict[int, tuple[tuple[Any, ...], Any]] = {}   # id -> (the tuple, kept alive; its form)
        self._last: tuple[Decimal | None, str] = (None, "")   # the last finite Decimal whose text was made, and it

    def attrs(self, attrs: Mapping[str, Any]) -> dict[str, Any]:
        """jsonable_attrs(attrs): a copy made in C, in which only the values that have another JSON form
        are written again (most are kept as they are: a store per field fewer)."""
        out = attrs.copy() if type(attrs) is dict else dict(attrs.items())
        tuples, texts = self._tuples, _PLAIN_BY_TEXT
        last, last_text = before = self._last
        for name, value in attrs.items():
            kind = type(value)
            if kind is str or kind is bool or value is None or kind is int:
                continue
            if kind is Decimal:   # _plain_text, looked up by the value's own text: hashing a Decimal made
                if value is ZERO:     # for the plan (each variant's price) costs several times as much
                    out[name] = "0"   # the catalog's one zero, no text made: two amounts of most variants
                    continue
                if value == last:     # an equal value has the same plain text: a product's variants hold copies
                    out[name] = last_text   # of its price, one after the other (str() and a lookup: ~4 times
                    continue                # the instructions of the comparison)
                spelled = str(value)
                text = texts.get(spelled)
                if text is None:
                    text = _plain_text(value)   # raises for a signaling NaN, as jsonable does
                    if value.is_finite() and len(texts) < 65536:
                        texts[spelled] = text
                if value.is_finite():
                    last, last_text = value, text
                out[name] = text
            elif kind is tuple:
                known = tuples.get(id(value))
                if known is None or known[0] is not value:
                    known = tuples[id(value)] = (value, jsonable(value))
                out[name] = known[1]
            else:
                out[name] = jsonable(value)
        if last is not before[0]:
            self._last = (last, last_text)
        return out


def address_text(address: Address) -> str:
    """str(address) (an address keeps its text once made: no cache needed here, and a cache keyed by
    address costs a hash and an equality check per call)."""
    return str(address)
