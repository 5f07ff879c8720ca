"""A plan made against a store with real-looking credentials holds none of them in any rendering."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import pytest
from provider_helpers import GROUPS, SECRET_KEY, SECRET_TOKEN, Store, tee, variant

from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource
from catalogctl.plan.builder import PlanPolicy, build_plan
from catalogctl.plan.model import ChangeAction, Plan
from catalogctl.providers.groovekart import PROVIDER
from catalogctl.providers.groovekart import actions as a
from catalogctl.render.json import render_json
from catalogctl.render.markdown import render_markdown
from catalogctl.render.text import render_text


def _desired_from(live: dict) -> dict:
    """The live catalog edited: a price change, a category change (replace), a webhook gone, a new product."""
    desired = {}
    for address, resource in live.items():
        attrs = dict(resource.attrs)
        if address.kind is Kind.WEBHOOK:
            continue
        if address.kind is Kind.PRODUCT:
            attrs.update(price=attrs["price"] + 1, weight=attrs["weight"] + 1)
        desired[address] = dataclasses.replace(resource, attrs=attrs, live_id=None)
    new = next(r for r in live.values() if r.kind is Kind.PRODUCT)
    fresh = Resource(Address.for_product("NEW-1"), {**new.attrs, "sku": "NEW-1", "options": ()})
    desired[fresh.address] = fresh
    return desired


def test_plan_outputs_hold_no_secret(served: Store, caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> Plan:
        async with served.provider() as provider:
            create = a.CreateProduct(product=tee(), groups=GROUPS, variants=(variant("Blue", "L"),),
                                     cover="https://img.example.com/a.png")
            result = await provider.execute(create, {})
            hook = a.WebhookSpec(name="orders", endpoint="https://hooks.example.com/o")
            await provider.execute(a.CreateWebhooks(webhooks=(hook,)), {})
            live = await provider.read(result.facts)
        policy = PlanPolicy(target="production", prune=True)
        return build_plan(_desired_from(dict(live.resources)), live, PROVIDER, policy)

    with caplog.at_level(logging.DEBUG):
        plan = asyncio.run(main())
    assert plan.summary[ChangeAction.REPLACE] == 1 and plan.summary[ChangeAction.CREATE] >= 1
    assert plan.summary[ChangeAction.DELETE] == 1 and plan.metadata["requests"]["read"] >= 3
    outputs = {
        "json": render_json(plan), "markdown": render_markdown(plan, plan_file="plan.json"),
        "text": render_text(plan), "text on a tty": render_text(plan, color=True),
        "reloaded": Plan.from_json(render_json(plan)).to_json(), "repr": repr(plan), "log": caplog.text,
    }
    for name, text in outputs.items():
        assert "Classic Tee" in text or name == "log", name  # the product really is in it
        assert SECRET_TOKEN not in text and SECRET_KEY not in text, name
        assert "gk-tok" not in text and "SECRET" not in text, name
