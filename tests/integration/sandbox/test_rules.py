"""PrestaShop's validation rules (API-NOTES.md) refuse a product create with the documented body."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_helpers import Sandbox, doc_create_product, new_product

CREATE_FAILED = {"error": "Product creation failed. Please check your data."}
SIZE_GROUP = [{"name": "Size", "group_type": "select"}]
M = {"Size": {"variant_group_type": "select", "variant_name": "M"}}


def _variant(sku: str = "V-1", **fields: Any) -> dict[str, Any]:
    values = fields.pop("values", {"Size": {"variant_group_type": "select", "variant_name": "L"}})
    return {"variant_values": values, "price": "10", "compare_at_price": "12", "sku": sku, "default_on": 0, **fields}


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"title": "Shirt #1"},
        {"title": "x" * 129},
        {"vendor": "Acme; Inc"},
        {"vendor": "v" * 65},
        {"sku": "S" * 33},
        {"sku": "A=B"},
        {"tags": "sale, 50%off"},
        {"tags": "t" * 33},
        {"description": "<p onclick=alert(1)>hi</p>"},
        {"description": "<script>alert(1)</script>"},
        {"short_description": "s" * 401},
        {"price": -1},
        {"price": "12345678901.5"},
        {"price": None},
        {"compare_default_price": "-0.01"},
        {"weight": -2},
        {"visibility": "hidden"},
        {"category_id": 999},
        {"variants": [_variant(sku="V" * 33)]},
        {"variants": [_variant(values={"Color": {"variant_group_type": "color", "variant_name": "Blue",
                                                 "color": "#00FF"}})]},
        {"variants": [_variant(values={"Size": {"variant_group_type": "select", "variant_name": "<L>"}})]},
        {"variants": [_variant(values={"Color": {"variant_group_type": "color", "variant_name": "Blue",
                                                 "color": "blue"}})]},  # the document asks for a hex code
        {"variants": [_variant("A", default_on=1), _variant("B", default_on=1,
                                                           values=M)]},
        {"variants": [_variant("A"), _variant("B")]},  # same value set twice
        {"variant_groups": [{"name": "Size", "group_type": "dropdown"}]},
    ],
)
def test_invalid_product_is_refused_and_nothing_is_written(sandbox: Sandbox, change: dict[str, Any]) -> None:
    groups = [*SIZE_GROUP, {"name": "Color", "group_type": "color"}]  # so variant cases fail on their own rule
    product = {**doc_create_product(0), "variant_groups": groups, "variants": [], **change}
    assert sandbox.call("products", product=product) == CREATE_FAILED
    assert sandbox.call("list_products") == {"error": "No products found."}
    assert sandbox.call("variant_groups", action="list_variant_groups") == {"error": "Variant Groups not found."}


def test_bad_image_source_has_its_own_body(sandbox: Sandbox) -> None:
    product = {**doc_create_product(0), "image": {"src": "file:///etc/passwd"}}
    assert sandbox.call("products", product=product) == {"error": "Image uploading failed."}
    assert sandbox.call("list_products") == {"error": "No products found."}


def test_valid_edge_values_are_accepted(sandbox: Sandbox) -> None:
    product = {
        "title": "T" * 128, "sku": "S" * 32, "price": "9999999999.999999", "vendor": "Acme Inc.",
        "tags": "summer,t-shirt", "description": "<p><strong>Soft</strong> cotton</p>", "visibility": "search",
        "compare_default_price": 0, "variant_groups": SIZE_GROUP,
        "variants": [_variant("A", default_on=1), _variant("B", values=M)],
    }
    answer = sandbox.call("products", product=product)
    assert answer["id_product"] == "1"
    listed = sandbox.call("list_products")["products"][0]
    assert listed["price"] == "9999999999.999999" and listed["visibility"] == "search"


def test_without_a_marked_default_the_lowest_variant_is_default(sandbox: Sandbox) -> None:
    product = new_product("Plain", 5, variant_groups=SIZE_GROUP, variants=[_variant("A"), _variant("B", values=M)])
    sandbox.call("products", product=product)
    rows = sandbox.call("list_products")["products"][0]["variants"]
    assert [row["default_on"] for row in rows] == ["1", 0]


def test_slug_rules(sandbox: Sandbox) -> None:
    sandbox.call("products", product=new_product("  Crème Brûlée -- T-Shirt (XL)!  "))
    assert sandbox.call("list_products")["products"][0]["link_rewrite"] == "creme-brulee-t-shirt-xl"
