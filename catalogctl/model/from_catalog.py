"""A validated Catalog -> the desired resources, normalized exactly as model/attributes.py says."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from catalogctl.config.expand import expand_variants, forget
from catalogctl.config.models import Catalog, Product
from catalogctl.model.address import Address, Kind, child, variant_key
from catalogctl.model.money import ZERO, canonical
from catalogctl.model.resource import Resource, ResourceMap


def desired_resources(catalog: Catalog) -> ResourceMap:
    """Every category, variant group, product, variant, image and webhook the catalog declares.

    Equal value tuples are shared between resources (one `(("Color", "Blue"), ("Size", "M"))` for
    100,000 variants), and each product's expansion is let go once its variants are built.
    """
    resources: ResourceMap = {}
    shared: dict[Any, Any] = {}
    owning = Resource.owning

    def add(address: Address, attrs: dict[str, Any]) -> None:
        resources[address] = owning(address, attrs)

    for category in catalog.categories:
        add(Address.category(category.title), {"title": category.title})
    color_groups = set()
    for group in catalog.variant_groups:
        add(Address.variant_group(group.name), {"name": group.name, "type": group.type})
        if group.type == "color":
            color_groups.add(group.name)
    image_kind, variant_kind = Kind.IMAGE, Kind.VARIANT
    for product in catalog.products:
        parent = Address.for_product(product.sku)  # one object for the product and all its children
        resources[parent] = owning(parent, product_attrs(product))
        for position, src in enumerate(product.images):
            address = child(image_kind, str(position), parent)
            resources[address] = owning(address, {"src": src, "position": position})
        for key, variant in _variants(product, color_groups, shared):
            address = child(variant_kind, key, parent)
            resources[address] = owning(address, variant)
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
    return [attrs for _, attrs in _variants(product, color_groups, {} if shared is None else shared)]


def _variants(product: Product, color_groups: set[str], shared: dict[Any, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each variant's address key and attributes (one loop, no call per variant: a large catalog has 100,000)."""
    options = product.option_names()
    color_options = tuple(group for group in options if group in color_groups)
    variants = expand_variants(product)
    marked = next((index for index, variant in enumerate(variants) if variant.default), 0)
    in_order = shared.get((_ORDERED, options))   # written values -> (values in option order, key)
    if in_order is None:
        in_order = shared[(_ORDERED, options)] = {}
    found = []
    # The last amount objects read and their canonical forms: a matrix's combinations (and variants that take the
    # product's amount) hold one object, made canonical once; each variant still gets its own copy (a copy_sign:
    # 1,000 instructions where canonical() took 3,200, callgrind). That copy is _copy_of's: copy_abs for an amount
    # without a sign (every valid one), the same digits and exponent without copy_sign's context (60 -> 21 ns).
    price_in: Any = _NONE
    compare_in: Any = _NONE
    weight_in: Any = _NONE
    for index, variant in enumerate(variants):
        written = variant.values
        try:   # one lookup of the written values (a catalog's products share a few option orders)
            values, key = in_order[written]
        except KeyError:
            values, key = in_order[written] = _in_option_order(written, options, shared)
        color = None
        colors = variant.colors
        if colors:
            for group in color_options:  # the first colour option the variant has a colour for
                if group in colors:
                    color = colors[group]
                    break
        if variant.price is not price_in:
            price_in = variant.price
            price = canonical(price_in)
            copy_price = _copy_of(price)
        if variant.compare_at_price is not compare_in:
            compare_in = variant.compare_at_price
            compare_at = None if compare_in is None else canonical(compare_in)
            copy_compare = _copy_of(compare_at)
        if variant.weight is not weight_in:
            weight_in = variant.weight
            weight = None if weight_in is None else canonical(weight_in)
            copy_weight = _copy_of(weight)
        found.append((key, {
            "values": values,
            "color": _upper(color) if color else None,
            "sku": variant.sku or "",
            "price": copy_price(price),
            "compare_at_price": ZERO if compare_at is None else copy_compare(compare_at),
            "weight": ZERO if weight is None else copy_weight(weight),
            "weight_unit": variant.weight_unit,
            "default": index == marked,
            "image": variant.image,
        }))
    return found


def _in_option_order(written: tuple[tuple[str, str], ...], options: tuple[str, ...],
                     shared: dict[Any, Any]) -> tuple[tuple[tuple[str, str], ...], str]:
    """The variant's (group, value) pairs in the product's option order, one object per equal tuple (kept in
    `shared`), and its address key."""
    names = dict(written)
    values = tuple((group, names[group]) for group in options)
    values = shared.setdefault(values, values)
    return values, variant_key(values)


def _copy_of(amount: Decimal | None) -> Any:
    """A function giving a new Decimal equal to `amount` in sign, digits and exponent (the unbound method)."""
    return Decimal.copy_abs if amount is None or not amount.is_signed() else _copy_signed


def _copy_signed(amount: Decimal) -> Decimal:
    return amount.copy_sign(amount)


_ORDERED = object()  # marks the `shared` key of each option order (its written values -> _in_option_order)
_NONE = object()  # no amount read yet


def _amount(value: Decimal | None) -> Decimal:
    return ZERO if value is None else canonical(value)


# One object per colour code for every variant that has it (upper() makes a new string each time).
# Decimals are not shared so: the importer's YAML writer would mark a repeated object with an anchor.
_upper = lru_cache(maxsize=1024)(str.upper)
