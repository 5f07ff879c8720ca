"""plan/renames.py: a product's previous sku matched against the live store, as one plan shows it."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planfixtures import D, as_live, group, image, product, rmap, variant

from catalogctl.core import LiveState
from catalogctl.errors import PlanError
from catalogctl.model.address import Address
from catalogctl.model.guards import Guards
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.builder import PlanPolicy, build_plan
from catalogctl.plan.model import ChangeAction, Plan
from catalogctl.providers.groovekart import PROVIDER
from catalogctl.render.html import render_html
from catalogctl.render.markdown import render_markdown
from catalogctl.render.text import render_text

S, M = (("Size", "S"),), (("Size", "M"),)


def _shirt(sku: str, **attrs: object) -> ResourceMap:
    return rmap(group("Size"), product(sku, options=("Size",), **attrs), variant(sku, S, sku=f"{sku}-S"),
                variant(sku, M, sku=f"{sku}-M"), image(sku, 0, "http://i/0.png"))


def _plan(desired: ResourceMap, live: ResourceMap, previous: dict[str, tuple[str, ...]], **policy: object) -> Plan:
    guards = Guards(previous=MappingProxyType({Address.for_product(k): v for k, v in previous.items()}),
                    protected=MappingProxyType(dict(policy.pop("protected", {}))))  # type: ignore[arg-type]
    return build_plan(desired, LiveState(resources=live), PROVIDER,
                      PlanPolicy(target="test", guards=guards, **policy))  # type: ignore[arg-type]


def test_a_rename_updates_the_sku_in_place_and_plans_the_rest_against_the_live_product() -> None:
    live = as_live(_shirt("OLD"))
    desired = _shirt("NEW", price=D("30"))
    plan = _plan(desired, live, {"NEW": ("GONE", "OLD")})
    changes = {c.address: c for c in plan.changes}
    own = changes['product["NEW"]']
    assert (own.action, own.renamed_from) == (ChangeAction.UPDATE, "OLD")
    assert own.before == {"sku": "OLD", "title": "Tee OLD", "price": "24.99"}
    assert own.after == {"sku": "NEW", "title": "Tee NEW", "price": "30"}
    assert changes['product["NEW"].variant["Size=S"]'].after == {"sku": "NEW-S"}  # a plain update
    assert set(changes) == {'product["NEW"]', 'product["NEW"].variant["Size=S"]', 'product["NEW"].variant["Size=M"]'}
    assert plan.summary[ChangeAction.UPDATE] == 3 and plan.summary[ChangeAction.CREATE] == 0
    first, *rest = plan.steps
    assert first.action.model_dump(exclude_none=True) == {"op": "update_product", "sku": "NEW", "previous_sku": "OLD"}
    assert rest and all(first.id in step.depends_on for step in rest)  # all find the product by its new sku


def test_a_rename_alone_is_one_change_and_one_call() -> None:
    live = as_live(_shirt("OLD"))
    desired = {a: r for a, r in _shirt("NEW", title="Tee OLD").items()}
    desired.update(rmap(variant("NEW", S, sku="OLD-S"), variant("NEW", M, sku="OLD-M")))
    plan = _plan(desired, live, {"NEW": ("OLD",)}, prune=True)
    assert [(c.address, c.before, c.after, c.renamed_from) for c in plan.changes] == [
        ('product["NEW"]', {"sku": "OLD"}, {"sku": "NEW"}, "OLD")]
    assert [s.action.op.value for s in plan.steps] == ["update_product"]
    assert plan.unmanaged == () and plan.warnings == ()


def test_a_rename_is_no_harm_to_a_protected_product_but_a_deactivation_still_is() -> None:
    live = as_live(_shirt("OLD"))
    protected = {Address.for_product("NEW"): "catalog.yaml:3:5"}
    assert _plan(_shirt("NEW"), live, {"NEW": ("OLD",)}, protected=protected).changes[0].renamed_from == "OLD"
    with pytest.raises(PlanError, match="would deactivate it"):
        _plan(_shirt("NEW", active=False), live, {"NEW": ("OLD",)}, protected=protected)


def test_old_and_new_both_live_change_nothing_even_with_prune() -> None:
    live = as_live({**_shirt("OLD"), **_shirt("NEW")})
    plan = _plan(_shirt("NEW", price=D("30")), live, {"NEW": ("OLD",)}, prune=True)
    assert plan.changes == () and plan.steps == ()
    (warning,) = plan.warnings
    new_id, old_id = live[Address.for_product("NEW")].live_id, live[Address.for_product("OLD")].live_id
    assert f'both product["NEW"] (live id {new_id}' in warning and f'product["OLD"] (live id {old_id}' in warning


def test_several_previous_skus_live_are_not_guessed() -> None:
    live = as_live({**_shirt("A"), **_shirt("B")})
    plan = _plan(_shirt("NEW"), live, {"NEW": ("A", "B")})
    assert plan.changes == ()
    assert "several of its previous skus are in the store" in plan.warnings[0]
    assert 'product["A"]' in plan.warnings[0] and 'product["B"]' in plan.warnings[0]


def test_no_live_previous_sku_is_a_plain_create() -> None:
    plan = _plan(_shirt("NEW"), as_live(rmap(group("Size"))), {"NEW": ("OLD",)})
    assert plan.changes[0].action is ChangeAction.CREATE and plan.changes[0].renamed_from is None


def test_every_format_shows_the_rename() -> None:
    plan = _plan(_shirt("NEW", price=D("30")), as_live(_shirt("OLD")), {"NEW": ("OLD",)})
    text = render_text(plan)
    assert '  ~ product["NEW"] (renamed from "OLD") will be updated in place\n      sku: "OLD" -> "NEW"\n' in text
    assert "Plan: 0 to create, 3 to update (1 renamed), 0 to replace" in text
    markdown = render_markdown(plan)
    assert '- `~` `product["NEW"]` (renamed from "OLD") will be updated in place' in markdown
    assert "| 🏷️ renamed in place (of the updates) | 1 |" in markdown
    html = render_html(plan)
    assert "(renamed from &quot;OLD&quot;)" in html and '<li class="chip renamed"><span class="n">1</span>' in html
    document = json.loads(plan.to_json())
    assert document["format_version"] == 2
    assert [c["renamed_from"] for c in document["changes"]] == ["OLD", None, None]
    assert Plan.from_json(plan.to_json()) == plan


_SKUS = ["A", "B", "C", "D", "E"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_SKUS), min_size=1, max_size=6))
def test_any_sequence_of_renames_converges(chain: list[str]) -> None:
    """A product renamed again and again (each catalog lists every sku it had): each plan is at most
    one rename of the live product, never a create or a second product, and applying it (the live
    product keyed under the new sku, with its id) leaves nothing to plan."""
    live = as_live(_shirt(chain[0]))
    product_id = live[Address.for_product(chain[0])].live_id
    history = [chain[0]]
    for sku in chain[1:]:
        previous = tuple(dict.fromkeys(s for s in history if s != sku))
        desired = _shirt(sku, title=f"Tee {chain[0]}")
        desired.update(rmap(variant(sku, S, sku=f"{chain[0]}-S"), variant(sku, M, sku=f"{chain[0]}-M")))
        plan = _plan(desired, live, {sku: previous})
        live_sku = next(a.key for a in live if a.kind.value == "product")
        expected = [] if live_sku == sku else [(str(Address.for_product(sku)), live_sku)]
        assert [(c.address, c.renamed_from) for c in plan.changes] == expected
        live = {(a if a.product != Address.for_product(live_sku) else _under(a, sku)): r for a, r in live.items()}
        live = {a: type(r)(a, {**r.attrs, "sku": sku} if a.kind.value == "product" else r.attrs, r.live_id)
                for a, r in live.items()}
        assert live[Address.for_product(sku)].live_id == product_id
        assert _plan(desired, live, {sku: previous}).changes == ()
        history.append(sku)


def _under(address: Address, sku: str) -> Address:
    new = Address.for_product(sku)
    return new if address.parent is None else Address(address.kind, address.key, new)


def test_a_duplicate_left_under_the_old_sku_is_said_before_it_blocks_the_next_plan() -> None:
    live = as_live(_shirt("OLD"))
    duplicate = product("OLD", live_id="999", active=False)
    state = LiveState(resources=live, shadowed=(duplicate,))
    guards = Guards(previous=MappingProxyType({Address.for_product("NEW"): ("OLD",)}))
    plan = build_plan(_shirt("NEW"), state, PROVIDER, PlanPolicy(target="test", guards=guards))
    assert plan.changes[0].renamed_from == "OLD"
    (warning,) = plan.warnings
    assert "a duplicate with sku 'OLD' (live id 999) keeps that sku" in warning
    assert "remove 'OLD' from previous_skus" in warning
