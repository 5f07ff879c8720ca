"""What the store cannot return, read as "unknown", before anything is compared.

A fresh clone has no state, so the live read cannot say a product's option order (the store
lists variant rows in group-id order) or the source url behind an image (the store returns a
CDN thumbnail). Unknown never counts as a difference (DESIGN.md "State"), so here:

- a product whose option order is unknown (`extra["options_unordered"]`) and whose options are
  the catalog's, in any order, takes the catalog's order; its variants are keyed in that order;
- a variant's image whose source url is unknown is unknown too, taken as what the catalog asks:
  which picture a slot holds cannot be told (the catalog may have reordered or replaced its images,
  and those changes are not planned either), so re-pointing a variant by slot could show the wrong
  picture; it is counted as not compared instead;
- each write-only attribute that stays unknown is counted, for one line in the plan.

State only adds knowledge: a remembered order or source url is compared as it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from catalogctl.core import Capabilities, LiveState
from catalogctl.model.address import Address, Kind, variant_key
from catalogctl.model.attributes import IMAGE_ID, OPTIONS_UNORDERED
from catalogctl.model.resource import Resource, ResourceMap

__all__ = ["IMAGE_ID", "OPTIONS_UNORDERED", "Aligned", "align", "not_compared_note"]


@dataclass(frozen=True)
class Aligned:
    """The live state keyed like the catalog, and what could not be compared (kind, attribute) -> count."""

    live: LiveState
    not_compared: Mapping[tuple[Kind, str], int] = field(default_factory=dict)


def align(desired: ResourceMap, live: LiveState, capabilities: Capabilities) -> Aligned:
    """Resolve what the store cannot return against the catalog; count what stays unknown."""
    resources = dict(live.resources)
    orders = _assumed_orders(desired, resources)
    unknown_src = _images_without_source(resources)
    pointing = 0
    if orders or unknown_src:
        resources, pointing = _rekeyed(desired, resources, orders, unknown_src)
    counts = _not_compared(desired, resources, capabilities)
    if pointing:
        counts[(Kind.VARIANT, "image")] = pointing
    if orders:
        counts[(Kind.PRODUCT, "option order")] = len(orders)
    return Aligned(replace(live, resources=resources), dict(counts))


def _assumed_orders(desired: ResourceMap, live: ResourceMap) -> dict[Address, tuple[str, ...]]:
    """Products whose live option order is unknown and whose option set is the catalog's:
    the catalog's order (only where it matters: two options or more)."""
    found: dict[Address, tuple[str, ...]] = {}
    for address, have in live.items():
        if address.kind is not Kind.PRODUCT or not have.extra.get(OPTIONS_UNORDERED):
            continue
        want = desired.get(address)
        if want is None:
            continue
        wanted, read = tuple(want.attrs.get("options", ())), tuple(have.attrs.get("options", ()))
        if len(wanted) > 1 and sorted(wanted) == sorted(read):
            found[address] = wanted
    return found


def _images_without_source(live: ResourceMap) -> dict[tuple[Address, str], int]:
    """(product, live image id) -> position, for live images whose source url state does not know."""
    return {(address.parent, r.live_id): int(r.attrs.get("position", address.key))
            for address, r in live.items()
            if address.kind is Kind.IMAGE and address.parent is not None and r.live_id and r.attrs.get("src") is None}


def _rekeyed(desired: ResourceMap, live: ResourceMap, orders: dict[Address, tuple[str, ...]],
             unknown_src: dict[tuple[Address, str], int]) -> tuple[ResourceMap, int]:
    """The live resources in the catalog's option order, with unknown image pointers taken as asked;
    and how many variants point at an image whose source is unknown."""
    result: ResourceMap = {}
    pointing, rekeyed = 0, False
    replaced: dict[Address, Resource] = {}
    in_order: dict[tuple[Any, tuple[str, ...]], Any] = {}  # (values, order) -> values in that order
    for address, resource in live.items():
        if address.kind is Kind.PRODUCT and address in orders:
            replaced[address] = _with(resource, address, options=orders[address])
        elif address.kind is Kind.VARIANT and address.parent is not None:
            points = (address.parent, str(resource.extra.get(IMAGE_ID))) in unknown_src
            pointing += points
            new = _variant(desired, resource, orders.get(address.parent), points, in_order)
            if new is not resource:
                replaced[address] = new
                rekeyed = rekeyed or new.address is not address
    if not rekeyed:  # every resource keeps its key (and its place): replace the changed values only
        live.update(replaced)
        return live, pointing
    for address, resource in live.items():
        resource = replaced.get(address, resource)
        result[resource.address] = resource
    return result, pointing


def _variant(desired: ResourceMap, resource: Resource, order: tuple[str, ...] | None, points_unknown: bool,
             in_order: dict[tuple[Any, tuple[str, ...]], Any]) -> Resource:
    product = resource.address.parent
    assert product is not None
    changes: dict[str, Any] = {}
    if order is not None:
        read = resource.plain["values"]
        values = in_order.get((read, order))
        if values is None:
            rank = {group: n for n, group in enumerate(order)}
            values = tuple(sorted(read, key=lambda pair: rank.get(pair[0], len(rank))))
            in_order[(read, order)] = values
        if values != read:
            changes["values"] = values
    address = Address(Kind.VARIANT, variant_key(changes["values"]), product) if "values" in changes else (
        resource.address)
    if points_unknown:
        want = desired.get(address)
        if want is not None and want.plain.get("image") != resource.plain.get("image"):
            changes["image"] = want.plain.get("image")  # unknown: never a difference, never a re-point
    if not changes:
        return resource
    return _with(resource, address, **changes)


def _with(resource: Resource, address: Address, **attrs: Any) -> Resource:
    return Resource(address, {**resource.attrs, **attrs}, live_id=resource.live_id, extra=resource.extra)


def _not_compared(desired: ResourceMap, live: ResourceMap, capabilities: Capabilities) -> Counter[tuple[Kind, str]]:
    """Write-only attributes the catalog sets whose live value is unknown (None)."""
    counts: Counter[tuple[Kind, str]] = Counter()
    write_only = {kind: tuple(caps.write_only) for kind, caps in capabilities.items() if caps.write_only}
    for address, want in desired.items():
        names = write_only.get(address.kind)
        if not names:
            continue
        have = live.get(address)
        if have is None:
            continue
        for name in names:
            if have.plain.get(name) is None and want.plain.get(name) not in (None, ""):
                counts[(address.kind, name)] += 1
    return counts


_LABELS = {"src": "source url", "short_description": "short description", "weight_unit": "weight unit",
           "image": "image"}


def not_compared_note(counts: Mapping[tuple[Kind, str], int]) -> str | None:
    """One line for the plan: which write-only attributes could not be compared, and how many."""
    parts = [f"{_LABELS.get(name, name)} of {n} {_noun(kind, n)}"
             for (kind, name), n in sorted(counts.items(), key=lambda item: (item[0][0].value, item[0][1])) if n]
    if not parts:
        return None
    return ("not compared, as the store does not return them and this target's state does not remember them: "
            + ", ".join(parts) + ". A change to only these is not planned.")


def _noun(kind: Kind, count: int) -> str:
    word = kind.value.replace("_", " ")
    return word if count == 1 else f"{word}s"
