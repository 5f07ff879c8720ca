"""A validated Catalog -> the desired resources, normalized exactly as model/attributes.py says."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from catalogctl.config.expand import ExpandedVariant, expand_variants, forget
from catalogctl.config.models import Catalog, Product
from catalogctl.model.address import Address, Kind, variant_key
from catalogctl.model.money import canonical
from catalogctl.model.resource import Resource, ResourceMap

ZERO = Decimal(0)


def desired_resources(catalog: Catalog) -> ResourceMap:
    """Every category, variant group, product, variant, image and webhook the catalog declares.

    Equal value tuples are shared between resources (one `(("Color", "Blue"), ("Size", "M"))` for
    100,000 variants), and each product's expansion is let go once its variants are built.
    """
    resources: ResourceMap = {}
    shared: dict[Any, Any] = {}

    def add(address: Address, attrs: dict[str, Any]) -> None:
        resources[address] = Resource.owning(address, attrs)

    for category in catalog.categories:
        add(Address.category(category.title), {"title": category.title})
    color_groups = set()
    for group in catalog.variant_groups:
        add(Address.variant_group(group.name), {"name": group.name, "type": group.type})
        if group.type == "color":
            color_groups.add(group.name)
    for product in catalog.products:
        parent = Address.for_product(product.sku)  # one object for the product and all its children
        add(parent, product_attrs(product))
        for position, src in enumerate(product.images):
            add(Address(Kind.IMAGE, str(position), parent), {"src": src, "position": position})
        for variant in variant_attrs(product, color_groups, shared):
            add(Address(Kind.VARIANT, variant_key(variant["values"]), parent), variant)
        forget(product)
    for webhook in catalog.webhooks:
        add(Address.webhook(webhook.name), {"name": webhook.name, "endpoint": webhook.endpoint})
    return resources


def product_attrs(product: Product) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "title": product.title,
        "description": product.description,
        "short_description": product.short_description,
        "vendor": product.vendor,
        "category": product.category,
        "price": canonical(product.price),
        "compare_at_price": _amount(product.compare_at_price),
        "weight": _amount(product.weight),
        "visibility": product.visibility,
        "active": product.active,
        "tags": tuple(sorted(set(product.tags))),
        "options": product.option_names(),
    }


def variant_attrs(product: Product, color_groups: set[str],
                  shared: dict[Any, Any] | None = None) -> list[dict[str, Any]]:
    """The product's variants in order; exactly one is `default` (the marked one, else the first).
    `shared` keeps one object per equal value across calls (memory: see desired_resources)."""
    options = product.option_names()
    color_options = tuple(group for group in options if group in color_groups)
    variants = expand_variants(product)
    marked = next((index for index, variant in enumerate(variants) if variant.default), 0)
    same = {} if shared is None else shared
    return [_variant(variant, options, color_options, index == marked, same)
            for index, variant in enumerate(variants)]


def _variant(
    variant: ExpandedVariant, options: tuple[str, ...], color_options: tuple[str, ...], default: bool,
    shared: dict[Any, Any],
) -> dict[str, Any]:
    colors = variant.colors
    color = next((colors[group] for group in color_options if group in colors), None) if colors else None
    return {
        "values": _in_option_order(variant.values, options, shared),
        "color": _upper(color) if color else None,
        "sku": variant.sku or "",
        "price": canonical(variant.price),
        "compare_at_price": _amount(variant.compare_at_price),
        "weight": _amount(variant.weight),
        "weight_unit": variant.weight_unit,
        "default": default,
        "image": variant.image,
    }


def _in_option_order(written: tuple[tuple[str, str], ...], options: tuple[str, ...],
                     shared: dict[Any, Any]) -> tuple[tuple[str, str], ...]:
    """The variant's (group, value) pairs in the product's option order, one object per equal tuple."""
    key = (_ORDERED, written, options)
    values = shared.get(key)
    if values is None:
        names = dict(written)
        values = tuple((group, names[group]) for group in options)
        values = shared[key] = shared.setdefault(values, values)
    return values


_ORDERED = object()  # marks `shared` keys that are (written values, option order)


def _amount(value: Decimal | None) -> Decimal:
    return ZERO if value is None else canonical(value)


# One object per colour code for every variant that has it (upper() makes a new string each time).
# Decimals are not shared so: the importer's YAML writer would mark a repeated object with an anchor.
_upper = lru_cache(maxsize=1024)(str.upper)
