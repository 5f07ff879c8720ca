"""A complete, valid request for every call of the contract table, against a prepared store.

Every optional field the table has a row for is present (so each row can be broken one at a time),
lists hold two elements (so "every row" is tested on the last one), and color groups are used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox_helpers import Sandbox

SRC = "https://img.example.com/a.jpg"
HOOK = "https://hooks.example.com/orders"


@dataclass(frozen=True)
class Ids:
    """What the prepared store holds: one category, one product with two variants and two images, a webhook."""

    category: int
    product: int
    variants: tuple[int, int]
    images: tuple[int, int]
    webhook: int


def _value(group: str, name: str, color: str | None = None) -> dict[str, str]:
    kind = "color" if color else "select"
    return {"variant_group_type": kind, "variant_name": name, **({"color": color} if color else {})}


def _variant(color: str, hex_code: str, size: str, sku: str, default_on: int) -> dict[str, Any]:
    return {"variant_values": {"Color": _value("Color", color, hex_code), "Size": _value("Size", size)},
            "compare_at_price": "31.99", "price": "27.99", "sku": sku, "weight": "0.37", "weight_unit": "lb",
            "default_on": default_on}


def product_body(category: int) -> dict[str, Any]:
    return {
        "title": "Contract Tee", "description": "<p>Soft</p>", "short_description": "Soft", "vendor": "Acme",
        "category_id": category, "compare_default_price": "31.99", "price": "27.99",
        "image": {"src": SRC, "position": 0}, "sku": "CT-1", "weight": "0.37", "visibility": "both",
        "tags": "summer, cotton",
        "variant_groups": [{"name": "Color", "group_type": "color"}, {"name": "Size", "group_type": "select"}],
        "variants": [_variant("Blue", "#0000FF", "L", "CT-1-BL", 1), _variant("Lime", "#00FF00", "XL", "CT-1-LX", 0)],
    }


def prepare(sandbox: Sandbox) -> Ids:
    """Fill a fresh store with what the complete requests refer to."""
    category = int(sandbox.call("create_categories", category={"title": "Tees"})["categories"][-1]["id"])
    created = sandbox.call("products", product=product_body(category))
    product = int(created["id_product"])
    variants = tuple(int(v["variant_id"]) for v in created["variants"])
    second = sandbox.call("products", product={"id": product, "image": {"src": SRC + "?2", "position": 1}})
    images = (int(created["image_id"]), int(second["id_image"]))
    sandbox.call("variants", variants=list(variants), image_id=[images[0]])
    sandbox.call("webhooks", action="create", webhook_data=[{"name": "orders", "endpoint": HOOK}])
    webhook = int(sandbox.call("webhooks", action="list")[0]["id"])
    return Ids(category, product, (variants[0], variants[1]), (images[0], images[1]), webhook)


def _update_row(variant: int, image: int, default_on: int) -> dict[str, Any]:
    return {"id": variant, "compare_at_price": "29", "price": "28", "sku": f"UP-{variant}", "weight": "0.35",
            "image_id": [image], "default_on": default_on, "update_all_fields": True}


_LIST = {"limit": 0, "offset": 0, "order_by": "id_product", "order_way": "DESC"}

COMPLETE: dict[str, Callable[[Ids], dict[str, Any]]] = {
    "create_categories.json": lambda ids: {"category": [{"title": "Hats"}, {"title": "Mugs"}]},
    "list_categories.json": lambda ids: {},
    "products.json:create": lambda ids: {"product": {**product_body(ids.category), "sku": "CT-2"}},
    "search_products.json": lambda ids: {"keyword": "Contract", **_LIST},
    "list_products.json": lambda ids: {**_LIST, "id_category": ids.category, "only_active": True},
    "products.json:details": lambda ids: {"product": {"id": ids.product}},
    "products.json:update_product": lambda ids: {"product": {
        "action": "update_product", "id": ids.product, "title": "Renamed Tee", "description": "<p>New</p>",
        "vendor": "Acme Two", "compare_default_price": 95, "price": 85, "sku": "CT-1B",
        "tags": {"delete_existing": True, "tags_list": "newtag1,newtag2"}}},
    "products.json:add_image": lambda ids: {"product": {"id": ids.product,
                                                        "image": {"src": SRC + "?3", "position": 2}}},
    "products.json:replace_image": lambda ids: {"product": {
        "action": "replace_image", "product_id": ids.product, "image_id": ids.images[1],
        "image": {"src": SRC + "?4", "position": 1, "cover": 0}}},
    "products.json:product_status": lambda ids: {"product": {"action": "product_status", "id": ids.product,
                                                             "active": False}},
    "products.json:add_tags": lambda ids: {"product": {"action": "add_tags", "id": ids.product,
                                                       "delete_existing": True, "tags": "tag1, tag2"}},
    "products.json:delete_tags": lambda ids: {"product": {"action": "delete_tags", "id": ids.product}},
    "variant_groups.json:add_variant_groups": lambda ids: {"action": "add_variant_groups", "variant_groups": [
        {"name": "Fit", "group_type": "select"}, {"name": "Shade", "group_type": "color"}]},
    "variant_groups.json:list_variant_groups": lambda ids: {"action": "list_variant_groups"},
    "variants.json:add": lambda ids: {"action": "add", "product_id": ids.product, "image_id": ids.images[0],
                                      "variants": [_variant("Red", "#FF0000", "S", "CT-1-RS", 0),
                                                   _variant("Teal", "#008080", "M", "CT-1-TM", 1)]},
    "variants.json:update": lambda ids: {"action": "update", "product_id": ids.product, "variants": [
        _update_row(ids.variants[0], ids.images[1], 0), _update_row(ids.variants[1], ids.images[1], 1)]},
    "variants.json:assign_image": lambda ids: {"variants": list(ids.variants), "image_id": [ids.images[1]]},
    "variants.json:delete_image": lambda ids: {"action": "delete_image", "variants": list(ids.variants),
                                               "image_id": [ids.images[0]]},
    "variants.json:delete": lambda ids: {"action": "delete", "product_id": ids.product},
    "webhooks.json:create": lambda ids: {"action": "create", "webhook_data": [
        {"name": "refunds", "endpoint": HOOK + "/r"}, {"name": "shipping", "endpoint": HOOK + "/s"}]},
    "webhooks.json:list": lambda ids: {"action": "list"},
    "webhooks.json:update": lambda ids: {"action": "update", "webhook_data": [
        {"id": ids.webhook, "name": "orders-v2", "endpoint": HOOK + "/v2"}]},
    "webhooks.json:delete": lambda ids: {"action": "delete", "id": ids.webhook},
}
