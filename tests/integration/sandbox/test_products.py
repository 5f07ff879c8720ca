"""products.json, list_products.json and search_products.json: one test per documented example."""

from __future__ import annotations

import pytest
from sandbox_helpers import (
    DETAILS_PRODUCT_KEYS,
    DETAILS_ROW_KEYS,
    LIST_PRODUCT_KEYS,
    LIST_ROW_KEYS,
    Sandbox,
    create_doc_product,
    new_product,
    six_decimals,
    two_decimals,
)

from catalogctl.sandbox.groovekart.db import Store

IMAGE_SRC = "https://shopifiedapp-uploads-dev-789552.s3.amazonaws.com/uploads/u1/41d88982d1660fa91ae7adc9834b31bb.jpg"


def test_create_product_example(sandbox: Sandbox) -> None:
    answer = create_doc_product(sandbox)
    assert list(answer) == ["product_url", "id_product", "image_id", "variants", "tags"]
    assert answer["id_product"] == "1" and isinstance(answer["image_id"], str)
    assert answer["product_url"].endswith("/product/form/1")
    assert answer["tags"] == {"1": ["tag1", "tag2", "tag3", "tag4"]}
    assert [v["variant_id"] for v in answer["variants"]] == [1, 2, 3, 4]
    first = answer["variants"][0]
    assert list(first) == ["variant_id", "variant_values"]
    blue = {"variant_group_type": "color", "variant_name": "Blue", "color": "#0000FF"}
    assert first["variant_values"]["Color"] == blue
    assert first["variant_values"]["Style"] == {"variant_group_type": "select", "variant_name": "Tab Collar"}


def _assert_list_product(product: dict, compare_check) -> None:
    assert list(product) == LIST_PRODUCT_KEYS
    for key in ("id", "id_manufacturer", "id_category_default", "status", "available_for_order"):
        assert isinstance(product[key], str) and product[key].isdigit()
    assert six_decimals(product["price"]) and six_decimals(product["weight"])
    assert compare_check(product["compare_default_price"])
    for image in product["images"]:
        assert list(image) == ["id", "url"] and isinstance(image["id"], str)
    for row in product["variants"]:
        extra = [k for k in ("color", "image") if k in row]
        assert list(row) == LIST_ROW_KEYS + extra
        assert isinstance(row["id_product_variant"], str) and isinstance(row["id_variant_group"], str)
        assert six_decimals(row["price"]) and six_decimals(row["weight"]) and two_decimals(row["compare_price"])
        assert isinstance(row["quantity"], int)
        assert row["default_on"] in ("1", 0)


def test_list_products_example(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("list_products", offset=0, limit=0, order_by="id_product", order_way="DESC",
                          id_category=3, only_active=None)
    assert list(answer) == ["products"] and isinstance(answer["products"], list)
    product = answer["products"][0]
    _assert_list_product(product, six_decimals)
    assert product["price"] == "80.000000" and product["compare_default_price"] == "100.000000"
    assert product["product_title"] == "API Test Product" and product["link_rewrite"] == "api-test-product"
    assert product["product_url"].endswith("/best-deals/1-api-test-product")
    assert product["tags"] == "tag1,tag2,tag3,tag4"
    assert product["manufacturer_name"] is None and product["vendor"] is None
    assert product["cover_image"] == product["images"][0]["url"]
    assert "/img/p/1/1/1/1/1/1/111111-cart_default.webp?v=" in product["cover_image"]
    assert "pluspng" not in product["cover_image"]
    rows = product["variants"]
    assert len(rows) == 16  # four variants x four groups, one row each
    color_rows = [row for row in rows if row["group_name"] == "Color"]
    assert [row["color"] for row in color_rows] == ["#0000FF", "#00FF00", "#0000FF", "#00FF00"]
    assert all("color" not in row for row in rows if row["group_name"] != "Color")
    assert {row["default_on"] for row in rows if row["id_product_variant"] == "1"} == {"1"}
    assert {row["default_on"] for row in rows if row["id_product_variant"] != "1"} == {0}
    first = rows[0]
    assert (first["price"], first["compare_price"], first["weight"]) == ("27.990000", "31.99", "0.370000")


def test_search_products_example_by_ids(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    create_doc_product(sandbox)
    answer = sandbox.call("search_products", ids="2,1,10", limit=0, offset=0, order_by="id_product", order_way="DESC")
    products = answer["products"]
    assert list(products) == ["0", "1", "products_count"]
    assert products["products_count"] == 2
    assert [products["0"]["id"], products["1"]["id"]] == ["2", "1"]
    _assert_list_product(products["0"], two_decimals)
    assert products["0"]["compare_default_price"] == "100.00"


def test_search_products_by_keyword_matches_title_and_skus(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    assert sandbox.call("search_products", keyword="test product")["products"]["products_count"] == 1
    assert sandbox.call("search_products", keyword="TS.12345681")["products"]["0"]["id"] == "1"
    assert sandbox.call("search_products", keyword="nothing like it") == {"error": "No products found."}
    sandbox.call("products", product=new_product("Under score", sku="A_B"))
    sandbox.call("products", product=new_product("Plain", sku="AXB"))
    found = sandbox.call("search_products", keyword="A_B")["products"]  # "_" is no wildcard
    assert found["products_count"] == 1 and found["0"]["sku"] == "A_B"


def test_search_failure_bodies(sandbox: Sandbox) -> None:
    assert sandbox.call("search_products") == {"error": "Product IDs or keyword not provided."}
    assert sandbox.call("search_products", ids="1;2") == {"error": "Product IDs must be comma separated numbers list."}
    assert sandbox.call("search_products", ids="5") == {"error": "No products found."}


def test_product_details_example(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("products", product={"id": 1})
    product = answer["product"]
    assert list(answer) == ["product"] and list(product) == DETAILS_PRODUCT_KEYS
    assert product["title"] == "API Test Product" and product["status"] == "1"
    assert six_decimals(product["compare_default_price"])
    for row in product["variants"]:
        assert list(row) == DETAILS_ROW_KEYS
        assert row["image"] is None and isinstance(row["id_product_attribute"], str)


def test_product_not_found_body(sandbox: Sandbox) -> None:
    assert sandbox.call("products", product={"id": 99}) == {"error": "Product not found."}


def test_list_products_not_found_body(sandbox: Sandbox) -> None:
    assert sandbox.call("list_products") == {"error": "No products found."}


def test_update_product_example_changes_only_allowed_fields(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("products", product={
        "action": "update_product", "id": 1, "title": "Product Title NEw",
        "description": "New description for the product.", "vendor": "New Vendor", "price": 85,
        "compare_default_price": 95, "sku": "NEWPRODUCTSKUREF",
        "tags": {"delete_existing": True, "tags_list": "newtag1,newtag2,newtag3,newtag4"},
        "weight": 9, "visibility": "none", "category_id": 0,
    })
    assert answer == {"status": "success"}
    product = sandbox.call("products", product={"id": 1})["product"]
    assert (product["title"], product["price"], product["compare_default_price"]) == (
        "Product Title NEw", "85.000000", "95.000000")
    assert (product["vendor"], product["manufacturer_name"]) == ("New Vendor", "New Vendor")
    assert product["sku"] == "NEWPRODUCTSKUREF"
    assert product["tags"] == "newtag1,newtag2,newtag3,newtag4"
    assert (product["weight"], product["visibility"], product["id_category_default"]) == ("0.000000", "both", "3")


def test_update_product_failure_body(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    for product in ({"id": 1, "title": "a<b"}, {"id": 42, "title": "ok"}, {"id": 1, "price": -1}):
        assert sandbox.call("products", product={"action": "update_product", **product}) == {"error": "failed"}


def test_add_image_example(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("products", product={"id": 1, "image": {"src": IMAGE_SRC, "position": 0}})
    assert list(answer) == ["status", "id_image"] and answer["status"] == "success"
    images = sandbox.call("products", product={"id": 1})["product"]["images"]
    assert [image["id"] for image in images] == ["111111", answer["id_image"]]
    assert all(IMAGE_SRC not in image["url"] for image in images)


def test_add_image_failure_body(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("products", product={"id": 1, "image": {"src": "not a url"}})
    assert answer == {"error": "Failed to upload image"}


def test_replace_image_example_keeps_the_id(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    added = sandbox.call("products", product={"id": 1, "image": {"src": IMAGE_SRC, "position": 1}})["id_image"]
    before = sandbox.call("products", product={"id": 1})["product"]
    answer = sandbox.call("products", product={"action": "replace_image", "product_id": 1, "image_id": int(added),
                                               "image": {"src": IMAGE_SRC + "?2", "position": 1, "cover": 1}})
    assert answer == {"status": "success", "id_image": added}
    after = sandbox.call("products", product={"id": 1})["product"]
    assert [i["id"] for i in after["images"]] == [i["id"] for i in before["images"]]
    assert after["images"][1]["url"] != before["images"][1]["url"]  # the ?v= cache buster moved
    assert after["cover_image"] == after["images"][1]["url"]


def test_replace_image_failure_bodies(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    missing = sandbox.call("products", product={"action": "replace_image", "product_id": 1, "image_id": 5,
                                                "image": {"src": IMAGE_SRC, "position": 0}})
    assert missing == {"error": "Image not found for id 5"}
    bad = sandbox.call("products", product={"action": "replace_image", "product_id": 1, "image_id": 111111,
                                            "image": {"src": "ftp://x", "position": 0}})
    assert bad == {"error": "Failed to upload image"}


@pytest.mark.parametrize(
    ("active", "text", "status"), [(False, "product deactivated", "0"), (True, "product activated", "1")]
)
def test_product_status_example(sandbox: Sandbox, active: bool, text: str, status: str) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("products", product={"id": 1, "action": "product_status", "active": active})
    assert answer == {"status": "success", "statusTxt": text}
    assert sandbox.call("list_products")["products"][0]["status"] == status
    only_active = sandbox.post("list_products", only_active=True).json()
    assert (only_active == {"error": "No products found."}) == (not active)


def test_product_status_failure_body(sandbox: Sandbox) -> None:
    answer = sandbox.call("products", product={"id": 7, "action": "product_status", "active": False})
    assert answer == {"status": "failed", "error": "Failed to update product status.", "statusTxt": None}


def test_add_tags_example_and_delete_existing(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    answer = sandbox.call("products", product={"action": "add_tags", "id": 1, "delete_existing": True,
                                               "tags": "tag1, tag2, tag3"})
    assert answer == {"status": "success"}
    assert sandbox.call("products", product={"id": 1})["product"]["tags"] == "tag1,tag2,tag3"
    sandbox.call("products", product={"action": "add_tags", "id": 1, "tags": "tag9"})
    assert sandbox.call("products", product={"id": 1})["product"]["tags"] == "tag1,tag2,tag3,tag9"


def test_add_tags_failure_body(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    refused = {"error": "Tags supplied may exists already."}
    assert sandbox.call("products", product={"action": "add_tags", "id": 1, "tags": "tag1"}) == refused
    assert sandbox.call("products", product={"action": "add_tags", "id": 1, "tags": "50%off"}) == refused


def test_delete_tags_example_removes_all(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    assert sandbox.call("products", product={"action": "delete_tags", "id": 1}) == {"status": "success"}
    assert sandbox.call("products", product={"id": 1})["product"]["tags"] == ""
    assert sandbox.call("products", product={"action": "delete_tags", "id": 9}) == {"error": "Failed to delete tags."}


def test_list_products_paging_and_order(sandbox: Sandbox) -> None:
    sandbox.call("create_categories", category=[{"title": "A"}, {"title": "B"}])
    for n in range(5):
        sandbox.call("products", product=new_product(f"P{n}", n, category_id=3 + n % 2))
    ids = lambda answer: [p["id"] for p in answer["products"]]  # noqa: E731
    assert ids(sandbox.call("list_products")) == ["5", "4", "3", "2", "1"]
    assert ids(sandbox.call("list_products", limit=2, offset=1, order_way="ASC")) == ["2", "3"]
    assert ids(sandbox.call("list_products", id_category=4)) == ["4", "2"]
    assert ids(sandbox.call("list_products", order_by="date_add", order_way="ASC", limit=1)) == ["1"]


def test_limit_zero_over_many_products_equals_the_pages(sandbox: Sandbox) -> None:
    """Above 500 products the answer is encoded batch by batch; it must read the same as the pages."""
    create_doc_product(sandbox)
    store = Store(sandbox.db_path)
    with store.bulk() as conn:
        conn.executemany(
            "INSERT INTO product (vendor_user, id_category, title, price, compare_price, sku, weight, visibility,"
            " link_rewrite, date_add, date_upd) VALUES ('catalogctl', 2, ?, '1.000000', '0.000000', ?, '0.000000',"
            " 'both', 'p', '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
            [(f"P{n}", f"P-{n}") for n in range(520)],
        )
    store.close()
    everything = sandbox.call("list_products", limit=0)["products"]
    pages = [sandbox.call("list_products", limit=200, offset=offset)["products"] for offset in (0, 200, 400)]
    assert len(everything) == 521
    assert everything == [product for page in pages for product in page]
    assert everything[-1]["product_title"] == "API Test Product" and len(everything[-1]["variants"]) == 16


def test_ids_and_paging_beyond_64_bits_answer_like_any_unknown_id(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    huge = 10**30  # PHP's intval saturates; SQLite used to raise OverflowError (an HTTP 500)
    assert sandbox.call("list_products", offset=huge) == {"error": "No products found."}
    assert [p["id"] for p in sandbox.call("list_products", limit=huge)["products"]] == ["1"]
    assert sandbox.call("search_products", ids=f"{huge},{huge}") == {"error": "No products found."}
    assert sandbox.call("variants", action="delete", product_id=huge) == sandbox.call(
        "variants", action="delete", product_id=99)
    assert sandbox.call("webhooks", action="delete", id=huge) == sandbox.call("webhooks", action="delete", id=99)
