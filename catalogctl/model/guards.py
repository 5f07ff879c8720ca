"""What the catalog says about how a plan may treat each resource, beside its attributes: the
protection and ignored fields of `lifecycle:`, the `cost` policies compare prices with, the skus a
product had before (`previous_skus`), and where each value was written (file:line:column, for messages).

These are never attributes (never compared, never sent to the store): the planner reads them from
`Guards`, built once per plan from the validated catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from catalogctl.config.expand import amount, expand_variants
from catalogctl.config.models import Catalog, Product, VariantMatrix, origin_of
from catalogctl.config.source import NodePath
from catalogctl.model.address import Address, Kind, variant_key

Locate = Callable[[Address, str], str | None]


def _nowhere(address: Address, name: str) -> str | None:
    return None


def _frozen(mapping: Mapping[Any, Any] | None = None) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Guards:
    """Per-address facts of the catalog the planner needs besides attributes (empty: none)."""

    protected: Mapping[Address, str] = field(default_factory=_frozen)          # -> where `protect` is written
    ignored: Mapping[Address, frozenset[str]] = field(default_factory=_frozen)  # product -> ignore_changes
    cost: Mapping[Address, Decimal] = field(default_factory=_frozen)          # product or variant -> cost
    previous: Mapping[Address, tuple[str, ...]] = field(default_factory=_frozen)  # product -> previous skus
    target_ignored: frozenset[str] = frozenset()                            # the target's ignore_changes
    locate: Locate = _nowhere  # (address, field) -> "file:line:column" of that value in the catalog

    def ignored_fields(self, product: Address) -> frozenset[str]:
        """The fields a product (and its variants and images) take on create only."""
        return self.ignored.get(product, frozenset()) | self.target_ignored


def guards_from_catalog(catalog: Catalog, target_ignored: Iterable[str] = (), *, locating: bool = True) -> Guards:
    """The Guards of a validated catalog (`target_ignored`: the target's `ignore_changes`). Without
    `locating` (no policy will report) and without `previous_skus` (a rename says where they are written),
    they keep no product, so the catalog can be let go."""
    protected: dict[Address, str] = {}
    ignored: dict[Address, frozenset[str]] = {}
    cost: dict[Address, Decimal] = {}
    previous: dict[Address, tuple[str, ...]] = {}
    products: dict[Address, Product] = {}
    for product in catalog.products:
        address = Address.for_product(product.sku)
        products[address] = product
        lifecycle = product.lifecycle
        if lifecycle is not None and lifecycle.protect:
            protected[address] = _where(product, ("lifecycle", "protect"))
        if lifecycle is not None and lifecycle.ignore_changes:
            ignored[address] = frozenset(lifecycle.ignore_changes)
        if product.previous_skus:
            previous[address] = tuple(product.previous_skus)
        if product.cost is not None:
            cost[address] = product.cost
        if _costs_anything(product):
            for variant_address, (_, value) in _variants(product, address).items():
                if value is not None:
                    cost[variant_address] = value
    for webhook in catalog.webhooks:
        if webhook.lifecycle is not None and webhook.lifecycle.protect:
            protected[Address.webhook(webhook.name)] = _where(webhook, ("lifecycle", "protect"))

    def locate(address: Address, name: str) -> str | None:
        # asked only for what a plan reports: the product's variants are expanded then, not for every plan
        owner = address.product
        product = products.get(owner) if owner is not None else None
        if product is None:
            return None
        if address.kind is Kind.IMAGE:
            return _where(product, ("images", int(address.key)))
        path: NodePath = ()
        if address.kind is Kind.VARIANT:
            path = _variants(product, owner).get(address, ((), None))[0]
        return _where(product, (*path, name))

    return Guards(_frozen(protected), _frozen(ignored), _frozen(cost), _frozen(previous), frozenset(target_ignored),
                  locate if locating or previous else _nowhere)  # renames say where previous_skus are


def _costs_anything(product: Product) -> bool:
    """Whether the product or any of its variants carries a cost."""
    if product.cost is not None:
        return True
    if isinstance(product.variants, VariantMatrix):
        return product.variants.cost is not None
    return any(variant.cost is not None for variant in product.variants or ())


def _variants(product: Product, address: Address) -> dict[Address, tuple[NodePath, Decimal | None]]:
    """Each variant's place (its own node, or the matrix) and cost (its own, else the product's)."""
    options = product.option_names()
    own_costs = {index: variant.cost for index, variant in enumerate(product.variants)} if isinstance(
        product.variants, list) else {}
    matrix_cost = product.variants.cost if isinstance(product.variants, VariantMatrix) else None
    found: dict[Address, tuple[NodePath, Decimal | None]] = {}
    for variant in expand_variants(product):
        names = dict(variant.values)
        key = variant_key(tuple((group, names.get(group, "")) for group in options))
        index = variant.path[-1] if isinstance(variant.path[-1], int) else None
        value = own_costs.get(index) if index is not None else amount(matrix_cost, names)
        found[Address(Kind.VARIANT, key, address)] = (variant.path if index is not None else ("variants",),
                                                     product.cost if value is None else value)
    return found


def _where(item: Any, path: NodePath) -> str:
    origin = origin_of(item)
    return str(origin.at(path)) if origin is not None else "(catalog)"
