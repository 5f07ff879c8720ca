"""Matrix detection: when a product's variants form a full grid that the `matrix` shorthand
reproduces exactly (sku template, base price + per-value adjustments, uniform fields, default),
describe it; otherwise the writer falls back to an explicit list.

Works on normalized variant attributes (catalogctl/model/attributes.py); knows nothing of YAML.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Values = tuple[tuple[str, str], ...]
VariantAttrs = Mapping[str, Any]

# Fields written as a base amount with per-value adjustments; and those that must be uniform.
AMOUNT_FIELDS = ("price", "compare_at_price", "weight")
UNIFORM_FIELDS = ("weight_unit",)
Adjustments = tuple[tuple[str, str, Decimal], ...]  # (option, value, delta), non-zero only
_MAX_TEMPLATES = 512  # placeholder placements tried per product before giving up on a template


@dataclass(frozen=True)
class Matrix:
    """A grid the shorthand can express."""

    options: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]               # per option, in first-seen order
    sku: str | None                                   # template like "TS-{Color}-{Size}"; None: skus empty
    amounts: Mapping[str, tuple[Decimal, Adjustments]]  # price / compare_at_price / weight: base, deltas
    uniform: Mapping[str, Any]                        # weight_unit
    images: tuple[str, tuple[tuple[str, str], ...]] | None  # (option, ((value, url), ...)): image by value
    colors: tuple[tuple[str, str], ...]               # (value, hex) of the color option's values
    default: Values


def detect(options: Sequence[str], variants: Sequence[VariantAttrs], *, color_option: str | None = None,
           placeholder: str = "{{{}}}") -> Matrix | None:
    """The matrix that expands to exactly these variants, or None.

    `placeholder` formats an option name into the template syntax (`{Color}` by default).
    """
    if not options or not variants:
        return None
    values = _grid_values(options, variants)
    if values is None:
        return None
    uniform = _uniform(variants)
    colors = _colors(variants, options, color_option)
    images = _images(variants, options)
    defaults = [v["values"] for v in variants if v.get("default")]
    if uniform is None or colors is None or images is False or len(defaults) != 1:
        return None
    amounts = {}
    for name in AMOUNT_FIELDS:
        fitted = _additive(options, values, {tuple(value for _, value in v["values"]): v[name] for v in variants})
        if fitted is None:
            return None
        amounts[name] = fitted
    sku = _template(options, variants, placeholder)
    if sku is None:
        return None
    return Matrix(tuple(options), values, sku or None, amounts, uniform, images, colors, defaults[0])


def _grid_values(options: Sequence[str], variants: Sequence[VariantAttrs]) -> tuple[tuple[str, ...], ...] | None:
    """Per-option values when the variants are exactly their cartesian product, else None."""
    seen: list[dict[str, None]] = [{} for _ in options]
    combos = set()
    for variant in variants:
        pairs = variant["values"]
        if tuple(group for group, _ in pairs) != tuple(options):
            return None
        for index, (_, value) in enumerate(pairs):
            seen[index][value] = None
        combos.add(tuple(value for _, value in pairs))
    values = tuple(tuple(s) for s in seen)
    size = 1
    for vals in values:
        size *= len(vals)
    if len(combos) != len(variants) or size != len(variants):
        return None
    return values


def _uniform(variants: Sequence[VariantAttrs]) -> dict[str, Any] | None:
    first = variants[0]
    uniform = {name: first.get(name) for name in UNIFORM_FIELDS}
    if any(variant.get(name) != uniform[name] for variant in variants for name in UNIFORM_FIELDS):
        return None
    return uniform


def _images(variants: Sequence[VariantAttrs],
            options: Sequence[str]) -> tuple[str, tuple[tuple[str, str], ...]] | bool | None:
    """The first option whose value decides the variant's image: (option, ((value, url), ...)).

    None when no variant has an image; False when no single option decides it.
    """
    if all(v.get("image") is None for v in variants):
        return None
    for index, option in enumerate(options):
        by_value: dict[str, str | None] = {}
        if all(by_value.setdefault(v["values"][index][1], v.get("image")) == v.get("image") for v in variants):
            return option, tuple((value, url) for value, url in by_value.items() if url is not None)
    return False


def _colors(variants: Sequence[VariantAttrs], options: Sequence[str],
            color_option: str | None) -> tuple[tuple[str, str], ...] | None:
    """(value, hex) per value of the color option, when each value has one color."""
    if color_option is None:
        return () if all(v.get("color") is None for v in variants) else None
    index = list(options).index(color_option)
    colors: dict[str, str] = {}
    for variant in variants:
        value, color = variant["values"][index][1], variant.get("color")
        if color is None or colors.setdefault(value, color) != color:
            return None
    return tuple(colors.items())


def _additive(options: Sequence[str], values: tuple[tuple[str, ...], ...],
              prices: Mapping[tuple[str, ...], Decimal]) -> tuple[Decimal, Adjustments] | None:
    """price = base + sum of per-value deltas, if the prices fit that model exactly.

    `prices` is keyed by the combination's values in option order. Deltas are measured from
    the first value of each option, then shifted so the most common delta of each option is
    zero: S/M/L at 20 and XL at 22 reads as base 20, XL +2.
    """
    first = tuple(vals[0] for vals in values)
    base = prices[first]
    deltas: list[dict[str, Decimal]] = []
    for index, vals in enumerate(values):
        deltas.append({value: prices[(*first[:index], value, *first[index + 1:])] - base for value in vals})
    for index, table in enumerate(deltas):
        common = Counter(table.values()).most_common(1)[0][0]
        deltas[index] = {value: delta - common for value, delta in table.items()}
        base += common
    for choice, price in prices.items():
        if base + sum(deltas[i][value] for i, value in enumerate(choice)) != price:
            return None
    adjustments = tuple(
        (options[i], value, delta) for i, table in enumerate(deltas) for value, delta in table.items() if delta != 0
    )
    return base, adjustments


def _template(options: Sequence[str], variants: Sequence[VariantAttrs], placeholder: str) -> str | None:
    """A template rendering every variant's sku ("" when all skus are empty), or None."""
    skus = [variant.get("sku") or "" for variant in variants]
    if not any(skus):
        return ""
    if not all(skus):
        return None
    sample = variants[0]
    choices = []
    for _, value in sample["values"]:
        spots = _occurrences(sample["sku"], value)
        choices.append([None, *spots])
    for placement in itertools.islice(_placements(choices), _MAX_TEMPLATES):
        template = _build(sample["sku"], options, placement, placeholder)
        if template is not None and all(_render(template, options, v["values"], placeholder) == v["sku"]
                                        for v in variants):
            return template
    return None


def _occurrences(text: str, value: str) -> list[tuple[int, int]]:
    if not value:
        return []
    spots, start = [], text.find(value)
    while start != -1:
        spots.append((start, start + len(value)))
        start = text.find(value, start + 1)
    return spots


def _placements(choices: list[list[tuple[int, int] | None]]) -> itertools.product:  # type: ignore[type-arg]
    # Templates using more options come first: they are the ones that can tell variants apart.
    ordered = [sorted(c, key=lambda spot: spot is None) for c in choices]
    return itertools.product(*ordered)


def _build(sku: str, options: Sequence[str], placement: Sequence[tuple[int, int] | None],
           placeholder: str) -> str | None:
    spans = sorted((spot, options[i]) for i, spot in enumerate(placement) if spot is not None)
    out, cursor = [], 0
    for (start, end), option in spans:
        if start < cursor:
            return None  # overlapping placeholders
        out += [sku[cursor:start], placeholder.format(option)]
        cursor = end
    out.append(sku[cursor:])
    return "".join(out)


def _render(template: str, options: Sequence[str], values: Values, placeholder: str) -> str:
    text = template
    for option, (_, value) in zip(options, values, strict=True):
        text = text.replace(placeholder.format(option), value)
    return text
