"""variant_groups.json and variants.json: the doc's examples and failure bodies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox_helpers import Sandbox, create_doc_product

GROUP_KEYS = ["id_attribute_group", "name", "public_name", "group_type"]
DOC_GROUPS = [
    {"name": "Type", "group_type": "select"},
    {"name": "Style", "group_type": "select"},
    {"name": "Color", "group_type": "color"},
    {"name": "Size", "group_type": "select"},
]
RED = {"Color": {"variant_group_type": "color", "variant_name": "Red",
                 "texture": "https://www.colorcombos.com/images/colors/FF0000.png"}}


def _rows(sandbox: Sandbox, product_id: int = 1) -> list[dict[str, Any]]:
    return sandbox.call("list_products", limit=0)["products"][-product_id]["variants"]


def _variant_ids(sandbox: Sandbox) -> list[str]:
    return sorted({row["id_product_variant"] for row in _rows(sandbox)}, key=int)


def test_add_variant_groups_example(sandbox: Sandbox) -> None:
    answer = sandbox.call("variant_groups", action="add_variant_groups", variant_groups=DOC_GROUPS)
    assert answer == {"status": "success"}
    again = sandbox.call("variant_groups", action="add_variant_groups",
                         variant_groups=[{"name": "size", "group_type": "select"}])
    assert again == {"status": "success"}
    groups = sandbox.call("variant_groups", action="list_variant_groups")
    assert [g["name"] for g in groups] == ["Color", "Size", "Style", "Type"]  # by name, deduplicated


def test_list_variant_groups_example_reads_radio(sandbox: Sandbox) -> None:
    sandbox.call("variant_groups", action="add_variant_groups", variant_groups=DOC_GROUPS)
    groups = sandbox.call("variant_groups", action="list_variant_groups")
    assert isinstance(groups, list)
    for group in groups:
        assert list(group) == GROUP_KEYS
        assert group["group_type"] == "radio" and group["public_name"] == group["name"]
        assert isinstance(group["id_attribute_group"], str)


def test_variant_group_failure_bodies(sandbox: Sandbox) -> None:
    assert sandbox.call("variant_groups", action="list_variant_groups") == {"error": "Variant Groups not found."}
    assert sandbox.call("variant_groups", action="add_variant_groups") == {"error": "Variant Groups data not sent."}
    bad = sandbox.call("variant_groups", action="add_variant_groups", variant_groups=[{"name": "a=b"}])
    assert bad == {"error": "Variant Groups data not sent."}


def test_add_variants_example_answers_the_group_list(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("variants", action="add", product_id=1, image_id=0, variants=[{
        "variant_values": RED, "compare_at_price": "30", "weight": "0.35", "weight_unit": "lb", "price": "25",
        "sku": "TS.21233323", "default_on": 0,
    }])
    assert isinstance(answer, list) and all(list(group) == GROUP_KEYS for group in answer)
    red = [row for row in _rows(sandbox) if row["variant_name"] == "Red"]
    assert len(red) == 1 and red[0]["id_product_variant"] == "5"
    assert (red[0]["price"], red[0]["compare_price"], red[0]["weight"]) == ("25.000000", "30.00", "0.350000")
    assert red[0]["color"] == "" and red[0]["default_on"] == 0


def test_add_variants_failure_bodies(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    unknown_group = {"Material": {"variant_group_type": "select", "variant_name": "Silk"}}
    answer = sandbox.call("variants", action="add", product_id=1, variants=[
        {"variant_values": unknown_group, "price": 1, "compare_at_price": 0, "default_on": 0}])
    assert answer == {"error": "Variant Groups not found."}
    existing = {"Color": {"variant_group_type": "color", "variant_name": "Blue", "color": "#0000FF"},
                "Style": {"variant_group_type": "select", "variant_name": "Tab Collar"},
                "Size": {"variant_group_type": "select", "variant_name": "L"},
                "Cloth": {"variant_group_type": "select", "variant_name": "cotton"}}
    variants = [{"variant_values": existing, "price": 1, "compare_at_price": 0, "default_on": 0}]
    duplicate = sandbox.call("variants", action="add", product_id=1, variants=variants)
    assert duplicate == {"error": "This combination already exists"}
    assert len(_variant_ids(sandbox)) == 4  # nothing half-written


def test_update_variants_example(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("variants", action="update", product_id=1, variants=[
        {"id": 3, "compare_at_price": "29", "price": "28", "sku": "TS.21233319", "weight": "0.35",
         "image_id": [111111], "default_on": 1, "update_all_fields": True},
        {"id": 4, "compare_at_price": "29", "price": "28", "sku": "TS.21233320", "weight": "0.35",
         "image_id": [111111], "default_on": 0, "update_all_fields": True},
    ])
    assert answer == {"status": "success", "message": "Variants are updated."}
    rows = _rows(sandbox)
    third = [row for row in rows if row["id_product_variant"] == "3"]
    assert {(r["reference"], r["price"], r["compare_price"], r["default_on"]) for r in third} == {
        ("TS.21233319", "28.000000", "29.00", "1")}
    assert third[0]["image"]["id"] == "111111" and third[0]["image"]["url"].endswith("/111111.jpg")
    assert {row["id_product_variant"] for row in rows if row["default_on"] == "1"} == {"3"}  # one default


def test_update_variants_failure_bodies(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    missing = {"status": "error", "message": "Product id or variants data is missing."}
    assert sandbox.call("variants", action="update", product_id=1) == missing
    failed = {"status": "error", "message": "Failed to update variants."}
    assert sandbox.call("variants", action="update", product_id=1, variants=[{"id": 99, "price": 1}]) == failed
    two_defaults = [{"id": 1, "default_on": 1, "price": 5}, {"id": 2, "default_on": 1}]
    assert sandbox.call("variants", action="update", product_id=1, variants=two_defaults) == failed
    assert {r["price"] for r in _rows(sandbox) if r["id_product_variant"] == "1"} == {"27.990000"}  # rolled back


def test_assign_and_delete_variant_image_examples(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("variants", variants=[1, 2, 3], image_id=[111111])
    assert answer == {"status": "success", "message": "Image assigned to variants."}
    with_image = {row["id_product_variant"] for row in _rows(sandbox) if "image" in row}
    assert with_image == {"1", "2", "3"}
    details = sandbox.call("products", product={"id": 1})["product"]["variants"]
    assert details[0]["image"] == {"id": "111111", "url": details[0]["image"]["url"]}
    answer = sandbox.call("variants", action="delete_image", variants=[1, 2, 3], image_id=[111111])
    assert answer == {"status": "success", "message": "Image deleted from variants."}
    assert not any("image" in row for row in _rows(sandbox))


def test_variant_image_failure_bodies(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    not_provided = {"status": "error", "message": "Variant id or image id not provided."}
    assert sandbox.call("variants", variants=[1]) == not_provided
    assert sandbox.call("variants", action="delete_image", image_id=[111111]) == not_provided
    nothing = sandbox.call("variants", action="delete_image", variants=[1], image_id=[111111])
    assert nothing == {"status": "error", "message": "Variant image combination does not exists or unkonwn error."}


def test_delete_variants_example_removes_all(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("variants", action="delete", product_id=1)
    assert answer == {"status": "success", "message": "variants are deleted."}
    assert _rows(sandbox) == []


def test_delete_variants_failure_bodies(sandbox: Sandbox) -> None:
    assert sandbox.call("variants", action="delete") == {"status": "error", "message": "Product id is missing."}
    assert sandbox.call("variants", action="delete", product_id=5) == {"status": "error",
                                                                        "message": "Failed to delete variants."}


def test_amounts_beyond_the_stores_columns_are_refused_not_a_500(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    failed = {"status": "error", "message": "Failed to update variants."}
    # 1e999 has one digit in its tuple; decimal(20,6) cannot hold it or a 31-digit weight
    row = {"id": 1, "price": "27.99", "compare_at_price": "31.99", "default_on": 1}
    for change in ({"price": Decimal("1e999")}, {"weight": 10**30}, {"weight": Decimal("1e15")}):
        assert sandbox.call("variants", action="update", product_id=1, variants=[{**row, **change}]) == failed
    answer = sandbox.call("variants", action="update", product_id=1, variants=[{**row, "weight": Decimal("1e13")}])
    assert answer["status"] == "success"


def test_a_value_several_variants_of_one_create_name_is_one_value_with_the_color_it_was_first_given(
        sandbox: Sandbox) -> None:
    """insert_variants looks each (group, value) up once per call (issue 13: sandbox CPU); the store still
    keeps one shared value per name, its first color, and later creates find it."""
    from contract_requests import _variant, product_body

    body = product_body(int(sandbox.call("create_categories", category={"title": "Tees"})["categories"][-1]["id"]))
    body["variants"] = [_variant("Teal", "#008080", "S", "T-S", 1), _variant("Teal", "#00FFFF", "M", "T-M", 0),
                        _variant("Rose", "#FF007F", "S", "T-RS", 0)]
    created = sandbox.call("products", product=body)
    assert len(created["variants"]) == 3
    body = {**body, "sku": "CT-2", "variants": [_variant("Teal", "#123456", "L", "T2-L", 1)]}
    assert len(sandbox.call("products", product=body)["variants"]) == 1
    rows = sandbox.call("list_products", limit=0)["products"]
    teal = {(row["id_product_variant"], row["color"]) for product in rows for row in product["variants"]
            if row["variant_name"] == "Teal"}
    assert len(teal) == 3 and {color for _, color in teal} == {"#008080"}
    sizes = [row["variant_name"] for row in rows[-1]["variants"] if row["group_name"] == "Size"]  # the first product
    assert sorted(sizes) == ["M", "S", "S"]
