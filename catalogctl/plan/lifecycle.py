"""The catalog's `lifecycle:` in the plan: ignored fields keep their live values (set on create,
never updated afterwards, counted in one note) and protected resources make the plan fail."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from catalogctl.errors import PlanError
from catalogctl.model.address import Address, Kind
from catalogctl.model.guards import Guards
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.classify import Item
from catalogctl.plan.diff import diff_attrs
from catalogctl.plan.model import ChangeAction

# ignore_changes names -> the attribute each kind holds it in
_ATTRIBUTE = {
    Kind.PRODUCT: {name: name for name in (
        "title", "description", "short_description", "vendor", "category", "price", "compare_at_price",
        "weight", "visibility", "active", "tags")},
    Kind.VARIANT: {"price": "price", "compare_at_price": "compare_at_price", "weight": "weight", "images": "image"},
    Kind.IMAGE: {"images": "src"},
}


@dataclass(frozen=True)
class Ignored:
    """The differences `ignore_changes` hid: (address, field name) pairs."""

    pairs: tuple[tuple[Address, str], ...] = ()

    def note(self) -> str | None:
        """One line for every format: how many differences were ignored, by field."""
        if not self.pairs:
            return None
        by_field = Counter(name for _, name in self.pairs)
        fields = ", ".join(f"{name} ({count})" for name, count in sorted(by_field.items()))
        products = len({address.product for address, _ in self.pairs})
        count = len(self.pairs)
        return (f"{count} difference{'s' if count != 1 else ''} ignored by ignore_changes on {products} "
                f"product{'s' if products != 1 else ''}: {fields} (set on create, never updated)")


def without_ignored(desired: ResourceMap, live: ResourceMap, guards: Guards) -> tuple[ResourceMap, Ignored]:
    """`desired` with every ignored field of a resource already in the store set to its live value."""
    if not guards.ignored and not guards.target_ignored:
        return desired, Ignored()
    out: ResourceMap = {}
    pairs: list[tuple[Address, str]] = []
    for address, want in desired.items():
        have = live.get(address)
        names = _ATTRIBUTE.get(address.kind, {})
        ignored = guards.ignored_fields(address.product) if address.product is not None and have is not None else ()
        attrs = {names[name]: name for name in ignored if name in names}
        if not attrs:
            out[address] = want
            continue
        assert have is not None
        kept = {attr: have.attrs[attr] for attr in attrs if have.attrs.get(attr) is not None}
        differs = diff_attrs({a: want.attrs[a] for a in kept if a in want.attrs}, have.attrs)
        pairs.extend((address, attrs[d.name]) for d in differs)
        out[address] = Resource(address, {**want.attrs, **kept}, want.live_id, want.extra) if kept else want
    return out, Ignored(tuple(pairs))


def check_protection(items: Iterable[Item], guards: Guards) -> None:
    """PlanError naming every protected resource the plan would deactivate, delete, replace or
    whose variants it would rebuild, with the file:line of its `protect: true`."""
    if not guards.protected:
        return
    found: dict[Address, list[str]] = {}
    for item in items:
        if item.live_id is not None:  # a duplicate of the sku, not the managed product
            continue
        owner = item.address.product or item.address
        if owner not in guards.protected:
            continue
        what = _harm(item)
        if what is not None and what not in found.setdefault(owner, []):
            found[owner].append(what)
    if not found:
        return
    lines = [f"{address} is protected (lifecycle.protect at {guards.protected[address]}): this plan would "
             f"{' and '.join(harms)}" for address, harms in sorted(found.items(), key=lambda pair: str(pair[0]))]
    raise PlanError("the plan would harm protected resources:\n  " + "\n  ".join(lines),
                    hint="--force does not lift a protection: change the catalog so that the plan keeps the "
                         "resource, or remove `protect: true` there first if this is really wanted.")


def _harm(item: Item) -> str | None:
    change, kind = item.change, item.address.kind
    match change.action:
        case ChangeAction.DELETE if kind is Kind.PRODUCT:
            return "deactivate it"
        case ChangeAction.DELETE if kind is Kind.WEBHOOK:
            return "delete it"
        case ChangeAction.DELETE if kind is Kind.VARIANT:
            return "rebuild its variants (variant ids change)"
        case ChangeAction.REPLACE if not change.blocked:
            return "replace it (new id and URL)"
        case ChangeAction.UPDATE | ChangeAction.REPLACE | ChangeAction.UNSUPPORTED if kind is Kind.PRODUCT:
            return _product_update_harm(change.before or {}, change.after or {})
    return None


def _product_update_harm(before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    if after.get("active") is False and before.get("active") is not False:
        return "deactivate it"
    if "options" in after and before.get("options"):
        return "rebuild its variants (variant ids change)"
    return None
