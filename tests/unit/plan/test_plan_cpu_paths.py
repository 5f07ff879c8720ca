"""The no-op plan's fast paths (issue 13) decide exactly as the general code: align against the code it
replaced, classify with its per-product shortcut against itself without it, and whole plans both ways."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from planfixtures import CAPS, SPEC, D, category, group, image, product, rmap, variant

from catalogctl.core import LiveState
from catalogctl.model.address import Address, Kind, variant_key
from catalogctl.model.attributes import IMAGE_ID, OPTIONS_UNORDERED
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan import builder
from catalogctl.plan.align import Aligned, align
from catalogctl.plan.builder import PlanPolicy, build_plan
from catalogctl.plan.classify import Classification, _Classifier, classify
from catalogctl.render.text import render_text

# --- align as it was before its single pass (the general code), kept here as the reference -------------


def _reference_align(desired: ResourceMap, live: LiveState) -> Aligned:
    resources = dict(live.resources)
    orders: dict[Address, tuple[str, ...]] = {}
    for address, have in resources.items():
        if address.kind is not Kind.PRODUCT or not have.extra.get(OPTIONS_UNORDERED):
            continue
        want = desired.get(address)
        if want is None:
            continue
        wanted, read = tuple(want.attrs.get("options", ())), tuple(have.attrs.get("options", ()))
        if len(wanted) > 1 and sorted(wanted) == sorted(read):
            orders[address] = wanted
    unknown_src = {(a.parent, r.live_id): int(r.attrs.get("position", a.key)) for a, r in resources.items()
                   if a.kind is Kind.IMAGE and a.parent is not None and r.live_id and r.attrs.get("src") is None}
    pointing = 0
    if orders or unknown_src:
        resources, pointing = _reference_rekeyed(desired, resources, orders, unknown_src)
    counts: Counter[tuple[Kind, str]] = Counter()
    write_only = {kind: tuple(caps.write_only) for kind, caps in CAPS.items() if caps.write_only}
    for address, want in desired.items():
        have = resources.get(address)
        if not write_only.get(address.kind) or have is None:
            continue
        for name in write_only[address.kind]:
            if have.plain.get(name) is None and want.plain.get(name) not in (None, ""):
                counts[(address.kind, name)] += 1
    if pointing:
        counts[(Kind.VARIANT, "image")] = pointing
    if orders:
        counts[(Kind.PRODUCT, "option order")] = len(orders)
    return Aligned(replace(live, resources=resources), dict(counts))


def _reference_rekeyed(desired: ResourceMap, live: ResourceMap, orders: dict[Address, tuple[str, ...]],
                       unknown_src: dict[Any, int]) -> tuple[ResourceMap, int]:
    pointing, replaced, rekeyed = 0, {}, False
    for address, resource in live.items():
        if address.kind is Kind.PRODUCT and address in orders:
            replaced[address] = _with(resource, address, options=orders[address])
        elif address.kind is Kind.VARIANT and address.parent is not None:
            points = (address.parent, str(resource.extra.get(IMAGE_ID))) in unknown_src
            pointing += points
            new = _reference_variant(desired, resource, orders.get(address.parent), points)
            if new is not resource:
                replaced[address] = new
                rekeyed = rekeyed or new.address is not address
    if not rekeyed:
        live.update(replaced)
        return live, pointing
    result: ResourceMap = {}
    for address, resource in live.items():
        resource = replaced.get(address, resource)
        result[resource.address] = resource
    return result, pointing


def _reference_variant(desired: ResourceMap, resource: Resource, order: tuple[str, ...] | None,
                       points: bool) -> Resource:
    changes: dict[str, Any] = {}
    if order is not None:
        read = resource.plain["values"]
        rank = {group: n for n, group in enumerate(order)}
        values = tuple(sorted(read, key=lambda pair: rank.get(pair[0], len(rank))))
        if values != read:
            changes["values"] = values
    address = (Address(Kind.VARIANT, variant_key(changes["values"]), resource.address.parent)
               if "values" in changes else resource.address)
    if points:
        want = desired.get(address)
        if want is not None and want.plain.get("image") != resource.plain.get("image"):
            changes["image"] = want.plain.get("image")
    return _with(resource, address, **changes) if changes else resource


def _with(resource: Resource, address: Address, **attrs: Any) -> Resource:
    return Resource(address, {**resource.attrs, **attrs}, live_id=resource.live_id, extra=resource.extra)


# --- random catalogs and stores that differ from them a little, in every way the fast paths skip -------

SRCS = ["http://i/1.png", "http://i/2.png"]
COMBOS = [(("Color", c), ("Size", s)) for c in ("Red", "Blue") for s in ("S", "M")]


@st.composite
def catalogs(draw: st.DrawFn) -> ResourceMap:
    resources = [category("Tees"), group("Color", "color"), group("Size")]
    for sku in draw(st.lists(st.sampled_from(["P1", "P2", "P3"]), unique=True)):
        options = draw(st.sampled_from([("Color", "Size"), ("Size", "Color"), ("Size",), ()]))
        resources.append(product(sku, options=options, active=draw(st.booleans()),
                                 short_description=draw(st.sampled_from(["", "Soft"]))))
        resources += [image(sku, n, src) for n, src in enumerate(draw(st.lists(st.sampled_from(SRCS), unique=True)))]
        for combo in draw(st.lists(st.sampled_from(COMBOS), unique=True)) if options else ():
            values = tuple(sorted(combo, key=lambda pair: options.index(pair[0]) if pair[0] in options else 9))
            values = tuple(pair for pair in values if pair[0] in options)
            resources.append(variant(sku, values, default=draw(st.booleans()),
                                     image=draw(st.sampled_from([None, *SRCS])),
                                     weight_unit=draw(st.sampled_from([None, "", "lb"]))))
    return rmap(*resources)


# What one live resource may be, against its catalog resource: equal, equal by == but of another type
# (True == 1, D(0) == False: the field-by-field check must find them), changed, or unknown (write-only).
_KEYS = {"values", "options", "position"}  # what keys or orders a resource: the planner takes them as typed
_EDITS = st.sampled_from(["same", "same", "same", "retyped", "changed", "unknown", "drop"])


@st.composite
def stores(draw: st.DrawFn, desired: ResourceMap) -> list[Resource]:
    live: list[Resource] = []
    for n, (address, want) in enumerate(desired.items()):
        edit = draw(_EDITS)
        if edit == "drop":
            continue
        attrs, extra = dict(want.plain), {}
        if edit == "retyped":
            name = {Kind.PRODUCT: "active", Kind.VARIANT: "default"}.get(address.kind)
            if name is not None:
                attrs[name] = int(attrs[name]) if draw(st.booleans()) else D(int(attrs[name]))
        elif edit == "changed":
            name = draw(st.sampled_from(sorted(set(attrs) - _KEYS)))
            attrs[name] = draw(st.sampled_from([None, "x", D("9.5"), True, 0, ()]))
        elif edit == "unknown":
            for name in CAPS[address.kind].write_only:
                attrs[name] = None
        if address.kind is Kind.PRODUCT and draw(st.booleans()):
            extra[OPTIONS_UNORDERED] = True
            attrs["options"] = tuple(sorted(attrs["options"]))  # the store's order: by group
        if address.kind is Kind.VARIANT and draw(st.booleans()):
            extra[IMAGE_ID] = draw(st.sampled_from(["500", "501", "None", 7]))
        live_id = draw(st.sampled_from([str(100 + n), "500", "501", "None"])) if address.kind is Kind.IMAGE else (
            str(100 + n))
        # a parent made anew for some children: equal, not the same object
        key = address if address.parent is None or draw(st.booleans()) else Address(
            address.kind, address.key, Address(address.parent.kind, address.parent.key))
        live.append(Resource.owning(key, attrs, live_id, extra))
    for sku in draw(st.lists(st.sampled_from(["P1", "P4"]), unique=True)):  # children and products only the store has
        extra_variant = variant(sku, (("Size", "XL"),))
        live.append(Resource(extra_variant.address, extra_variant.attrs, live_id="900"))
        if draw(st.booleans()):
            live.append(Resource(Address.for_product(sku), product(sku, options=("Size",)).attrs, live_id="901"))
    return draw(st.permutations(live))  # the store's order: children of a product possibly apart


@st.composite
def plans(draw: st.DrawFn) -> tuple[ResourceMap, LiveState]:
    desired = draw(catalogs())
    live = draw(stores(desired))
    return desired, LiveState(resources={r.address: r for r in live}, shadowed=(), unkeyed=(), requests=1)


def _general(desired: ResourceMap, live: LiveState, caps: Any, policy: PlanPolicy) -> Classification:
    """classify with its per-product shortcut turned off: every product the general way."""
    classifier = _Classifier(desired, live, caps, policy)
    classifier._unchanged = lambda product: False  # type: ignore[method-assign]
    return classifier.run()


def _same_resources(one: ResourceMap, two: ResourceMap) -> None:
    assert list(one) == list(two)
    for (a, r), (b, s) in zip(one.items(), two.items(), strict=True):
        assert a == b and r.address == s.address and r.live_id == s.live_id and dict(r.extra) == dict(s.extra)
        assert [(k, type(v), v) for k, v in r.plain.items()] == [(k, type(v), v) for k, v in s.plain.items()]


@settings(max_examples=400, deadline=None)
@given(plans())
def test_align_resolves_and_counts_as_the_general_code(case: tuple[ResourceMap, LiveState]) -> None:
    desired, live = case
    fast, general = align(desired, live, CAPS), _reference_align(desired, live)
    _same_resources(fast.live.resources, general.live.resources)
    assert fast.not_compared == general.not_compared


@settings(max_examples=400, deadline=None)
@given(plans(), st.booleans(), st.booleans())
def test_classify_with_its_shortcut_finds_what_it_finds_without(case: tuple[ResourceMap, LiveState], prune: bool,
                                                                allow_replace: bool) -> None:
    desired, live = case
    aligned = align(desired, live, CAPS).live
    policy = PlanPolicy(target="test", prune=prune, allow_replace=allow_replace)
    assert classify(desired, aligned, CAPS, policy) == _general(desired, aligned, CAPS, policy)


@settings(max_examples=150, deadline=None)
@given(plans(), st.booleans())
def test_plans_with_and_without_the_shortcut_are_the_same_bytes(case: tuple[ResourceMap, LiveState],
                                                                 prune: bool) -> None:
    desired, live = case
    policy = PlanPolicy(target="test", prune=prune)
    fast = build_plan(desired, live, SPEC, policy)
    with mock.patch.object(builder, "classify", _general):
        general = build_plan(desired, live, SPEC, policy)
    assert fast.to_json() == general.to_json()
    assert render_text(fast, color=False) == render_text(general, color=False)


def test_a_store_equal_to_the_catalog_takes_the_shortcut_for_every_product() -> None:
    """The shortcut is taken (not only harmless): a product whose children all match asks no general pass."""
    desired = rmap(group("Size"), product("A", options=("Size",)), image("A", 0, SRCS[0]),
                   variant("A", (("Size", "S"),)), variant("A", (("Size", "M"),), default=True))
    live = LiveState(resources={a: Resource(a, r.attrs, live_id=str(n)) for n, (a, r) in enumerate(desired.items())},
                     shadowed=(), unkeyed=(), requests=1)
    classifier = _Classifier(desired, live, CAPS, PlanPolicy(target="test"))
    assert classifier._unchanged(Address.for_product("A"))
    assert classifier.run().items == [] and classifier.index.children is None  # the catalog's children never grouped
    changed = dict(live.resources)
    key = Address.variant("A", (("Size", "M"),))
    changed[key] = Resource(key, {**desired[key].plain, "default": 1}, live_id="9")  # True == 1, yet a change
    classifier = _Classifier(desired, replace(live, resources=changed), CAPS, PlanPolicy(target="test"))
    assert not classifier._unchanged(Address.for_product("A"))
    (item,) = classifier.run().items
    assert item.change.before == {"default": 1} and item.change.after == {"default": True}


def test_against_an_empty_store_the_children_are_grouped_in_the_first_pass_as_the_lazy_grouping_makes_them() -> None:
    """ProductIndex._group_children (an empty store: one pass) finds the top level and the children
    _count_children and children_of find in two, a product's children apart in the catalog too."""
    desired = rmap(group("Size"), product("A", options=("Size",)), variant("A", (("Size", "S"),)),
                   product("B"), image("B", 0, "http://i/b.png"), image("A", 0, "http://i/a.png"),
                   variant("A", (("Size", "M"),)), category("C"))
    empty = LiveState(resources={}, shadowed=(), unkeyed=(), requests=1)
    one_pass = _Classifier(desired, empty, CAPS, PlanPolicy(target="test"))
    assert one_pass.index.counts is None and one_pass.index.children is not None
    live = LiveState(resources={Address.for_product("Z"): product("Z", live_id="1")}, shadowed=(), unkeyed=(),
                     requests=1)
    two_passes = _Classifier(desired, live, CAPS, PlanPolicy(target="test"))
    assert two_passes.index.children is None
    for product_address in (Address.for_product("A"), Address.for_product("B"), Address.for_product("Z")):
        made, expected = one_pass.index.children_of(product_address), two_passes.index.children_of(product_address)
        assert [id(r) for r in made] == [id(r) for r in expected]
    store_only = Address.for_product("Z")
    assert {kind: addresses for kind, addresses in one_pass.index.top.items()} == {
        kind: [a for a in addresses if a != store_only] for kind, addresses in two_passes.index.top.items()}
