"""What the store cannot tell import (write-only attributes), kept from the user's files on --merge.

The store never returns a variant's weight_unit, and a product's short_description only when
state remembers it; a fresh import leaves them out. Merging must not take that silence for
"remove it": the user's values are carried into the new item before it is compared or merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ValuesKey = frozenset[tuple[str, str]]


def with_user_unknowns(old: Any, new: dict[str, Any], unknown: Iterable[str]) -> dict[str, Any]:
    """`new` plus the user's values (from `old`) for attributes the store did not report."""
    if not isinstance(old, Mapping):
        return new
    merged = dict(new)
    for name in unknown:
        if name in old and name not in merged:
            merged[name] = old[name]
    units = _weight_units(old.get("variants"))
    variants = merged.get("variants")
    if units and isinstance(variants, Mapping) and "weight_unit" not in variants:
        uniform = set(units.values())
        if len(uniform) == 1:
            merged["variants"] = type(variants)({**variants, "weight_unit": uniform.pop()})
    elif units and isinstance(variants, list):
        merged["variants"] = [_with_unit(variant, units) for variant in variants]
    return merged


def _with_unit(variant: Any, units: Mapping[ValuesKey | None, str]) -> Any:
    if not isinstance(variant, Mapping) or "weight_unit" in variant:
        return variant
    unit = units.get(_values_key(variant.get("values"))) or units.get(None)
    return variant if unit is None else type(variant)({**variant, "weight_unit": unit})


def _weight_units(variants: Any) -> dict[ValuesKey | None, str]:
    """The user's weight units: by variant values (a list), or for every variant (None: a matrix)."""
    if isinstance(variants, Mapping):
        unit = variants.get("weight_unit")
        return {None: str(unit)} if unit else {}
    units: dict[ValuesKey | None, str] = {}
    for variant in variants if isinstance(variants, list) else ():
        if isinstance(variant, Mapping) and variant.get("weight_unit"):
            key = _values_key(variant.get("values"))
            if key is not None:
                units[key] = str(variant["weight_unit"])
    return units


def _values_key(values: Any) -> ValuesKey | None:
    """{Color: {value: Blue, color: ...}, Size: L} -> {(Color, Blue), (Size, L)}."""
    if not isinstance(values, Mapping):
        return None
    return frozenset((str(group), str(value.get("value") if isinstance(value, Mapping) else value))
                     for group, value in values.items())
