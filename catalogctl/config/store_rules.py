"""The store's own field rules (PrestaShop 1.6 validators underneath GrooveKart; see API-NOTES.md).

One place for both sides: `validate` refuses what the store would refuse, and the sandbox
emulator enforces the same rules. Each `*_problem` function returns None when the value is
acceptable, else a phrase to put after the field's name, e.g. "contains '#', which ...".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal

CATALOG_NAME_FORBIDDEN = "<>;=#{}"  # isCatalogName: product and category titles, vendor
REFERENCE_FORBIDDEN = "<>;={}"  # isReference: product and variant skus
GENERIC_NAME_FORBIDDEN = "<>={}"  # isGenericName: tags, variant group and value names
TAGS_LIST_FORBIDDEN = '!<>;?=+#"°{}_$%'  # isTagsList: the whole tag list
TAG_FORBIDDEN = "".join(dict.fromkeys(GENERIC_NAME_FORBIDDEN + TAGS_LIST_FORBIDDEN))  # a tag passes both

MAX_TITLE = 128
MAX_VENDOR = 64
MAX_REFERENCE = 32
MAX_TAG = 32
MAX_GENERIC_NAME = 128
MAX_SHORT_DESCRIPTION = 400
MAX_PRICE_INTEGER_DIGITS = 10
MAX_DECIMALS = 6  # the store keeps decimal(20,6)

_HEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_UNCLEAN_HTML = (
    (re.compile(r"<\s*script", re.I), "a <script> tag"),
    (re.compile(r"\bon[a-z]+\s*=", re.I), "an on...= event handler"),
    (re.compile(r"javascript\s*:", re.I), "a javascript: url"),
    (re.compile(r"<\s*(iframe|form|input|embed|object)\b", re.I), "an <iframe>, <form>, <input>, <embed> or <object>"),
)
_TAG = re.compile(r"<[^>]*>")


def _forbidden(value: str, characters: str, rule: str) -> str | None:
    if _any_of(characters).search(value) is None:  # the common case, in C: 100,000 skus pass here
        return None
    found = sorted({c for c in value if c in characters}, key=value.index)
    shown = " ".join(found)
    return f"contains {shown}, which the store refuses in {rule} (none of {' '.join(characters)})"


@functools.cache
def _any_of(characters: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(characters)}]")


def _too_long(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"is {len(value)} characters long; the store accepts at most {limit}"
    return None


def _required(value: str) -> str | None:
    return "is empty; the store requires a value" if not value.strip() else None


# Each rule first asks, in C, whether the value is plainly fine (the case of nearly every value of a large
# catalog: 150,000 at 10,000 products); only a value that is not goes through the checks that word the problem.
# `value and not value.isspace()` is `value.strip()` (both use str's own whitespace).
_CATALOG_NAME = re.compile(f"[{re.escape(CATALOG_NAME_FORBIDDEN)}]")
_REFERENCE = re.compile(f"[{re.escape(REFERENCE_FORBIDDEN)}]")
_GENERIC_NAME = re.compile(f"[{re.escape(GENERIC_NAME_FORBIDDEN)}]")
_TAG_CHARACTERS = re.compile(f"[{re.escape(TAG_FORBIDDEN)},]")


def catalog_name_problem(value: str, max_length: int = MAX_TITLE) -> str | None:
    """isCatalogName: product and category titles (128, required)."""
    if len(value) <= max_length and value and not value.isspace() and _CATALOG_NAME.search(value) is None:
        return None
    return _required(value) or _too_long(value, max_length) or _forbidden(value, CATALOG_NAME_FORBIDDEN, "names")


def vendor_problem(value: str) -> str | None:
    """The vendor is checked as a catalog name of at most 64 characters; empty is fine."""
    if len(value) <= MAX_VENDOR and _CATALOG_NAME.search(value) is None:
        return None
    return _too_long(value, MAX_VENDOR) or _forbidden(value, CATALOG_NAME_FORBIDDEN, "names")


def reference_problem(value: str) -> str | None:
    """isReference: product and variant skus, at most 32 characters."""
    if len(value) <= MAX_REFERENCE and _REFERENCE.search(value) is None:
        return None
    return _too_long(value, MAX_REFERENCE) or _forbidden(value, REFERENCE_FORBIDDEN, "skus")


def references_taken(values: list[str]) -> bool:
    """Whether reference_problem takes every one of `values`: one test of them all (its forbidden characters
    are a class, found in the joined values exactly when in one of them; the sandbox asks for a create's
    ten variant skus at once)."""
    return max(map(len, values), default=0) <= MAX_REFERENCE and _REFERENCE.search("".join(values)) is None


def generic_name_problem(value: str, max_length: int = MAX_GENERIC_NAME) -> str | None:
    """isGenericName: variant group names and variant (attribute) value names."""
    if len(value) <= max_length and value and not value.isspace() and _GENERIC_NAME.search(value) is None:
        return None
    return _required(value) or _too_long(value, max_length) or _forbidden(value, GENERIC_NAME_FORBIDDEN, "names")


def tag_problem(value: str) -> str | None:
    """A tag: isGenericName, at most 32 characters, and the isTagsList characters; no commas (the list separator)."""
    if len(value) <= MAX_TAG and value and not value.isspace() and _TAG_CHARACTERS.search(value) is None:
        return None
    if "," in value:
        return "contains a comma, which separates tags in the store; give each tag as its own list item"
    return (
        _required(value)
        or _too_long(value, MAX_TAG)
        or _forbidden(value, TAG_FORBIDDEN, "tags")
    )


def clean_html_problem(value: str) -> str | None:
    """isCleanHtml: no scripts, event handlers, javascript: urls, iframes, forms, inputs, embeds or objects."""
    for pattern, what in _UNCLEAN_HTML:
        if pattern.search(value):
            return f"contains {what}, which the store refuses in descriptions"
    return None


def short_description_problem(value: str) -> str | None:
    """isCleanHtml, and at most 400 characters of text (tags not counted)."""
    unclean = clean_html_problem(value)
    if unclean:
        return unclean
    text = _TAG.sub("", value)
    if len(text) > MAX_SHORT_DESCRIPTION:
        return f"has {len(text)} characters of text; the store accepts at most {MAX_SHORT_DESCRIPTION}"
    return None


def color_problem(value: str) -> str | None:
    """A colour value's code: `#` and six hex digits."""
    if _HEX_COLOR.fullmatch(value):
        return None
    return f"{value!r} is not a hex colour; write # and six hex digits, e.g. \"#0000FF\""


def price_problem(value: Decimal) -> str | None:
    """isPrice: not negative, at most 10 integer digits, and (our stricter cap) at most 6 decimals."""
    return _decimal_problem(value, "a price")


def weight_problem(value: Decimal) -> str | None:
    """An unsigned decimal the store keeps with 6 decimals."""
    return _decimal_problem(value, "a weight")


def adjustment_problem(value: Decimal) -> str | None:
    """A matrix adjustment may be negative, but is otherwise bounded like a price (no context arithmetic)."""
    return _decimal_problem(value.copy_abs(), "an adjustment")


def _decimal_problem(value: Decimal, what: str) -> str | None:
    exponent = value.as_tuple().exponent  # an int when finite; at least -6: at most 6 decimals however read
    if isinstance(exponent, int) and exponent >= -MAX_DECIMALS and value >= 0 \
            and value.adjusted() < MAX_PRICE_INTEGER_DIGITS:
        return None  # plainly fine (nearly every amount): the checks below would each pass
    if not value.is_finite():
        return f"is not a finite number; {what} must be one"
    if value < 0:
        return f"is negative ({value}); {what} must be 0 or more"
    decimals = decimal_places(value)
    if decimals > MAX_DECIMALS:
        return f"has {decimals} decimals ({value}); the store keeps at most {MAX_DECIMALS}"
    if value.adjusted() >= MAX_PRICE_INTEGER_DIGITS:
        return f"is too large ({value}); the store accepts at most {MAX_PRICE_INTEGER_DIGITS} digits before the point"
    return None


_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/\s?#]+)\S*")


def url_problem(value: str, *, https_only: bool = False) -> str | None:
    """Image and other urls must be absolute http(s) urls (https only for webhook endpoints)."""
    schemes = ("https",) if https_only else ("http", "https")
    match = _URL.fullmatch(value)
    if match is None or match.group(1).lower() not in schemes:
        wanted = "an https:// url" if https_only else "an http:// or https:// url"
        return f"{value!r} is not {wanted}"
    return None


def link_rewrite(title: str) -> str:
    """The url slug the store derives from a title: lower-case, accents folded, separators made one `-`."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    kept = re.sub(r"[^a-z0-9\s-]", "", folded)
    return re.sub(r"[\s-]+", "-", kept).strip("-")


def decimal_places(value: Decimal) -> int:
    """Significant decimals ("24.990" -> 2), read from the digits: normalize() overflows on 1e999999999."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or value == 0:
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing_zeros))
