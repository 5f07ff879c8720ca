"""A catalog directory as ProductViews, the way `apply` would send it (model.from_catalog), with each
validation finding attached to the product whose YAML it points into."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from catalogctl.config import Catalog, Problem, Severity, check_catalog, origin_of
from catalogctl.model.address import Kind
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import Resource
from catalogctl.preview.model import UNCATEGORISED, ProductView, Swatch, VariantRow, slugify

_SHOWN = (Severity.ERROR, Severity.WARNING)


@dataclass(frozen=True)
class CatalogPreview:
    """Everything the site shows: the store's name and currency, products in catalog order, and
    the findings that belong to no product (shown at the top of the index)."""

    store_name: str
    currency: str
    weight_unit: str
    products: tuple[ProductView, ...]
    general_problems: tuple[str, ...]
    errors: int


def preview_catalog(directory: Path) -> CatalogPreview:
    """Read and validate the catalog under `directory`; invalid items are left out and reported."""
    result = check_catalog(directory)
    catalog = result.catalog
    findings = [p for p in result.problems if p.severity in _SHOWN]
    per_product, general = _attach(catalog, findings)
    store = catalog.store
    products = _products(catalog, per_product)
    errors = sum(1 for p in findings if p.severity is Severity.ERROR)
    return CatalogPreview(
        store_name=(store.name if store and store.name else directory.resolve().name),
        currency=(store.currency if store and store.currency else "USD"),
        weight_unit=(store.weight_unit if store and store.weight_unit else "lb"),
        products=products,
        general_problems=tuple(general),
        errors=errors,
    )


def _products(catalog: Catalog, warnings: dict[str, list[str]]) -> tuple[ProductView, ...]:
    by_product: dict[str, list[Resource]] = defaultdict(list)
    products: list[Resource] = []
    for resource in desired_resources(catalog).values():
        match resource.kind:
            case Kind.PRODUCT:
                products.append(resource)
            case Kind.IMAGE | Kind.VARIANT:
                parent = resource.address.product
                assert parent is not None
                by_product[parent.key].append(resource)
            case _:
                pass
    colour_groups = {group.name for group in catalog.variant_groups if group.type == "color"}
    slugs: set[str] = set()
    return tuple(_product(p, by_product[p.address.key], colour_groups, warnings.get(p.address.key, []), slugs)
                 for p in products)


def _product(resource: Resource, children: list[Resource], colour_groups: set[str], warnings: list[str],
             slugs: set[str]) -> ProductView:
    attrs = resource.attrs
    images = sorted((r.attrs for r in children if r.kind is Kind.IMAGE), key=lambda a: int(a["position"]))
    variants = tuple(_variant(r.attrs, colour_groups) for r in children if r.kind is Kind.VARIANT)
    return ProductView(
        sku=attrs["sku"], title=attrs["title"], slug=_unique(slugify(attrs["sku"]), slugs),
        price=attrs["price"], compare_at_price=attrs["compare_at_price"], weight=attrs["weight"],
        category=attrs["category"] or UNCATEGORISED, vendor=attrs["vendor"], active=attrs["active"],
        visibility=attrs["visibility"], images=tuple(a["src"] for a in images), tags=tuple(attrs["tags"]),
        description=attrs["description"], short_description=attrs["short_description"],
        options=tuple(attrs["options"]), variants=variants, warnings=tuple(warnings),
    )


def _variant(attrs: Any, colour_groups: set[str]) -> VariantRow:
    values = tuple(attrs["values"])
    colour_value = next((value for group, value in values if group in colour_groups), None)
    swatch = Swatch(colour_value, attrs["color"]) if attrs["color"] and colour_value else None
    return VariantRow(
        label=" / ".join(f"{group}: {value}" for group, value in values), values=values, sku=attrs["sku"],
        price=attrs["price"], compare_at_price=attrs["compare_at_price"], weight=attrs["weight"] or Decimal(0),
        weight_unit=attrs["weight_unit"] or "", default=attrs["default"], image=attrs["image"], swatch=swatch,
    )


def _unique(slug: str, taken: set[str]) -> str:
    """Skus are unique but their slugs may collide (`A.1` and `A-1`): number the later ones."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _attach(catalog: Catalog, problems: list[Problem]) -> tuple[dict[str, list[str]], list[str]]:
    """Each finding goes to the product whose YAML (from its first line to the next product's)
    holds its position; errors always also go to the general list, since an invalid product is
    not in the preview at all."""
    starts: dict[Path, list[tuple[int, str]]] = defaultdict(list)
    for product in catalog.products:
        origin = origin_of(product)
        if origin is not None:
            starts[origin.file].append((origin.position.line, product.sku))
    for spans in starts.values():
        spans.sort()
    per_product: dict[str, list[str]] = defaultdict(list)
    general: list[str] = []
    for problem in problems:
        text = _describe(problem)
        sku = _owner(problem, starts)
        if sku is not None:
            per_product[sku].append(text)
        if sku is None or problem.severity is Severity.ERROR:
            general.append(f"{problem.position}: {text}" if problem.position else text)
    return per_product, general


def _owner(problem: Problem, starts: dict[Path, list[tuple[int, str]]]) -> str | None:
    if problem.position is None:
        return None
    spans = starts.get(problem.position.file)
    if not spans:
        return None
    index = bisect.bisect_right(spans, (problem.position.line, "\U0010ffff")) - 1
    return spans[index][1] if index >= 0 else None


def _describe(problem: Problem) -> str:
    text = f"{problem.severity.value}: {problem.message}"
    return f"{text} ({problem.hint})" if problem.hint else text
