"""Products without a sku: the catalog cannot name them, so import writes them commented out.

Each gets `products/no-sku-<live id>.yaml` holding only comments: what the store has, and
how to give the product a sku so that the next import manages it.
"""

from __future__ import annotations

from catalogctl.importer.documents import PRODUCTS_DIR, product_item
from catalogctl.importer.emit import dump
from catalogctl.model.resource import Resource

HOW_TO = (
    "Give it a sku in the store admin (or with the API's update_product), then run\n"
    "`catalogctl import OUTDIR --merge` again: it will then be written as a product of its own."
)


def unkeyed_path(resource: Resource) -> str:
    return f"{PRODUCTS_DIR}/no-sku-{resource.live_id or resource.address.key}.yaml"


def unkeyed_body(resource: Resource) -> str:
    """The commented-out file body (the schema line is added by the writer)."""
    item, _ = product_item(resource, (), (), frozenset())
    item["sku"] = ""
    lines = [
        f"This product has no sku in the store (live id {resource.live_id}), so catalogctl cannot manage it:",
        "the sku is how a catalog names a product.",
        *HOW_TO.splitlines(),
        "What the store has:",
        "",
        *dump({"products": [item]}, None).splitlines(),
    ]
    return "".join(f"# {line}\n" if line else "#\n" for line in lines)
