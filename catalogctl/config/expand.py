"""Variants as a flat list: explicit lists as written, matrices expanded (both give the same shape)."""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

from catalogctl.config.models import Adjusted, Product, Variant, VariantMatrix, value_color, value_name
from catalogctl.config.source import NodePath

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class ExpandedVariant:
    """One variant with the product's defaults filled in; `path` locates it in the product's node."""

    values: tuple[tuple[str, str], ...]  # (group, value) in the order written
    sku: str | None
    price: Decimal
    compare_at_price: Decimal | None
    weight: Decimal | None
    weight_unit: str | None
    default: bool
    image: str | None
    path: NodePath
    colors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # group -> hex

    def value_of(self, group: str) -> str | None:
        return dict(self.values).get(group)


def expand_variants(product: Product) -> tuple[ExpandedVariant, ...]:
    """The product's variants, one per combination for a matrix, in order.

    Validation, the desired resources and `validate` all ask for them, so each (frozen) product is
    expanded once and the result kept while the product lives.
    """
    key = id(product)
    cached = _EXPANDED.get(key)
    if cached is not None and cached[0]() is product:
        return cached[1]
    expanded = tuple(_expand(product))
    _EXPANDED[key] = (weakref.ref(product), expanded)
    weakref.finalize(product, _EXPANDED.pop, key, None)
    return expanded


# id(product) -> (the product, weakly: a strong one kept every product alive, and the finalizer
# never ran; its variants); an entry goes when its product is collected.
_EXPANDED: dict[int, tuple[weakref.ref[Product], tuple[ExpandedVariant, ...]]] = {}


def forget(product: Product) -> None:
    """Drop the product's kept expansion (expand_variants computes it again if asked): once the desired
    resources are built, a large plan no longer needs 100,000 expanded variants in memory."""
    cached = _EXPANDED.get(id(product))
    if cached is not None and cached[0]() is product:
        del _EXPANDED[id(product)]


def _expand(product: Product) -> list[ExpandedVariant]:
    match product.variants:
        case None:
            return []
        case VariantMatrix() as matrix:
            return _expand_matrix(product, matrix)
        case list() as variants:
            return [_explicit(product, variant, index) for index, variant in enumerate(variants)]
    return []


def _explicit(product: Product, variant: Variant, index: int) -> ExpandedVariant:
    colors = {group: color for group, value in variant.values.items() if (color := value_color(value))}
    return ExpandedVariant(
        values=tuple((group, value_name(value)) for group, value in variant.values.items()),
        sku=variant.sku,
        price=variant.price if variant.price is not None else product.price,
        compare_at_price=variant.compare_at_price if variant.compare_at_price is not None else product.compare_at_price,
        weight=variant.weight if variant.weight is not None else product.weight,
        weight_unit=variant.weight_unit,
        default=variant.default,
        image=variant.image,
        path=("variants", index),
        colors=MappingProxyType(colors),
    )


def _expand_matrix(product: Product, matrix: VariantMatrix) -> list[ExpandedVariant]:
    groups = list(matrix.matrix)
    expanded = []
    for combination in itertools.product(*matrix.matrix.values()):
        pairs_of = zip(groups, combination, strict=True)
        values = _one(tuple([_one((group, value_name(value))) for group, value in pairs_of]))
        names = dict(values)
        pairs = zip(groups, combination, strict=True)
        colors = _colors(tuple([(group, color) for group, value in pairs if (color := value_color(value))]))
        price = amount(matrix.price, names)
        expanded.append(ExpandedVariant(
            values=values,
            sku=render_sku(matrix.sku, names) if matrix.sku is not None else None,
            price=price if price is not None else product.price,
            compare_at_price=_or(amount(matrix.compare_at_price, names), product.compare_at_price),
            weight=_or(amount(matrix.weight, names), product.weight),
            weight_unit=matrix.weight_unit,
            default=matrix.default is not None and matrix.default == names,
            image=_matrix_image(matrix, names),
            path=_MATRIX_PATH,
            colors=colors,
        ))
    return expanded


# Validation keeps every product's expansion until the desired resources are built: 100,000 variants
# of a large catalog share a few value pairs, value tuples and colour maps, kept once (memory).
_one = lru_cache(maxsize=65536)(lambda value: value)
_MATRIX_PATH: NodePath = ("variants", "matrix")


@lru_cache(maxsize=4096)
def _colors(pairs: tuple[tuple[str, str], ...]) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


def _or(value: Decimal | None, fallback: Decimal | None) -> Decimal | None:
    return value if value is not None else fallback


def amount(spec: Decimal | Adjusted | None, names: Mapping[str, str]) -> Decimal | None:
    """A matrix amount for one combination: the base plus every matching adjustment."""
    match spec:
        case None:
            return None
        case Adjusted(base=base, adjust=adjust):
            total = base
            for group, by_value in adjust.items():
                total += by_value.get(names.get(group, ""), Decimal(0))
            return total
    return spec


def render_sku(template: str, names: Mapping[str, str]) -> str:
    """`"TS-{Color}-{Size}"` with Color=Blue, Size=L -> `TS-Blue-L` (unknown placeholders stay)."""
    return _PLACEHOLDER.sub(lambda m: names.get(m.group(1), m.group(0)), template)


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def _matrix_image(matrix: VariantMatrix, names: Mapping[str, str]) -> str | None:
    for group, by_value in matrix.images.items():
        if names.get(group) in by_value:
            return by_value[names[group]]
    return None
