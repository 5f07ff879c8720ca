"""The catalog format: pydantic models of what a catalog YAML file may hold.

These models are the schema (`catalogctl schema` generates schemas/catalog.schema.json from
`Catalog`). Field-level store rules (names, skus, tags, html, money) are enforced here so
their errors point at the exact field; rules across items live in `config.validate`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    create_model,
)

from catalogctl.config import store_rules as rules
from catalogctl.config.lifecycle import Lifecycle, Protection
from catalogctl.config.scalars import resolved
from catalogctl.config.source import Origin
from catalogctl.config.store_models import StaffMember, StoreFacts


def _checked(check: Callable[[Any], str | None]) -> Callable[[Any], Any]:
    """The field validator of a rule: the value itself, or ValueError with the rule's phrase."""
    def validate(value: Any) -> Any:
        problem = check(value)
        if problem:
            raise ValueError(problem)
        return value

    return validate


def _rule(check: Callable[[Any], str | None]) -> AfterValidator:
    return AfterValidator(_checked(check))


def _kept_rule(check: Callable[[str], str | None]) -> AfterValidator:
    """_rule for a rule that is a pure function of a str: each distinct text validated once, and a text seen
    before answered by the cache in C, with no Python frame (110,000 of the 150,000 field rules of a
    10,000-product load are option values, colours and tags). A refused text raises, so it is never kept;
    an accepted one gives the equal str of the same type first seen (pydantic hands every str field an exact str)."""
    return AfterValidator(lru_cache(maxsize=4096, typed=True)(_checked(check)))


CatalogName = Annotated[str, _rule(rules.catalog_name_problem), Field(json_schema_extra={"maxLength": 128})]
Vendor = Annotated[str, _rule(rules.vendor_problem), Field(json_schema_extra={"maxLength": 64})]
Sku = Annotated[str, _rule(rules.reference_problem), Field(json_schema_extra={"maxLength": 32})]
# Option values, group names and tags repeat across a catalog (70,000 option values at 10,000 products are a
# handful of sizes and colours): their rules, pure functions of the text, answer each distinct text once.
generic_name_problem = lru_cache(maxsize=4096)(rules.generic_name_problem)
tag_problem = lru_cache(maxsize=4096)(rules.tag_problem)
GenericName = Annotated[str, _kept_rule(generic_name_problem), Field(json_schema_extra={"maxLength": 128})]
TagName = Annotated[str, _kept_rule(tag_problem), Field(json_schema_extra={"maxLength": 32})]
Html = Annotated[str, _rule(rules.clean_html_problem)]
ShortHtml = Annotated[str, _rule(rules.short_description_problem)]
HexColor = Annotated[str, _kept_rule(rules.color_problem),
                     Field(json_schema_extra={"pattern": "^#[0-9A-Fa-f]{6}$"})]
# The loader keeps numbers as their text (so string fields get exactly what was written); the few
# number and flag fields take YAML's value of it. Every other field is a string.
Number = Annotated[Decimal, BeforeValidator(resolved)]
Flag = Annotated[bool, BeforeValidator(resolved)]
Money = Annotated[Number, _rule(rules.price_problem)]
Weight = Annotated[Number, _rule(rules.weight_problem)]
Adjustment = Annotated[Number, _rule(rules.adjustment_problem)]
Url = Annotated[str, _rule(rules.url_problem), Field(json_schema_extra={"format": "uri"})]
HttpsUrl = Annotated[
    str, _rule(lambda value: rules.url_problem(value, https_only=True)), Field(json_schema_extra={"format": "uri"})
]
WeightUnit = Literal["lb", "kg", "oz", "g"]
Visibility = Literal["both", "search", "none"]
GroupType = Literal["select", "radio", "color"]

def _empty(kind: type[list[Any]] | type[dict[Any, Any]]) -> Any:
    """An empty list or dict default, made by calling `kind` (in C) for each item that leaves the field out:
    a plain `= []` is deep-copied by pydantic through Python's copy.deepcopy, 2 us each (20,000 times at
    10,000 products). The schema still says `"default": []` (or `{}`)."""
    return Field(default_factory=kind, json_schema_extra={"default": kind()})


# Union members are tagged; tags start with "~" so error locations can drop them.
TAG_PREFIX = "~"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class _Item(_Strict):
    """An item of a top-level section; remembers the file and node it was read from."""

    _origin: Origin | None = PrivateAttr(default=None)


def origin_of(item: BaseModel) -> Origin | None:
    """Where a catalog item was read from (None for items built in code)."""
    # Read from pydantic's private dict, where `item._origin` finds it after a failed ordinary lookup and
    # BaseModel.__getattr__ (1.56 us against 0.03; asked per product by the variant rules); anything else the
    # general way.
    try:
        return item.__pydantic_private__["_origin"]  # type: ignore[no-any-return]
    except (AttributeError, KeyError, TypeError):
        return getattr(item, "_origin", None)


class ColorValue(_Strict):
    """A value of a `color` group: `{value: Blue, color: "#0000FF"}`."""

    value: GenericName
    color: HexColor


# The discriminators ask isinstance of a tuple made once: `dict | ColorValue` written in the call built a union
# each time (0.14 us), and pydantic asks _value_tag for each of 70,000 option values at 10,000 products.
def _value_tag(value: Any) -> str:
    return "~color" if isinstance(value, _COLOR_SHAPES) else "~plain"


_COLOR_SHAPES = (dict, ColorValue)


OptionValue = Annotated[
    Annotated[GenericName, Tag("~plain")] | Annotated[ColorValue, Tag("~color")],
    Discriminator(_value_tag),
]


def value_name(value: str | ColorValue) -> str:
    return value.value if isinstance(value, ColorValue) else value


def value_color(value: str | ColorValue) -> str | None:
    return value.color if isinstance(value, ColorValue) else None


class Category(_Item):
    title: CatalogName


class VariantGroup(_Item):
    name: GenericName
    type: GroupType = "select"


class Webhook(_Item):
    name: Annotated[str, Field(min_length=1, max_length=128)]
    endpoint: HttpsUrl
    lifecycle: Protection | None = None


class Variant(_Strict):
    """One explicit variant. Price, compare_at_price and weight default to the product's."""

    values: dict[str, OptionValue]
    sku: Sku | None = None
    price: Money | None = None
    compare_at_price: Money | None = None
    weight: Weight | None = None
    weight_unit: WeightUnit | None = None
    default: Flag = False
    image: Url | None = None
    cost: Money | None = None  # what the variant costs you: for `min_margin_percent`, never sent to the store


class Adjusted(_Strict):
    """A base amount with per-value adjustments: `{base: 24.99, adjust: {Size: {XL: 2.00}}}`."""

    base: Money
    adjust: dict[str, dict[str, Adjustment]] = _empty(dict)


def _amount_tag(value: Any) -> str:
    return "~adjusted" if isinstance(value, _ADJUSTED_SHAPES) else "~amount"


_ADJUSTED_SHAPES = (dict, Adjusted)


Amount = Annotated[
    Annotated[Number, Tag("~amount")] | Annotated[Adjusted, Tag("~adjusted")],
    Discriminator(_amount_tag),
]


# Variants per product, whether listed or made by a matrix. The cap is checked on the matrix's shape,
# before anything expands it: 20 options of 10 values is 10^20 combinations in a 1 KB file.
MAX_VARIANTS = 1000


def _matrix_cap(matrix: dict[str, list[Any]]) -> dict[str, list[Any]]:
    count = math.prod(len(values) for values in matrix.values())
    if count > MAX_VARIANTS:
        raise ValueError(f"makes {count:,} combinations of its {len(matrix)} options, over the cap of "
                         f"{MAX_VARIANTS:,} variants per product; split the product or list fewer values")
    return matrix


def _list_cap(variants: list[Any]) -> list[Any]:
    if len(variants) > MAX_VARIANTS:
        raise ValueError(f"lists {len(variants):,} variants, over the cap of {MAX_VARIANTS:,} variants per product; "
                         "split the product")
    return variants


class VariantMatrix(_Strict):
    """Every combination of the listed values, e.g. `matrix: {Color: [...], Size: [S, M, L]}`."""

    matrix: Annotated[
        dict[str, Annotated[list[OptionValue], Field(min_length=1)]], Field(min_length=1), AfterValidator(_matrix_cap)
    ]
    sku: str | None = None  # a template: "TS-{Color}-{Size}"
    price: Amount | None = None
    compare_at_price: Amount | None = None
    weight: Amount | None = None
    weight_unit: WeightUnit | None = None
    default: dict[str, str] | None = None
    images: dict[str, dict[str, Url]] = _empty(dict)  # {Color: {Blue: https://...}}: the variant's image by value
    cost: Amount | None = None  # each variant's cost (base + adjustments): for `min_margin_percent`, never sent


def _variants_tag(value: Any) -> str | None:
    if isinstance(value, list):
        return "~list"
    return "~matrix" if isinstance(value, _MATRIX_SHAPES) else None


_MATRIX_SHAPES = (dict, VariantMatrix)


Variants = Annotated[
    Annotated[list[Variant], AfterValidator(_list_cap), Tag("~list")] | Annotated[VariantMatrix, Tag("~matrix")],
    Discriminator(
        _variants_tag,
        custom_error_type="variants_shape",
        custom_error_message="variants must be a list of variants, or a mapping with `matrix:`",
    ),
]


class Product(_Item):
    sku: Sku
    title: CatalogName
    description: Html = ""
    short_description: ShortHtml = ""
    vendor: Vendor = ""
    category: str | None = None
    price: Money
    compare_at_price: Money | None = None
    weight: Weight | None = None
    visibility: Visibility = "both"
    active: Flag = True
    tags: list[TagName] = _empty(list)
    images: list[Url] = _empty(list)
    options: list[str] | None = None
    variants: Variants | None = None
    template: str | None = None  # a template's name: its fields fill in what the product leaves out
    previous_skus: list[Sku] = _empty(list)  # skus it had before: a live product under one of them is renamed in place
    lifecycle: Lifecycle | None = None
    cost: Money | None = None  # what it costs you: for `min_margin_percent`, never sent to the store

    def option_names(self) -> tuple[str, ...]:
        """The product's variant groups in order: `options`, else the matrix's or first variant's keys."""
        if self.options is not None:
            return tuple(self.options)
        match self.variants:
            case VariantMatrix(matrix=matrix):
                return tuple(matrix)
            case [first, *_]:
                return tuple(first.values)
        return ()


def _template_model() -> type[_Item]:
    """A partial product with a name: every product field optional (the sku is each product's own)."""
    fields: dict[str, Any] = {"name": (GenericName, ...)}
    for name, info in Product.model_fields.items():
        if name not in ("sku", "template", "previous_skus"):  # a product's own: never shared
            fields[name] = (info.rebuild_annotation() | None, None)
    return create_model("ProductTemplate", __base__=_Item, __doc__="A named partial product (`template:`).",
                        **fields)


ProductTemplate = _template_model()


class Catalog(_Strict):
    """A catalog file, and also the whole catalog once every file's sections are merged."""

    model_config = ConfigDict(title="catalogctl catalog file")

    store: StoreFacts | None = None
    categories: list[Category] = []
    variant_groups: list[VariantGroup] = []
    products: list[Product] = []
    webhooks: list[Webhook] = []
    staff: list[StaffMember] = []
    templates: list[ProductTemplate] = []  # type: ignore[valid-type]


SYNTAX_SECTIONS = frozenset({"templates"})
"""Sections that are catalog syntax, applied before any provider sees the catalog (never "unsupported")."""

SECTION_MODELS: dict[str, type[BaseModel]] = {
    "categories": Category,
    "variant_groups": VariantGroup,
    "products": Product,
    "webhooks": Webhook,
    "store": StoreFacts,
    "staff": StaffMember,
    "templates": ProductTemplate,
}
