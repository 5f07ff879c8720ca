"""Decimal helpers: money and weights never pass through float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

SIX_PLACES = Decimal("0.000001")


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
    if normalized == 0:
        return Decimal(0)
    _, _, exponent = normalized.as_tuple()
    if isinstance(exponent, int) and exponent > 0:
        return normalized.quantize(Decimal(1))
    return normalized


def store_string(dec: Decimal) -> str:
    """Format as the store writes numbers: six decimals ("24.990000")."""
    return str(dec.quantize(SIX_PLACES))


def plain_string(dec: Decimal) -> str:
    """Format for people and YAML: "24.99", "25", "0.37"."""
    return format(canonical(dec), "f")
