"""What a large plan's records cost beyond their fields (issue 13: apply RSS): shared field-sets, no
copied attrs, and expansions that go with their catalog."""

from __future__ import annotations

import gc
from decimal import Decimal

import pydantic
import pytest

from catalogctl.config import expand
from catalogctl.config.models import Catalog
from catalogctl.model.address import Kind
from catalogctl.plan.model import Change, ChangeAction
from catalogctl.providers.groovekart.actions import VariantSpec


def test_a_change_keeps_the_attrs_it_is_given_and_refuses_what_is_no_object() -> None:
    after = {"title": "Tee", "price": "19.50", "tags": ["a"]}
    change = Change(address='product["T"]', kind=Kind.PRODUCT, action=ChangeAction.CREATE, after=after)
    assert change.after is after and change.before is None
    assert Change.model_validate_json(change.model_dump_json()) == change
    with pytest.raises(pydantic.ValidationError, match="expected a JSON object or null"):
        Change(address='product["T"]', kind=Kind.PRODUCT, action=ChangeAction.CREATE, after=["not", "an", "object"])


def test_records_given_the_same_fields_share_one_fields_set_and_copies_do_not_touch_it() -> None:
    first = VariantSpec(values=(("Size", "S"),), sku="A-S", price=Decimal("1"), default=True)
    second = VariantSpec(values=(("Size", "M"),), sku="A-M", price=Decimal("2"), default=False)
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    copied = first.model_copy(update={"color": "#0000FF"})
    assert "color" in copied.__pydantic_fields_set__ and "color" not in first.__pydantic_fields_set__
    assert first.model_dump(exclude_unset=True) == {"values": (("Size", "S"),), "sku": "A-S",
                                                    "price": Decimal("1"), "default": True}
    assert first != second and first == VariantSpec.model_validate(first.model_dump())


def test_expanded_variants_go_with_their_product() -> None:
    catalog = Catalog.model_validate({"products": [{
        "sku": "A", "title": "A", "price": "1.00", "options": ["Size"],
        "variants": {"matrix": {"Size": ["S", "M"]}}}]})
    product = catalog.products[0]
    assert len(expand.expand_variants(product)) == 2
    key = id(product)
    assert key in expand._EXPANDED
    del catalog, product
    gc.collect()
    assert key not in expand._EXPANDED   # the cache kept every product alive before
