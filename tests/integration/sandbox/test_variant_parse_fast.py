"""parse_variant skips as_dict's call for a dict, and parse_variants counts defaults and compares value sets
through remembered folded names (issue 13: the sandbox's CPU per create_product). They must parse and
refuse exactly as before: the previous code is kept here as the oracle, and fuzzed variant lists must get
the same variants or the same refusal message."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.sandbox.groovekart import payload, rules, variant_input
from catalogctl.sandbox.groovekart.payload import Invalid, check
from catalogctl.sandbox.groovekart.variant_input import NewVariant, parse_value


def _old_parse_variant(raw: Any) -> NewVariant:
    data = payload.as_dict(raw, "variant")
    values_raw = payload.as_dict(data.get("variant_values"), "variant_values")
    if not values_raw:
        raise Invalid("a variant needs variant_values")
    sku = payload.as_str(data.get("sku"), "sku")
    check(rules.reference(sku))
    return NewVariant(
        values=tuple([parse_value(str(group).strip(), raw_value) for group, raw_value in values_raw.items()]),
        price=payload.price(data.get("price"), "price", Decimal(0)),
        compare_price=payload.price(data.get("compare_at_price"), "compare_at_price", Decimal(0)),
        sku=sku,
        weight=payload.weight(data.get("weight"), "weight"),
        weight_unit=payload.as_str(data.get("weight_unit"), "weight_unit")[:16],
        default_on=payload.as_bool(data.get("default_on")),
    )


def _old_parse_variants(raw: Any) -> list[NewVariant]:
    variants = [_old_parse_variant(item) for item in payload.as_list(raw)]
    if sum(v.default_on for v in variants) > 1:
        raise Invalid("only one variant can have default_on = 1")
    seen: set[frozenset[tuple[str, str]]] = set()
    for variant in variants:
        key = frozenset((v.group.lower(), v.name.lower()) for v in variant.values)
        if key in seen:
            raise Invalid("This combination already exists")
        seen.add(key)
    return variants


def _outcome(parse: Any, raw: Any) -> tuple[str, Any]:
    try:
        return "parsed", [(v, v.price.as_tuple(), v.compare_price.as_tuple(), v.weight.as_tuple()) for v in parse(raw)]
    except Invalid as exc:
        return "refused", str(exc)


_TEXT = st.sampled_from(["", " ", "Blue", "blue", "BLUE ", "S", "s", "19.5", "0", "-1", "x" * 70, "a,b", "#0000FF",
                         "#00f", "true", "1", "color", "select", "Radio", "https://img.example.com/a.png"])
_SCALAR = st.none() | st.booleans() | st.integers(-2, 3) | _TEXT | st.sampled_from([Decimal("1.5"), Decimal("NaN")])
_VALUE = st.dictionaries(st.sampled_from(["variant_group_type", "variant_name", "color", "texture"]), _SCALAR,
                         max_size=4) | _SCALAR
_VARIANT = st.dictionaries(
    st.sampled_from(["variant_values", "price", "compare_at_price", "sku", "weight", "weight_unit", "default_on"]),
    st.dictionaries(st.sampled_from(["Color", "Size", " Size", "size", ""]), _VALUE, max_size=3) | _SCALAR,
    max_size=7) | _SCALAR


@settings(max_examples=1500, deadline=None, database=None)
@given(raw=st.lists(_VARIANT, max_size=4) | _VARIANT)
def test_fuzzed_variants_parse_as_before(raw: Any) -> None:
    assert _outcome(variant_input.parse_variants, raw) == _outcome(_old_parse_variants, raw)


def test_a_bench_variant_list_parses_as_before() -> None:
    def variant(color: str, size: str, default_on: int) -> dict[str, Any]:
        return {"variant_values": {"Color": {"variant_group_type": "color", "variant_name": color, "color": "#0000FF"},
                                   "Size": {"variant_group_type": "select", "variant_name": size}},
                "price": "19.5", "compare_at_price": "0", "sku": f"B-1-{color}-{size}", "weight": "0",
                "default_on": default_on}
    raw = [variant(color, f"S{at}", int(at == 0 and color == "Blue")) for color in ("Blue", "Red") for at in range(5)]
    assert _outcome(variant_input.parse_variants, raw) == _outcome(_old_parse_variants, raw)
    assert _outcome(variant_input.parse_variants, raw)[0] == "parsed"
    raw[3]["variant_values"]["Size"]["variant_name"] = "s0"  # the same value set as the first, in other case
    assert _outcome(variant_input.parse_variants, raw) == ("refused", "This combination already exists")


# parse_variants remembers a list that parsed by its fields but the skus (issue 13): a list met again must
# parse, or be refused, exactly as the oracle does, whatever its skus now are.
_SKU = st.none() | st.integers(-1, 3) | st.booleans() | st.sampled_from(
    ["", " ", " B-1 ", "B-1", "x" * 32, " " + "x" * 32 + " ", "x" * 33, "a<b", "a{b", "a;b", "a=b", "é",
     "\u00a0s\u00a0", Decimal("5")])


def _bench_list() -> list[dict[str, Any]]:
    def variant(color: str, size: str, default_on: int) -> dict[str, Any]:
        return {"variant_values": {"Color": {"variant_group_type": "color", "variant_name": color, "color": "#0000FF"},
                                   "Size": {"variant_group_type": "select", "variant_name": size}},
                "price": "19.5", "compare_at_price": "0", "sku": f"B-1-{color}-{size}", "weight": "0",
                "default_on": default_on}
    return [variant(color, f"S{at}", int(at == 0 and color == "Blue")) for color in ("Blue", "Red") for at in range(5)]


@settings(max_examples=1500, deadline=None, database=None)
@given(raw=st.lists(_VARIANT, min_size=1, max_size=4) | st.just(_bench_list()),
       skus=st.lists(_SKU, min_size=10, max_size=10), drop=st.booleans())
def test_a_list_met_again_with_other_skus_parses_as_before(raw: Any, skus: list[Any], drop: bool) -> None:
    first = copy.deepcopy(raw)
    assert _outcome(variant_input.parse_variants, first) == _outcome(_old_parse_variants, first)  # remembered if parsed
    again = copy.deepcopy(raw)
    for variant, sku in zip(again, skus, strict=False):
        if isinstance(variant, dict):
            if drop and sku is None:
                variant.pop("sku", None)
            else:
                variant["sku"] = sku
    assert _outcome(variant_input.parse_variants, again) == _outcome(_old_parse_variants, again)


def test_a_bench_list_met_again_is_remembered() -> None:
    """Without this the remembered path would be dead code: the second product's list takes it."""
    first, second = _bench_list(), _bench_list()
    for variant in second:
        variant["sku"] = variant["sku"].replace("B-1", "B-2")
    variant_input.parse_variants(first)
    key = variant_input._split(second)
    assert key is not None and key[0] in variant_input._LISTS
    assert _outcome(variant_input.parse_variants, second) == _outcome(_old_parse_variants, second)
    assert [v.sku for v in variant_input.parse_variants(second)] == [v["sku"] for v in second]
    second[4]["sku"] = "B-2<"  # refused: the whole list through the old path, with its message
    assert _outcome(variant_input.parse_variants, second) == _outcome(_old_parse_variants, second)
    assert _outcome(variant_input.parse_variants, second)[0] == "refused"


def test_remembered_lists_hold_a_bounded_number_of_values() -> None:
    """What a remembered list keeps alive is its values: lists of many distinct values are held within
    _MAX_VALUES in all (a review held ~33 MB with 64 lists of 450 values, each under the key's size cap)."""
    def big_list(product: int) -> list[dict[str, Any]]:
        def value(row: int, group: int) -> dict[str, str]:
            return {"variant_group_type": "select", "variant_name": f"v{product}-{row}-{group}"}
        return [{"variant_values": {f"g{group}": value(row, group) for group in range(10)},
                 "price": "1", "compare_at_price": "0", "sku": "", "weight": "0", "default_on": int(row == 0)}
                for row in range(45)]
    for product in range(64):
        assert _outcome(variant_input.parse_variants, big_list(product))[0] == "parsed"
        held = sum(len(v["values"]) for remembered in variant_input._LISTS.values() for v in remembered)
        assert held == variant_input._held_values <= variant_input._MAX_VALUES
    assert variant_input._LISTS   # still remembered, within the bound
