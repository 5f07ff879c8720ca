"""Import never writes a catalog that fails validate: of two live products sharing a sku (the
product's own, active or not, or a variant's, as a rename made outside catalogctl leaves them), it
writes the one a plan manages and reports the other."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from catalogctl.config import check_catalog, load_catalog
from catalogctl.importer.job import import_store
from catalogctl.importer.outdir import Mode
from catalogctl.model.from_catalog import desired_resources
from catalogctl.plan.builder import build_plan
from catalogctl.plan.policy import PlanPolicy
from catalogctl.providers.groovekart import PROVIDER
from catalogctl.state.file import load_state

from .store import call, sandbox, value


async def _product(raw: httpx.AsyncClient, sku: str, title: str, variant_skus: tuple[str, ...] = (),
                   active: bool = True) -> str:
    body: dict[str, Any] = {"title": title, "price": "20", "sku": sku, "compare_default_price": "0", "weight": "0",
                            "visibility": "both"}
    if variant_skus:
        body["variant_groups"] = [{"name": "Size", "group_type": "select"}]
        body["variants"] = [{"variant_values": {"Size": value("Size", size)}, "price": "20", "compare_at_price": "0",
                             "sku": vsku, "default_on": int(n == 0)}
                            for n, (size, vsku) in enumerate(zip(("S", "M"), variant_skus, strict=False))]
    answer = await call(raw, "products", {"product": body})
    if not active:
        await call(raw, "products", {"product": {"action": "product_status", "id": int(answer["id_product"]),
                                                 "active": False}})
    return str(answer["id_product"])


def test_import_writes_the_managed_one_of_two_products_sharing_a_sku(tmp_path: Path) -> None:
    out, state_path = tmp_path / "catalog", tmp_path / "catalog/.catalogctl/state/shop.json"
    ids: dict[str, str] = {}

    async def scenario() -> None:
        async with sandbox(tmp_path / "store.sqlite") as (raw, provider):
            # a rename made in the store's admin by copying: the copy keeps every variant sku
            ids["old"] = await _product(raw, "TS-OLD", "Tee", ("TS-S", "TS-M"))
            ids["copy"] = await _product(raw, "TS-NEW", "Tee (copy)", ("TS-S", "TS-M"))
            # one product sku twice, the newer inactive; and an inactive product clashing with an active one
            ids["mug"] = await _product(raw, "MUG", "Mug")
            ids["mug2"] = await _product(raw, "MUG", "Mug again", active=False)
            ids["cup_old"] = await _product(raw, "CUP-1", "Old cup", ("CUP-S",), active=False)
            ids["cup"] = await _product(raw, "CUP-2", "Cup", ("CUP-S",))
            report = await import_store(provider, {}, out, Mode.FRESH, "shop", state_path, lambda _: None)
            assert [(s.live_id, s.sku) for s in report.shadowed] == [(ids["mug2"], "MUG")]
            assert sorted((s.live_id, s.sku, s.clash) for s in report.clashing) == sorted([
                (ids["copy"], "TS-NEW", "sku 'TS-M' is also in product[\"TS-OLD\"]"),
                (ids["cup_old"], "CUP-1", "sku 'CUP-S' is also in product[\"CUP-2\"]")])
            text = report.render()
            assert "Products sharing a variant's sku with a product that was written, not written" in text
            assert f"  - live id {ids['copy']}: product['TS-NEW'], 'Tee (copy)': sku 'TS-M' is also in" in text
            assert not any("used by" in warning for warning in report.warnings)
            live = await provider.read(load_state(state_path, "shop").facts)
        result = check_catalog(out)
        assert [str(p) for p in result.problems if p.is_error] == []
        assert sorted(p.sku for p in result.catalog.products) == ["CUP-2", "MUG", "TS-OLD"]
        plan = build_plan(desired_resources(load_catalog(out)), live, PROVIDER, PlanPolicy("shop"))
        assert plan.changes == ()
        assert plan.unmanaged == ('product["TS-NEW"]',)  # an inactive one is not listed: nothing to manage

    asyncio.run(scenario())
