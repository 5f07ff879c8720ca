"""Renames without recreation: a product whose `previous_skus` names the live product it was.

When the store has a product under one previous sku and none under the new one, that live product
(with its images and variants) is keyed under the new sku before anything is compared: the plan
then updates its sku in place (keeping its id, url, variants and images) and plans every other
difference against it, so one apply converges. Variant skus are plain attributes: no rename needed.

What the planner does not guess: when the new sku is also live, or several previous skus are, the
plan warns, naming the live products, and changes nothing for that product (or the old ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from catalogctl.core import Capabilities, LiveState
from catalogctl.model.address import Address, Kind
from catalogctl.model.guards import Guards
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.classify import Item
from catalogctl.plan.diff import address_text
from catalogctl.plan.model import Change, ChangeAction

__all__ = ["Renames", "find_renames"]


@dataclass(frozen=True)
class Renames:
    """The live state with renamed products under their new sku, and what the plan must say."""

    live: LiveState
    renamed: Mapping[Address, str] = field(default_factory=dict)  # new product address -> its live (old) sku
    held: frozenset[Address] = frozenset()  # products nothing is planned for: new and previous addresses
    warnings: tuple[str, ...] = ()

    def items(self, items: Iterable[Item]) -> list[Item]:
        """`items` without the held products' changes, each renamed product's change marked as a rename
        (one is added when the sku is its only difference)."""
        held = self.held
        out = [item for item in items if item.address.product not in held] if held else list(items)
        if not self.renamed:
            return out
        own = {item.address for item in out if item.address in self.renamed and item.live_id is None}
        marked: list[Item] = []
        for item in out:  # one pass: a plan may rename thousands of products
            product = item.address.product
            if product in self.renamed and product not in own:
                own.add(product)  # the sku is its only difference: its change goes before its children's
                marked.append(Item(product, _rename_only(product, self.renamed[product])))
            renamed = item.address in self.renamed and item.live_id is None
            marked.append(_marked(item, self.renamed[item.address]) if renamed else item)
        missing = sorted((a for a in self.renamed if a not in own), key=address_text)  # no item of its own at all
        return marked + [Item(a, _rename_only(a, self.renamed[a])) for a in missing]


def find_renames(desired: ResourceMap, live: LiveState, guards: Guards, capabilities: Capabilities) -> Renames:
    """Match each product's previous skus against the live store (see the module docstring)."""
    if not guards.previous:
        return Renames(live)
    resources = live.resources
    product_caps = capabilities.get(Kind.PRODUCT)
    can_rename = product_caps is not None and "sku" in product_caps.in_place
    moved: dict[Address, Address] = {}  # live (old) product address -> new
    held: set[Address] = set()
    warnings: list[str] = []
    for address, previous in sorted(guards.previous.items(), key=lambda pair: address_text(pair[0])):
        if address not in desired:
            continue
        found = [Address.for_product(sku) for sku in previous if Address.for_product(sku) in resources]
        if not found:
            continue
        where = guards.locate(address, "previous_skus") or "the catalog"
        if address in resources:
            warnings.append(_both_live(address, found, resources, where))
        elif len(found) > 1:
            warnings.append(_several_live(address, found, resources, where))
        elif not can_rename:
            warnings.append(f"{address}: the store cannot change a product's sku, so {_named(found[0], resources)} "
                            "cannot be renamed; nothing is planned for this product")
        else:
            moved[found[0]] = address
            warnings.extend(_left_behind(address, found[0], live, where))
            continue
        held.update([address, *found])
    if not moved:
        return Renames(live, held=frozenset(held), warnings=tuple(warnings))
    rekeyed: ResourceMap = {}
    for key, resource in resources.items():
        product = key.product
        if product is not None and product in moved:
            resource = _moved(resource, moved[product])
        rekeyed[resource.address] = resource
    renamed = {new: old.key for old, new in moved.items()}
    return Renames(replace(live, resources=rekeyed), renamed, frozenset(held), tuple(warnings))


def _moved(resource: Resource, product: Address) -> Resource:
    """The same live resource (id, attributes: the product keeps its live sku) under the new product."""
    address = resource.address
    new = product if address.kind is Kind.PRODUCT else Address(address.kind, address.key, product)
    return Resource(new, resource.attrs, live_id=resource.live_id, extra=resource.extra)


def _rename_only(address: Address, old: str) -> Change:
    return Change(address=address_text(address), kind=Kind.PRODUCT, action=ChangeAction.UPDATE,
                  before={"sku": old}, after={"sku": address.key}, renamed_from=old)


def _marked(item: Item, old: str) -> Item:
    change = item.change
    before: dict[str, Any] = {"sku": old, **(change.before or {})}
    after: dict[str, Any] = {"sku": item.address.key, **(change.after or {})}
    update = {"before": before, "after": after, "renamed_from": old}
    return Item(item.address, change.model_copy(update=update), item.live_id, item.warning)


def _named(address: Address, resources: ResourceMap) -> str:
    resource = resources[address]
    return f"{address} (live id {resource.live_id}, {resource.attrs.get('title', '')!r})"


def _both_live(address: Address, found: list[Address], resources: ResourceMap, where: str) -> str:
    olds = " and ".join(_named(a, resources) for a in found)
    return (f"{address}: both {_named(address, resources)} and its previous sku {olds} are in the store; "
            f"nothing is planned for this product or its previous sku. To keep managing live id "
            f"{resources[address].live_id}, remove {', '.join(repr(a.key) for a in found)} from previous_skus "
            f"(at {where}); the other product is then unmanaged and left alone")


def _left_behind(address: Address, old: Address, live: LiveState, where: str) -> list[str]:
    """Other live products with the old sku (duplicates) keep it: say so before the next plan finds both."""
    others = [r for r in live.shadowed if r.address == old]
    if not others:
        return []
    ids = ", ".join(str(r.live_id) for r in others)
    return [f"{address}: renamed from live id {live.resources[old].live_id}, but a duplicate with sku {old.key!r} "
            f"(live id {ids}) keeps that sku: once this is applied, the next plan finds both skus live and changes "
            f"nothing for this product; then remove {old.key!r} from previous_skus (at {where})"]


def _several_live(address: Address, found: list[Address], resources: ResourceMap, where: str) -> str:
    olds = " and ".join(_named(a, resources) for a in found)
    return (f"{address}: several of its previous skus are in the store: {olds}; catalogctl does not guess which "
            f"one to rename, so nothing is planned for this product. Keep in previous_skus (at {where}) only the "
            "sku of the product to rename")
