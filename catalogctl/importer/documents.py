"""Live resources -> the catalog documents a person would keep in git (plain data, in key order).

One file per concern: categories.yaml, variant-groups.yaml, webhooks.yaml and one
products/<slug-of-sku>.yaml per product. Values equal to the catalog's defaults are left out
so files stay short; everything written loads back to exactly the live resources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalogctl.config.store_models import StoreFacts
from catalogctl.importer.emit import block, flow_list, flow_map
from catalogctl.importer.matrix import Matrix, detect
from catalogctl.importer.slug import file_stems
from catalogctl.model.address import Address, Kind
from catalogctl.model.attributes import LIVE_URL
from catalogctl.model.resource import Resource, ResourceMap

CATEGORIES_FILE = "categories.yaml"
GROUPS_FILE = "variant-groups.yaml"
WEBHOOKS_FILE = "webhooks.yaml"
PRODUCTS_DIR = "products"
ZERO = Decimal(0)


@dataclass
class Documents:
    """relative path -> {section: [items]}, plus what the report needs."""

    files: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    matrices: int = 0
    unknown: dict[str, frozenset[str]] = field(default_factory=dict)  # sku -> attributes the store did not report


@dataclass
class _Product:
    resource: Resource
    variants: list[Resource] = field(default_factory=list)
    images: list[Resource] = field(default_factory=list)


def build(resources: ResourceMap, write_only: Mapping[Kind, frozenset[str]] | None = None) -> Documents:
    """The catalog files for these live resources (normalized per model/attributes.py).

    `write_only` (from the provider's capabilities) names what the store may not report: a product
    attribute among them that the read left unknown is recorded so --merge keeps the user's value.
    """
    product_write_only = (write_only or {}).get(Kind.PRODUCT, frozenset())
    by_kind: dict[Kind, list[Resource]] = {kind: [] for kind in Kind}
    products: dict[Address, _Product] = {}
    for resource in resources.values():
        by_kind[resource.kind].append(resource)
        if resource.kind is Kind.PRODUCT:
            products[resource.address] = _Product(resource)
    for resource in [*by_kind[Kind.VARIANT], *by_kind[Kind.IMAGE]]:
        parent = products.get(resource.address.parent)  # type: ignore[arg-type]
        if parent is not None:
            (parent.variants if resource.kind is Kind.VARIANT else parent.images).append(resource)
    color_groups = _color_groups(by_kind[Kind.VARIANT_GROUP], products.values())
    docs = Documents()
    titles = sorted(r.attrs["title"] for r in by_kind[Kind.CATEGORY])
    _section(docs, CATEGORIES_FILE, "categories", [{"title": title} for title in titles])
    groups = [{"name": r.attrs["name"], "type": _group_type(r, color_groups)} for r in by_kind[Kind.VARIANT_GROUP]]
    _section(docs, GROUPS_FILE, "variant_groups", sorted(groups, key=lambda g: g["name"]))
    hooks = [{"name": r.attrs["name"], "endpoint": r.attrs["endpoint"]} for r in by_kind[Kind.WEBHOOK]]
    _section(docs, WEBHOOKS_FILE, "webhooks", sorted(hooks, key=lambda h: h["name"]))
    for store in by_kind[Kind.STORE]:  # a shop's facts (Shoplazza) as the catalog's `store` section
        facts = {k: v for k, v in store.attrs.items() if k in StoreFacts.model_fields and v not in (None, "")}
        if facts:
            docs.files["store.yaml"] = {"store": facts}
    stems = file_stems(product.resource.attrs["sku"] for product in products.values())
    for product in sorted(products.values(), key=lambda p: p.resource.attrs["sku"]):
        item, is_matrix = product_item(product.resource, product.variants, product.images, color_groups)
        docs.files[f"{PRODUCTS_DIR}/{stems[item['sku']]}.yaml"] = {"products": [item]}
        docs.matrices += is_matrix
        unknown = frozenset(name for name in product_write_only if product.resource.attrs.get(name) is None)
        if unknown:
            docs.unknown[item["sku"]] = unknown
    docs.counts = {
        "categories": len(by_kind[Kind.CATEGORY]), "variant groups": len(by_kind[Kind.VARIANT_GROUP]),
        "products": len(products), "variants": len(by_kind[Kind.VARIANT]), "images": len(by_kind[Kind.IMAGE]),
        "webhooks": len(by_kind[Kind.WEBHOOK]),
    }
    return docs


def _section(docs: Documents, path: str, section: str, items: list[dict[str, Any]]) -> None:
    if items:
        docs.files[path] = {section: items}


def _color_groups(groups: Iterable[Resource], products: Iterable[_Product]) -> frozenset[str]:
    """Groups to write as `color`: typed so live, or carrying colors on their variant rows.

    The store reads every group_type back as "radio", so the type itself says little; a group
    whose values have hex colors is a color group, any other is written `select`.
    """
    named = {r.attrs["name"] for r in groups if r.attrs.get("type") == "color"}
    for product in products:
        options = product.resource.attrs.get("options", ())
        if any(v.attrs.get("color") for v in product.variants):
            named.add(_color_option(options, product.variants, frozenset(named)))
    return frozenset(named)


def _color_option(options: Sequence[str], variants: Sequence[Resource], known: frozenset[str]) -> str:
    """Which of a product's options carries the variants' color (a variant row has one color).

    A provider may say so (`extra["color_group"]`); else a group already known as color, one
    named like a colour, or the first option whose every value has one color.
    """
    for variant in variants:
        group = variant.extra.get("color_group")
        if group in options:
            return str(group)
    for option in options:
        if option in known:
            return option
    for option in options:
        if "colo" in option.lower():
            return option
    for index, option in enumerate(options):
        seen: dict[str, object] = {}
        if all(seen.setdefault(v.attrs["values"][index][1], v.attrs.get("color")) == v.attrs.get("color")
               for v in variants):
            return option
    return next(iter(options), "")


def _group_type(resource: Resource, color_groups: frozenset[str]) -> str:
    return "color" if resource.attrs["name"] in color_groups else "select"


def product_item(product: Resource, variants: Sequence[Resource], images: Sequence[Resource],
                 color_groups: frozenset[str]) -> tuple[dict[str, Any], bool]:
    """One product as a catalog item, and whether its variants were written as a matrix."""
    attrs = product.attrs
    item: dict[str, Any] = {"sku": attrs["sku"], "title": attrs["title"]}
    if not attrs.get("active", True):
        item["active"] = False
    _put(item, "category", attrs.get("category"), None)
    _put(item, "vendor", attrs.get("vendor", ""), "")
    item["price"] = attrs["price"]
    _put(item, "compare_at_price", attrs.get("compare_at_price", ZERO), ZERO)
    _put(item, "weight", attrs.get("weight", ZERO), ZERO)
    _put(item, "visibility", attrs.get("visibility", "both"), "both")
    _put(item, "tags", flow_list(list(attrs.get("tags", ()))), [])
    _put(item, "images", [image_url(r) for r in sorted(images, key=lambda r: r.attrs["position"])], [])
    options = tuple(attrs.get("options", ()))
    is_matrix = False
    if variants:
        color = next((o for o in options if o in color_groups), None)
        ordered = [v.attrs for v in sorted(variants, key=_live_order)]
        found = detect(options, ordered, color_option=color)
        if found is not None:
            item["variants"] = matrix_item(found, attrs, color)
            is_matrix = True
        else:
            item["variants"] = [variant_item(v, attrs, color) for v in ordered]
    elif options:
        item["options"] = list(options)
    # None is "unknown" for write-only attributes (short_description): nothing to write then.
    _put(item, "short_description", block(attrs.get("short_description") or ""), "")
    _put(item, "description", block(attrs.get("description") or ""), "")
    return item, is_matrix


def image_url(image: Resource) -> str:
    """The url to write for a live image: its source when state knows it, else the store's own url
    (cache-buster removed), which is what a variant showing it reads as too."""
    return str(image.attrs.get("src") or image.extra.get(LIVE_URL) or "")


def _live_order(resource: Resource) -> tuple[int, str]:
    """Creation order (live id) first, then values: the order the merchant made them in."""
    live = resource.live_id or ""
    return (int(live) if live.isdigit() else 0, resource.address.key)


def _put(item: dict[str, Any], key: str, value: Any, default: Any) -> None:
    if value != default:
        item[key] = value


def variant_item(attrs: Mapping[str, Any], product: Mapping[str, Any], color_option: str | None) -> dict[str, Any]:
    """An explicit variant; price, compare_at_price and weight only where they differ from the product's."""
    values: dict[str, Any] = {}
    for group, value in attrs["values"]:
        color = attrs.get("color") if group == color_option else None
        values[group] = flow_map({"value": value, "color": color}) if color else value
    item: dict[str, Any] = {"values": flow_map(values)}
    _put(item, "sku", attrs.get("sku") or "", "")
    _put(item, "price", attrs["price"], product["price"])
    _put(item, "compare_at_price", attrs.get("compare_at_price", ZERO), product.get("compare_at_price", ZERO))
    _put(item, "weight", attrs.get("weight", ZERO), product.get("weight", ZERO))
    _put(item, "weight_unit", attrs.get("weight_unit"), None)
    _put(item, "default", bool(attrs.get("default")), False)
    _put(item, "image", attrs.get("image"), None)
    return item


def matrix_item(found: Matrix, product: Mapping[str, Any], color_option: str | None) -> dict[str, Any]:
    """The `variants: {matrix: ...}` shorthand for a detected grid."""
    colors = dict(found.colors)
    grid: dict[str, list[Any]] = {}
    for option, values in zip(found.options, found.values, strict=True):
        colored = option == color_option and colors
        grid[option] = (
            [flow_map({"value": v, "color": colors[v]}) for v in values] if colored else flow_list(list(values))
        )
    item: dict[str, Any] = {"matrix": grid}
    _put(item, "sku", found.sku, None)
    for name in ("price", "compare_at_price", "weight"):
        base, adjustments = found.amounts[name]
        if adjustments:
            adjust: dict[str, dict[str, Decimal]] = {}
            for option, value, delta in adjustments:
                adjust.setdefault(option, {})[value] = delta
            item[name] = {"base": base, "adjust": adjust}
        else:
            _put(item, name, base, product.get(name, ZERO))
    _put(item, "weight_unit", found.uniform.get("weight_unit"), None)
    item["default"] = flow_map(dict(found.default))
    if found.images is not None:
        option, urls = found.images
        item["images"] = {option: dict(urls)}
    return item
