"""Urls a store returns, made stable: what the store varies between two reads is not data."""

from __future__ import annotations

import re

# A CDN cache-buster (`?v=1652616880`): it changes when the store feels like it, not when the image does.
_CACHE_BUSTER = re.compile(r"([?&])v=\d+(&|$)")


def without_cache_buster(url: str) -> str:
    """`.../111118-cart_default.webp?v=1652616880` -> `.../111118-cart_default.webp` (other parameters kept)."""
    stripped = _CACHE_BUSTER.sub(lambda m: m.group(1) if m.group(2) else "", url)
    return stripped[:-1] if stripped.endswith(("?", "&")) else stripped
