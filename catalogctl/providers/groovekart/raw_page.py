"""A list_products page's bytes decoded into typed structs that keep the store's raw values (pages.py converts
them): only what the reference path (json, then wire.py's models) accepts is taken; anything else decodes to
None and is left to that path."""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, Struct, UnsetType, field


class _Refused:
    """A key the fast path does not take (any value of it fails the decode): its presence sends the
    page down the reference path (a failure shape, or a field name pydantic also populates)."""


def _refuse(kind: type, value: Any) -> Any:
    raise ValueError(f"{kind.__name__}: left to the reference path")


Number = str | int | None   # a Dec of wire.py: floats and booleans are refused there, so not taken here


class RawImage(Struct, kw_only=True, gc=False):
    id: str
    url: str | None = ""


class RawRow(Struct, kw_only=True, gc=False):
    """A list_products variant row as the store spells it (wire.VariantRow's aliases)."""

    variant_id: str = field(name="id_product_variant")
    group: str = field(name="group_name")
    group_id: str | None = field(default=None, name="id_variant_group")
    value: str | None = field(name="variant_name")
    sku: str | None = field(default="", name="reference")
    price: Number = None
    compare_price: Number = None
    weight: Number = None
    default_on: str | int | bool | None = None
    color: str | None = None
    image: RawImage | None = None
    # populate_by_name lets pydantic read these names too: left to it
    by_name_id: _Refused = field(default=None, name="variant_id")
    by_name_group: _Refused = field(default=None, name="group")
    by_name_group_id: _Refused = field(default=None, name="group_id")
    by_name_value: _Refused = field(default=None, name="value")
    by_name_sku: _Refused = field(default=None, name="sku")


class RawProduct(Struct, kw_only=True, gc=False):
    """A list_products row (wire.WireProduct's list spelling)."""

    id: str | None = None
    category_id: str | None = field(default=None, name="id_category_default")
    product_title: str | UnsetType | None = UNSET
    title: str | UnsetType | None = UNSET
    description: str | None = ""
    vendor: str | None = ""
    sku: str | None = ""
    price: Number = None
    compare_price: Number = field(default=None, name="compare_default_price")
    weight: Number = None
    status: str | int | bool | None = True
    visibility: str | None = "both"
    tags: str | None = ""
    images: list[RawImage] = []
    variants: list[RawRow] = []
    by_name_category: _Refused = field(default=None, name="category_id")
    by_name_compare: _Refused = field(default=None, name="compare_price")
    by_name_active: _Refused = field(default=None, name="active")


class RawPage(Struct, kw_only=True, gc=False):
    """`{"products": [...]}`; the keys GrooveKart's failure shapes use (dialect.error_of) are refused."""

    products: list[RawProduct] = []
    error_shape: _Refused = field(default=None, name="Error")
    status_shape: _Refused = field(default=None, name="status")
    other_error_shape: _Refused = field(default=None, name="error")


_DECODER = msgspec.json.Decoder(RawPage, dec_hook=_refuse)


def decode(content: bytes) -> RawPage | None:
    """The page, or None when the reference path must judge it (including every body json refuses)."""
    if not content.isascii():
        try:   # json.loads refuses bytes that are not UTF-8; msgspec does not check the strings it skips
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        return _DECODER.decode(content)
    except Exception:   # malformed, another shape, nested too deep: all judged by the reference path
        return None
