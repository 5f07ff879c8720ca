"""A from-scratch apply's fast paths (issue 13: 120,000 creates at 10,000 products) make exactly what the
general code makes: changes, variant and product specs, whole-product actions and steps equal to the
ones pydantic validates (same values, types, fields set, JSON), JSON forms equal to jsonable_attrs,
and a created resource's text equal to its row's. The old code is the oracle where it was replaced."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pydantic
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.config.scalars import IntText
from catalogctl.model.address import Kind
from catalogctl.plan.diff import JsonForms, jsonable_attrs
from catalogctl.plan.model import Change, ChangeAction, Plan, Step, created, step_of
from catalogctl.providers.groovekart import actions as A
from catalogctl.render.text import _create_lines, _Painter, _row_lines
from catalogctl.render.view_rows import ViewMode, row_for

_TEXT = st.text(max_size=4)
_SUBTEXT = _TEXT.map(IntText)   # a str subclass, as the YAML loader makes for `sku: 0123`
_AMOUNT = (st.decimals(allow_nan=True, allow_infinity=True, places=2) | st.just(Decimal("sNaN"))
           | st.sampled_from([Decimal("1E+2"), Decimal("0.0000001"), Decimal("-0"), "1.5", 2, 2.5, None]))


def _alike(made: pydantic.BaseModel, validated: pydantic.BaseModel) -> None:
    assert type(made) is type(validated)
    assert made.__dict__ == validated.__dict__ and list(made.__dict__) == list(validated.__dict__)
    assert [type(v) for v in made.__dict__.values()] == [type(v) for v in validated.__dict__.values()]
    assert made.__pydantic_fields_set__ == validated.__pydantic_fields_set__
    assert made.__pydantic_extra__ == validated.__pydantic_extra__ is None
    assert made.__pydantic_private__ == validated.__pydantic_private__
    assert made.model_dump_json() == validated.model_dump_json() and repr(made) == repr(validated)
    assert made == validated


def _validated(cls: type[pydantic.BaseModel], data: dict[str, Any]) -> pydantic.BaseModel | None:
    try:
        return cls.model_validate(data)   # nested-style validation: never a lean path
    except pydantic.ValidationError:
        return None


@settings(max_examples=300, deadline=None, database=None)
@given(address=st.sampled_from(['product["A"]', IntText("7"), 7]), kind=st.sampled_from([*Kind, "product"]),
       after=st.dictionaries(_TEXT, st.none() | _TEXT, max_size=3) | st.just([1]) | st.none())
def test_a_created_change_is_the_one_pydantic_makes(address: Any, kind: Any, after: Any) -> None:
    data = {"address": address, "kind": kind, "action": ChangeAction.CREATE, "after": after}
    validated = _validated(Change, data)
    try:
        made = created(address, kind, after)
    except pydantic.ValidationError:
        assert validated is None
        return
    assert validated is not None
    _alike(made, validated)
    if type(after) is dict:
        assert made.after is after   # as given, not copied
        assert made.reasons is not created(address, kind, after).reasons   # a dict of its own each


_PAIRS = st.sampled_from([(("Size", "S"),), (("Color", "Blue"), ("Size", "L")), (), [("Size", "S")],
                          (["Size", "S"],), (("Size",),), ((1, "S"),), ((IntText("1"), "S"),), "Size=S"])


@settings(max_examples=400, deadline=None, database=None)
@given(values=_PAIRS, color=st.none() | _TEXT | _SUBTEXT | st.just(1), sku=_TEXT | _SUBTEXT | st.just(123),
       price=_AMOUNT, compare=_AMOUNT, weight=_AMOUNT, unit=st.none() | _TEXT | _SUBTEXT,
       default=st.sampled_from([False, True, 1, "x"]), image=st.sampled_from([None, "http://i/1.png", 0]),
       leave_out=st.sets(st.sampled_from(["values", "color", "sku", "price", "compare_at_price", "weight",
                                          "weight_unit", "default", "image"]), max_size=2),
       extra=st.booleans())
def test_a_variant_spec_from_a_desired_variant_is_the_one_pydantic_makes(
        values: Any, color: Any, sku: Any, price: Any, compare: Any, weight: Any, unit: Any, default: Any,
        image: Any, leave_out: set[str], extra: bool) -> None:
    attrs = {"values": values, "color": color, "sku": sku, "price": price, "compare_at_price": compare,
             "weight": weight, "weight_unit": unit, "default": default, "image": image}
    attrs = {k: v for k, v in attrs.items() if k not in leave_out}
    if extra:
        attrs["surprise"] = 1
    seen: set[int] = set()
    made = A.variant_spec_of(attrs, seen)
    # what steps.py made before: the spec's fields the variant has, but image, by keyword
    validated = _validated(A.VariantSpec, {k: v for k, v in attrs.items() if k in A.VariantSpec.model_fields
                                           and k != "image"})
    if made is None:
        return   # the caller goes the general way (VariantSpec(**...)), whatever that makes
    assert validated is not None
    _alike(made, validated)
    assert made.values is attrs["values"] and id(values) in seen
    assert A.variant_spec_of(attrs, seen) == made   # the values tuple found exact before


def test_values_found_exact_once_are_not_checked_again_but_others_are() -> None:
    good, bad = (("Size", "S"),), ((1, "S"),)
    attrs = {"values": good, "color": None, "sku": "A-S", "price": Decimal("1"), "compare_at_price": Decimal(0),
             "weight": Decimal(0), "weight_unit": None, "default": True, "image": None}
    seen: set[int] = set()
    assert A.variant_spec_of(attrs, seen) is not None and seen == {id(good)}
    assert A.variant_spec_of({**attrs, "values": bad}, seen) is None and seen == {id(good)}


_PRODUCT = {"sku": "T", "title": "Tee", "description": "", "short_description": "", "vendor": "",
            "category": None, "price": Decimal("19.5"), "compare_at_price": Decimal(0), "weight": Decimal(0),
            "visibility": "both", "active": True, "tags": ("a", "b"), "options": ("Size",)}


@settings(max_examples=400, deadline=None, database=None)
@given(changed=st.dictionaries(st.sampled_from(list(_PRODUCT)),
                               st.none() | _TEXT | _SUBTEXT | _AMOUNT | st.booleans()
                               | st.sampled_from([(), ("a",), (IntText("1"),), ["a"], (1,)]), max_size=3),
       leave_out=st.sets(st.sampled_from(list(_PRODUCT)), max_size=1), extra=st.booleans())
def test_a_product_spec_from_a_desired_product_is_the_one_pydantic_makes(
        changed: dict[str, Any], leave_out: set[str], extra: bool) -> None:
    attrs = {k: v for k, v in {**_PRODUCT, **changed}.items() if k not in leave_out}
    if extra:
        attrs["surprise"] = 1
    made = A.product_spec_of(attrs)
    validated = _validated(A.ProductSpec, {k: v for k, v in attrs.items() if k in A.ProductSpec.model_fields})
    if made is None:
        assert changed or leave_out   # the catalog's own shape always takes the fast path
        return
    assert validated is not None
    _alike(made, validated)


def _spec() -> A.VariantSpec:
    return A.VariantSpec(values=(("Size", "S"),), sku="T-S", price=Decimal("1"))


@settings(max_examples=200, deadline=None, database=None)
@given(kind=st.sampled_from([A.CreateProduct, A.ReplaceProduct]),
       product=st.sampled_from([A.ProductSpec(sku="T", title="Tee", price=Decimal(1)), _PRODUCT]),
       groups=st.sampled_from([(), (A.GroupSpec(name="Size"),), [A.GroupSpec(name="Size")],
                               ({"name": "Size"},)]),
       variants=st.sampled_from([(), (_spec(),), [_spec()], (_spec().model_dump(),)]),
       cover=st.none() | _TEXT | _SUBTEXT)
def test_a_whole_product_action_is_the_one_pydantic_makes(kind: Any, product: Any, groups: Any, variants: Any,
                                                          cover: Any) -> None:
    made = A.whole_product(kind, product, groups, variants, cover)
    validated = kind.model_validate({"product": product, "groups": groups, "variants": variants, "cover": cover})
    _alike(made, validated)


@settings(max_examples=200, deadline=None, database=None)
@given(id_=st.sampled_from(["s001", IntText("1")]),
       addresses=st.sampled_from([(), ('product["A"]',), ['product["A"]'], (IntText("1"),)]),
       depends_on=st.sampled_from([(), ("s001", "s002"), ["s001"], (IntText("1"),)]))
def test_a_step_is_the_one_pydantic_makes(id_: Any, addresses: Any, depends_on: Any) -> None:
    action = A.SetTags(sku="T", tags=("a",))
    made = step_of(id_, action, addresses, depends_on)
    validated = Step.model_validate({"id": id_, "action": action, "addresses": addresses, "depends_on": depends_on})
    _alike(made, validated)
    assert made.action is action


_VALUE = st.recursive(st.none() | st.booleans() | st.integers(-2, 2) | _TEXT | _SUBTEXT | _AMOUNT.filter(
    lambda v: not (isinstance(v, Decimal) and v.is_snan())),
    lambda inner: st.tuples(inner, inner) | st.lists(inner, max_size=2), max_leaves=4)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.dictionaries(_TEXT, _VALUE, max_size=4), max_size=4), st.data())
def test_json_forms_are_jsonable_attrs(attrs_list: list[dict[str, Any]], data: st.DataObject) -> None:
    shared = data.draw(st.sampled_from([(("Size", "S"),), ("a", Decimal("1.50")), ()]))
    forms = JsonForms()
    for attrs in [*attrs_list, {"values": shared}, {"values": shared, "other": shared}]:
        try:
            expected = jsonable_attrs(attrs)
        except ArithmeticError as exc:   # a 28-digit amount cannot be written plainly: the same error
            try:
                forms.attrs(attrs)
            except ArithmeticError as also:
                assert type(also) is type(exc)
                continue
            raise AssertionError("jsonable_attrs failed, the JSON forms did not") from None
        made = forms.attrs(attrs)
        assert made == expected and list(made) == list(expected)
        assert repr(made) == repr(expected)   # same types all the way down (True is not 1, str subclasses kept)
        assert [type(v) for v in made.values()] == [type(v) for v in expected.values()]


_SHOWN = (st.none() | st.booleans() | st.integers(-1, 1) | st.sampled_from(["", "0", "1.5", "19.99", "0.0", "x"])
          | _TEXT | _SUBTEXT | st.sampled_from([IntText(""), IntText("0")])
          | st.lists(_TEXT, max_size=2) | st.just([["Size", "S"]]) | st.just({"a": 1}))


@settings(max_examples=400, deadline=None, database=None)
@given(kind=st.sampled_from([Kind.PRODUCT, Kind.VARIANT, Kind.IMAGE, Kind.CATEGORY, Kind.WEBHOOK]),
       after=st.dictionaries(st.sampled_from(["title", "sku", "price", "compare_at_price", "weight", "values",
                                              "default", "tags", "src", "position", "name", "image"]),
                             _SHOWN, max_size=6),
       note=st.none() | st.just("recreates all 2 variants of the product: ids change"),
       mode=st.sampled_from(list(ViewMode)), color=st.booleans())
def test_a_created_resources_text_is_its_rows_text(kind: Kind, after: dict[str, Any], note: str | None,
                                                   mode: ViewMode, color: bool) -> None:
    if "values" in after:   # a variant's values are pairs (`Size=S`), whatever else they are shown with
        after["values"] = [["Size", "S"], ["Color", "Blue"]]
    change = Change(address='product["A"]', kind=kind, action=ChangeAction.CREATE, after=after, note=note)
    paint = _Painter(color)
    lines = _row_lines(row_for(change, mode), paint)
    assert _create_lines(change, paint, mode) == ("\n".join(lines), len(lines))


def _plan_fields() -> list[dict[str, Any]]:
    from planfixtures import BASE, LIVE, group, image, plan, product, rmap, variant, with_

    new = rmap(group("Size"), product("N", options=("Size",)), variant("N", (("Size", "S"),)),
               image("N", 0, "http://i/n.png"))
    made = [plan(BASE, {}), plan(with_(BASE, product("B")), LIVE, prune=True), plan(new, LIVE, prune=True)]
    return [{name: getattr(p, name) for name in Plan.model_fields if name != "format_version"} for p in made]


def test_a_plan_made_without_validating_its_records_again_is_the_one_pydantic_makes() -> None:
    from catalogctl.plan.builder import _made

    for fields in _plan_fields():
        assert fields["changes"] and fields["steps"]
        made, validated = _made(**fields), Plan.model_validate(fields)
        assert made.__dict__ == validated.__dict__ and list(made.__dict__) == list(validated.__dict__)
        assert [type(v) for v in made.__dict__.values()] == [type(v) for v in validated.__dict__.values()]
        assert made.__pydantic_fields_set__ == validated.__pydantic_fields_set__
        assert made.model_dump_json() == validated.model_dump_json() and made == validated
        for name, other in (("warnings", list(fields["warnings"])), ("target", IntText("1")),
                            ("changes", (*fields["changes"], fields["changes"][0].model_dump())),
                            ("summary", {**fields["summary"], ChangeAction.CREATE: True})):
            changed = {**fields, name: other}
            _alike(_made(**changed), Plan.model_validate(changed))   # validated: the same as pydantic's



@settings(max_examples=200, deadline=None, database=None)
@given(values=st.lists(st.sampled_from(["a", IntText("1"), 1, True, None, ("a",)]), max_size=4).map(tuple),
       kind=st.sampled_from([str, int, bool, tuple]))
def test_only_of_type_is_all_of_exactly_that_type(values: tuple[Any, ...], kind: type) -> None:
    from catalogctl.core.frozen import only_of_type

    assert only_of_type(values, kind) is all(type(value) is kind for value in values)
