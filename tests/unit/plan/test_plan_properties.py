"""Properties of build_plan over random small catalogs (names drawn from tiny pools so they overlap)."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from planfixtures import D, as_live, category, group, image, plan, product, rmap, variant, webhook

from catalogctl.model.address import Kind
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.model import Change, ChangeAction, Plan

VALUES = {"Color": ["Red", "Blue"], "Size": ["S", "M", "L"]}
HEX = {"Red": "#FF0000", "Blue": "#0000FF"}
SRCS = ["http://i/1.png", "http://i/2.png", "http://i/3.png"]


@st.composite
def products(draw: st.DrawFn, sku: str, categories: list[str]) -> list[Resource]:
    options = draw(st.sampled_from([(), ("Size",), ("Color",), ("Color", "Size")]))
    srcs = draw(st.lists(st.sampled_from(SRCS), max_size=3, unique=True))
    resources = [product(
        sku, options=options, title=draw(st.sampled_from(["Tee", "Shirt"])),
        price=draw(st.sampled_from([D("10"), D("12.5")])), category=draw(st.sampled_from([None, *categories])),
        visibility=draw(st.sampled_from(["both", "none"])), weight=draw(st.sampled_from([D(0), D("0.4")])),
        active=draw(st.booleans()), tags=tuple(sorted(draw(st.sets(st.sampled_from(["a", "b"]))))),
        short_description=draw(st.sampled_from(["", "Soft"])),
    )]
    resources += [image(sku, n, src) for n, src in enumerate(srcs)]
    if options:
        combos = list(itertools.product(*[[(o, v) for v in VALUES[o]] for o in options]))
        for values in draw(st.lists(st.sampled_from(combos), max_size=4, unique=True)):
            color = dict(values).get("Color")
            resources.append(variant(
                sku, tuple(values), color=HEX[color] if color else None, sku=draw(st.sampled_from(["", "X"])),
                price=draw(st.sampled_from([D("10"), D("11")])), default=draw(st.booleans()),
                image=draw(st.sampled_from([None, *srcs])),
            ))
    return resources


@st.composite
def catalogs(draw: st.DrawFn) -> ResourceMap:
    categories = sorted(draw(st.sets(st.sampled_from(["Tees", "Hats"]))))
    resources = [category(c) for c in categories]
    for sku in draw(st.sets(st.sampled_from(["P1", "P2", "P3"]))):
        resources += draw(products(sku, categories))
    used = {o for r in resources if r.kind is Kind.PRODUCT for o in r.attrs["options"]}
    resources += [group(name, "color" if name == "Color" else "select") for name in sorted(used)]
    hooks = draw(st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(["http://h/1", "http://h/2"])))
    resources += [webhook(name, endpoint) for name, endpoint in hooks.items()]
    return rmap(*resources)


@settings(max_examples=150, deadline=None)
@given(catalogs())
def test_a_store_equal_to_the_catalog_plans_no_changes(desired: ResourceMap) -> None:
    p = plan(desired, as_live(desired), prune=True)
    assert p.changes == () and p.steps == () and p.unmanaged == () and p.warnings == ()
    assert set(p.summary.values()) == {0}


@settings(max_examples=200, deadline=None)
@given(catalogs(), catalogs(), st.booleans(), st.booleans())
def test_steps_form_a_dag_that_covers_every_executable_change(desired: ResourceMap, before: ResourceMap,
                                                              allow_replace: bool, prune: bool) -> None:
    p = plan(desired, as_live(before), allow_replace=allow_replace, prune=prune)
    _assert_ordered_dag(p)
    covering: dict[str, list[str]] = {}
    for step in p.steps:
        for address in step.addresses:
            covering.setdefault(address, []).append(step.action.op.value)
    changed = {c.address for c in p.changes}
    assert set(covering) <= changed, "a step carries an address the plan does not list as a change"
    for change in p.changes:
        ops = covering.get(change.address, [])
        if _only_reported(change):
            continue
        assert ops, f"{change.address} ({change.action}) is carried out by no step"
        if change.kind in {Kind.CATEGORY, Kind.VARIANT_GROUP, Kind.WEBHOOK, Kind.IMAGE}:
            assert len(ops) == 1, (change.address, ops)
        assert max(Counter(ops).values()) == 1 or (change.kind is Kind.PRODUCT and _shadowed(p, change.address))
    assert sum(p.summary.values()) == len(p.changes)


def _only_reported(change: Change) -> bool:
    """Blocked or unsupported with nothing that can change in place: shown, never executed."""
    if change.action not in {ChangeAction.UNSUPPORTED, ChangeAction.REPLACE} or not (
            change.blocked or change.action is ChangeAction.UNSUPPORTED):
        return False
    return not [name for name in change.after or {} if name not in change.reasons]


def _shadowed(p: Plan, address: str) -> bool:
    return any(s.action.op.value == "set_product_status" and getattr(s.action, "live_id", None)
               for s in p.steps if address in s.addresses)


def _assert_ordered_dag(p: Plan) -> None:
    seen: set[str] = set()
    for step in p.steps:
        assert set(step.depends_on) <= seen, f"{step.id} depends on a later step"
        seen.add(step.id)
    assert [s.id for s in p.steps] == sorted(s.id for s in p.steps)
