"""A held product (its sku and a previous sku both live, or several previous skus): the plan counts it,
every format says the store does not match, and the JSON summary carries the renamed and held counts."""

from __future__ import annotations

import json
from types import MappingProxyType

from planfixtures import D, as_live, group, image, product, rmap, variant

from catalogctl.core import LiveState
from catalogctl.model.address import Address
from catalogctl.model.guards import Guards
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.builder import PlanPolicy, build_plan
from catalogctl.plan.model import Plan
from catalogctl.providers.groovekart import PROVIDER
from catalogctl.render.html import render_html
from catalogctl.render.markdown import render_markdown
from catalogctl.render.text import render_text

S = (("Size", "S"),)


def _shirt(sku: str, **attrs: object) -> ResourceMap:
    return rmap(group("Size"), product(sku, options=("Size",), **attrs), variant(sku, S, sku=f"{sku}-S"),
                image(sku, 0, "http://i/0.png"))


def _plan(desired: ResourceMap, live: ResourceMap, previous: dict[str, tuple[str, ...]]) -> Plan:
    guards = Guards(previous=MappingProxyType({Address.for_product(k): v for k, v in previous.items()}))
    return build_plan(desired, LiveState(resources=live), PROVIDER, PlanPolicy(target="test", guards=guards))


def test_a_held_product_is_counted_and_no_format_says_the_store_matches() -> None:
    live = as_live({**_shirt("OLD"), **_shirt("NEW")})
    plan = _plan(_shirt("NEW", price=D("30")), live, {"NEW": ("OLD",)})
    assert plan.changes == () and plan.held == ('product["NEW"]',) and not plan.matches
    for text in (render_text(plan), render_markdown(plan), render_html(plan)):
        assert "No changes" not in text and "matches the catalog" not in text.replace("not match the catalog", "")
        assert "1 product held: the store has both its sku and a previous sku" in text
    assert "| ⏸️ held (nothing planned, the store differs: see warnings) | 1 |" in render_markdown(plan)
    document = json.loads(plan.to_json())
    assert document["summary"]["held"] == 1 and document["summary"]["renamed"] == 0
    assert document["held"] == ['product["NEW"]']
    assert Plan.from_json(plan.to_json()) == plan


def test_several_held_products_and_a_rename_are_all_counted() -> None:
    live = as_live({**_shirt("A"), **_shirt("B"), **_shirt("C"), **_shirt("D"), **_shirt("R")})
    desired = {**_shirt("C"), **_shirt("X"), **_shirt("Y")}
    plan = _plan(desired, live, {"C": ("A",), "X": ("B", "D"), "Y": ("R",)})
    assert plan.held == ('product["C"]', 'product["X"]')
    assert "Plan: 0 to create, 2 to update (1 renamed), 0 to replace, 0 to delete, 0 unsupported; 2 products held: " \
        "the store has both their sku" in render_text(plan)
    summary = json.loads(plan.to_json())["summary"]
    assert (summary["renamed"], summary["held"], summary["update"]) == (1, 2, 2)


def test_a_plan_file_without_held_still_reads_and_matches() -> None:
    plan = _plan(_shirt("NEW"), as_live(_shirt("NEW")), {})
    document = json.loads(plan.to_json())
    del document["held"]
    del document["summary"]["held"], document["summary"]["renamed"]
    again = Plan.from_json(json.dumps(document))
    assert again == plan and again.held == () and again.matches
    assert "No changes. The store matches the catalog." in render_text(again)
