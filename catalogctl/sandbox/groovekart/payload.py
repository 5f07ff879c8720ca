"""Reading request fields the way the PHP store does: lenient about types, strict about values.

Every helper raises Invalid with a reason; endpoint modules turn it into the call's documented
failure body (the reason itself stays internal: the real store does not say why either).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from catalogctl.sandbox.groovekart import rules

_INT = re.compile(r"^\s*\d+\s*$")
# PHP's intval saturates at the 64-bit limits; SQLite raises OverflowError beyond them.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


class Invalid(Exception):
    """The request cannot be carried out; the message says why (for logs and tests)."""


def check(problem: str | None) -> None:
    if problem is not None:
        raise Invalid(problem)


def as_dict(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{field} must be an object")
    return value


def as_list(value: Any) -> list[Any]:
    """A PHP array param: a list, one scalar (treated as a list of one), or nothing."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def as_int(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise Invalid(f"{field} must be a number")
    if isinstance(value, int):
        return _saturate(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return _saturate(int(value))
    if isinstance(value, str) and _INT.match(value):
        return _saturate(int(value))
    raise Invalid(f"{field} must be a number")


def _saturate(number: int) -> int:
    return min(max(number, _INT_MIN), _INT_MAX)


def opt_int(value: Any, field: str) -> int | None:
    return None if value is None or value == "" else as_int(value, field)


def as_bool(value: Any) -> bool:
    """PHP truthiness for flags: true, 1, "1", "true" are true."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


_TEXTUAL = (str, int, Decimal)  # a tuple: `str | int | Decimal` in the call made a new union per call


def as_str(value: Any, field: str) -> str:
    """A string field; numbers are accepted (the doc types sku as string/int)."""
    if value.__class__ is str:  # the common case, as the branches below answer it
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        raise Invalid(f"{field} must be a string")
    if isinstance(value, _TEXTUAL):
        return str(value).strip()
    raise Invalid(f"{field} must be a string")


def as_decimal(value: Any, field: str, default: Decimal | None = None) -> Decimal:
    """A price or weight: int, JSON number (parsed as Decimal) or numeric string."""
    if value is None or value == "":
        if default is None:
            raise Invalid(f"{field} is required")
        return default
    if isinstance(value, bool):
        raise Invalid(f"{field} must be a number")
    try:
        dec = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise Invalid(f"{field} must be a number") from exc
    if not dec.is_finite():
        raise Invalid(f"{field} must be a number")
    return dec


def price(value: Any, field: str, default: Decimal | None = None) -> Decimal:
    if value.__class__ is str and value:
        return _text_price(value, field)
    dec = as_decimal(value, field, default)
    check(rules.price(dec, field))
    return dec


@lru_cache(maxsize=4096)
def _text_price(value: str, field: str) -> Decimal:
    """price() of a text (a catalog repeats few prices; a Decimal is immutable, so one serves all).
    A refused text raises each time: lru_cache keeps only answers."""
    dec = as_decimal(value, field)
    check(rules.price(dec, field))
    return dec


def weight(value: Any, field: str) -> Decimal:
    if value.__class__ is str and value:
        return _text_weight(value, field)
    dec = as_decimal(value, field, Decimal(0))
    check(rules.unsigned(dec, field))
    return dec


@lru_cache(maxsize=4096)
def _text_weight(value: str, field: str) -> Decimal:
    """weight() of a text, remembered as _text_price is."""
    dec = as_decimal(value, field)
    check(rules.unsigned(dec, field))
    return dec


def tag_list(value: Any) -> list[str]:
    """A comma separated tag string ("tag1, tag2") as clean, de-duplicated tags."""
    text = as_str(value, "tags")
    result: list[str] = []
    for part in text.split(","):
        tag = part.strip()
        if tag and tag not in result:
            result.append(tag)
    check(rules.tags(result))
    return result


def image_src(value: Any) -> str:
    """An image source must be an absolute http(s) url (the store downloads it)."""
    src = as_str(value, "image.src")
    check(rules.url(src))
    return src


def endpoint_url(value: Any) -> str | None:
    """A webhook endpoint: an absolute http(s) url, or None when missing/invalid."""
    if not isinstance(value, str) or rules.url(value.strip()) is not None:
        return None
    return value.strip()
