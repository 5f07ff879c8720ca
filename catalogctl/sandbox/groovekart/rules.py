"""The store's validation rules as the sandbox applies them: catalogctl.config.store_rules, shared with `validate`.

One rule stays closer to PrestaShop than the validator's stricter cut: isPrice accepts up to nine
decimals (the store rounds to six). Colours are hex codes only: the vendor document asks for a
"color hex code e.g. #0000FF" (PrestaShop's isColor would also take a colour word).
"""

from __future__ import annotations

from decimal import Decimal

from catalogctl.config import store_rules

VISIBILITIES = ("both", "catalog", "search", "none")
GROUP_TYPES = ("select", "radio", "color")
MAX_PRICE_DECIMALS = 9
MAX_WEIGHT_INTEGER_DIGITS = 14  # decimal(20,6)


def _named(field: str, problem: str | None) -> str | None:
    return None if problem is None else f"{field} {problem}"


def catalog_name(value: str, field: str, max_len: int = store_rules.MAX_TITLE, required: bool = True) -> str | None:
    """isCatalogName (product title, category title; vendor with required=False and 64)."""
    if not required:
        return _named(field, store_rules.vendor_problem(value) if value else None)
    return _named(field, store_rules.catalog_name_problem(value, max_len))


def generic_name(value: str, field: str, max_len: int = store_rules.MAX_GENERIC_NAME) -> str | None:
    """isGenericName (variant group and variant value names)."""
    return _named(field, store_rules.generic_name_problem(value, max_len))


def reference(value: str, field: str = "sku") -> str | None:
    """isReference, 32 characters (product and variant sku)."""
    return _named(field, store_rules.reference_problem(value))


def tags(values: list[str]) -> str | None:
    """isGenericName + isTagsList per tag, 32 characters each."""
    for tag in values:
        problem = store_rules.tag_problem(tag)
        if problem:
            return f"tag {tag!r} {problem}"
    return None


def clean_html(value: str, field: str, max_text: int | None = None) -> str | None:
    """isCleanHtml; the short description also holds at most 400 characters of text."""
    check = store_rules.short_description_problem if max_text is not None else store_rules.clean_html_problem
    return _named(field, check(value))


def color(value: str) -> str | None:
    """A colour value's code: "#RRGGBB", as the document asks (the stricter reading of isColor)."""
    return _named("color", store_rules.color_problem(value))


def url(value: str) -> str | None:
    """An absolute http(s) url (image sources, textures, webhook endpoints)."""
    return store_rules.url_problem(value)


def price(value: Decimal, field: str) -> str | None:
    """isPrice: not negative, up to 10 integer digits and 9 decimals."""
    if value < 0:
        return f"{field} is negative"
    _sign, _digits, exponent = value.as_tuple()
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    # adjusted() counts the integer digits of 1E+30 too (the digit tuple alone says one)
    if decimals > MAX_PRICE_DECIMALS or value.adjusted() >= store_rules.MAX_PRICE_INTEGER_DIGITS:
        return f"{field} has too many digits"
    return None


def unsigned(value: Decimal, field: str) -> str | None:
    """isUnsignedFloat (weights); beyond decimal(20,6)'s 14 integer digits MySQL refuses the row."""
    if value < 0:
        return f"{field} is negative"
    return f"{field} has too many digits" if value.adjusted() >= MAX_WEIGHT_INTEGER_DIGITS else None

