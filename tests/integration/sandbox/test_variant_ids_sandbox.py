"""A new product's variant ids are taken from its one INSERT's lastrowid instead of read back (issue 13);
they must be the ids the store holds, also where AUTOINCREMENT skips the ids of deleted variants."""

from __future__ import annotations

import sqlite3

from contract_requests import product_body
from sandbox_helpers import Sandbox


def _stored_ids(sandbox: Sandbox, product: int) -> list[int]:
    with sqlite3.connect(sandbox.db_path) as conn:
        return [vid for (vid,) in conn.execute("SELECT id FROM variant WHERE id_product = ? ORDER BY id", (product,))]


def test_the_answered_variant_ids_are_the_stored_ones_after_deleted_variants(sandbox: Sandbox) -> None:
    category = int(sandbox.call("create_categories", category={"title": "Tees"})["categories"][-1]["id"])
    first = sandbox.call("products", product=product_body(category))
    pid = int(first["id_product"])
    assert [v["variant_id"] for v in first["variants"]] == _stored_ids(sandbox, pid)
    sandbox.call("variants", action="delete", product_id=pid)  # the largest ids are gone, never handed out again
    assert _stored_ids(sandbox, pid) == []
    body = product_body(category)
    body["sku"], body["title"] = "CT-2", "Contract Tee 2"
    body["variants"] = [{**variant, "sku": f"CT-2-{at}"} for at, variant in enumerate(body["variants"])]
    second = sandbox.call("products", product=body)
    ids = [v["variant_id"] for v in second["variants"]]
    assert ids == _stored_ids(sandbox, int(second["id_product"])) and min(ids) > max(
        v["variant_id"] for v in first["variants"])
