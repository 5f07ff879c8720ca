"""Changes and variant specs made by the planner skip pydantic's validation when every value already
has its field's exact type (issue 13: 220,000 records in a 10,000-product plan). Whatever is given,
the record must be the one pydantic makes: same values and types, fields set, JSON, repr, errors."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.model.address import Kind
from catalogctl.plan.model import Change, ChangeAction, Plan
from catalogctl.providers.groovekart.actions import CreateProduct, ProductSpec, VariantSpec

_TEXT = st.text(max_size=4)
_ANY = st.none() | st.booleans() | st.integers(-2, 2) | _TEXT | st.just([]) | st.just({})


def _made_alike(cls: type[pydantic.BaseModel], data: dict[str, Any]) -> None:
    try:
        validated = cls.model_validate(data)   # nested-style validation: never the lean path
    except pydantic.ValidationError as refused:
        with pytest.raises(pydantic.ValidationError) as also:
            cls(**data)
        assert also.value.errors(include_context=False) == refused.errors(include_context=False)
        return
    made = cls(**data)
    assert made.__dict__ == validated.__dict__
    assert list(made.__dict__) == list(validated.__dict__)
    assert [type(v) for v in made.__dict__.values()] == [type(v) for v in validated.__dict__.values()]
    assert made.__pydantic_fields_set__ == validated.__pydantic_fields_set__
    assert made.__pydantic_extra__ == validated.__pydantic_extra__ is None
    assert made.__pydantic_private__ == validated.__pydantic_private__
    assert made.model_dump_json() == validated.model_dump_json() and repr(made) == repr(validated)
    assert made == validated
    try:
        assert hash(made) == hash(validated)
    except TypeError:   # a dict field: neither hashes
        with pytest.raises(TypeError):
            hash(made)


@settings(max_examples=300, deadline=None, database=None)
@given(address=st.sampled_from(['product["A"]', 7, None]), kind=st.sampled_from([*Kind, "product", "nope"]),
       action=st.sampled_from([*ChangeAction, "create", 3]),
       before=st.none() | st.dictionaries(_TEXT, _ANY, max_size=2) | st.just([1]),
       after=st.none() | st.dictionaries(_TEXT, _ANY, max_size=2),
       reasons=st.dictionaries(_TEXT, _TEXT | st.integers(0, 1), max_size=2) | st.none(),
       blocked=st.sampled_from([False, True, 0, 1, "yes"]), note=st.none() | _TEXT | st.just(5),
       leave_out=st.sets(st.sampled_from(["address", "before", "after", "reasons", "blocked", "note",
                                          "renamed_from"])),
       extra=st.booleans())
def test_a_change_is_the_one_pydantic_makes(address: Any, kind: Any, action: Any, before: Any, after: Any,
                                            reasons: Any, blocked: Any, note: Any, leave_out: set[str],
                                            extra: bool) -> None:
    data = {"address": address, "kind": kind, "action": action, "before": before, "after": after,
            "reasons": reasons, "blocked": blocked, "note": note, "renamed_from": note}
    data = {k: v for k, v in data.items() if k not in leave_out}
    if extra:
        data["surprise"] = 1
    _made_alike(Change, data)


_AMOUNT = st.decimals(allow_nan=True, allow_infinity=True, places=2) | st.sampled_from(["1.5", 2, 2.5, None])


@settings(max_examples=300, deadline=None, database=None)
@given(values=st.sampled_from([(("Size", "S"),), (("Color", "Blue"), ("Size", "L")), [("Size", "S")],
                               (["Size", "S"],), (("Size",),), ((1, "S"),), ()]),
       color=st.none() | _TEXT | st.just(1), sku=_TEXT | st.just(123), price=_AMOUNT, compare=_AMOUNT,
       weight=_AMOUNT, unit=st.none() | _TEXT, default=st.sampled_from([False, True, 1, "x"]),
       image=st.sampled_from([None, 0, 2, True, "1", 1.0]),
       leave_out=st.sets(st.sampled_from(["values", "color", "sku", "price", "compare_at_price", "weight",
                                          "weight_unit", "default", "image"])))
def test_a_variant_spec_is_the_one_pydantic_makes(values: Any, color: Any, sku: Any, price: Any, compare: Any,
                                                  weight: Any, unit: Any, default: Any, image: Any,
                                                  leave_out: set[str]) -> None:
    data = {"values": values, "color": color, "sku": sku, "price": price, "compare_at_price": compare,
            "weight": weight, "weight_unit": unit, "default": default, "image": image}
    _made_alike(VariantSpec, {k: v for k, v in data.items() if k not in leave_out})


def test_lean_records_are_smaller_share_their_values_and_survive_a_saved_plan() -> None:
    values = (("Color", "Blue"), ("Size", "L"))
    spec = VariantSpec(values=values, sku="T-B-L", price=Decimal("19.50"))
    assert spec.values is values   # the resource's tuple, not a copy per spec
    assert sys.getsizeof(spec.__dict__) < sys.getsizeof(VariantSpec.model_validate(spec.__dict__).__dict__)
    action = CreateProduct(product=ProductSpec(sku="T", title="Tee", price=Decimal("19.50")), variants=(spec,))
    change = Change(address='product["T"]', kind=Kind.PRODUCT, action=ChangeAction.CREATE, after={"title": "Tee"})
    plan = Plan(provider="groovekart", target="t", catalog_digest="c", live_digest="l",
                summary={ChangeAction.CREATE: 1}, changes=(change,),
                steps=({"id": "s001", "action": action, "addresses": ('product["T"]',)},))
    again = Plan.from_json(plan.to_json())
    assert again == plan and again.to_json() == plan.to_json()
    assert again.changes[0] == change and again.steps[0].action == action


_CHANGE = {"address": 'product["A"]', "kind": Kind.PRODUCT, "action": ChangeAction.UPDATE, "before": {"a": 1},
           "after": {"a": 2}, "reasons": {"a": "why"}, "blocked": True, "note": "n", "renamed_from": "OLD"}
_CHANGE_OTHERS: dict[str, list[Any]] = {
    "address": [7, None, b"x"], "kind": ["product", "nope", None], "action": ["update", "nope", 1],
    "before": [None, [1], "x"], "after": [None, [1], (("a", 1),)], "reasons": [{}, None, {"a": 1}, [("a", "b")]],
    "blocked": [False, 1, 0, "yes", None], "note": [None, 5, b"n"], "renamed_from": [None, 5],
}
_VARIANT = {"values": (("Color", "Blue"), ("Size", "L")), "color": "#0000FF", "sku": "T-B-L",
            "price": Decimal("19.50"), "compare_at_price": Decimal("25"), "weight": Decimal("0.2"),
            "weight_unit": "kg", "default": True, "image": 1}
_VARIANT_OTHERS: dict[str, list[Any]] = {
    "values": [[("Size", "S")], (["Size", "S"],), (("Size",),), ((1, "S"),), (), None],
    "color": [None, 1], "sku": ["", 123, None], "weight_unit": [None, 1],
    "price": ["1.5", 2, 2.5, Decimal("NaN"), Decimal("Infinity"), None],
    "compare_at_price": ["1.5", 2, Decimal("-Infinity")], "weight": [2.5, "x"],
    "default": [False, 1, "x", None], "image": [None, 0, True, "1", 1.0],
}


@pytest.mark.parametrize(("cls", "exact", "others"), [(Change, _CHANGE, _CHANGE_OTHERS),
                                                      (VariantSpec, _VARIANT, _VARIANT_OTHERS)])
def test_each_field_given_otherwise_or_left_out_makes_the_record_pydantic_makes(
        cls: type[pydantic.BaseModel], exact: dict[str, Any], others: dict[str, list[Any]]) -> None:
    _made_alike(cls, exact)
    _made_alike(cls, {**exact, "surprise": 1})
    for name, alternatives in others.items():
        for other in alternatives:
            _made_alike(cls, {**exact, name: other})
        _made_alike(cls, {k: v for k, v in exact.items() if k != name})
