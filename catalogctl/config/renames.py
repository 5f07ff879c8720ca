"""The rules of `previous_skus` (a product renamed in place keeps its live id, url, variants, images).

A previous sku names one live product that the plan renames into this one. So it may not be a sku
the catalog uses now (product or variant: the store looks both up as one kind of reference), and it
may be listed once only, in one product: two products cannot both become the same live product.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from catalogctl.config.models import Product, origin_of
from catalogctl.config.problems import Problem, error
from catalogctl.config.source import Position

Located = tuple[str, Callable[[], Position | None]]
"""A sku and where it is written (asked only when it is reported)."""


def previous_sku_problems(products: Sequence[Product],
                          current: Callable[[Sequence[Product]], Iterable[Located]]) -> list[Problem]:
    """Every previous sku that is also a current sku, or listed more than once; `current` lists the
    catalog's skus (called only when some product has previous skus: it expands every matrix)."""
    listed = [(product, index, sku) for product in products for index, sku in enumerate(product.previous_skus)]
    if not listed:
        return []
    now: dict[str, Callable[[], Position | None]] = {}
    for sku, locate in current(products):
        now.setdefault(sku, locate)
    problems: list[Problem] = []
    first: dict[str, tuple[Product, Position | None]] = {}
    for product, index, sku in listed:
        where = _at(product, index)
        if not sku.strip():
            problems.append(error(where, "a previous sku is empty", "write the sku the live product has now"))
        elif sku in now:
            user = now[sku]()
            problems.append(error(
                where, f"previous sku {sku!r} is also a current sku{f' (at {user})' if user else ''}",
                "a previous sku names the live product to rename into this one, so the catalog cannot use it "
                "now; remove it from previous_skus, or give the other product or variant another sku"))
        elif sku in first:
            owner, earlier = first[sku]
            whose = "this product" if owner is product else f"product {owner.sku!r}"
            problems.append(error(
                where, f"previous sku {sku!r} is listed more than once (first in {whose}"
                       f"{f' at {earlier}' if earlier else ''})",
                "one live product can be renamed into one product only: list each previous sku once"))
        else:
            first[sku] = (product, where)
    return problems


def _at(product: Product, index: int) -> Position | None:
    origin = origin_of(product)
    return origin.at(("previous_skus", index)) if origin is not None else None
