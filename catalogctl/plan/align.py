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
    orders, reordered, unknown_src = _unknowns(desired, resources)
    pointing = 0
    if orders or unknown_src:
        resources, pointing = _rekeyed(desired, resources, orders, reordered, unknown_src)
    counts = _not_compared(desired, resources, capabilities)
    if pointing:
        counts[(Kind.VARIANT, "image")] = pointing
    if orders:
        counts[(Kind.PRODUCT, "option order")] = len(orders)
    return Aligned(replace(live, resources=resources), dict(counts))


def _unknowns(desired: ResourceMap, live: ResourceMap) -> tuple[dict[Address, tuple[str, ...]],
                                                                 dict[Address, tuple[str, ...]],
                                                                 dict[tuple[Address | None, str | None], int]]:
    """In one pass over the live resources (a large store has 120,000):

    - products whose live option order is unknown and whose option set is the catalog's: the catalog's
      order (only where it matters: two options or more); and those of them not read in that order already;
    - (product, live image id) -> position, for live images whose source url state does not know.
    """
    orders: dict[Address, tuple[str, ...]] = {}
    reordered: dict[Address, tuple[str, ...]] = {}
    unknown_src: dict[tuple[Address | None, str | None], int] = {}
    product_kind, image_kind = Kind.PRODUCT, Kind.IMAGE
    for address, have in live.items():
        kind = address.kind
        if kind is product_kind:
            if not have.extra or not have.extra.get(OPTIONS_UNORDERED):
                continue
            want = desired.get(address)
            if want is None:
                continue
            wanted, read = tuple(want.plain.get("options", ())), tuple(have.plain.get("options", ()))
            if len(wanted) > 1 and sorted(wanted) == sorted(read):
                orders[address] = wanted
                if not _read_as(have, address, wanted):
                    reordered[address] = wanted
        elif kind is image_kind and address.parent is not None and have.live_id and have.plain.get("src") is None:
            unknown_src[(address.parent, have.live_id)] = int(have.plain.get("position", address.key))
    return orders, reordered, unknown_src


def _read_as(have: Resource, address: Address, wanted: tuple[str, ...]) -> bool:
    """The product as read is what `_with(have, address, options=wanted)` would make: its options are that
    tuple already, of the same values of the same types (a fresh clone's products mostly: 10,000 at 10,000
    products, no longer made again)."""
    options = have.plain.get("options")
    if type(have) is not Resource or have.address is not address or type(options) is not tuple or options != wanted:
        return False
    for mine, theirs in zip(options, wanted, strict=True):  # a loop: map(type, ...) costs objects and calls
        if type(mine) is not type(theirs):
            break
    else:
        return True
    return False


def _rekeyed(desired: ResourceMap, live: ResourceMap, orders: dict[Address, tuple[str, ...]],
             reordered: dict[Address, tuple[str, ...]],
             unknown_src: dict[tuple[Address | None, str | None], int]) -> tuple[ResourceMap, int]:
    """The live resources in the catalog's option order, with unknown image pointers taken as asked;
    and how many variants point at an image whose source is unknown."""
    result: ResourceMap = {}
    pointing, rekeyed = 0, False
    replaced: dict[Address, Resource] = {}
    in_order: dict[tuple[Any, tuple[str, ...]], Any] = {}  # (values, order) -> values in that order
    # order -> id(values as read) -> (those values, in that order): a variant's values tuple is shared by every
    # product with that combination, so mostly found by identity, without hashing the pairs (100,000 variants)
    by_order: dict[tuple[str, ...], dict[int, tuple[Any, Any]]] = {}
    # A variant without an image id is looked up as the id "None" (str(None)), which no image has but
    # in the strangest store: asked only then.
    none_id = any(live_id == "None" for _, live_id in unknown_src)
    product_kind, variant_kind = Kind.PRODUCT, Kind.VARIANT
    last: Address | None = None
    order: tuple[str, ...] | None = None
    known: dict[int, tuple[Any, Any]] = {}
    for address, resource in live.items():
        kind = address.kind
        if kind is variant_kind:
            parent = address.parent
            if parent is None:
                continue
            if parent is not last:  # a product's variants follow each other, mostly: its order looked up per run
                last, order = parent, orders.get(parent) if orders else None
                if order is not None:
                    known = by_order.setdefault(order, {})
            image_id = resource.extra.get(IMAGE_ID) if resource.extra else None
            points = ((image_id is not None or none_id) and bool(unknown_src)
                      and (parent, str(image_id)) in unknown_src)
            if not points:
                if order is None:
                    continue  # nothing to resolve: the resource as read
                read = resource.plain["values"]
                seen = known.get(id(read))
                if seen is None or seen[0] is not read:
                    seen = known[id(read)] = (read, _in_order(read, order, in_order))
                values = seen[1]
                if values is read or values == read:
                    continue  # keyed in the catalog's order already
            pointing += points
            new = _variant(desired, resource, order, points, in_order)
            if new is not resource:
                replaced[address] = new
                rekeyed = rekeyed or new.address is not address
        elif kind is product_kind and reordered and address in reordered:
            replaced[address] = _with(resource, address, options=reordered[address])
    if not rekeyed:  # every resource keeps its key (and its place): replace the changed values only
        live.update(replaced)
        return live, pointing
    for address, resource in live.items():
        resource = replaced.get(address, resource)
        result[resource.address] = resource
    return result, pointing


def _in_order(read: Any, order: tuple[str, ...], in_order: dict[tuple[Any, tuple[str, ...]], Any]) -> Any:
    """A variant's values (group, value) in `order` (groups it does not name last), remembered per (values,
    order); the values as read when already so (the next variant with these values is told by identity)."""
    values = in_order.get((read, order))
    if values is None:
        rank = {group: n for n, group in enumerate(order)}
        values = tuple(sorted(read, key=lambda pair: rank.get(pair[0], len(rank))))
        if values == read:
            values = read
        in_order[(read, order)] = values
    return values


def _variant(desired: ResourceMap, resource: Resource, order: tuple[str, ...] | None, points_unknown: bool,
             in_order: dict[tuple[Any, tuple[str, ...]], Any]) -> Resource:
    product = resource.address.parent
    assert product is not None
    changes: dict[str, Any] = {}
    if order is not None:
        read = resource.plain["values"]
        values = _in_order(read, order, in_order)
        if values is not read and values != read:
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
    if not live:   # nothing to compare with (a first apply): no resource is looked at
        return counts
    write_only = {kind: tuple(caps.write_only) for kind, caps in capabilities.items() if caps.write_only}
    last_kind, names, only = None, None, None
    for address, want in desired.items():
        kind = address.kind
        if kind is not last_kind:   # a catalog's resources come kind by kind, mostly
            last_kind, names = kind, write_only.get(kind)
            only = names[0] if names and len(names) == 1 else None
        if only is not None:  # the kind's one write-only attribute (each kind's, here): no loop over names
            if want.plain.get(only) in (None, ""):
                continue
            have = live.get(address)
            if have is not None and have.plain.get(only) is None:
                counts[(kind, only)] += 1
            continue
        if not names:
            continue
        plain, have = want.plain, None
        for name in names:
            if plain.get(name) in (None, ""):
                continue  # the catalog does not set it: nothing to compare, and no live resource to look up
            if have is None:
                have = live.get(address)
                if have is None:
                    break
            if have.plain.get(name) is None:
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
