"""Invariants under any sequence of variant operations (hypothesis, in-process through ASGITransport)."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_helpers import AUTH, new_product

from catalogctl.sandbox import create_app

_APP = create_app(Path(tempfile.mkdtemp(prefix="sandbox-invariants-")) / "store.db")
_NAMES = itertools.count()

Op = tuple[str, int, bool]
OPS = st.lists(st.tuples(st.sampled_from(["add", "update", "delete"]), st.integers(0, 5), st.booleans()),
               min_size=1, max_size=8)


async def _apply(ops: list[Op]) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_APP), base_url="http://sandbox") as client:
        async def call(endpoint: str, **fields: Any) -> Any:
            response = await client.post(f"/api/{endpoint}.json", json={**AUTH, **fields})
            assert response.status_code == 200
            return response.json()

        product = new_product("Invariant", variant_groups=[{"name": "Size", "group_type": "select"}])
        pid = int((await call("products", product=product))["id_product"])
        for kind, index, flag in ops:
            rows = (await call("products", product={"id": pid}))["product"]["variants"]
            ids = sorted({int(row["id_product_attribute"]) for row in rows})
            if kind == "add":
                value = {"Size": {"variant_group_type": "select", "variant_name": f"S{next(_NAMES)}"}}
                await call("variants", action="add", product_id=pid,
                           variants=[{"variant_values": value, "price": 2, "compare_at_price": 0,
                                      "default_on": int(flag)}])
            elif kind == "update" and ids:
                await call("variants", action="update", product_id=pid,
                           variants=[{"id": ids[index % len(ids)], "price": 2, "compare_at_price": 0,
                                      "default_on": int(flag)}])
            elif kind == "delete":
                await call("variants", action="delete", product_id=pid)
            listed = (await call("search_products", ids=str(pid)))["products"]["0"]["variants"]
            defaults = {row["id_product_variant"] for row in listed if row["default_on"] == "1"}
            assert len(defaults) == (1 if listed else 0), (ops, listed)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_exactly_one_default_variant_whatever_the_sequence(ops: list[Op]) -> None:
    asyncio.run(_apply(ops))
