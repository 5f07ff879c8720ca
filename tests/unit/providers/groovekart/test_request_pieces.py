"""The pieces of a request body that are remembered across steps (issue 13) say what they said when built anew."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from catalogctl.http.body import encode_body
from catalogctl.model.money import plain_string
from catalogctl.providers.groovekart.actions import GroupSpec, ProductSpec, VariantSpec
from catalogctl.providers.groovekart.execute import context
from catalogctl.providers.groovekart.execute.context import num
from catalogctl.providers.groovekart.execute.products import product_body
from catalogctl.providers.groovekart.execute.variants import group_types, variant_bodies, variant_body

AMOUNTS = ["19.50", "19.5", "19.500000", "0", "-0", "0.00", "1E+1", "10", "1e1", "100.000", "-3.20", "1E-7",
           "123456789012345678901234567890.5", "0.1", "NaN", "Infinity"]


@pytest.mark.parametrize("text", AMOUNTS)
def test_num_is_plain_string_of_each_amount_again_and_again(text: str) -> None:
    value = Decimal(text)
    try:
        expected = plain_string(Decimal(text))
    except Exception as exc:   # an amount plain_string refuses is refused the same way, remembered or not
        for _ in range(2):
            with pytest.raises(type(exc)):
                num(Decimal(text))
        return
    assert num(value) == expected and num(Decimal(text)) == expected and num(value) == expected


def test_num_remembers_a_bounded_number_of_amounts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context, "_NUM", {})
    monkeypatch.setattr(context, "_NUM_LIMIT", 3)
    texts = [num(Decimal(n) / 4) for n in range(10)]
    assert texts == [plain_string(Decimal(n) / 4) for n in range(10)] and len(context._NUM) == 3


def _variant_body_anew(variant: VariantSpec, groups: tuple[GroupSpec, ...]) -> dict[str, Any]:
    """variant_body as it was written before its values were remembered: every dict built for the call."""
    types = {group.name: group.type for group in groups}
    values: dict[str, dict[str, str]] = {}
    for group, value in variant.values:
        kind = types.get(group, "select")
        values[group] = {"variant_group_type": kind, "variant_name": value, "color": variant.color} \
            if variant.color and kind == "color" else {"variant_group_type": kind, "variant_name": value}
    body: dict[str, Any] = {
        "variant_values": values, "price": plain_string(variant.price),
        "compare_at_price": plain_string(variant.compare_at_price), "sku": variant.sku,
        "weight": plain_string(variant.weight), "default_on": 1 if variant.default else 0,
    }
    if variant.weight_unit:
        body["weight_unit"] = variant.weight_unit
    return body


GROUPS = [
    (GroupSpec(name="Color", type="color"), GroupSpec(name="Size")),
    (GroupSpec(name="Color", type="select"), GroupSpec(name="Size", type="radio")),
    (GroupSpec(name="Size"),),   # a value of a group the step does not name: "select"
    (GroupSpec(name="Color", type="color"), GroupSpec(name="Color", type="radio")),   # the last one wins
]


@pytest.mark.parametrize("groups", GROUPS)
@pytest.mark.parametrize("color", [None, "", "#0000FF"])
def test_variant_bodies_are_the_ones_built_anew(groups: tuple[GroupSpec, ...], color: str | None) -> None:
    variants = [VariantSpec(values=(("Color", c), ("Size", s)), color=color, sku=f"V-{c}-{s}",
                            price=Decimal("19.50"), compare_at_price=Decimal(n), weight=Decimal("0.5"),
                            weight_unit="kg" if n % 2 else None, default=n == 0)
                for n, (c, s) in enumerate([("Blue", "S"), ("Blue", "M"), ("Red", "S"), ("Blue", "S")])]
    for variant in variants + variants:   # the second time from what was remembered
        sent = variant_body(variant, group_types(groups))
        assert json.dumps(sent) == json.dumps(_variant_body_anew(variant, groups))


def _product_body_anew(spec: ProductSpec, groups: tuple[GroupSpec, ...], variants: tuple[VariantSpec, ...],
                       cover: str | None, category_id: str | None) -> dict[str, Any]:
    """product_body as it was written before its fields were read from the specs' __dict__ in one loop."""
    body: dict[str, Any] = {
        "title": spec.title, "description": spec.description, "short_description": spec.short_description,
        "vendor": spec.vendor, "price": plain_string(spec.price),
        "compare_default_price": plain_string(spec.compare_at_price), "sku": spec.sku,
        "weight": plain_string(spec.weight), "visibility": spec.visibility, "tags": ",".join(spec.tags),
    }
    if category_id is not None:
        body["category_id"] = int(category_id)
    if cover:
        body["image"] = {"src": cover, "position": 0}
    if variants:
        body["variant_groups"] = [{"name": g.name, "group_type": g.type} for g in groups]
        body["variants"] = [_variant_body_anew(v, groups) for v in variants]
    return body


def _variants(amounts: list[str]) -> tuple[VariantSpec, ...]:
    return tuple(VariantSpec(values=(("Color", c), ("Size", s)), color="#00F" if n % 3 else None, sku=f"V-{n}",
                             price=Decimal(amounts[n % len(amounts)]),
                             compare_at_price=Decimal(amounts[(n + 1) % len(amounts)]),
                             weight=Decimal(amounts[(n + 2) % len(amounts)]),
                             weight_unit=["kg", None, ""][n % 3], default=n == 1)
                 for n, (c, s) in enumerate([("Blue", "S"), ("Blue", "M"), ("Red", "S"), ("Rot", "XL")] * 2))


@pytest.mark.parametrize("groups", GROUPS)
@pytest.mark.parametrize("cover", [None, "", "https://img.test/a.jpg"])
@pytest.mark.parametrize("category_id", [None, "7"])
def test_product_bodies_are_the_ones_built_anew(groups: tuple[GroupSpec, ...], cover: str | None,
                                                category_id: str | None) -> None:
    finite = [a for a in AMOUNTS if a not in ("NaN", "Infinity")]
    spec = ProductSpec(sku="P-1", title="Tee", description="<p>x</p>", short_description="s", vendor="V",
                       category="Tees", price=Decimal("24.990"), compare_at_price=Decimal("1E+1"),
                       weight=Decimal("0.25"), visibility="catalog", active=False, tags=("a", "b c"),
                       options=("Color", "Size"))
    for variants in [(), _variants(finite)]:
        for _ in range(2):   # the second time from the amounts remembered
            sent = product_body(spec, groups, variants, cover, category_id)
            expected = _product_body_anew(spec, groups, variants, cover, category_id)
            assert json.dumps(sent) == json.dumps(expected)
            assert encode_body({"product": sent}) == encode_body({"product": expected})


def test_variant_bodies_of_specs_made_by_validation_and_by_the_planner_agree() -> None:
    """A spec validated from a saved plan (pydantic's __init__) and one filled by lean_fill give one body."""
    variants = _variants(["19.50", "0"])
    validated = tuple(VariantSpec.model_validate(v.model_dump()) for v in variants)
    types = group_types(GROUPS[0])
    assert json.dumps(variant_bodies(validated, types)) == json.dumps(variant_bodies(variants, types)) \
        == json.dumps([_variant_body_anew(v, GROUPS[0]) for v in variants])
