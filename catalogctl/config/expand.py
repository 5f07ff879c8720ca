"""Variants as a flat list: explicit lists as written, matrices expanded (both give the same shape)."""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from catalogctl.config.models import Adjusted, ColorValue, Product, Variant, VariantMatrix, value_color, value_name
from catalogctl.config.source import NodePath

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class ExpandedVariant(NamedTuple):
    """One variant with the product's defaults filled in; `path` locates it in the product's node.

    Immutable as a frozen dataclass is, made in a third of the time (a tuple, no per-field __setattr__):
    a 10,000-product catalog has 100,000 of them, made on the load's and the plan's critical path.
    """

    values: tuple[tuple[str, str], ...]  # (group, value) in the order written
    sku: str | None
    price: Decimal
    compare_at_price: Decimal | None
    weight: Decimal | None
    weight_unit: str | None
    default: bool
    image: str | None
    path: NodePath
    colors: Mapping[str, str] = MappingProxyType({})  # group -> hex

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
    variants = product.variants
    shape = _one(_shape(variants)) if isinstance(variants, VariantMatrix) else None  # equal shapes kept once
    expanded = tuple(_expand(product, shape))
    _EXPANDED[key] = (_Ref(product, key), expanded, shape)
    return expanded


class _Ref(weakref.ref):  # type: ignore[type-arg]
    """A weak reference to an expanded product that drops its entry when the product is collected
    (made in C: a weakref.finalize per product cost 3 us and four tracked objects, 10,000 times)."""

    __slots__ = ("key",)

    def __new__(cls, product: Product, key: int) -> _Ref:
        ref = super().__new__(cls, product, _drop)
        ref.key = key
        return ref

    def __init__(self, product: Product, key: int) -> None:
        super().__init__(product, _drop)


def _drop(ref: _Ref) -> None:
    entry = _EXPANDED.get(ref.key)
    if entry is not None and entry[0] is ref:  # not an entry made since for another product at that address
        del _EXPANDED[ref.key]


# id(product) -> (the product, weakly: a strong one kept every product alive; its variants; its matrix's
# shape, None without a matrix); an entry goes when its product is collected, or when forget() drops it.
_EXPANDED: dict[int, tuple[_Ref, tuple[ExpandedVariant, ...], Shape | None]] = {}


def matrix_shape(product: Product, matrix: VariantMatrix) -> Shape:
    """The shape of the product's matrix: the one its expansion kept (shared by every product with the same
    matrix), else made again."""
    cached = _EXPANDED.get(id(product))
    if cached is not None and cached[0]() is product and cached[2] is not None:
        return cached[2]
    return _shape(matrix)


FirstValues = list[tuple[tuple[str, str], str | None, NodePath]]


def first_values(product: Product) -> FirstValues:
    """Each distinct ((group, value), colour) of the product's variants, in the order its variants first show it,
    with the path of the variant that does: what a rule over every variant's values sees once each.
    A matrix answers from its lists (its value j of group k first shows in combination j * the combinations of
    the groups after k), not from its combinations: one list per distinct matrix, the same list for every product
    that has it (so a caller may skip a list it has seen; none may change it)."""
    variants = product.variants
    if not isinstance(variants, VariantMatrix):
        found = {}
        for variant in expand_variants(product):
            for pair in variant.values:
                found.setdefault((pair, variant.colors.get(pair[0])), variant.path)
        return [(pair, color, path) for (pair, color), path in found.items()]
    return _first_of_shape(matrix_shape(product, variants))


# Per distinct matrix, as _combinations: a matrix's first values were 0.04 s of 10,000 products sharing one.
@lru_cache(maxsize=256)
def _first_of_shape(shape: Shape) -> FirstValues:
    if not all(names for _, names, _ in shape):
        return []  # no combination at all
    # Combination 0 shows the first value of every group; after it, the last group's other values show first
    # (strides 1, 2, ...), then the group before it's (each at a multiple of the last group's length), and so on:
    # the order of the first combination that shows each value.
    shown = [(group, names[0], colors[0]) for group, names, colors in shape]
    shown += [(group, name, color) for group, names, colors in reversed(shape)
              for name, color in zip(names[1:], colors[1:], strict=True)]
    return [(pair, color, _MATRIX_PATH) for pair, color in dict.fromkeys(
        ((group, name), color) for group, name, color in shown)]


def forget(product: Product) -> None:
    """Drop the product's kept expansion (expand_variants computes it again if asked): once the desired
    resources are built, a large plan no longer needs 100,000 expanded variants in memory."""
    cached = _EXPANDED.get(id(product))
    if cached is not None and cached[0]() is product:
        del _EXPANDED[id(product)]


def _expand(product: Product, shape: Shape | None) -> list[ExpandedVariant]:
    match product.variants:
        case None:
            return []
        case VariantMatrix() as matrix:
            return _expand_matrix(product, matrix, shape if shape is not None else _shape(matrix))
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


def _expand_matrix(product: Product, matrix: VariantMatrix, shape: Shape) -> list[ExpandedVariant]:
    combinations = _combinations(shape)
    skus = _skus(matrix.sku, tuple(matrix.matrix), shape) if matrix.sku is not None else [None] * len(combinations)
    price, compare_at, weight = (_constant(matrix.price, product.price),
                                 _constant(matrix.compare_at_price, product.compare_at_price),
                                 _constant(matrix.weight, product.weight))
    adjusted = any(amount is _ADJUSTED for amount in (price, compare_at, weight))
    if matrix.default is None and not matrix.images and not adjusted:  # most matrices: no names per combination
        unit = matrix.weight_unit
        # tuple.__new__ is ExpandedVariant(...) without the Python frame of its generated __new__
        return [_new(ExpandedVariant, (values, sku, price, compare_at, weight, unit, False, None, _MATRIX_PATH,
                                       colors)) for (values, colors), sku in zip(combinations, skus, strict=True)]
    expanded = []
    for (values, colors), sku in zip(combinations, skus, strict=True):
        names = dict(values)
        expanded.append(ExpandedVariant(
            values,
            sku,
            price if price is not _ADJUSTED else _adjusted(matrix.price, names, product.price),
            compare_at if compare_at is not _ADJUSTED else _adjusted(matrix.compare_at_price, names,
                                                                     product.compare_at_price),
            weight if weight is not _ADJUSTED else _adjusted(matrix.weight, names, product.weight),
            matrix.weight_unit,
            matrix.default is not None and matrix.default == names,
            _matrix_image(matrix, names) if matrix.images else None,
            _MATRIX_PATH,
            colors,
        ))
    return expanded


_new = tuple.__new__
Shape = tuple[tuple[str, tuple[str, ...], tuple[str | None, ...]], ...]


def _shape(matrix: VariantMatrix) -> Shape:
    """Each group of the matrix with its value names and their colours (None for a value without one): all
    that its combinations are made of. (value_name and value_color inlined: a call each per value was a fifth
    of the expansion)"""
    shape = []
    for group, values in matrix.matrix.items():
        if {*map(type, values)} == _TEXT:  # only plain names (a size list): the names themselves, no colour
            shape.append((group, tuple(values), (None,) * len(values)))
            continue
        shape.append((group, tuple([value.value if isinstance(value, ColorValue) else value for value in values]),
                      tuple([value.color or None if isinstance(value, ColorValue) else None for value in values])))
    return tuple(shape)


_TEXT = frozenset({str})


# Per distinct matrix, not per product: products of a catalog mostly share their matrices (the same sizes and
# colours), and joining the values of each combination (its values tuple and its colour map, both shared) was
# a third of the expansion, 0.07 s of 100,000 variants. Up to 256 matrices kept: a miss costs no more than
# the join did.
@lru_cache(maxsize=256)
def _combinations(shape: Shape) -> tuple[tuple[tuple[tuple[str, str], ...], Mapping[str, str]], ...]:
    """Each combination's (values, colours), in order. Per value once, not per combination: its (group, name)
    pair and (group, colour) pair; each combination then only joins them (10 of a 2 x 5 matrix share 7 values)."""
    pairs = [[_one((group, name)) for name in names] for group, names, _ in shape]
    shades = [[(group, color) if color is not None else None for color in colors] for group, _, colors in shape]
    return tuple(zip(map(_one, itertools.product(*pairs)), map(_colors_of, itertools.product(*shades)), strict=True))


@lru_cache(maxsize=256)
def _fields(names: tuple[str, ...], groups: tuple[str, ...]) -> tuple[str, ...]:
    """Each placeholder's part of a _sku_format pattern: its group's value field, or itself kept as written."""
    return tuple([f"{{0[{groups.index(name)}][1]}}" if name in groups else f"{{{{{name}}}}}" for name in names])


_ADJUSTED: Any = object()  # the amount depends on the combination (base plus adjustments)


def _constant(spec: Decimal | Adjusted | None, fallback: Decimal | None) -> Any:
    """The matrix amount shared by every combination (`amount` with no adjustment), or _ADJUSTED."""
    if isinstance(spec, Adjusted):
        return _ADJUSTED
    return spec if spec is not None else fallback


def _adjusted(spec: Decimal | Adjusted | None, names: Mapping[str, str], fallback: Decimal | None) -> Decimal | None:
    return _or(amount(spec, names), fallback)


def _skus(template: str, groups: tuple[str, ...], shape: Shape) -> list[str]:
    """Each combination's sku, in order: `render_sku(template, names)` of each (`groups`: the matrix's options).

    A template is mostly the product's own text, then placeholders (`B-00042-{Color}-{Size}`): its text before
    the first placeholder is in every sku as written, and the rest (`{Color}-{Size}`) is what products with the
    same options and matrix share. So the rest's skus are made once per (rest, options, shape) and each sku is
    the prefix joined to one of them (render_sku's placeholders are found left to right, so the rest, which
    starts at the first, holds the same ones): a concatenation a sku, not a %-format of the whole template.
    """
    first = _PLACEHOLDER.search(template)
    start = first.start() if first is not None else len(template)  # no placeholder: every sku is the template
    rest = _rest_skus(template[start:], groups, shape)
    return list(map(template[:start].__add__, rest)) if start else list(rest)


@lru_cache(maxsize=256)
def _rest_skus(template: str, groups: tuple[str, ...], shape: Shape) -> tuple[str, ...]:
    """_skus of a template, made in full (kept per template, options and shape: see _skus)."""
    pieces = sku_pieces(template)
    names = pieces[1::2]
    # Every brace a placeholder's (each holds one { and one }) and every placeholder an option: the template's
    # text between them with a %s for each, filled by %-formatting from each combination's names in placeholder
    # order (kept per matrix and placeholders). A str.format with two indexed fields was 3,000 instructions a
    # sku (callgrind); the general pattern answers the rest.
    if template.count("{") == len(names) == template.count("}") and all(name in groups for name in names):
        text = pieces[::2]
        pattern = "%s".join(text if "%" not in template else [piece.replace("%", "%%") for piece in text])
        return tuple([pattern % args for args in _sku_names(shape, tuple([groups.index(name) for name in names]))])
    pattern = _sku_format(template, groups)
    return tuple([pattern.format(values) for values, _ in _combinations(shape)])


@lru_cache(maxsize=256)
def _sku_names(shape: Shape, indexes: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
    """Each combination's value names of the groups at `indexes` (a sku template's placeholders), in order."""
    return tuple([tuple([values[index][1] for index in indexes]) for values, _ in _combinations(shape)])


def _sku_format(template: str, groups: tuple[str, ...]) -> str:
    """The sku template as a str.format pattern over a combination's (group, name) pairs, so that
    `pattern.format(values)` is `render_sku(template, dict(values))` in one call: `TS-{Color}` -> `TS-{0[0][1]}`."""
    pieces = sku_pieces(template)
    names = pieces[1::2]
    # Each placeholder holds one { and one }: when they are all the template's braces, its text has none to
    # escape, and the placeholders' fields (the same for every product with these options) are put in place in C.
    if template.count("{") == len(names) == template.count("}"):
        pieces[1::2] = _fields(tuple(names), groups)
        return "".join(pieces)
    pattern = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            pattern.append(piece.replace("{", "{{").replace("}", "}}"))
        elif piece in groups:
            pattern.append(f"{{0[{groups.index(piece)}][1]}}")
        else:  # not an option: the placeholder stays as written
            pattern.append(f"{{{{{piece}}}}}")
    return "".join(pattern)


# Validation keeps every product's expansion until the desired resources are built: 100,000 variants
# of a large catalog share a few value pairs, value tuples and colour maps, kept once (memory).
_one = lru_cache(maxsize=65536)(lambda value: value)
_MATRIX_PATH: NodePath = ("variants", "matrix")


@lru_cache(maxsize=4096)
def _colors(pairs: tuple[tuple[str, str], ...]) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


@lru_cache(maxsize=4096)
def _colors_of(shades: tuple[tuple[str, str] | None, ...]) -> Mapping[str, str]:
    """The colour map of a combination from each value's (group, colour), None for a value without one."""
    return _colors(tuple([shade for shade in shades if shade is not None]))


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


def sku_pieces(template: str) -> list[str]:
    """The template's literal text and placeholder names, alternating: `["TS-", "Color", "-", "Size", ""]`."""
    return _PLACEHOLDER.split(template)


def _matrix_image(matrix: VariantMatrix, names: Mapping[str, str]) -> str | None:
    for group, by_value in matrix.images.items():
        if names.get(group) in by_value:
            return by_value[names[group]]
    return None
