"""The no-op plan's fast paths (issue 13) decide exactly as the code they skip.

- align: a product read in the catalog's option order already is not made again, and a variant's values are
  told in order by the identity of their (shared) tuple: the aligned store is the one `_reference_align`
  (align's passes as they were) makes;
- ProductIndex: a store child's twin is found where the catalog's children of its product stand: the pairs,
  stretches and store-only children are those of `_reference_pairs` (a lookup a child, as it was);
- same_attrs: equal fields of the same types name by name, and then diff_attrs finds nothing;
- _Classifier._unchanged, same_attrs inline: what the general way (`_children`) finds, nothing.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from planfixtures import CAPS
from test_plan_fast_paths import _reference_diff

from catalogctl.core import LiveState
from catalogctl.model.address import Address, Kind, variant_key
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.align import IMAGE_ID, OPTIONS_UNORDERED, _not_compared, align
from catalogctl.plan.classify import _Classifier
from catalogctl.plan.diff import same_attrs
from catalogctl.plan.policy import PlanPolicy
from catalogctl.plan.product_index import ProductIndex

GROUPS = ("Color", "Size", "Fit")
VALUES = {"Color": ("Red", "Blue"), "Size": ("S", "M"), "Fit": ("Slim",)}


class Text(str):
    """A str subclass, as the loader's ScalarText: equal to its text, another type."""


def _reference_align(desired: ResourceMap, live: LiveState) -> tuple[ResourceMap, dict[tuple[Kind, str], int]]:
    """align as it was before its fast paths (a product made again, values looked up by (values, order))."""
    resources = dict(live.resources)
    orders: dict[Address, tuple[str, ...]] = {}
    unknown_src: dict[tuple[Address | None, str | None], int] = {}
    for address, have in resources.items():
        if address.kind is Kind.PRODUCT:
            if not have.extra or not have.extra.get(OPTIONS_UNORDERED):
                continue
            want = desired.get(address)
            if want is None:
                continue
            wanted, read = tuple(want.plain.get("options", ())), tuple(have.plain.get("options", ()))
            if len(wanted) > 1 and sorted(wanted) == sorted(read):
                orders[address] = wanted
        elif (address.kind is Kind.IMAGE and address.parent is not None and have.live_id
              and have.plain.get("src") is None):
            unknown_src[(address.parent, have.live_id)] = int(have.plain.get("position", address.key))
    pointing = 0
    if orders or unknown_src:
        resources, pointing = _reference_rekeyed(desired, resources, orders, unknown_src)
    counts = _reference_not_compared(desired, resources, CAPS)
    if pointing:
        counts[(Kind.VARIANT, "image")] = pointing
    if orders:
        counts[(Kind.PRODUCT, "option order")] = len(orders)
    return resources, dict(counts)


def _reference_not_compared(desired: ResourceMap, live: ResourceMap, capabilities: Any) -> Counter[tuple[Kind, str]]:
    """align's count of unknown write-only attributes as it was: a loop over each kind's names."""
    counts: Counter[tuple[Kind, str]] = Counter()
    if not live:
        return counts
    write_only = {kind: tuple(caps.write_only) for kind, caps in capabilities.items() if caps.write_only}
    for address, want in desired.items():
        have = None
        for name in write_only.get(address.kind, ()):
            if want.plain.get(name) in (None, ""):
                continue
            if have is None:
                have = live.get(address)
                if have is None:
                    break
            if have.plain.get(name) is None:
                counts[(address.kind, name)] += 1
    return counts


def _reference_rekeyed(desired: ResourceMap, live: ResourceMap, orders: dict[Address, tuple[str, ...]],
                       unknown_src: dict[tuple[Address | None, str | None], int]) -> tuple[ResourceMap, int]:
    replaced: dict[Address, Resource] = {}
    pointing, rekeyed = 0, False
    none_id = any(live_id == "None" for _, live_id in unknown_src)
    for address, resource in live.items():
        if address.kind is Kind.VARIANT and address.parent is not None:
            parent = address.parent
            image_id = resource.extra.get(IMAGE_ID) if resource.extra else None
            points = bool((image_id is not None or none_id) and unknown_src and (parent, str(image_id)) in unknown_src)
            order = orders.get(parent)
            changes: dict[str, Any] = {}
            if order is not None:
                read = resource.plain["values"]
                rank = {group: n for n, group in enumerate(order)}
                values = tuple(sorted(read, key=lambda pair: rank.get(pair[0], len(rank))))
                if values != read:
                    changes["values"] = values
            key = Address(Kind.VARIANT, variant_key(changes["values"]), parent) if changes else resource.address
            pointing += points
            if points:
                want = desired.get(key)
                if want is not None and want.plain.get("image") != resource.plain.get("image"):
                    changes["image"] = want.plain.get("image")
            if changes:
                replaced[address] = Resource(key, {**resource.attrs, **changes}, resource.live_id, resource.extra)
                rekeyed = rekeyed or key is not address
        elif address.kind is Kind.PRODUCT and address in orders:
            replaced[address] = Resource(address, {**resource.attrs, "options": orders[address]}, resource.live_id,
                                         resource.extra)
    if not rekeyed:
        live.update(replaced)
        return live, pointing
    result: ResourceMap = {}
    for address, resource in live.items():
        resource = replaced.get(address, resource)
        result[resource.address] = resource
    return result, pointing


def _reference_pairs(desired: ResourceMap, live: ResourceMap) -> dict[str, Any]:
    """ProductIndex._pair as it was: each store resource looked up in the catalog."""
    top: list[Address] = []
    live_only: dict[Address, list[Address]] = defaultdict(list)
    wants: list[Resource] = []
    haves: list[Resource] = []
    starts: dict[Address, int] = {}
    stops: dict[Address, int] = {}
    scattered: set[Address] = set()
    last: Address | None = None
    for address, have in live.items():
        want = desired.get(address)
        parent = address.parent
        if want is None:
            if parent is None:
                top.append(address)
            else:
                live_only[parent].append(address)
            continue
        if parent is None:
            continue
        if parent is not last and parent != last:
            if last is not None:
                stops[last] = len(wants)
            if parent in starts:
                scattered.add(parent)
            else:
                starts[parent] = len(wants)
            last = parent
        wants.append(want)
        haves.append(have)
    if last is not None:
        stops[last] = len(wants)
    return {"top": top, "live_only": dict(live_only), "wants": list(map(id, wants)), "haves": list(map(id, haves)),
            "starts": starts, "stops": stops, "scattered": scattered}


def _exact(resources: ResourceMap) -> list[Any]:
    """Everything a resource map says, types of values and the values' identity aside."""
    def typed(value: Any) -> Any:
        return (type(value), tuple(map(typed, value)) if isinstance(value, tuple) else value)
    return [(key.kind, key.key, str(key), type(r), str(r.address), [(n, typed(v)) for n, v in r.plain.items()],
             r.live_id, dict(r.extra)) for key, r in resources.items()]


@st.composite
def stores(draw: st.DrawFn) -> tuple[ResourceMap, ResourceMap]:
    """A catalog and a store read without state: option orders unknown or not, sets that differ, variants
    and images on one side only, children under their product's address or an equal one, values tuples
    shared or not, either side in any order."""
    desired: list[tuple[Address, Resource]] = []
    live: list[tuple[Address, Resource]] = []
    shared: dict[Any, Any] = {}
    share_values = draw(st.booleans())
    for n in range(draw(st.integers(1, 3))):
        sku = f"P{n}"
        options = tuple(draw(st.permutations(GROUPS))[: draw(st.integers(0, 3))])
        read = tuple(draw(st.permutations(options))) if draw(st.booleans()) else options
        if draw(st.integers(0, 5)) == 0:
            read = read[:-1]  # another option set
        spelled: Any = draw(st.sampled_from([tuple, list, lambda o: tuple(map(Text, o))]))(read)
        one_parent = draw(st.booleans())
        mine, theirs = Address.for_product(sku), Address.for_product(sku)
        base = {"sku": sku, "active": True, "price": Decimal("9.5")}
        told = {"short_description": draw(st.sampled_from(["", "x", None])), "vendor": draw(st.sampled_from(["", "v"]))}
        desired.append((mine, Resource(mine, {**base, **told, "options": options})))
        unordered = draw(st.booleans())
        seen = {"short_description": draw(st.sampled_from(["x", None])), "vendor": draw(st.sampled_from(["v", None]))}
        live.append((theirs, Resource(theirs, {**base, **seen, "options": spelled}, live_id=f"p{n}",
                                      extra={OPTIONS_UNORDERED: True} if unordered else {})))
        for slot in range(draw(st.integers(0, 2))):
            parent = mine if one_parent else Address.for_product(sku)
            desired.append((Address(Kind.IMAGE, str(slot), parent),
                            Resource(Address(Kind.IMAGE, str(slot), parent), {"src": f"u{slot}", "position": slot})))
            if draw(st.integers(0, 4)):
                address = Address(Kind.IMAGE, str(slot), theirs)
                src = None if draw(st.booleans()) else f"u{slot}"
                live.append((address, Resource(address, {"src": src, "position": slot},
                                               live_id=draw(st.sampled_from([f"i{slot}", "None", None])))))
        for combo in itertools.product(*(VALUES[g] for g in options)):
            values = tuple(zip(options, combo, strict=True))
            rank = {g: i for i, g in enumerate(read)}
            as_read = tuple(sorted(values, key=lambda pair: rank.get(pair[0], 9)))
            if share_values:
                values, as_read = shared.setdefault(values, values), shared.setdefault(as_read, as_read)
            attrs = {"values": values, "default": True, "price": Decimal("1"), "image": None,
                     "weight_unit": draw(st.sampled_from([None, "kg"]))}
            if draw(st.integers(0, 2)):
                parent = mine if one_parent else Address.for_product(sku)
                key = Address(Kind.VARIANT, variant_key(values), parent)
                desired.append((key, Resource(key, {**attrs, "image": draw(st.sampled_from([None, "u0", "u1"]))})))
            if draw(st.integers(0, 4)):
                key = Address(Kind.VARIANT, variant_key(as_read), theirs)
                seen = {**attrs, "values": as_read, "default": draw(st.sampled_from([True, 1, Decimal(1)])),
                        "image": draw(st.sampled_from([None, "cdn0", "cdn1"]))}
                extra = {IMAGE_ID: draw(st.sampled_from(["i0", "i1", "None", None]))} if draw(st.booleans()) else {}
                live.append((key, Resource(key, seen, live_id=f"v{len(live)}", extra=extra)))
    if draw(st.booleans()):
        live = draw(st.permutations(live))
    if draw(st.booleans()):
        desired = draw(st.permutations(desired))
    return dict(desired), dict(live)


@settings(max_examples=400, deadline=None)
@given(stores())
def test_align_makes_the_store_the_passes_as_they_were_made(sides: tuple[ResourceMap, ResourceMap]) -> None:
    desired, live = sides
    made = align(desired, LiveState(resources=dict(live)), CAPS)
    expected, counts = _reference_align(desired, LiveState(resources=dict(live)))
    assert _exact(made.live.resources) == _exact(expected)
    assert made.not_compared == counts


@settings(max_examples=300, deadline=None)
@given(stores(), st.sampled_from([frozenset({"short_description"}), frozenset({"short_description", "vendor"}),
                                  frozenset()]))
def test_unknown_write_only_attributes_are_counted_as_they_were(sides: tuple[ResourceMap, ResourceMap],
                                                               product_write_only: frozenset[str]) -> None:
    desired, live = sides
    caps = {**CAPS, Kind.PRODUCT: replace(CAPS[Kind.PRODUCT], write_only=product_write_only)}
    assert _not_compared(desired, live, caps) == _reference_not_compared(desired, live, caps)


@settings(max_examples=400, deadline=None)
@given(stores(), st.booleans())
def test_the_index_pairs_as_a_lookup_a_child_did(sides: tuple[ResourceMap, ResourceMap], aligned: bool) -> None:
    desired, live = sides
    if aligned:
        live = align(desired, LiveState(resources=live), CAPS).live.resources
    index = ProductIndex(desired, live)
    expected = _reference_pairs(desired, live)
    assert index.top == {**{kind: [] for kind in index.top}, **_top_of(desired, expected["top"])}
    assert dict(index.live_only) == expected["live_only"]
    assert list(map(id, index.wants)) == expected["wants"] and list(map(id, index.haves)) == expected["haves"]
    assert index.starts == expected["starts"] and index.stops == expected["stops"]
    assert index.scattered == expected["scattered"]


def _top_of(desired: ResourceMap, store_only: list[Address]) -> dict[Kind, list[Address]]:
    top: dict[Kind, list[Address]] = defaultdict(list)
    for address in [*(a for a in desired if a.parent is None), *store_only]:
        top[address.kind].append(address)
    return dict(top)


@settings(max_examples=300, deadline=None)
@given(stores())
def test_a_product_is_unchanged_exactly_when_the_general_way_finds_nothing(
        sides: tuple[ResourceMap, ResourceMap]) -> None:
    desired, live = sides
    state = align(desired, LiveState(resources=live), CAPS).live
    classifier = _Classifier(desired, state, CAPS, PlanPolicy(target="test"))
    for product in (a for a in desired if a.kind is Kind.PRODUCT and a in state.resources):
        general = (classifier.index.paired(product) is not None
                   and classifier._children(classifier.index.children_of(product), False) == [])
        assert classifier._unchanged(product) == general


_VALUE = st.sampled_from([True, False, 1, 0, Decimal(1), Decimal(0), None, "1", ("a",)])


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.sampled_from("abcd"), _VALUE), st.booleans(), st.booleans(), st.sets(st.sampled_from("abcd")),
       st.sets(st.sampled_from("abcd")))
def test_same_attrs_is_equal_fields_of_the_same_types_and_then_no_difference(
        desired: dict[str, Any], reorder: bool, retype: bool, write_only: set[str], skip: set[str]) -> None:
    live = dict(reversed(list(desired.items()))) if reorder else dict(desired)
    if retype:
        live = {name: (1 if value is True else Decimal(0) if value is False else value) for name, value in live.items()}
    typed = desired == live and all(type(live[name]) is type(value) for name, value in desired.items())
    assert same_attrs(desired, live) == typed
    if typed:  # in any order: diff_attrs goes by name
        assert _reference_diff(desired, live, write_only, skip) == ()
    if list(desired) == list(live):  # as it was, names in the same order
        assert typed == (desired == live and list(map(type, desired.values())) == list(map(type, live.values())))


def test_a_product_read_in_the_catalogs_order_is_kept_as_read() -> None:
    product = Address.for_product("P")
    want = Resource(product, {"options": ("Color", "Size")})
    have = Resource(product, {"options": ("Color", "Size")}, live_id="1", extra={OPTIONS_UNORDERED: True})
    aligned = align({product: want}, LiveState(resources={product: have}), CAPS)
    assert aligned.live.resources[product] is have
    assert aligned.not_compared == {(Kind.PRODUCT, "option order"): 1}
    texts = replace(have, attrs={"options": (Text("Color"), "Size")})  # equal, of another type: made again
    assert align({product: want}, LiveState(resources={product: texts}), CAPS).live.resources[product] is not texts
    assert Counter(map(type, align({product: want}, LiveState(resources={product: texts}), CAPS)
                       .live.resources[product].plain["options"])) == {str: 2}


def test_a_store_child_is_not_paired_with_the_next_products_child_of_the_same_key() -> None:
    # where the catalog's children of P0 end, P1's begin: a variant only the store has under P0, keyed as
    # P1's first, is P0's own, found only in the store
    red = (("Color", "Red"),)
    p0, p1 = Address.for_product("P0"), Address.for_product("P1")
    image0 = Resource(Address(Kind.IMAGE, "0", p0), {"src": "u0", "position": 0})
    desired = {r.address: r for r in (Resource(p0, {"sku": "P0"}), image0, Resource(p1, {"sku": "P1"}),
                                      Resource(Address(Kind.VARIANT, variant_key(red), p1), {"values": red}))}
    store_p0 = Address.for_product("P0")
    live = {r.address: r for r in (Resource(store_p0, {"sku": "P0"}, "1"),
                                   Resource(Address(Kind.IMAGE, "0", store_p0), {"src": "u0", "position": 0}, "2"),
                                   Resource(Address(Kind.VARIANT, variant_key(red), store_p0), {"values": red}, "3"))}
    index = ProductIndex(desired, live)
    assert index.wants == [image0] and index.live_only == {p0: [Address(Kind.VARIANT, variant_key(red), p0)]}
    assert index.paired(p0) == ([image0], [live[Address(Kind.IMAGE, "0", p0)]]) and index.paired(p1) is None
