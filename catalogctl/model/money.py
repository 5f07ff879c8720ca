"""Decimal helpers: money and weights never pass through float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

SIX_PLACES = Decimal("0.000001")
# The catalog's zero (an amount left out), one object for every resource that has it: plan/diff.py knows its text.
ZERO = Decimal(0)


def to_decimal(value: object) -> Decimal:
    """Parse a store or YAML number ("24.990000", 27, "27.99") into a normalized Decimal.

    Raises ValueError for anything that is not a finite decimal number (floats included:
    a float has already lost the digits we care about).
    """
    if isinstance(value, Decimal):
        dec = value
    elif isinstance(value, bool | float):
        raise ValueError(f"{value!r} is not a decimal (floats are refused)")
    elif isinstance(value, int):
        dec = Decimal(value)
    elif isinstance(value, str):
        try:
            dec = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not a decimal number") from exc
    else:
        raise ValueError(f"{value!r} is not a decimal number")
    if not dec.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return canonical(dec)


def canonical(dec: Decimal) -> Decimal:
    """The one spelling of a value: no trailing zeros, no exponent ("24.990000" -> 24.99)."""
    normalized = dec.normalize()
    if not normalized:
        return Decimal(0)
    # A positive exponent (1E+1 for 10) is a whole number of ten or more: told by comparing with the
    # integral value rather than by as_tuple, which builds a named tuple of every digit (a large plan
    # makes 110,000 of these).
    if normalized.adjusted() > 0 and normalized.is_finite() and normalized == normalized.to_integral_value():
        return normalized.quantize(_ONE)
    return normalized


_ONE = Decimal(1)


def store_string(dec: Decimal) -> str:
    """Format as the store writes numbers: six decimals ("24.990000")."""
    return str(dec.quantize(SIX_PLACES))


def plain_string(dec: Decimal) -> str:
    """Format for people and YAML: "24.99", "25", "0.37"."""
    return format(canonical(dec), "f")
