"""Variants as the requests spell them (product create and variants.json add), parsed and checked."""

from __future__ import annotations

import marshal
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import Any

from catalogctl.config import store_rules
from catalogctl.sandbox.groovekart import payload, rules
from catalogctl.sandbox.groovekart.payload import Invalid, check


@dataclass(frozen=True)
class NewValue:
    group: str
    group_type: str
    name: str
    color: str = ""
    texture: str = ""

    @cached_property  # (a frozen dataclass's __dict__, not a field: eq, hash and repr are unchanged)
    def folded(self) -> tuple[str, str]:
        """The value as a product's value sets compare it: group and name, case-insensitively. Remembered:
        a value is parsed once and named by every variant of every product that uses it (issue 13)."""
        return self.group.lower(), self.name.lower()

    @cached_property
    def pair(self) -> tuple[str, str]:
        """(group, name): how a transaction's known attribute ids are keyed (catalog_write)."""
        return self.group, self.name

    @cached_property
    def entry(self) -> dict[str, str]:
        """The value's `variant_values` entry in a create's answer (echo); one dict shared by every answer
        naming the value, only ever encoded, never changed."""
        entry = {"variant_group_type": self.group_type, "variant_name": self.name}
        if self.color:
            entry["color"] = self.color
        if self.texture:
            entry["texture"] = self.texture
        return entry


@dataclass(frozen=True)
class NewVariant:
    values: tuple[NewValue, ...]
    price: Decimal
    compare_price: Decimal
    sku: str
    weight: Decimal
    weight_unit: str
    default_on: bool


def group_type(value: Any) -> str:
    text = payload.as_str(value, "group_type").lower() or "select"
    if text not in rules.GROUP_TYPES:
        raise Invalid(f"group_type {text!r} is not one of {', '.join(rules.GROUP_TYPES)}")
    return text


# The checks of a name or a colour depend on its text alone, and a create_product of 10 variants
# names each group 10 times and each value several times (and the next product names them again).
@lru_cache(maxsize=4096)
def _name_problem(value: str, field: str) -> str | None:
    return rules.generic_name(value, field)


@lru_cache(maxsize=1024)
def _color_problem(value: str) -> str | None:
    return rules.color(value)


# A value's answer depends on its group and its fields alone, and the same few values (Color: Blue
# #0000FF) come in every variant of every product: an answer is remembered for a value whose fields
# are all exact strs (so equal fields are the same text; a Decimal 1.0 equals 1.00 but reads
# differently). A refusal raises and is never remembered.
_VALUES: dict[tuple[str, tuple[tuple[str, str], ...]], NewValue] = {}
_STR = frozenset({str})
_MAX_VALUES = 4096


def parse_value(group: str, raw: Any) -> NewValue:
    """A variant value of `group` as the request spells it (`raw`: its variant_values entry), checked."""
    if raw.__class__ is not dict or group.__class__ is not str or not {*map(type, raw.values())} <= _STR:
        return _parse_value(group, raw)  # (the set of the fields' exact classes: in C, not a generator per value)
    key = (group, tuple(raw.items()))
    value = _VALUES.get(key)
    if value is None:
        value = _parse_value(group, raw)
        if len(_VALUES) >= _MAX_VALUES:
            _VALUES.clear()
        _VALUES[key] = value
    return value


def _parse_value(group: str, raw: Any) -> NewValue:
    check(_name_problem(group, "variant group name"))
    data = payload.as_dict(raw, f"variant_values.{group}")
    name = payload.as_str(data.get("variant_name"), "variant_name")
    check(_name_problem(name, "variant_name"))
    color = payload.as_str(data.get("color"), "color")
    if color:
        check(_color_problem(color))
    texture = payload.as_str(data.get("texture"), "texture")
    if texture:
        payload.image_src(texture)
    return NewValue(group, group_type(data.get("variant_group_type")), name, color, texture)


_ZERO = Decimal(0)  # a missing price (a Decimal is immutable: one serves every variant)


def parse_variant(raw: Any) -> NewVariant:
    # The checks in the same order as ever; a dict skips as_dict's call (10 variants a create: issue 13).
    data = raw if raw.__class__ is dict else payload.as_dict(raw, "variant")
    values_raw = data.get("variant_values")
    if values_raw.__class__ is not dict:
        values_raw = payload.as_dict(values_raw, "variant_values")
    if not values_raw:
        raise Invalid("a variant needs variant_values")
    sku = payload.as_str(data.get("sku"), "sku")
    check(rules.reference(sku))
    return NewVariant(
        values=tuple([parse_value(str(group).strip(), raw_value) for group, raw_value in values_raw.items()]),
        price=payload.price(data.get("price"), "price", _ZERO),
        compare_price=payload.price(data.get("compare_at_price"), "compare_at_price", _ZERO),
        sku=sku,
        weight=payload.weight(data.get("weight"), "weight"),
        weight_unit=payload.as_str(data.get("weight_unit"), "weight_unit")[:16],
        default_on=payload.as_bool(data.get("default_on")),
    )


_DEFAULT_ON = attrgetter("default_on")
_FOLDED = attrgetter("folded")


def parse_variants(raw: Any) -> list[NewVariant]:
    """A list of variants with at most one default and distinct value sets."""
    split = _split(raw)
    if split is not None:
        key, skus = split
        templates = _LISTS.get(key)
        if templates is not None:
            return [*map(_with_sku, templates, skus)]
    variants = _parse_variants(raw)
    if split is not None and len(split[0]) <= _MAX_KEY:
        _remember(split[0], variants)
    return variants


def _remember(key: bytes, variants: list[NewVariant]) -> None:
    """Keep a parsed list's variants (their skus blanked) for `key`, within _MAX_LISTS and _MAX_VALUES."""
    global _held_values
    values = sum(len(variant.values) for variant in variants)
    if values > _MAX_VALUES:
        return
    if len(_LISTS) >= _MAX_LISTS or _held_values + values > _MAX_VALUES:
        _LISTS.clear()
        _held_values = 0
    _LISTS[key] = tuple([{**vars(variant), "sku": ""} for variant in variants])
    _held_values += values


# A list's variants, but for their skus, depend on the fields of its variants alone, and a catalog repeats
# them (every product of the benchmark: one Color x Size matrix at one price). A list that parsed is
# remembered by those fields (every variant's but its sku), marshalled: equal bytes are equal values
# of the same exact classes (marshal writes a bool, an int, a str, a list, a dict apart, in order, and
# refuses a Decimal or any subclass), which parse alike. Met again, its variants are those remembered
# with its own skus, when each is a str that parse_variant takes as it is, stripped; any other sku sends
# the list through _parse_variants, which says what it said. Issue 13: a 10-variant create_product's
# checks without the store (parse_create) 638,000 -> 288,000 instructions (callgrind).
_LISTS: dict[bytes, tuple[dict[str, Any], ...]] = {}
_MAX_LISTS = 64
_MAX_KEY = 1 << 14  # bytes of a list's fields: no key of more is made
# What a remembered list keeps alive is its values (each NewValue ~700 bytes once written, its key text a
# few bytes of a marshalled list): a review kept ~33 MB in 64 lists of 450 distinct values each under
# _MAX_KEY alone. At most 4,096 values are held in all (~3 MB); a benchmark list holds 20.
_MAX_VALUES = 4096
_held_values = 0
_FIELDS = ("variant_values", "price", "compare_at_price", "weight", "weight_unit", "default_on", "sku")
_DICT = frozenset({dict})
_NEW = object.__new__


def _split(raw: Any) -> tuple[bytes, list[str]] | None:
    """A variant list's key (its fields but the skus) and its skus as parse_variant reads them, when
    every sku is a str the rules take; None otherwise."""
    if raw.__class__ is not list or not raw or {*map(type, raw)} != _DICT:
        return None
    fields = [[*map(data.get, _FIELDS)] for data in raw]
    skus = [row.pop() for row in fields]
    if not {*map(type, skus)} <= _STR:
        return None
    skus = [*map(str.strip, skus)]
    if not store_rules.references_taken(skus):
        return None
    try:
        return marshal.dumps(fields), skus
    except ValueError:  # a Decimal, too deep: parsed every time
        return None


def _with_sku(template: dict[str, Any], sku: str) -> NewVariant:
    """The NewVariant of these fields: what its frozen __init__ sets, one attribute at a time."""
    variant = _NEW(NewVariant)
    vars(variant).update(template, sku=sku)
    return variant


def _parse_variants(raw: Any) -> list[NewVariant]:
    variants = [*map(parse_variant, payload.as_list(raw))]
    if [*map(_DEFAULT_ON, variants)].count(True) > 1:  # (default_on is a bool: counted in C)
        raise Invalid("only one variant can have default_on = 1")
    seen: set[frozenset[tuple[str, str]]] = set()
    for variant in variants:
        key = frozenset(map(_FOLDED, variant.values))
        if key in seen:
            raise Invalid("This combination already exists")
        seen.add(key)
    return variants


def echo(variant: NewVariant) -> dict[str, dict[str, str]]:
    """The `variant_values` a product create answers with, as sent (normalized): each value's entry, by its
    group (the last value of a group wins, as ever)."""
    return {value.group: value.entry for value in variant.values}
