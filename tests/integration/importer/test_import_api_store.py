"""Round trip on a store populated through the API (not by catalogctl): import, load, plan."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from catalogctl.config import check_catalog, load_catalog
from catalogctl.importer.job import import_store
from catalogctl.importer.outdir import Mode
from catalogctl.model.from_catalog import desired_resources
from catalogctl.plan.builder import build_plan
from catalogctl.plan.policy import PlanPolicy
from catalogctl.providers.groovekart import PROVIDER
from catalogctl.state.file import load_state

from .store import DESCRIPTION, populate, sandbox


def test_import_of_an_api_made_store_plans_clean(tmp_path: Path) -> None:
    out, state_path = tmp_path / "catalog", tmp_path / "catalog/.catalogctl/state/shop.json"
    messages: list[str] = []
    ids: dict[str, str] = {}

    async def scenario() -> None:
        async with sandbox(tmp_path / "store.sqlite") as (raw, provider):
            ids.update(await populate(raw))
            report = await import_store(provider, {}, out, Mode.FRESH, "shop", state_path, messages.append)
            assert [s.live_id for s in report.unkeyed] == [ids["loose"]]
            assert [(s.live_id, s.sku) for s in report.shadowed] == [(ids["draft"], "TEE")]
            assert "Products sharing a sku with another product, not written" in report.render()
            assert report.images_recorded == 2 and report.counts["products"] == 2
            state = load_state(state_path, "shop")
            live = await provider.read(state.facts)
        assert check_catalog(out).problems == ()
        plan = build_plan(desired_resources(load_catalog(out)), live, PROVIDER, PlanPolicy("shop"))
        assert [(c.address, c.action.value, c.before, c.after) for c in plan.changes] == []

    asyncio.run(scenario())
    tee = (out / "products/tee.yaml").read_text()
    assert "      matrix:\n        Color:\n          - {value: Navy, color: '#1F2A44'}\n" in tee
    assert "          - {value: Sand, color: '#D8C8A8'}\n        Size: [S, M, XL]\n" in tee
    assert "sku: TEE-{Color}-{Size}-{Fit}" in tee and "XL: 2\n" in tee and "tags: [cotton, organic, summer]" in tee
    assert "      images:\n        Color:\n          Sand: https://" in tee
    assert "description: |-\n      " + DESCRIPTION.replace("\n", "\n      ") + "\n" in tee
    mug = (out / "products/mug-old.yaml").read_text()
    assert "active: false" in mug and "visibility: search" in mug and "sku: MUG-BIG\n        price: 12.49" in mug
    loose = (out / f"products/no-sku-{ids['loose']}.yaml").read_text().splitlines()
    assert all(line.startswith("#") for line in loose) and "#     title: Mystery Box" in loose
    groups = (out / "variant-groups.yaml").read_text()
    assert "name: Color\n    type: color" in groups and "name: Fit\n    type: select" in groups
    facts = json.loads(state_path.read_text())["facts"]
    assert sorted(facts) == sorted(["image:111111", "image:111112", f"product:{ids['mug']}", f"product:{ids['tee']}"])
    assert facts[f"product:{ids['tee']}"] == {"managed": True}  # adopted: a later copy of the sku never takes over
    assert any("Read " in message for message in messages)
