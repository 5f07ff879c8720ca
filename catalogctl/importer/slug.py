"""File names for products: `products/<slug-of-sku>.yaml`, collisions resolved deterministically."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from catalogctl.model.slug import slugify

__all__ = ["file_stems", "slugify"]


def _short_hash(sku: str) -> str:
    return hashlib.sha1(sku.encode("utf-8")).hexdigest()[:8]


def file_stems(skus: Iterable[str]) -> dict[str, str]:
    """sku -> file stem, unique case-insensitively (file systems that fold case stay safe).

    A sku whose slug is taken by another (or empty) gets its slug plus a short hash of the sku,
    which depends only on the sku itself: re-importing never renames an existing file.
    """
    by_slug: dict[str, list[str]] = {}
    for sku in sorted(set(skus)):
        by_slug.setdefault(slugify(sku), []).append(sku)
    stems: dict[str, str] = {}
    for slug, group in by_slug.items():
        for sku in group:
            plain = slug and len(group) == 1
            stems[sku] = slug if plain else f"{slug or 'product'}-{_short_hash(sku)}"
    return stems
