"""The plan's view model regrouped for the HTML plan: one card per product that changes (its own
change, its images, its variants), and the other kinds' sections as they are."""

from __future__ import annotations

from dataclasses import dataclass

from catalogctl.model.address import Address, Kind
from catalogctl.plan.model import Change, ChangeAction
from catalogctl.render.view import PlanView, Row, Section, row_for

_DESTRUCTIVE = (ChangeAction.DELETE, ChangeAction.REPLACE)


@dataclass(frozen=True)
class Item:
    """A change and its formatted row (the same row the markdown prints)."""

    change: Change
    row: Row


@dataclass(frozen=True)
class ProductCard:
    sku: str
    address: str
    product: Item | None
    images: tuple[Item, ...]
    variants: tuple[Item, ...]

    @property
    def title(self) -> str | None:
        """The product's title when the plan carries it (a create, delete or title change)."""
        if self.product is None:
            return None
        change = self.product.change
        for side in (change.after, change.before):
            if side and isinstance(side.get("title"), str):
                return side["title"]
        return None

    @property
    def destructive(self) -> bool:
        items = ([self.product] if self.product else []) + list(self.images) + list(self.variants)
        return any(item.change.action in _DESTRUCTIVE for item in items)


@dataclass(frozen=True)
class PlanCards:
    view: PlanView
    products: tuple[ProductCard, ...]
    others: tuple[Section, ...]


def group_cards(view: PlanView) -> PlanCards:
    """Cards in the order products first appear in the plan; categories, groups, webhooks stay sections."""
    products: dict[str, dict[str, list[Item]]] = {}
    others: list[Section] = []
    for section in view.sections:
        if section.kind not in (Kind.PRODUCT, Kind.IMAGE, Kind.VARIANT):
            others.append(section)
            continue
        for change in section.changes:
            parent = Address.parse(change.address).product
            assert parent is not None
            slots = products.setdefault(parent.key, {"product": [], "images": [], "variants": []})
            slot = {Kind.PRODUCT: "product", Kind.IMAGE: "images", Kind.VARIANT: "variants"}[change.kind]
            slots[slot].append(Item(change, row_for(change)))
    cards = tuple(
        ProductCard(sku, str(Address.for_product(sku)), next(iter(slots["product"]), None),
                    tuple(sorted(slots["images"], key=_position)), tuple(slots["variants"]))
        for sku, slots in products.items())
    return PlanCards(view, cards, tuple(others))


def _position(item: Item) -> int:
    return int(Address.parse(item.change.address).key)
