"""Actions: the operations an applier asks a provider to carry out, one per plan step.

They are pydantic models so that a saved plan round-trips through JSON exactly
(`model_dump(mode="json")` / `ACTION_ADAPTER.validate_python`). Every action names products
by sku, images by position and variants by their values: never by a live id, because a
step may act on an object an earlier step of the same apply created. The provider resolves
live ids through the IdRegistry it is handed.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from catalogctl.core.frozen import LeanFrozen, lean_fill, lean_record, only_of_type, shared_fields_set
from catalogctl.model.money import ZERO

VariantValues = tuple[tuple[str, str], ...]


class Op(StrEnum):
    CREATE_CATEGORIES = "create_categories"
    CREATE_VARIANT_GROUPS = "create_variant_groups"
    CREATE_PRODUCT = "create_product"
    REPLACE_PRODUCT = "replace_product"
    UPDATE_PRODUCT = "update_product"
    SET_PRODUCT_STATUS = "set_product_status"
    SET_TAGS = "set_tags"
    ADD_IMAGE = "add_image"
    REPLACE_IMAGE = "replace_image"
    ADD_VARIANTS = "add_variants"
    UPDATE_VARIANTS = "update_variants"
    RECREATE_VARIANTS = "recreate_variants"
    SET_VARIANT_IMAGES = "set_variant_images"
    CREATE_WEBHOOKS = "create_webhooks"
    UPDATE_WEBHOOK = "update_webhook"
    DELETE_WEBHOOK = "delete_webhook"


class _Frozen(LeanFrozen):   # a plan holds these by the hundred thousand: see core/frozen.py
    pass


class GroupSpec(_Frozen):
    name: str
    type: Literal["select", "radio", "color"] = "select"


class VariantSpec(_Frozen):
    values: VariantValues
    color: str | None = None
    sku: str = ""
    price: Decimal
    compare_at_price: Decimal = Decimal(0)
    weight: Decimal = Decimal(0)
    weight_unit: str | None = None
    default: bool = False
    image: int | None = None  # position of one of the product's images

    def __init__(self, **data: Any) -> None:
        """pydantic's, but the planner's values (exact types) are set as they are, the variant's values
        shared with its resource: a 10,000-product plan makes 100,000 specs (core/frozen.py: lean_fill)."""
        values = _exact_variant(data)
        if values is None:
            super().__init__(**data)
        else:
            lean_fill(self, values, data)

    # Still pydantic's own for a spec read from a saved plan (nested validation does not call it).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


_VARIANT_FIELDS = frozenset(VariantSpec.model_fields)
_ZERO = Decimal(0)


def _exact_variant(data: dict[str, Any]) -> dict[str, Any] | None:
    """VariantSpec's fields in order when every given value is what validation would keep as it is; else None."""
    if not data.keys() <= _VARIANT_FIELDS or "values" not in data or "price" not in data:
        return None
    get = data.get
    values, color, sku, price = data["values"], get("color"), get("sku", ""), data["price"]
    compare, weight = get("compare_at_price", _ZERO), get("weight", _ZERO)
    unit, default, image = get("weight_unit"), get("default", False), get("image")
    if not exact_values(values):
        return None
    if not ((color is None or type(color) is str) and type(sku) is str
            and type(price) is Decimal and price.is_finite() and type(compare) is Decimal and compare.is_finite()
            and type(weight) is Decimal and weight.is_finite() and (unit is None or type(unit) is str)
            and type(default) is bool and (image is None or type(image) is int)):
        return None
    return {"values": values, "color": color, "sku": sku, "price": price, "compare_at_price": compare,
            "weight": weight, "weight_unit": unit, "default": default, "image": image}


def exact_values(values: Any) -> bool:
    """A variant's values as VariantSpec keeps them: a tuple of (str, str) tuples."""
    if type(values) is not tuple:
        return False
    for pair in values:   # a loop, not all(...) over a generator: 100,000 specs in a 10,000-product plan
        if type(pair) is not tuple or len(pair) != 2 or type(pair[0]) is not str or type(pair[1]) is not str:
            return False
    return True


def variant_spec_of(attrs: dict[str, Any], values_seen: set[int]) -> VariantSpec | None:
    """VariantSpec(**{every VariantSpec field but image: attrs[field]}) when `attrs` (a desired variant's)
    holds each of them with exactly the type validation keeps, made without pydantic's checks nor a
    dict of keywords (a 10,000-product create plan makes 100,000); else None. `values_seen`: ids of
    values tuples found exact (kept alive by their resources: one per combination, checked once)."""
    try:
        values, color, sku, price = attrs["values"], attrs["color"], attrs["sku"], attrs["price"]
        compare, weight, unit = attrs["compare_at_price"], attrs["weight"], attrs["weight_unit"]
        default = attrs["default"]
    except KeyError:
        return None
    if id(values) not in values_seen:
        if not exact_values(values):
            return None
        values_seen.add(id(values))
    # the catalog's one zero (an amount left out: most variants' compare_at_price and weight) is finite, not asked
    if not (type(sku) is str and type(price) is Decimal and type(compare) is Decimal and type(weight) is Decimal
            and type(default) is bool and (color is None or type(color) is str) and (unit is None or type(unit) is str)
            and price.is_finite() and (compare is ZERO or compare.is_finite())
            and (weight is ZERO or weight.is_finite())):
        return None
    spec = lean_record(VariantSpec, _VARIANT_GIVEN)
    own = spec.__dict__
    own["values"] = values
    own["color"] = color
    own["sku"] = sku
    own["price"] = price
    own["compare_at_price"] = compare
    own["weight"] = weight
    own["weight_unit"] = unit
    own["default"] = default
    own["image"] = None
    return spec


_VARIANT_GIVEN = shared_fields_set(_VARIANT_FIELDS - {"image"})


class ProductSpec(_Frozen):
    sku: str
    title: str
    description: str = ""
    short_description: str = ""
    vendor: str = ""
    category: str | None = None
    price: Decimal
    compare_at_price: Decimal = Decimal(0)
    weight: Decimal = Decimal(0)
    visibility: str = "both"
    active: bool = True
    tags: tuple[str, ...] = ()
    options: tuple[str, ...] = ()


_PRODUCT_FIELDS = tuple(ProductSpec.model_fields)
_PRODUCT_GIVEN = shared_fields_set(_PRODUCT_FIELDS)


def product_spec_of(attrs: dict[str, Any]) -> ProductSpec | None:
    """ProductSpec(**{field: attrs[field] for every field}) when `attrs` (a desired product's) holds each
    with exactly the type validation keeps, made without pydantic's checks; else None."""
    try:
        sku, title, description, short, vendor = (attrs["sku"], attrs["title"], attrs["description"],
                                                  attrs["short_description"], attrs["vendor"])
        category, price, compare, weight = attrs["category"], attrs["price"], attrs["compare_at_price"], attrs["weight"]
        visibility, active, tags, options = attrs["visibility"], attrs["active"], attrs["tags"], attrs["options"]
    except KeyError:
        return None
    if not (type(sku) is str and type(title) is str and type(description) is str and type(short) is str
            and type(vendor) is str and (category is None or type(category) is str) and type(visibility) is str
            and type(active) is bool and type(price) is Decimal and type(compare) is Decimal
            and type(weight) is Decimal and price.is_finite() and compare.is_finite() and weight.is_finite()
            and _texts(tags) and _texts(options)):
        return None
    spec = lean_record(ProductSpec, _PRODUCT_GIVEN)
    own = spec.__dict__
    own["sku"] = sku
    own["title"] = title
    own["description"] = description
    own["short_description"] = short
    own["vendor"] = vendor
    own["category"] = category
    own["price"] = price
    own["compare_at_price"] = compare
    own["weight"] = weight
    own["visibility"] = visibility
    own["active"] = active
    own["tags"] = tags
    own["options"] = options
    return spec


def _texts(value: Any) -> bool:
    return type(value) is tuple and all(type(item) is str for item in value)


class CreateCategories(_Frozen):
    op: Literal[Op.CREATE_CATEGORIES] = Op.CREATE_CATEGORIES
    titles: tuple[str, ...]


class CreateVariantGroups(_Frozen):
    op: Literal[Op.CREATE_VARIANT_GROUPS] = Op.CREATE_VARIANT_GROUPS
    groups: tuple[GroupSpec, ...]


class CreateProduct(_Frozen):
    """Create with groups, variants, the cover image and tags inline (one call)."""

    op: Literal[Op.CREATE_PRODUCT] = Op.CREATE_PRODUCT
    product: ProductSpec
    groups: tuple[GroupSpec, ...] = ()
    variants: tuple[VariantSpec, ...] = ()
    cover: str | None = None


class ReplaceProduct(_Frozen):
    """Create a new product, then deactivate the old one (a field update_product can't change)."""

    op: Literal[Op.REPLACE_PRODUCT] = Op.REPLACE_PRODUCT
    product: ProductSpec
    groups: tuple[GroupSpec, ...] = ()
    variants: tuple[VariantSpec, ...] = ()
    cover: str | None = None


_WHOLE_GIVEN = shared_fields_set(("product", "groups", "variants", "cover"))


def whole_product(kind: type[CreateProduct] | type[ReplaceProduct], product: ProductSpec,
                  groups: tuple[GroupSpec, ...], variants: tuple[VariantSpec, ...],
                  cover: str | None) -> CreateProduct | ReplaceProduct:
    """kind(product=product, groups=groups, variants=variants, cover=cover), made without pydantic's checks
    when every value has exactly its field's type (one per product of a create plan)."""
    if not (type(product) is ProductSpec and type(groups) is tuple and type(variants) is tuple
            and (cover is None or type(cover) is str) and only_of_type(groups, GroupSpec)
            and only_of_type(variants, VariantSpec)):
        return kind(product=product, groups=groups, variants=variants, cover=cover)
    action = lean_record(kind, _WHOLE_GIVEN)
    own = action.__dict__
    own["op"] = Op.CREATE_PRODUCT if kind is CreateProduct else Op.REPLACE_PRODUCT
    own["product"] = product
    own["groups"] = groups
    own["variants"] = variants
    own["cover"] = cover
    return action


class UpdateProduct(_Frozen):
    """Only the fields update_product accepts: title, description, vendor, price, compare_at_price.

    With `previous_sku` it is a rename: the product found under that sku gets `sku` (same id, url,
    variants and images).
    """

    op: Literal[Op.UPDATE_PRODUCT] = Op.UPDATE_PRODUCT
    sku: str
    previous_sku: str | None = None
    title: str | None = None
    description: str | None = None
    vendor: str | None = None
    price: Decimal | None = None
    compare_at_price: Decimal | None = None


class SetProductStatus(_Frozen):
    op: Literal[Op.SET_PRODUCT_STATUS] = Op.SET_PRODUCT_STATUS
    sku: str
    active: bool
    live_id: str | None = None  # set when the product is not addressable by sku (a shadowed duplicate)


class SetTags(_Frozen):
    """Make the product's tags exactly this list (empty: remove all)."""

    op: Literal[Op.SET_TAGS] = Op.SET_TAGS
    sku: str
    tags: tuple[str, ...]


class AddImage(_Frozen):
    op: Literal[Op.ADD_IMAGE] = Op.ADD_IMAGE
    sku: str
    position: int
    src: str


class ReplaceImage(_Frozen):
    op: Literal[Op.REPLACE_IMAGE] = Op.REPLACE_IMAGE
    sku: str
    position: int
    src: str
    cover: bool = False


class AddVariants(_Frozen):
    op: Literal[Op.ADD_VARIANTS] = Op.ADD_VARIANTS
    sku: str
    groups: tuple[GroupSpec, ...]
    variants: tuple[VariantSpec, ...]


class VariantUpdate(_Frozen):
    values: VariantValues
    sku: str | None = None
    price: Decimal | None = None
    compare_at_price: Decimal | None = None
    weight: Decimal | None = None
    default: bool | None = None


class UpdateVariants(_Frozen):
    op: Literal[Op.UPDATE_VARIANTS] = Op.UPDATE_VARIANTS
    sku: str
    updates: tuple[VariantUpdate, ...]


class RecreateVariants(_Frozen):
    """Delete all the product's variants and add these back (new ids; images reassigned)."""

    op: Literal[Op.RECREATE_VARIANTS] = Op.RECREATE_VARIANTS
    sku: str
    groups: tuple[GroupSpec, ...]
    variants: tuple[VariantSpec, ...]


class VariantImage(_Frozen):
    values: VariantValues
    image: int | None  # image position, None to unassign


class SetVariantImages(_Frozen):
    op: Literal[Op.SET_VARIANT_IMAGES] = Op.SET_VARIANT_IMAGES
    sku: str
    assignments: tuple[VariantImage, ...]


class WebhookSpec(_Frozen):
    name: str
    endpoint: str


class CreateWebhooks(_Frozen):
    op: Literal[Op.CREATE_WEBHOOKS] = Op.CREATE_WEBHOOKS
    webhooks: tuple[WebhookSpec, ...]


class UpdateWebhook(_Frozen):
    op: Literal[Op.UPDATE_WEBHOOK] = Op.UPDATE_WEBHOOK
    name: str
    endpoint: str


class DeleteWebhook(_Frozen):
    op: Literal[Op.DELETE_WEBHOOK] = Op.DELETE_WEBHOOK
    name: str


Action = Annotated[
    CreateCategories | CreateVariantGroups | CreateProduct | ReplaceProduct | UpdateProduct
    | SetProductStatus | SetTags | AddImage | ReplaceImage | AddVariants | UpdateVariants
    | RecreateVariants | SetVariantImages | CreateWebhooks | UpdateWebhook | DeleteWebhook,
    Field(discriminator="op"),
]
ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)
