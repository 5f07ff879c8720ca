"""Shoplazza on the wire: which shop field each catalog `store` fact is, and the shop as a resource.

The catalog's names are kept in plans (`locale`, `country`); the request asks for the shop's
own names (`primary_locale`, `country_code`), and only for the facts the catalog states.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from catalogctl.config.models import Catalog
from catalogctl.config.store_models import StoreFacts
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource, ResourceMap

FIELDS: dict[str, str] = {  # catalog `store` fact -> shop field
    "name": "name",
    "currency": "currency",
    "locale": "primary_locale",
    "timezone": "timezone",
    "country": "country_code",
    "domain": "domain",
    "email": "email",
}
SHOP = Address(Kind.STORE, "shop")
"""The one shop a target is: the same address on both sides, whatever its name or domain."""
_CASELESS = frozenset({"domain", "email"})  # host names and email addresses ignore case


def _normal(name: str, value: Any) -> Any:
    if value is None:
        return None
    text = str(value)
    return text.lower() if name in _CASELESS else text


def stated_facts(store: StoreFacts | None) -> dict[str, Any]:
    """The facts the catalog states, by catalog name (normalized as compared)."""
    if store is None:
        return {}
    return {name: _normal(name, getattr(store, name)) for name in FIELDS if getattr(store, name) is not None}


def query_fields(facts: Iterable[str]) -> str:
    """`fields=` for these catalog facts: only what the catalog names, in the document's spelling."""
    return ",".join(FIELDS[name] for name in facts)


def shop_resource(shop: Mapping[str, Any], facts: Iterable[str]) -> Resource:
    """The answered shop as the resource the catalog's facts are compared with."""
    attrs = {name: _normal(name, shop.get(FIELDS[name])) for name in facts}
    shop_id = shop.get("id")
    return Resource(SHOP, attrs, live_id=None if shop_id is None else str(shop_id))


def shop_of(answer: Any) -> dict[str, Any] | None:
    """`{"shop": {...}}` -> the shop, or None when the answer has another shape."""
    shop = answer.get("shop") if isinstance(answer, dict) else None
    return shop if isinstance(shop, dict) else None


def import_facts(shop: Mapping[str, Any]) -> dict[str, Any]:
    """The shop's facts as a catalog `store` section (for `catalogctl import`), as the shop spells them."""
    return {name: shop[field] for name, field in FIELDS.items() if shop.get(field) not in (None, "")}


def desired(catalog: Catalog) -> ResourceMap:
    """The shop as the catalog states it: one check-only resource (none when no fact is stated)."""
    facts = stated_facts(catalog.store)
    return {SHOP: Resource(SHOP, facts)} if facts else {}
