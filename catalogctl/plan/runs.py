"""Grouping values by a key that mostly repeats in runs (a product's items, a parent's children)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)


def grouped_in_runs(pairs: Iterable[tuple[K | None, Any]]) -> tuple[dict[K, list[Any]], list[Any]]:
    """Values by their key in first-seen order, and those without a key. A key's values mostly follow
    each other: its list is looked up once per run of them (an Address's hash is a Python call, and a
    10,000-product plan groups 120,000 resources and items so)."""
    grouped: dict[K, list[Any]] = {}
    keyless: list[Any] = []
    last: K | None = None
    run: list[Any] = []
    for key, value in pairs:
        if key is None:
            keyless.append(value)
            continue
        if key is not last:
            found = grouped.get(key)
            run = grouped[key] = [] if found is None else found
            last = key
        run.append(value)
    return grouped, keyless
