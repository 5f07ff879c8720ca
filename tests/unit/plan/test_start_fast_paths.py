"""The from-scratch apply's start (issue 13: a 10,000-product create plan's 120,000 items): the grouping in
runs, a create's Item, a step's address texts and the plan's summary are what the code they replaced made
(the old code kept here as the oracle), for equal addresses that are distinct objects too."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from planfixtures import BASE, LIVE, plan

from catalogctl.model.address import Address, Kind
from catalogctl.plan.classify import Item, _item
from catalogctl.plan.diff import address_text
from catalogctl.plan.drafts import StepDrafts
from catalogctl.plan.model import ChangeAction, created, empty_summary
from catalogctl.plan.runs import grouped_in_runs
from catalogctl.providers.groovekart import actions as A


@st.composite
def _address(draw: st.DrawFn) -> Address:
    """A product or one of its children, made anew each time (equal addresses, distinct objects)."""
    product = Address(Kind.PRODUCT, draw(st.sampled_from(["A", "B", "0"])))
    match draw(st.sampled_from(["product", "variant", "image"])):
        case "product":
            return product
        case "variant":
            return Address(Kind.VARIANT, draw(st.sampled_from(["Size=S", "Size=M"])), product)
        case _:
            return Address(Kind.IMAGE, draw(st.sampled_from(["0", "1"])), product)


@settings(max_examples=300, deadline=None, database=None)
@given(pairs=st.lists(st.tuples(st.none() | _address(), st.integers()), max_size=12), reuse=st.booleans())
def test_grouping_in_runs_is_a_dict_of_lists(pairs: list[tuple[Address | None, int]], reuse: bool) -> None:
    if reuse:   # runs of one object, as a product's children name it
        pairs = [(pairs[n - 1][0] if n and pairs[n - 1][0] == key else key, value)
                 for n, (key, value) in enumerate(pairs)]
    expected: dict[Address, list[int]] = defaultdict(list)
    keyless = []
    for key, value in pairs:
        if key is None:
            keyless.append(value)
        else:
            expected[key].append(value)
    grouped, without = grouped_in_runs(pairs)
    assert grouped == expected and list(grouped) == list(expected) and without == keyless


def test_a_creates_item_is_the_dataclass_one() -> None:
    address = Address(Kind.PRODUCT, "A")
    change = created(str(address), Kind.PRODUCT, {"title": "T"})
    made, expected = _item(address, change), Item(address, change)
    assert made == expected and repr(made) == repr(expected)
    assert made.address is address and made.change is change and made.live_id is None and made.warning is None


@settings(max_examples=300, deadline=None, database=None)
@given(addresses=st.lists(_address() | st.sampled_from(['product["A"]', 'product["B"]']), max_size=8),
       as_list=st.booleans())
def test_a_steps_address_texts_are_the_deduplicated_ones(addresses: list[Any], as_list: bool) -> None:
    drafts = StepDrafts()
    drafts.add(A.CreateCategories(titles=("c",)), addresses if as_list else iter(addresses))
    step = drafts.steps()[0]
    assert step.addresses == tuple(address_text(a) for a in dict.fromkeys(addresses))


def test_the_summary_counts_each_action() -> None:
    made = plan(BASE, {})
    expected = empty_summary()
    for change in made.changes:
        expected[change.action] += 1
    assert made.summary == expected and list(made.summary) == list(ChangeAction)
    assert plan(BASE, LIVE).summary == empty_summary()


def test_a_first_apply_has_nothing_to_compare() -> None:
    from collections import Counter

    from catalogctl.plan.align import _not_compared
    from catalogctl.providers.groovekart import CAPABILITIES

    assert _not_compared(BASE, {}, CAPABILITIES) == Counter()   # told without looking at any resource
    assert plan(BASE, {}).notes == plan(BASE, LIVE).notes == ()


def test_an_amounts_json_form_is_the_same_by_its_spelling() -> None:
    from decimal import Decimal, InvalidOperation

    import pytest

    from catalogctl.plan.diff import JsonForms, jsonable_attrs

    forms = JsonForms()
    for spelled in ["19.5", "19.50", "1E+2", "100", "-0", "0E-7", "0.0000001", "NaN", "-Infinity", "19.5"]:
        attrs = {"price": Decimal(spelled)}
        assert forms.attrs(attrs) == jsonable_attrs(attrs), spelled
    for _ in range(2):   # never remembered: it raises each time, as jsonable does
        with pytest.raises(InvalidOperation):
            forms.attrs({"price": Decimal("sNaN")})


@settings(max_examples=300, deadline=None, database=None)
@given(children=st.lists(st.one_of(
    st.tuples(st.just(Kind.VARIANT), st.sampled_from(["Size=S", "Size=M", "Color=Red,Size=S", ""])),
    st.tuples(st.just(Kind.IMAGE), st.sampled_from(["0", "1", "2", "10", "01"]))), max_size=10))
def test_a_new_products_children_come_in_child_key_order(children: list[tuple[Kind, str]]) -> None:
    """in_child_order (images by position, then variants by key, their sort keyed in C) is the order the
    sort by child_key made, ties (equal keys, distinct resources) in their order too."""
    from catalogctl.model.resource import Resource
    from catalogctl.plan.child_order import child_key, in_child_order

    product = Address.for_product("A")
    resources = [Resource.owning(Address(kind, key, product), {"n": n}) for n, (kind, key) in enumerate(children)]
    expected = sorted(resources, key=lambda r: child_key(r.address))
    assert [id(r) for r in in_child_order(resources)] == [id(r) for r in expected]


@settings(max_examples=300, deadline=None, database=None)
@given(addresses=st.lists(_address(), max_size=8), carried=st.lists(st.lists(st.integers(0, 7), max_size=4),
                                                                     max_size=4))
def test_the_order_keys_are_the_first_step_carrying_each_change_and_its_text(
        addresses: list[Address], carried: list[list[int]]) -> None:
    """build_plan's sort keys (made in C) are what the loop with setdefault made; steps may repeat a change."""
    from catalogctl.plan.builder import _order_keys
    from catalogctl.plan.model import step_of

    items = [_item(a, created(str(a), a.kind, {})) for a in addresses]
    action = A.SetTags(sku="T", tags=())
    steps = [step_of(f"s{n}", action, tuple(str(addresses[i]) for i in found if i < len(addresses)), ())
             for n, found in enumerate(carried)]
    first_step: dict[str, int] = {}
    for index, step in enumerate(steps):
        for text in step.addresses:
            first_step.setdefault(text, index)
    expected = [(first_step.get(str(item.address), len(steps)), str(item.address)) for item in items]
    assert _order_keys(items, steps) == expected


def test_a_products_groups_are_made_once_per_list_of_options_as_one_by_one() -> None:
    """_groups_of keeps the specs per list of options: the same specs as made for each product anew."""
    from planfixtures import group, product, rmap

    from catalogctl.providers.groovekart.steps import _Builder

    desired = rmap(group("Size"), group("Color", "color"), product("A", options=("Color", "Size")),
                   product("B", options=("Color", "Size")), product("C", options=("Size",)), product("D"),
                   product("E", options=["Size"]))
    builder = _Builder([], desired, {})
    for sku in "ABCDEAB":
        want = desired[Address.for_product(sku)]
        made = builder._groups_of(want)
        expected = tuple(builder._group(name) for name in want.attrs.get("options", ()))
        assert made == expected and all(m is e for m, e in zip(made, expected, strict=True))
    assert builder._groups_of(desired[Address.for_product("A")]) is builder._groups_of(
        desired[Address.for_product("B")])
