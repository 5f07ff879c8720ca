"""Live products as resources (the attribute contract of model/attributes.py), from wire models.

The reference conversion: pages.py converts list pages decoded straight into typed structs and is
held to give exactly what this gives (tests/unit/providers/groovekart/test_pages.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from catalogctl.core import Facts
from catalogctl.model.address import Address, Kind, variant_key
from catalogctl.model.attributes import IMAGE_ID, LIVE_URL, OPTIONS_UNORDERED
from catalogctl.model.resource import Resource
from catalogctl.providers.groovekart import wire


@dataclass(frozen=True)
class ProductRead:
    """One live product as resources: the product first, then its images and variants."""

    sku: str
    active: bool
    id: int
    resources: list[Resource]
    known: bool = False  # state remembers it: catalogctl created (or imported) this product

    @classmethod
    def of(cls, product: wire.WireProduct, titles: dict[str, str], facts: Facts) -> ProductRead:
        return cls(product.sku, product.active, int(product.id or 0), product_resources(product, titles, facts),
                   f"product:{product.id}" in facts)

    def preference(self) -> tuple[bool, bool, int]:
        """Lowest first: the one state knows, else the oldest active, else the newest inactive (a replacement)."""
        return (not self.known, not self.active, self.id if self.active else -self.id)


def split_by_sku(products: Iterable[ProductRead]) -> tuple[list[ProductRead], list[ProductRead], list[ProductRead]]:
    """(one product per sku: `preference` picks it, so a newer copy made outside catalogctl never takes
    over; the others; those without a sku)."""
    by_sku: dict[str, list[ProductRead]] = {}
    unkeyed = []
    for product in products:
        if product.sku.strip():
            by_sku.setdefault(product.sku, []).append(product)
        else:
            unkeyed.append(product)
    kept, shadowed = [], []
    for same in by_sku.values():
        if len(same) > 1:   # one product a sku, as a store mostly has: no preference to ask (a Python call each)
            same.sort(key=ProductRead.preference)
            shadowed.extend(same[1:])
        kept.append(same[0])
    return kept, shadowed, unkeyed


def product_resource(product: wire.WireProduct, titles: dict[str, str], facts: Facts) -> Resource:
    known = facts.get(f"product:{product.id}", {})
    options, ordered = _options(product, known)
    attrs = {
        "sku": product.sku,
        "title": product.title,
        "description": product.description,
        "short_description": known.get("short_description"),  # write-only: None = state does not know
        "vendor": product.vendor,
        "category": titles.get(product.category_id or ""),
        "price": product.price,
        "compare_at_price": product.compare_price,
        "weight": product.weight,
        "visibility": product.visibility,
        "active": product.active,
        "tags": product.tag_list,
        "options": options,
    }
    extra = {} if ordered else {OPTIONS_UNORDERED: True}
    return Resource.owning(Address.for_product(product.sku), attrs, product.id, extra)


def _options(product: wire.WireProduct, known: Mapping[str, Any]) -> tuple[tuple[str, ...], bool]:
    """(options, whether that order is known). The store returns variant rows in group-id order; the
    product's own option order is a state fact, else unknown (the planner takes the catalog's)."""
    read = tuple(dict.fromkeys(row.group for row in product.variants))
    remembered = tuple(known.get("options", ()))
    if sorted(remembered) == sorted(read):
        return remembered, True
    return read, len(read) < 2


def product_resources(product: wire.WireProduct, titles: dict[str, str], facts: Facts) -> list[Resource]:
    """The product, its images (by position) and its variants (rows regrouped per variant id)."""
    main = product_resource(product, titles, facts)
    parent = main.address  # one object for the product and all its children
    sources = image_sources(product, facts)
    result = [main]
    for position, image in enumerate(product.images):
        attrs = {"src": sources.get(image.id), "position": position}  # None: unknown, the CDN url is no source
        result.append(Resource.owning(Address(Kind.IMAGE, str(position), parent), attrs, image.id,
                                      {LIVE_URL: image.url}))
    shown = {image.id: sources.get(image.id) or image.url for image in product.images}
    options: tuple[str, ...] = main.attrs["options"]
    for variant_id, rows in regroup(product.variants).items():
        result.append(variant_resource(parent, variant_id, rows, options, shown))
    return result


def image_sources(product: wire.WireProduct, facts: Facts) -> dict[str, str]:
    """Live image id -> the source url state remembers (images state does not know are left out)."""
    found = {image.id: facts.get(f"image:{image.id}", {}).get("src") for image in product.images}
    return {image_id: src for image_id, src in found.items() if src}


def regroup(rows: Iterable[wire.VariantRow]) -> dict[str, list[wire.VariantRow]]:
    grouped: dict[str, list[wire.VariantRow]] = {}
    for row in rows:
        grouped.setdefault(row.variant_id, []).append(row)
    return grouped


def variant_values(rows: list[wire.VariantRow], options: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(group, value) pairs in the product's option order."""
    ordered = sorted(rows, key=lambda row: options.index(row.group) if row.group in options else len(options))
    return _one_of(tuple((row.group, row.value) for row in ordered))


# Equal values as one object: 100,000 variants hold a few distinct value tuples and colours (memory).
_one_of = lru_cache(maxsize=8192)(lambda value: value)
_upper = lru_cache(maxsize=1024)(str.upper)


def variant_resource(
    parent: Address, variant_id: str, rows: list[wire.VariantRow], options: tuple[str, ...], sources: dict[str, str],
) -> Resource:
    first = rows[0]
    values = variant_values(rows, options)
    color = next((row.color for row in rows if row.color), None)
    image = next((row.image for row in rows if row.image is not None), None)
    attrs = {
        "values": values,
        "color": _upper(color) if color else None,
        "sku": first.sku,
        "price": first.price,
        "compare_at_price": first.compare_price,
        "weight": first.weight,
        "weight_unit": None,  # write-only: the store does not return it
        "default": any(row.default_on for row in rows),
        "image": None if image is None else sources.get(image.id, image.url),
    }
    extra = {IMAGE_ID: image.id} if image is not None else {}
    return Resource.owning(Address(Kind.VARIANT, variant_key(values), parent), attrs, variant_id, extra)
