"""_variant_rows spells a run of variants' numbers once when they hold the very same Decimals, and echo
answers each value's remembered entry (issue 13): the rows and the answer must be as spelled one by one."""

from __future__ import annotations

from decimal import Decimal

from catalogctl.sandbox.groovekart import catalog_write as cw
from catalogctl.sandbox.groovekart import variant_input, wire
from catalogctl.sandbox.groovekart.variant_input import NewValue, NewVariant


def _old_rows(product_id: int, variants: list[NewVariant], last_default: int) -> list[tuple[object, ...]]:
    return [(product_id, variant.sku, wire.six(variant.price), wire.six(variant.compare_price),
             wire.six(variant.weight), variant.weight_unit, int(at == last_default))
            for at, variant in enumerate(variants)]


def test_rows_are_spelled_as_one_by_one() -> None:
    zero, minus_zero, price = Decimal("0"), Decimal("-0"), Decimal("19.5")
    value = NewValue("Size", "select", "S")
    numbers = [(price, zero, zero), (price, zero, zero), (price, minus_zero, zero),
               (Decimal("19.50"), zero, minus_zero), (price, zero, zero),
               (Decimal("1E+2"), Decimal("0.0000005"), Decimal("1.5"))]
    variants = [NewVariant((value,), p, c, f"s{at}", w, "kg", False) for at, (p, c, w) in enumerate(numbers)]
    for last_default in (-1, 0, 3):
        assert cw._variant_rows(7, variants, last_default) == _old_rows(7, variants, last_default)


def _old_echo(variant: NewVariant) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for value in variant.values:
        entry = {"variant_group_type": value.group_type, "variant_name": value.name}
        if value.color:
            entry["color"] = value.color
        if value.texture:
            entry["texture"] = value.texture
        out[value.group] = entry
    return out


def test_echo_is_as_built_one_by_one() -> None:
    values = (NewValue("Color", "color", "Blue", "#0000FF"), NewValue("Size", "select", "S"),
              NewValue("Stuff", "radio", "Wood", "", "https://img.example.com/t.png"), NewValue("Size", "select", "M"))
    for count in range(len(values) + 1):
        variant = NewVariant(values[:count], Decimal(1), Decimal(0), "", Decimal(0), "", False)
        assert variant_input.echo(variant) == _old_echo(variant)
        assert list(variant_input.echo(variant).items()) == list(_old_echo(variant).items())
