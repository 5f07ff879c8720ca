"""Which call a request is: endpoint file + action, its handler, and whether it writes.

Call keys (used by stats): `<endpoint>.json:<action>`, where the action is the request's own
`action` (for products.json: `product.action`), or for the action-less forms:
products.json `create` / `details` (product.id only) / `add_image` (product.id + product.image),
variants.json `assign_image`; and the bare endpoint for create_categories.json,
list_categories.json, list_products.json and search_products.json. Unknown actions are
`<endpoint>.json:unknown`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catalogctl.sandbox.groovekart.endpoints import categories, listing, products, variant_groups, variants, webhooks
from catalogctl.sandbox.groovekart.reply import Reply, error

Handler = Callable[[sqlite3.Connection, dict[str, Any], str], Reply]
Work = Callable[[sqlite3.Connection, str], Reply]  # a request's handler with its body bound
Prepare = Callable[[dict[str, Any]], Work]


@dataclass(frozen=True)
class Call:
    key: str
    handler: Handler
    mutating: bool
    prepare: Prepare | None = None  # checks a body without the store, before the latency (app.api)

    def work(self, body: dict[str, Any]) -> Work:
        """The request's store work, with whatever needs no store done now (prepare), the rest bound."""
        if self.prepare is not None:
            return self.prepare(body)
        handler = self.handler
        return lambda conn, api_user: handler(conn, body, api_user)

    @property
    def creates(self) -> bool:
        """Whether the call makes a new object (what the late-commit fault holds back)."""
        return self.key in CREATES


def _unknown(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    return error("Invalid action.")


_PRODUCT_ACTIONS: dict[str, tuple[Handler, bool]] = {
    "create": (products.create, True),
    "details": (products.details, False),
    "add_image": (products.add_image, True),
    "update_product": (products.update, True),
    "replace_image": (products.replace_image, True),
    "product_status": (products.status, True),
    "add_tags": (products.add_tags, True),
    "delete_tags": (products.delete_tags, True),
}
_ACTIONS: dict[str, dict[str, tuple[Handler, bool]]] = {
    "variant_groups": {
        "add_variant_groups": (variant_groups.add, True),
        "list_variant_groups": (variant_groups.list_all, False),
    },
    "variants": {
        "add": (variants.add, True),
        "update": (variants.update, True),
        "assign_image": (variants.assign_image, True),
        "delete_image": (variants.delete_image, True),
        "delete": (variants.delete, True),
    },
    "webhooks": {
        "create": (webhooks.create, True),
        "list": (webhooks.list_all, False),
        "update": (webhooks.update, True),
        "delete": (webhooks.delete, True),
    },
}
_PLAIN: dict[str, tuple[Handler, bool]] = {
    "create_categories": (categories.create, True),
    "list_categories": (categories.list_all, False),
    "list_products": (listing.list_products, False),
    "search_products": (listing.search_products, False),
}
# Handlers split in two: the body's checks before the sandbox's latency, the write after it. Only the
# create, the call a from-scratch apply makes 10,000 times (issue 13).
_PREPARED: dict[Handler, Prepare] = {products.create: products.prepare_create}
ENDPOINTS = frozenset({*_PLAIN, *_ACTIONS, "products"})
CREATES = frozenset({
    "create_categories.json", "products.json:create", "products.json:add_image", "variants.json:add",
    "variant_groups.json:add_variant_groups", "webhooks.json:create",
})


def _product_action(body: dict[str, Any]) -> str:
    product = body.get("product")
    if not isinstance(product, dict):
        return "create"
    action = product.get("action")
    if action:
        return str(action)
    if "id" in product:
        return "add_image" if "image" in product else "details"
    return "create"


def resolve(endpoint: str, body: dict[str, Any]) -> Call | None:
    """The call for `POST /api/<endpoint>.json` with this body; None for an endpoint we do not serve."""
    if endpoint in _PLAIN:
        handler, mutating = _PLAIN[endpoint]
        return Call(f"{endpoint}.json", handler, mutating)
    if endpoint == "products":
        action, table = _product_action(body), _PRODUCT_ACTIONS
    elif endpoint in _ACTIONS:
        default = "assign_image" if endpoint == "variants" else ""
        action, table = str(body.get("action") or default), _ACTIONS[endpoint]
    else:
        return None
    if action not in table:
        return Call(f"{endpoint}.json:unknown", _unknown, False)
    handler, mutating = table[action]
    return Call(f"{endpoint}.json:{action}", handler, mutating, _PREPARED.get(handler))
