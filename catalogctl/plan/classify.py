"""Capabilities turn every difference into one Change: create, update, replace, delete or unsupported.

Rules (DESIGN.md "Capabilities drive the plan"):
- an attribute in `in_place` is an update; in `replace` a replacement (blocked without
  --allow-replace: shown with a per-field reason, never executed); anything else unsupported;
- fields of a blocked or unsupported change that *can* change in place are still carried out;
- live top-level objects the catalog does not name are unmanaged unless the policy prunes;
  children (variants, images) of a managed product are always in scope;
- a removed variant or new product options recreate the product's whole variant set; a variant's
  color cannot change (the store keeps the color a value was first created with), so it never
  triggers a recreation that could not converge: it is unsupported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalogctl.core import Capabilities, DeleteMode, KindCapabilities, LiveState
from catalogctl.core.kinds import TOP_LEVEL_ORDER, info
from catalogctl.model.address import Address, Kind, text_under
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.child_order import child_order, in_child_order
from catalogctl.plan.diff import FieldDiff, JsonForms, address_text, diff_attrs, jsonable, jsonable_attrs
from catalogctl.plan.model import Change, ChangeAction, Precondition, created
from catalogctl.plan.policy import PlanPolicy
from catalogctl.plan.product_index import ProductIndex
from catalogctl.plan.safety import rebuild_note


@dataclass(frozen=True, slots=True)
class Item:
    """A Change with what the step builder needs beside it."""

    address: Address
    change: Change
    live_id: str | None = None     # set for a shadowed duplicate: the step must name it by id
    warning: str | None = None


@dataclass
class Classification:
    items: list[Item] = field(default_factory=list)
    unmanaged: list[Address] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # not tied to an address (unkeyed products)
    preconditions: list[Precondition] = field(default_factory=list)  # facts of check-only kinds
    # the catalog's children by product when the index grouped them by key (product_index.catalog_children)
    children: dict[Address, list[Resource]] | None = None


_MISSING = object()
# Kind.PRODUCT is a Python-level EnumType.__getattr__ call in 3.11: read once here, not per product
_PRODUCT, _VARIANT = Kind.PRODUCT, Kind.VARIANT


def replace_reason(name: str, allowed: bool) -> str:
    if allowed:
        return f"update_product cannot change {name}; the product is recreated (new id and URL)"
    return (f"update_product cannot change {name}; the product would be recreated (new id and URL)"
            " — rerun with --allow-replace")


def unsupported_change_reason(kind: Kind, name: str, caps: KindCapabilities | None = None) -> str:
    if caps is not None and caps.unsupported_reason:
        return caps.unsupported_reason
    if kind is Kind.VARIANT and name == "color":
        return ("the store keeps the color a value was first created with (one value serves every product);"
                " give the value a new name to use a new color")
    return f"the store cannot change the {name} of an existing {info(kind).singular}"


def unsupported_delete_reason(address: Address) -> str:
    if address.kind is Kind.IMAGE:
        return f"the store cannot delete images: image {address.key} stays on the product"
    return f"the store cannot delete {info(address.kind).plural}: it stays in the store"


def classify(desired: ResourceMap, live: LiveState, caps: Capabilities, policy: PlanPolicy) -> Classification:
    """Every difference between desired and live, as Items in address order per kind."""
    return _Classifier(desired, live, caps, policy).run()


def _create(address: Address, want: Resource, forms: JsonForms) -> Item:
    return _item(address, created(address_text(address), address.kind, forms.attrs(want.plain)))


def _item(address: Address, change: Change) -> Item:
    """Item(address, change), made as model/address.py's `child` makes an Address: its slots filled by plain
    stores on a twin of the same layout, which then becomes an Item (a 10,000-product create plan makes
    120,000). The frozen dataclass's __init__ goes through object.__setattr__ by name, and a slot's
    descriptor __set__ is a method-wrapper call (~670 instructions apiece); a store to a plain slot is a
    specialized bytecode and the class assignment ~400 (callgrind)."""
    item = _new(_Unfrozen)
    item.address = address
    item.change = change
    item.live_id = None
    item.warning = None
    item.__class__ = Item  # type: ignore[assignment]
    return item  # type: ignore[return-value]


class _Unfrozen:
    """Item's slots, in its order, without its frozen __setattr__ (see _item)."""

    __slots__ = Item.__slots__

    address: Address
    change: Change
    live_id: str | None
    warning: str | None


_new = object.__new__


def _plain_delete(address: Address, have: Resource, note: str | None = None) -> Item:
    return Item(address, Change(address=address_text(address), kind=address.kind, action=ChangeAction.DELETE,
                                before=jsonable_attrs(have.attrs), note=note))


def _warn_rebuild(product: Address, pending: list[Item], count: int) -> list[Item]:
    """The rebuild's warning, carried by the first variant change (a destructive change: safety.py)."""
    first = next((n for n, i in enumerate(pending) if i.address.kind is Kind.VARIANT), None)
    if first is None:
        return pending
    what = f"all {count} variants are" if count != 1 else "its 1 variant is"
    warning = f"{product}: the variant set is rebuilt: {what} recreated and every variant id changes"
    item = pending[first]
    pending[first] = Item(item.address, item.change, item.live_id, item.warning or warning)
    return pending


def _with_note(item: Item, note: str) -> Item:
    merged = note if item.change.note is None else f"{item.change.note}; {note}"
    return Item(item.address, item.change.model_copy(update={"note": merged}), item.live_id, item.warning)


def _delete(address: Address, have: Resource, kind_caps: KindCapabilities) -> Item:
    match kind_caps.delete:
        case DeleteMode.NONE:
            reason = unsupported_delete_reason(address)
            change = Change(address=address_text(address), kind=address.kind, action=ChangeAction.UNSUPPORTED,
                            before=jsonable_attrs(have.attrs), reasons={"delete": reason})
            return Item(address, change, warning=f"{address}: {reason}")
        case DeleteMode.DEACTIVATE:
            item = _plain_delete(address, have, "deactivated: the store cannot delete products")
            return Item(address, item.change, warning=f"{address} will be deactivated")
        case DeleteMode.DELETE:
            return Item(address, _plain_delete(address, have).change, warning=f"{address} will be deleted")


def _compare(address: Address, want: Resource, have: Resource, kind_caps: KindCapabilities,
             policy: PlanPolicy, extra: tuple[FieldDiff, ...] = ()) -> Item | None:
    """Update / replace / unsupported for a resource on both sides (None: no difference).

    `extra` are differences handled outside capabilities (a product's options): shown, carried by
    recreating the variant set, never a reason.
    """
    key = info(address.kind).key
    skip = {key, *(d.name for d in extra)} if extra else (key,)
    diffs = diff_attrs(want.plain, have.plain, kind_caps.write_only, skip) + extra
    if not diffs:
        return None
    reasons: dict[str, str] = {}
    for d in diffs[: len(diffs) - len(extra)]:
        if d.name in kind_caps.in_place:
            continue
        reasons[d.name] = (replace_reason(d.name, policy.allow_replace) if d.name in kind_caps.replace
                           else unsupported_change_reason(address.kind, d.name, kind_caps))
    replace = [name for name in reasons if name in kind_caps.replace]
    action, blocked, warning = ChangeAction.UPDATE, False, None
    if replace:
        action, blocked = ChangeAction.REPLACE, not policy.allow_replace
        fields = ", ".join(replace)
        warning = (f"{address}: blocked replacement ({fields}); rerun with --allow-replace" if blocked
                   else f"{address} will be replaced ({fields}): new id and URL")
    elif reasons:
        action = ChangeAction.UNSUPPORTED
        warning = f"{address}: " + "; ".join(reasons.values())
    change = Change(address=address_text(address), kind=address.kind, action=action,
                    before={d.name: jsonable(d.old) for d in diffs}, after={d.name: jsonable(d.new) for d in diffs},
                    reasons=reasons, blocked=blocked)
    if blocked or action is ChangeAction.UNSUPPORTED:
        return _still_in_place(Item(address, change, warning=warning))
    return Item(address, change, warning=warning)


def _still_in_place(item: Item) -> Item:
    """A blocked replacement still carries out the fields that can change in place: say which."""
    fields = [name for name in item.change.after or {} if name not in item.change.reasons]
    if not fields:
        return item
    verb = "changes" if len(fields) == 1 else "change"
    return _with_note(item, f"{', '.join(fields)} still {verb} in place")


class _Classifier:
    def __init__(self, desired: ResourceMap, live: LiveState, caps: Capabilities, policy: PlanPolicy) -> None:
        self.desired, self.live, self.caps, self.policy = desired, live, caps, policy
        self.index = ProductIndex(desired, live.resources)
        self.out = Classification()
        self.forms = JsonForms()

    def run(self) -> Classification:
        for kind in TOP_LEVEL_ORDER:
            for address in sorted(self.index.top[kind], key=str):  # address_text, without its call a product
                want, have = self.desired.get(address), self.live.resources.get(address)
                if self.caps[kind].check_only:
                    self._check(address, want, have)
                else:
                    self._top_level(address, want, have)
        self._shadowed()
        self.out.children = self.index.catalog_children
        for resource in self.live.unkeyed:
            title = resource.attrs.get("title", "")
            self.out.warnings.append(
                f"live product id {resource.live_id} ({title!r}) has no sku: catalogctl cannot manage it")
        return self.out

    def _check(self, address: Address, want: Resource | None, have: Resource | None) -> None:
        """A check-only kind: each fact the catalog states is a precondition, never a change."""
        if want is None:
            return  # the catalog states nothing about it
        actual = dict(have.attrs) if have is not None else {}
        for name, expected in want.attrs.items():
            if name == info(address.kind).key and have is not None:
                continue
            found = actual.get(name)
            self.out.preconditions.append(Precondition(
                address=address_text(address), name=name, expected=jsonable(expected), actual=jsonable(found),
                ok=have is not None and found == expected))

    def _top_level(self, address: Address, want: Resource | None, have: Resource | None) -> None:
        kind_caps = self.caps[address.kind]
        if want is not None and have is None:
            forms, items = self.forms, self.out.items
            items.append(_create(address, want, forms))
            if address.kind is _PRODUCT:  # a new product's children are all new (_create inline)
                attrs, prefix = forms.attrs, f"{address}."
                items.extend([_item(child.address, created(text_under(child.address, prefix), child.address.kind,
                                                           attrs(child.plain)))
                              for child in in_child_order(self.index.children_of(address))])
        elif want is None and have is not None:
            if address.kind is _PRODUCT and have.attrs.get("active") is False:
                return  # already deactivated: removing it from the catalog asks for nothing more
            if self.policy.prune:
                self.out.items.append(_delete(address, have, kind_caps))
            else:
                self.out.unmanaged.append(address)
        elif want is not None and have is not None:
            if address.kind is _PRODUCT:
                self._product(address, want, have)
            elif (item := _compare(address, want, have, kind_caps, self.policy)) is not None:
                self.out.items.append(item)

    def _product(self, address: Address, want: Resource, have: Resource) -> None:
        """A product on both sides, then its images and variants (one variant set)."""
        options, read = want.plain.get("options", ()), have.plain.get("options", _MISSING)
        # diff_attrs' own first check on its one field, without building its mapping (10,000 products)
        same_options = type(read) is type(options) and read == options
        options_diff = () if same_options else diff_attrs({"options": options}, have.attrs)
        item = _compare(address, want, have, self.caps[_PRODUCT], self.policy, extra=options_diff)
        replaced = item is not None and item.change.action is ChangeAction.REPLACE and not item.change.blocked
        pending = [] if self._unchanged(address) else self._children(self.index.children_of(address), replaced)
        removed = False  # a variant only the store has
        for child in self.index.live_only.get(address, ()):
            removed = removed or child.kind is _VARIANT
            pending.extend(self._child(child, None, self.live.resources[child], replaced))
        pending.sort(key=lambda i: (i.address.kind.value, child_order(i.address)))  # images, then variants
        count = sum(child.address.kind is _VARIANT for child in self.index.children_of(address)) if (
            removed or options_diff) else 0
        recreate = removed or (bool(options_diff) and (count > 0 or removed))  # count: the catalog's variants
        if recreate and not replaced:
            note = rebuild_note(count)
            pending = [_with_note(i, note) if i.address.kind is _VARIANT else i for i in pending]
            pending = _warn_rebuild(address, pending, count)
            if item is not None and options_diff:
                item = _with_note(item, note)
        if item is not None:
            self.out.items.append(item)
        self.out.items.extend(pending)

    def _unchanged(self, product: Address) -> bool:
        """Every catalog child of the product is in the store without a difference (what _children would
        find: nothing), told from the pairs the index found; False sends the product the general way."""
        pairs = self.index.paired(product)
        if pairs is None:
            return False
        caps, policy = self.caps, self.policy
        for want, have in zip(*pairs, strict=True):
            mine, theirs = want.plain, have.plain
            if mine == theirs:  # same_attrs(mine, theirs), inline: two Python calls a pair fewer (110,000 pairs)
                for name, value in mine.items():
                    if type(theirs[name]) is not type(value):
                        break
                else:
                    continue
            kind = have.address.kind
            if _compare(have.address, want, have, caps[kind], policy) is not None:
                return False
        return True

    def _children(self, children: list[Resource], replaced: bool) -> list[Item]:
        """The items of a product's catalog children, in the catalog's order."""
        pending: list[Item] = []
        live = self.live.resources
        for child in children:
            pending.extend(self._child(child.address, child, live.get(child.address), replaced))
        return pending

    def _child(self, address: Address, want: Resource | None, have: Resource | None, replaced: bool) -> list[Item]:
        if want is not None and have is None:
            return [_create(address, want, self.forms)]
        if want is None and have is not None:
            if replaced:
                return [_plain_delete(address, have, "not carried over to the replacement product")]
            if address.kind is _VARIANT:  # removed by recreating the product's variant set
                return [_plain_delete(address, have)]
            return [_delete(address, have, self.caps[address.kind])]
        assert want is not None and have is not None
        item = _compare(address, want, have, self.caps[address.kind], self.policy)
        return [] if item is None else [item]

    def _shadowed(self) -> None:
        """Another active product with a managed sku: the managed one stays managed; the other is a
        duplicate, listed with a warning and left alone, unless the target prunes (then deactivated)."""
        for resource in self.live.shadowed:
            if resource.address not in self.desired or resource.attrs.get("active") is False:
                continue
            managed = self.live.resources.get(resource.address)
            held = f" (catalogctl manages live product {managed.live_id})" if managed is not None else ""
            title = resource.attrs.get("title", "")
            if not self.policy.prune:
                self.out.warnings.append(
                    f"{resource.address}: duplicate: live product {resource.live_id} ({title!r}) has the same sku"
                    f"{held}; left alone (a target with prune: true deactivates it)")
                continue
            note = (f"duplicate of sku {resource.address.key} (live id {resource.live_id}): deactivated so that"
                    " one product holds the sku")
            item = _plain_delete(resource.address, resource, note)
            warning = (f"{resource.address}: duplicate: live product {resource.live_id} ({title!r}) has the same sku"
                       f"{held}; it will be deactivated (prune)")
            self.out.items.append(Item(resource.address, item.change, live_id=resource.live_id, warning=warning))
