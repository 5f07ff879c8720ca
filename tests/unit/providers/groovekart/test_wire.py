"""Wire models on the vendor doc's own example answers (fixtures/ copied from the doc)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from catalogctl.providers.groovekart import wire
from catalogctl.providers.groovekart.dialect import error_of

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_list_products_answer_is_a_list_with_normalized_values() -> None:
    products = wire.products(load("list_products"))
    assert [p.id for p in products][:3] == ["8", "7", "6"]
    first = products[0]
    assert first.title == "API Test Product"
    assert first.vendor == ""  # null in the doc
    assert first.price == Decimal(0) and first.weight == Decimal(0)
    assert first.active is True and first.visibility == "both"
    assert first.tag_list == ("tag1", "tag2", "tag3", "tag4")
    assert first.images[0].id == "111118"


def test_variant_rows_list_spelling_default_and_color_only_on_color_rows() -> None:
    rows = wire.products(load("list_products"))[0].variants
    assert len(rows) == 16
    row = rows[0]
    assert (row.variant_id, row.group, row.group_id, row.value) == ("26", "Style", "7", "Short Collor")
    assert row.sku == "TS.12345678"
    assert row.price == Decimal("24.99") and str(row.price) == "24.99"
    assert row.compare_price == Decimal("29.99") and row.weight == Decimal("0.37")
    assert row.default_on is True  # "1"
    assert rows[4].default_on is False  # 0
    colors = {(r.group, r.color) for r in rows}
    assert all(color is None for group, color in colors if group != "Color")
    assert ("Color", "#00FF00") in colors


def test_variant_image_is_read_from_rows_that_carry_it() -> None:
    products = {p.id: p for p in wire.products(load("list_products"))}
    row = products["7"].variants[0]
    assert row.image is not None and row.image.id == "111117"
    assert row.image.url.endswith("/111117.jpg")


def test_search_answer_keyed_object_with_count_inside() -> None:
    products = wire.products(load("search_products"))
    assert [p.id for p in products] == ["8", "5"]
    assert products[0].compare_price == Decimal(0)  # "0.00"


def test_details_spelling_of_product_and_rows() -> None:
    product = wire.product_details(load("product_details"))
    assert product.id is None and product.title == "API Test Product"
    assert product.category_id == "25"
    row = product.variants[0]
    assert (row.variant_id, row.group, row.value) == ("26", "Style", "Short Collor")
    assert row.default_on is None and row.image is None and row.group_id is None


def test_create_product_answer_ids_and_values() -> None:
    created = wire.CreatedProduct.model_validate(load("create_product"))
    assert (created.id, created.image_id) == ("8", "111118")
    assert [v.variant_id for v in created.variants] == ["26", "27", "28", "29"]
    blue = created.variants[0].values
    assert blue["Color"].name == "Blue" and blue["Color"].color == "#0000FF"
    assert blue["Size"].color is None and blue["Size"].group_type == "select"


def test_categories_groups_webhooks_and_image_answers() -> None:
    assert [(c.id, c.title) for c in wire.categories(load("list_categories"))] == [
        ("25", "Best deals"), ("26", "Test Category"),
    ]
    assert wire.categories(load("create_categories"))[1].title == "Test Category"
    groups = wire.groups(load("list_variant_groups"))
    assert [(g.id, g.name, g.group_type) for g in groups] == [
        ("6", "Color", "radio"), ("8", "Size", "radio"), ("7", "Style", "radio"),
    ]
    hooks = wire.webhooks(load("list_webhooks"))
    assert [(h.id, h.name, h.endpoint) for h in hooks] == [
        ("1", "teescape", "https://teescape.com/active/Groovekart/webhook.asp"),
    ]
    assert wire.ImageAnswer.model_validate(load("add_image")).id == "111119"
    assert wire.ImageAnswer.model_validate(load("replace_image")).id == "111119"


def test_empty_answers_parse_as_nothing() -> None:
    assert wire.products(None) == [] and wire.categories(None) == []
    assert wire.groups(None) == [] and wire.webhooks(None) == []


@pytest.mark.parametrize("case", load("errors")["cases"], ids=lambda c: c[1][:30])
def test_every_documented_error_shape_is_recognized(case: list[Any]) -> None:
    body, message, is_auth = case
    assert error_of(body) == (message, is_auth)


@pytest.mark.parametrize(
    "name",
    ["update_product", "add_image", "product_status", "add_tags", "delete_tags", "add_variant_groups",
     "list_variant_groups", "update_variants", "assign_variant_image", "delete_variant_image",
     "delete_variants", "create_webhooks", "list_webhooks", "update_webhook", "delete_webhook",
     "list_products", "search_products", "create_product"],
)
def test_documented_success_answers_are_not_errors(name: str) -> None:
    assert error_of(load(name)) == (None, False)
