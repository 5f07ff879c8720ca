"""PrestaShop 1.6 validators (classes/Validate.php) as the store applies them, see API-NOTES.md.

Each check returns an error text or None, so callers can collect or stop at the first one.
"""

from __future__ import annotations

import re
from decimal import Decimal

_CATALOG_NAME_BAD = re.compile(r"[<>;=#{}]")
_GENERIC_NAME_BAD = re.compile(r"[<>={}]")
_REFERENCE_BAD = re.compile(r"[<>;={}]")
_TAGS_LIST_BAD = re.compile(r"[!<>;?=+#\"°{}_$%]")
_COLOR = re.compile(r"^(#[0-9a-fA-F]{6}|[a-zA-Z]+)$")
_UNCLEAN_HTML = re.compile(
    r"<\s*script|\bon\w+\s*=|javascript\s*:|<\s*(iframe|form|input|embed|object)\b", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]*>")

VISIBILITIES = ("both", "catalog", "search", "none")
GROUP_TYPES = ("select", "radio", "color")
MAX_PRICE_INT_DIGITS = 10
MAX_PRICE_DECIMALS = 9


def catalog_name(value: str, field: str, max_len: int = 128, required: bool = True) -> str | None:
    """isCatalogName (product title, category title, vendor)."""
    if not value:
        return f"{field} is required" if required else None
    if len(value) > max_len:
        return f"{field} is longer than {max_len} characters"
    if _CATALOG_NAME_BAD.search(value):
        return f"{field} contains one of < > ; = # {{ }}"
    return None


def generic_name(value: str, field: str, max_len: int = 128) -> str | None:
    """isGenericName (variant group and variant value names, tags)."""
    if not value:
        return f"{field} is required"
    if len(value) > max_len:
        return f"{field} is longer than {max_len} characters"
    if _GENERIC_NAME_BAD.search(value):
        return f"{field} contains one of < > = {{ }}"
    return None


def reference(value: str, field: str = "sku", max_len: int = 32) -> str | None:
    """isReference (product and variant sku), 32 characters as in PrestaShop 1.6."""
    if len(value) > max_len:
        return f"{field} is longer than {max_len} characters"
    if _REFERENCE_BAD.search(value):
        return f"{field} contains one of < > ; = {{ }}"
    return None


def tags(values: list[str]) -> str | None:
    """isGenericName per tag (32 chars) and isTagsList over the whole list."""
    for tag in values:
        problem = generic_name(tag, "tag", 32)
        if problem:
            return problem
        if _TAGS_LIST_BAD.search(tag):
            return f"tag {tag!r} contains a character isTagsList refuses"
    return None


def clean_html(value: str, field: str, max_text: int | None = None) -> str | None:
    """isCleanHtml; short descriptions also hold at most `max_text` characters of text."""
    if _UNCLEAN_HTML.search(value):
        return f"{field} contains scripts, event handlers or forbidden tags"
    if max_text is not None and len(_TAG.sub("", value)) > max_text:
        return f"{field} is longer than {max_text} characters of text"
    return None


def color(value: str) -> str | None:
    """isColor: "#RRGGBB" or a plain colour word, at most 32 characters."""
    if len(value) > 32 or not _COLOR.match(value):
        return f"color {value!r} is not #RRGGBB or a colour name"
    return None


def price(value: Decimal, field: str) -> str | None:
    """isPrice: not negative, up to 10 integer digits and 9 decimals."""
    if value < 0:
        return f"{field} is negative"
    _sign, digits, exponent = value.as_tuple()
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals > MAX_PRICE_DECIMALS or len(digits) - decimals > MAX_PRICE_INT_DIGITS:
        return f"{field} has too many digits"
    return None


def unsigned(value: Decimal, field: str) -> str | None:
    """isUnsignedFloat (weights)."""
    return f"{field} is negative" if value < 0 else None
