"""Live products whose skus clash across products: import writes one, reports the others.

The store lets two products use one sku (a product's or a variant's: the store looks both up as
one kind of reference); a catalog does not, so writing both would give a catalog that fails
validate. This happens after a rename made outside catalogctl (or before `previous_skus`): the
old product and its copy share every variant sku. The provider's read already keeps one product
per product sku (the one state knows, else the oldest active, else the newest inactive); the same
rule picks which of two products sharing any other sku is written. The other is left out of the
catalog (unmanaged: a plan leaves it alone) and named in the report with the sku it shares.
"""

from __future__ import annotations

from dataclasses import replace

from catalogctl.core import Facts, LiveState
from catalogctl.importer.report import Skipped
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource

__all__ = ["set_aside_clashes"]


def set_aside_clashes(live: LiveState, facts: Facts) -> tuple[LiveState, list[Skipped]]:
    """`live` without the products that share a sku with a preferred product, and those products."""
    skus: dict[Address, set[str]] = {}
    for address, resource in live.resources.items():
        owner = address.product
        if owner is None or address.kind not in (Kind.PRODUCT, Kind.VARIANT):
            continue
        sku = str(resource.attrs.get("sku") or "")
        if sku.strip():
            skus.setdefault(owner, set()).add(sku)
    products = [r for r in live.resources.values() if r.kind is Kind.PRODUCT and r.address in skus]
    taken: dict[str, Address] = {}
    dropped: dict[Address, Skipped] = {}
    for product in sorted(products, key=lambda r: _preference(r, facts)):
        shared = sorted(sku for sku in skus[product.address] if sku in taken)
        if shared:
            other = taken[shared[0]]
            dropped[product.address] = Skipped(product.live_id or "?", str(product.attrs.get("title", "")),
                                               sku=product.address.key, clash=f"sku {shared[0]!r} is also in {other}")
            continue
        for sku in skus[product.address]:
            taken.setdefault(sku, product.address)
    if not dropped:
        return live, []
    kept = {a: r for a, r in live.resources.items() if a.product not in dropped}
    return replace(live, resources=kept), list(dropped.values())


def _preference(product: Resource, facts: Facts) -> tuple[bool, bool, int]:
    """Lowest first, as the planner keeps one product per sku: known to state, else the oldest active,
    else the newest inactive."""
    live_id = int(product.live_id or 0) if str(product.live_id or "").isdigit() else 0
    active = product.attrs.get("active") is not False
    return (f"product:{product.live_id}" not in facts, not active, live_id if active else -live_id)
