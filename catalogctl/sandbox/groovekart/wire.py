"""How the store spells values on the wire: numbers, dates, slugs and CDN image urls."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

import msgspec

from catalogctl.config import store_rules

SIX = Decimal("0.000001")
TWO = Decimal("0.01")

# Fixed fake hosts: answers do not depend on the port the sandbox happens to listen on.
STORE_URL = "http://sandbox.groovekart.test"
ADMIN_URL = "https://sandbox.groovekart.test/administration/v2/index.php/product/form"
CDN_URL = "https://cdn.groovekart.test/sandbox"


def six(value: Decimal) -> str:
    """decimal(20,6) as MySQL prints it: "24.990000"."""
    return _six(value, value.is_signed())


@lru_cache(maxsize=4096)  # a create_product prices 10 variants with the same few values (issue 13)
def _six(value: Decimal, signed: bool) -> str:
    """six(); `signed` in the key because -0 equals 0 (and hashes as it) but reads "-0.000000". Equal
    Decimals quantize to the same text otherwise: the result depends on the value, not its spelling."""
    return str(value.quantize(SIX, rounding=ROUND_HALF_UP))


@lru_cache(maxsize=4096)  # list answers repeat the same few prices thousands of times
def two(stored: str) -> str:
    """A stored six-decimal string as the two-decimal price the doc shows for compare prices ("29.99")."""
    return str(Decimal(stored).quantize(TWO, rounding=ROUND_HALF_UP))


def now_text() -> str:
    """A MySQL DATETIME in UTC: "2022-05-15 07:19:52" (made once per second: issue 13)."""
    global _now
    second = int(time.time())  # datetime.now() reads the same clock; its text drops the fraction
    known = _now  # one read: another thread may replace it meanwhile
    if known[0] != second:
        known = _now = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%d %H:%M:%S"))
    return known[1]


_now: tuple[int, str] = (-1, "")


def now_version() -> int:
    """The `?v=` cache buster of an image url (unix seconds)."""
    return int(time.time())


def slug(title: str) -> str:
    """PrestaShop's link_rewrite of a title (the rule lives in store_rules, shared with the planner)."""
    return store_rules.link_rewrite(title)


def _image_folder(image_id: int) -> str:
    return "/".join(str(image_id))


def image_url(image_id: int, version: int) -> str:
    """The cart thumbnail url: img/p/1/1/1/1/1/8/111118-cart_default.webp?v=1652616880."""
    return f"{CDN_URL}/img/p/{_image_folder(image_id)}/{image_id}-cart_default.webp?v={version}"


def variant_image_url(image_id: int) -> str:
    """The variant image url, as the doc shows it: img/p/1/1/1/1/1/5/111115.jpg."""
    return f"{CDN_URL}/img/p/{_image_folder(image_id)}/{image_id}.jpg"


def product_url(product_id: int, category_slug: str, link_rewrite: str) -> str:
    return f"{STORE_URL}/{category_slug}/{product_id}-{link_rewrite}"


def admin_product_url(product_id: int) -> str:
    return f"{ADMIN_URL}/{product_id}"


def php_json(payload: Any) -> bytes:
    """Encode like PHP's json_encode: ASCII only and escaped slashes ("https:\\/\\/cdn...")."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), default=_default)
    return text.encode("ascii").replace(b"/", b"\\/")


_ENCODER = msgspec.json.Encoder(decimal_format="string")  # a Decimal as str(value), as _default spells it


def php_json_plain(payload: Any) -> bytes:
    """php_json's bytes, encoded by msgspec (~6x faster: a 500-variant list page 2 -> 0.4 ms of CPU) for a
    payload of str, int, bool, None, Decimal, lists and str-keyed dicts. The caller keeps floats and
    bytes out (msgspec spells 1e16, NaN and bytes otherwise; the store holds neither). Any answer
    with a non-ASCII byte or DEL, which json escapes and msgspec does not, is encoded by php_json."""
    try:
        data = _ENCODER.encode(payload)
    except (TypeError, ValueError, OverflowError):  # a type msgspec does not take (php_json raises too)
        return php_json(payload)
    if not data.isascii() or b"\x7f" in data:
        return php_json(payload)
    return data.replace(b"/", b"\\/")


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
