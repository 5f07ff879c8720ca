"""What the core knows of each resource kind, in one table: its natural key attribute, how to
name it in messages and headings, and where it sits in plan order.

Kinds are generic, not per provider: GrooveKart manages the catalog kinds, Shoprocket `store`
and `staff_user` (create-only), Shoplazza checks `store` facts. A provider says which kinds it
handles through its capabilities; a kind it does not list is never planned for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogctl.model.address import CHILD_KINDS, Kind


@dataclass(frozen=True)
class KindInfo:
    key: str          # the attribute that is the natural key (already in the address)
    singular: str     # "variant group"
    plural: str       # "variant groups"
    title: str        # plan section heading


KINDS: dict[Kind, KindInfo] = {
    Kind.STORE: KindInfo("subdomain", "store", "stores", "Store"),
    Kind.STAFF_USER: KindInfo("email", "staff user", "staff users", "Staff users"),
    Kind.CATEGORY: KindInfo("title", "category", "categories", "Categories"),
    Kind.VARIANT_GROUP: KindInfo("name", "variant group", "variant groups", "Variant groups"),
    Kind.PRODUCT: KindInfo("sku", "product", "products", "Products"),
    Kind.VARIANT: KindInfo("values", "variant", "variants", "Variants"),
    Kind.IMAGE: KindInfo("position", "image", "images", "Images"),
    Kind.WEBHOOK: KindInfo("name", "webhook", "webhooks", "Webhooks"),
}
"""Every kind, in plan order: a store before its staff, categories and groups before products."""

TOP_LEVEL_ORDER: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind not in CHILD_KINDS)


def info(kind: Kind) -> KindInfo:
    """The table row of `kind`."""
    return KINDS[kind]
