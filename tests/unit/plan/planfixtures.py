"""Small builders for desired/live ResourceMaps and the GrooveKart capabilities (as the issue states them)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from catalogctl.core import DeleteMode, KindCapabilities, LiveState
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.builder import PlanPolicy, build_plan
from catalogctl.plan.model import Plan
from catalogctl.providers.groovekart import PROVIDER

CAPS = {
    Kind.PRODUCT: KindCapabilities(
        create=True, delete=DeleteMode.DEACTIVATE,
        in_place=frozenset({"title", "description", "vendor", "price", "compare_at_price", "tags", "active"}),
        replace=frozenset({"category", "visibility", "weight", "short_description"}),
        write_only=frozenset({"short_description"})),
    Kind.VARIANT: KindCapabilities(
        create=True, delete=DeleteMode.NONE,
        in_place=frozenset({"sku", "price", "compare_at_price", "weight", "default", "image"}),
        write_only=frozenset({"weight_unit"})),
    Kind.IMAGE: KindCapabilities(create=True, delete=DeleteMode.NONE, in_place=frozenset({"src"}),
                                 write_only=frozenset({"src"})),
    Kind.CATEGORY: KindCapabilities(create=True, delete=DeleteMode.NONE),
    Kind.VARIANT_GROUP: KindCapabilities(create=True, delete=DeleteMode.NONE, write_only=frozenset({"type"})),
    Kind.WEBHOOK: KindCapabilities(create=True, delete=DeleteMode.DELETE, in_place=frozenset({"endpoint"})),
}
SPEC = replace(PROVIDER, capabilities=CAPS)
"""GrooveKart's steps over the capabilities as the issue states them."""

D = Decimal


def product(sku: str, live_id: str | None = None, **attrs: Any) -> Resource:
    base: dict[str, Any] = {
        "sku": sku, "title": f"Tee {sku}", "description": "", "short_description": "", "vendor": "",
        "category": None, "price": D("24.99"), "compare_at_price": D(0), "weight": D(0), "visibility": "both",
        "active": True, "tags": (), "options": (),
    }
    base.update(attrs)
    return Resource(Address.for_product(sku), base, live_id=live_id)


Values = tuple[tuple[str, str], ...]


def variant(product_sku: str, values: Values, live_id: str | None = None, **attrs: Any) -> Resource:
    base: dict[str, Any] = {
        "values": values, "color": None, "sku": "", "price": D("24.99"), "compare_at_price": D(0),
        "weight": D(0), "weight_unit": None, "default": False, "image": None,
    }
    base.update(attrs)
    return Resource(Address.variant(product_sku, values), base, live_id=live_id)


def image(sku: str, position: int, src: str, live_id: str | None = None) -> Resource:
    return Resource(Address.image(sku, position), {"src": src, "position": position}, live_id=live_id)


def category(title: str, live_id: str | None = None) -> Resource:
    return Resource(Address.category(title), {"title": title}, live_id=live_id)


def group(name: str, type_: str = "select", live_id: str | None = None) -> Resource:
    return Resource(Address.variant_group(name), {"name": name, "type": type_}, live_id=live_id)


def webhook(name: str, endpoint: str, live_id: str | None = None) -> Resource:
    return Resource(Address.webhook(name), {"name": name, "endpoint": endpoint}, live_id=live_id)


def rmap(*resources: Resource) -> ResourceMap:
    return {r.address: r for r in resources}


def as_live(resources: ResourceMap, start: int = 100) -> ResourceMap:
    """The same resources as a store would report them: with live ids."""
    return {a: Resource(a, r.attrs, live_id=str(start + n)) for n, (a, r) in enumerate(sorted(resources.items(),
                                                                                              key=lambda x: str(x[0])))}


def plan(desired: ResourceMap, live: ResourceMap, *, shadowed: tuple[Resource, ...] = (),
         unkeyed: tuple[Resource, ...] = (), **policy: Any) -> Plan:
    state = LiveState(resources=live, shadowed=shadowed, unkeyed=unkeyed, requests=3)
    return build_plan(desired, state, SPEC, PlanPolicy(target=policy.pop("target", "test"), **policy))


# The small store the exact-text tests (test_plan_text*.py) start from.
S, M, L = (("Size", "S"),), (("Size", "M"),), (("Size", "L"),)
BASE = rmap(group("Size"), product("A", options=("Size",)), variant("A", S), variant("A", M),
            image("A", 0, "http://i/0.png"))
LIVE = as_live(BASE)
HEAD = 'catalogctl plan for target "test"\n\n'


def with_(resources: ResourceMap, *extra: Resource, drop: tuple[Address, ...] = ()) -> ResourceMap:
    result = {a: r for a, r in resources.items() if a not in drop}
    result.update({r.address: r for r in extra})
    return result


def ops(p: Plan) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(s.id, s.action.op.value, s.depends_on) for s in p.steps]
