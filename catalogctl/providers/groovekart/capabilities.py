"""What the GrooveKart vendor API can do, per resource kind (API-NOTES.md, "what the API can do")."""

from __future__ import annotations

from catalogctl.core import Capabilities, DeleteMode, KindCapabilities
from catalogctl.model.address import Kind

CAPABILITIES: Capabilities = {
    # update_product takes only title, description, vendor, price, compare price, sku, tags;
    # tags and status have their own calls. The rest needs a new product (replace). The sku is the
    # product's key: it changes only by a rename (previous_skus, plan/renames.py).
    Kind.PRODUCT: KindCapabilities(
        create=True,
        delete=DeleteMode.DEACTIVATE,
        in_place=frozenset({"sku", "title", "description", "vendor", "price", "compare_at_price", "tags", "active"}),
        replace=frozenset({"category", "visibility", "weight", "short_description"}),
        write_only=frozenset({"short_description"}),
    ),
    # values/color changes mean recreating the product's variant set; the planner decides that.
    Kind.VARIANT: KindCapabilities(
        create=True,
        delete=DeleteMode.NONE,
        in_place=frozenset({"sku", "price", "compare_at_price", "weight", "default", "image"}),
        write_only=frozenset({"weight_unit"}),
    ),
    # replace_image keeps the id; images cannot be deleted. The store returns a CDN url, never the
    # source url: src is compared only when state remembers it.
    Kind.IMAGE: KindCapabilities(create=True, delete=DeleteMode.NONE, in_place=frozenset({"src"}),
                                 write_only=frozenset({"src"})),
    Kind.CATEGORY: KindCapabilities(create=True, delete=DeleteMode.NONE),
    # the store reads every group_type back as "radio"
    Kind.VARIANT_GROUP: KindCapabilities(create=True, delete=DeleteMode.NONE, write_only=frozenset({"type"})),
    Kind.WEBHOOK: KindCapabilities(create=True, delete=DeleteMode.DELETE, in_place=frozenset({"endpoint"})),
}

SECTIONS = frozenset({"categories", "variant_groups", "products", "webhooks"})
"""The catalog sections GrooveKart manages (`store:` facts are not something its API can check)."""
