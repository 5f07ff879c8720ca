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
