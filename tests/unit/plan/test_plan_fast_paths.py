"""The planner's fast paths (issue 13) decide exactly as the general code they skip."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planfixtures import BASE, LIVE, SPEC, D, product, variant, with_

from catalogctl.core import LiveState
from catalogctl.model.money import plain_string
from catalogctl.model.resource import Resource
from catalogctl.plan.builder import NOT_COMPUTED, PlanPolicy, build_plan
from catalogctl.plan.diff import FieldDiff, diff_attrs, jsonable
from catalogctl.render.text import render_text

_MISSING = object()


def _reference_diff(desired: Mapping[str, Any], live: Mapping[str, Any], write_only: Collection[str] = (),
                    skip: Collection[str] = ()) -> tuple[FieldDiff, ...]:
    """diff_attrs as it was before its fast path: field by field."""
    diffs = []
    for name, new in desired.items():
        if name in skip:
            continue
        old = live.get(name, _MISSING)
        if old is _MISSING or (old is None and name in write_only):
            if name not in write_only:
                diffs.append(FieldDiff(name, None, new))
            continue
        if isinstance(old, bool) or isinstance(new, bool):
            equal = type(old) is type(new) and old == new
        else:
            equal = bool(old == new)
        if not equal:
            diffs.append(FieldDiff(name, old, new))
    return tuple(diffs)


# Values that are == across types (True == 1 == Decimal(1) == 1.0) are what a fast path could get wrong.
_VALUE = st.sampled_from([True, False, 1, 0, D(1), D(0), D("1.0"), None, "1", "", ("a",), ("a", "b")])
_NAMES = st.sampled_from(["a", "b", "c", "d"])


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(_NAMES, _VALUE), st.dictionaries(_NAMES, _VALUE), st.booleans(),
       st.sets(_NAMES), st.sets(_NAMES))
def test_diff_attrs_decides_as_field_by_field(desired: dict[str, Any], live: dict[str, Any], same: bool,
                                              write_only: set[str], skip: set[str]) -> None:
    if same:  # equal mappings, in the same order or another one, are the fast path's case
        live = dict(reversed(list(desired.items()))) if len(desired) % 2 else dict(desired)
    assert diff_attrs(desired, live, frozenset(write_only), skip) == _reference_diff(desired, live, write_only, skip)


def test_equal_values_of_other_types_still_differ() -> None:
    assert diff_attrs({"active": True}, {"active": 1}) == (FieldDiff("active", 1, True),)
    assert diff_attrs({"a": D(1), "b": True}, {"b": D(1), "a": True}) != ()


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**15, max_value=10**15, allow_nan=False, allow_infinity=False))
def test_jsonable_writes_each_decimal_as_plain_string(value: Decimal) -> None:
    assert jsonable(value) == plain_string(value)
    assert jsonable((value, (value, True))) == [plain_string(value), [plain_string(value), True]]


def test_a_resource_keeps_its_own_copy_of_the_attributes_it_was_given() -> None:
    given = {"sku": "0123", "title": "Tee"}
    resource = Resource(product("X").address, given)
    given["title"] = "changed"
    assert resource.attrs["title"] == resource.plain["title"] == "Tee"
    assert dict(resource.attrs) == resource.plain
    owned = {"sku": "0123"}
    assert Resource.owning(resource.address, owned).plain is owned  # handed over: not copied
    with pytest.raises(TypeError):
        resource.attrs["title"] = "x"  # type: ignore[index]


def _plan(desired: dict[Any, Resource], digests: bool) -> Any:
    live = LiveState(resources=LIVE, shadowed=(), unkeyed=(), requests=3)
    return build_plan(desired, live, SPEC, PlanPolicy(target="test"), digests=digests)


def test_a_plan_without_digests_shows_the_same_and_cannot_be_saved() -> None:
    desired = with_(BASE, variant("A", (("Size", "L"),), price=D("21.50")))
    full, shown = _plan(desired, True), _plan(desired, False)
    assert shown.changes == full.changes and shown.steps == full.steps and shown.changes
    assert render_text(shown, color=False) == render_text(full, color=False)
    assert shown.catalog_digest == shown.live_digest == NOT_COMPUTED != full.catalog_digest
    with pytest.raises(ValueError, match="cannot be saved"):
        shown.to_json()
    assert full.to_json()
