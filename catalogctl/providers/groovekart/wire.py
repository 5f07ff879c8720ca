"""Pydantic models of the store's answers, normalizing its spellings at the edge.

Money and weights arrive as strings ("24.990000") and become canonical Decimals; flags arrive
as "1"/"0"/0 and become bools; ids become strings. Variant rows come in two spellings
(list/search: id_product_variant + variant_name; details: id_product_attribute +
attribute_name) and only color rows carry `color`. search_products answers `products` as an
object keyed "0", "1", ... with `products_count` inside; list_products answers a list.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter

from catalogctl.model.money import to_decimal
from catalogctl.model.urls import without_cache_buster


def _decimal(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, str):
        return _decimal_text(value)
    return to_decimal(value)


@lru_cache(maxsize=8192)
def _decimal_text(text: str) -> Decimal:
    # A store repeats few distinct prices and weights; Decimals are immutable, so caching is safe
    # and halves the cost of reading a large catalog.
    return to_decimal(text)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _id(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        raise ValueError("an id is required")
    return str(value)


Dec = Annotated[Decimal, BeforeValidator(_decimal)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Text = Annotated[str, BeforeValidator(_text)]
Id = Annotated[str, BeforeValidator(_id)]
StableUrl = Annotated[str, BeforeValidator(_text), AfterValidator(without_cache_buster)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class WireImage(_Wire):
    id: Id
    url: StableUrl = ""  # the ?v= cache-buster changes between reads: not part of the url we keep


class VariantRow(_Wire):
    """One (variant, group) row of a product read, in either spelling."""

    variant_id: Id = Field(validation_alias=AliasChoices("id_product_variant", "id_product_attribute"))
    group: str = Field(validation_alias="group_name")
    group_id: Id | None = Field(None, validation_alias="id_variant_group")
    value: Text = Field(validation_alias=AliasChoices("variant_name", "attribute_name"))
    sku: Text = Field("", validation_alias="reference")
    price: Dec = Decimal(0)
    compare_price: Dec = Decimal(0)
    weight: Dec = Decimal(0)
    default_on: Flag | None = None  # details rows do not say
    color: str | None = None        # only color rows carry it
    image: WireImage | None = None


class WireProduct(_Wire):
    """A product as list/search (`id`, `product_title`) or details (`title`, no id) spell it."""

    id: Id | None = None
    category_id: Id | None = Field(None, validation_alias="id_category_default")
    title: Text = Field("", validation_alias=AliasChoices("product_title", "title"))
    description: Text = ""
    vendor: Text = ""
    sku: Text = ""
    price: Dec = Decimal(0)
    compare_price: Dec = Field(Decimal(0), validation_alias="compare_default_price")
    weight: Dec = Decimal(0)
    active: Flag = Field(True, validation_alias="status")
    visibility: Text = "both"
    tags: Text = ""
    images: list[WireImage] = []
    variants: list[VariantRow] = []

    @property
    def tag_list(self) -> tuple[str, ...]:
        """Tags sorted and de-duplicated, as the attribute contract wants them."""
        return tuple(sorted({t.strip() for t in self.tags.split(",") if t.strip()}))


class WireCategory(_Wire):
    id: Id
    title: Text


class WireGroup(_Wire):
    id: Id = Field(validation_alias="id_attribute_group")
    name: Text
    group_type: Text = "radio"


class WireWebhook(_Wire):
    id: Id
    name: Text
    type: Text = ""
    endpoint: Text = ""


class CreatedValue(_Wire):
    group_type: Text = Field("", validation_alias="variant_group_type")
    name: Text = Field(validation_alias="variant_name")
    color: str | None = None


class CreatedVariant(_Wire):
    variant_id: Id
    values: dict[str, CreatedValue] = Field(validation_alias="variant_values")


class CreatedProduct(_Wire):
    """The product create answer: id_product, image_id, the variants with their new ids."""

    id: Id = Field(validation_alias="id_product")
    image_id: Id | None = None
    variants: list[CreatedVariant] = []


class ImageAnswer(_Wire):
    id: Id = Field(validation_alias="id_image")


_PRODUCTS = TypeAdapter(list[WireProduct])
_CATEGORIES = TypeAdapter(list[WireCategory])
_GROUPS = TypeAdapter(list[WireGroup])
_WEBHOOKS = TypeAdapter(list[WireWebhook])


def products(payload: Any) -> list[WireProduct]:
    """Products of a list/search answer (`{"products": [...]}` or `{"products": {"0": ..., "products_count": n}}`)."""
    if payload is None:
        return []
    raw = payload.get("products", []) if isinstance(payload, dict) else payload
    if isinstance(raw, dict):
        raw = [value for key, value in raw.items() if key != "products_count" and isinstance(value, dict)]
    return _PRODUCTS.validate_python(raw)


def product_details(payload: Any) -> WireProduct:
    """The `products.json {product: {id}}` answer."""
    return WireProduct.model_validate(payload.get("product") if isinstance(payload, dict) else None)


def categories(payload: Any) -> list[WireCategory]:
    raw = payload.get("categories", []) if isinstance(payload, dict) else payload
    return _CATEGORIES.validate_python(_listish(raw))


def groups(payload: Any) -> list[WireGroup]:
    return [] if payload is None else _GROUPS.validate_python(_listish(payload))


def webhooks(payload: Any) -> list[WireWebhook]:
    return [] if payload is None else _WEBHOOKS.validate_python(_listish(payload))


def _listish(raw: Any) -> list[Any]:
    """A list, or a PHP array serialized as an object keyed by index; anything else is a shape error."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        return [value for value in raw.values() if isinstance(value, dict)]
    return raw if isinstance(raw, list) else [raw]
