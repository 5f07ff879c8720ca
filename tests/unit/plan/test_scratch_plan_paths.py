"""A from-scratch plan's fast paths (issue 13: every change a create) make exactly what the general code
makes: an Item made on its twin class is the dataclass's own."""

from __future__ import annotations

import dataclasses

import pytest
from planfixtures import BASE, plan

from catalogctl.model.address import Address
from catalogctl.plan.classify import Item, _item


def test_an_item_made_on_its_twin_is_the_dataclasses_own() -> None:
    for change in plan(BASE, {}).changes:
        address = Address.parse(change.address)
        made, general = _item(address, change), Item(address, change)
        assert type(made) is Item
        assert made == general and repr(made) == repr(general)
        assert [getattr(made, name) for name in Item.__slots__] == [getattr(general, name) for name in Item.__slots__]
        assert made.address is address and made.change is change
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.warning = "x"  # type: ignore[misc]
        assert dataclasses.replace(made, warning="w") == Item(address, change, warning="w")


def _fresh(text: str) -> Address:
    """An address whose text is not made yet (parse keeps none)."""
    made = Address.parse(text)
    return Address(made.kind, made.key, made.parent)


def test_step_addresses_read_from_the_kept_text_are_their_str() -> None:
    from catalogctl.config.scalars import IntText
    from catalogctl.plan.drafts import StepDrafts
    from catalogctl.providers.groovekart import actions as A

    texts = ['product["A"]', 'product["A"].variant["Size=S"]', 'product["A"].image[0]', 'category["a\\"b"]']
    made = [Address.parse(text) for text in texts]
    for address in made[:2]:
        str(address)   # its text kept
    given: list[Address | str] = [*made, *(_fresh(text) for text in texts), 'webhook["w"]', IntText("7")]
    drafts = StepDrafts()
    drafts.add(A.CreateCategories(titles=("a",)), given[:4] + given[8:])
    drafts.add(A.CreateCategories(titles=("b",)), given[4:8])
    steps = drafts.steps()
    assert [list(s.addresses) for s in steps] == [[str(a) for a in given[:4] + given[8:]],
                                                  [str(a) for a in given[4:8]]]
    assert all(type(text) is str for s in steps for text in s.addresses)


def test_the_plans_order_keys_are_by_the_addresses_str() -> None:
    from catalogctl.plan.builder import _order_keys

    made = plan(BASE, {})
    items = [_item(_fresh(change.address), change) for change in made.changes]
    items[0] = _item(Address.parse(made.changes[0].address), made.changes[0])
    str(items[0].address)
    steps = list(made.steps)
    first = {}
    for index, step in enumerate(steps):
        for text in step.addresses:
            first.setdefault(text, index)
    assert _order_keys(items, steps) == [(first.get(str(i.address), len(steps)), str(i.address)) for i in items]


def test_json_forms_of_a_copied_dict_are_jsonable_attrs() -> None:
    """attrs copies the dict in C and writes again only the values with another JSON form: the same dict
    as jsonable_attrs (order, values and their types), for a dict, a dict subclass or another mapping."""
    from collections import OrderedDict
    from decimal import Decimal
    from types import MappingProxyType

    from catalogctl.config.scalars import IntText
    from catalogctl.plan.diff import JsonForms, jsonable_attrs

    shared = (("Size", "S"),)
    attrs = {"values": shared, "sku": IntText("7"), "price": Decimal("19.50"), "n": 3, "on": True, "none": None,
             "tags": ("a",), "zero": Decimal(0), "text": "t", "nested": {"a": (1,)}}
    forms = JsonForms()
    for given in (attrs, OrderedDict(attrs), MappingProxyType(attrs), dict(reversed(attrs.items()))):
        expected, made = jsonable_attrs(given), forms.attrs(given)
        assert made == expected and list(made) == list(expected) and repr(made) == repr(expected)
        assert type(made) is dict and made is not given
        assert [type(v) for v in made.values()] == [type(v) for v in expected.values()]
    made = forms.attrs(attrs)
    made["text"] = "changed"
    assert attrs["text"] == "t" and attrs["values"] is shared and attrs["price"] == Decimal("19.50")
