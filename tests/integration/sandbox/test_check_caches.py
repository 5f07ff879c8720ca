"""The sandbox remembers the checks of texts it sees again and again (prices, weights, names, colours):
a remembered answer is the answer the check gives, and a refusal is never remembered as an answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.sandbox.groovekart import payload, rules, variant_input
from catalogctl.sandbox.groovekart.contract import _VALID, Check
from catalogctl.sandbox.groovekart.payload import Invalid
from catalogctl.sandbox.limits import _nesting, depth

NUMBERISH = st.one_of(
    st.from_regex(r"\s?-?\d{0,12}(\.\d{0,10})?([eE][+-]?\d{1,3})?\s?", fullmatch=True),
    st.sampled_from(["19.5", "0", "-1", "1e3", "NaN", "Infinity", "abc", " 7 ", "1" * 11, "0.0000000001", "１"]),
    st.text(max_size=6),
)


def _reference(check: Any, value: str, field: str, default: Decimal | None) -> tuple[str, Any]:
    """What price()/weight() answered before they remembered texts: (kind, value or message)."""
    try:
        dec = payload.as_decimal(value, field, default)
        payload.check(check(dec, field))
    except Invalid as exc:
        return "refused", str(exc)
    return "ok", repr(dec)


def _answer(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", repr(fn(*args))
    except Invalid as exc:
        return "refused", str(exc)


@given(NUMBERISH)
@settings(max_examples=400, deadline=None)
def test_a_remembered_price_or_weight_is_what_the_check_gives(text: str) -> None:
    for _ in range(2):  # the second time from memory
        assert _answer(payload.price, text, "price") == _reference(rules.price, text, "price", None)
        assert _answer(payload.price, text, "price", Decimal(0)) == _reference(rules.price, text, "price", Decimal(0))
        assert _answer(payload.weight, text, "weight") == _reference(rules.unsigned, text, "weight", Decimal(0))


def test_a_refused_price_is_refused_every_time() -> None:
    for _ in range(3):
        with pytest.raises(Invalid, match="price is negative"):
            payload.price("-1", "price")
        with pytest.raises(Invalid, match="must be a number"):
            payload.weight("abc", "weight")
    assert payload.price("19.50", "price") is payload.price("19.50", "price")  # one Decimal serves all
    assert repr(payload.price("19.50", "price")) == "Decimal('19.50')"


VALUE = st.fixed_dictionaries({"variant_name": st.text(max_size=8)}, optional={
    "color": st.sampled_from(["", "#00ff00", "#00FF0", "red", 5]),
    "variant_group_type": st.sampled_from(["select", "color", "Radio", "bad", None]),
})


@given(st.text(max_size=8), VALUE)
@settings(max_examples=300, deadline=None)
def test_a_value_parses_as_the_rules_judge_it(group: str, raw: dict[str, Any]) -> None:
    want: tuple[str, Any]
    name, color = raw["variant_name"], raw.get("color")
    problems = [rules.generic_name(group, "variant group name"), rules.generic_name(name.strip(), "variant_name")]
    if isinstance(color, str) and color:
        problems.append(rules.color(color))
    refused = next((p for p in problems if p), None)
    for _ in range(2):
        try:
            value = variant_input.parse_value(group, raw)
            want = ("ok", (value.group, value.name, value.color))
        except Invalid as exc:
            want = ("refused", str(exc))
        if refused is not None:
            assert want == ("refused", refused)
        elif want[0] == "ok":
            assert want[1] == (group, name.strip(), color or "")


JSON = st.recursive(st.none() | st.integers() | st.text(max_size=3),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
                    max_leaves=20)


@given(JSON)
@settings(max_examples=300, deadline=None)
def test_nesting_counts_levels_as_depth_does(value: Any) -> None:
    assert _nesting(value) == depth(value)


def test_a_check_is_looked_up_by_its_member() -> None:
    assert all(_VALID[check] is _VALID[Check(check.value)] for check in Check)
    assert {check: check.value for check in Check}[Check.INT] == "int"
