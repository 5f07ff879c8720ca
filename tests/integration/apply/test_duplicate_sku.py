"""Another product with a managed sku (an admin's "duplicate product"): catalogctl keeps managing the
product it manages, lists the other as a duplicate in every format, and leaves it alone unless the
target prunes. With state or without (a fresh clone keeps the oldest active one)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import httpx
from applykit import SANDBOX_ENV, copy_example, run, served_sandbox, write_target

AUTH = {"auth_token": "gk-sandbox", "api_key": "sandbox-api-key", "api_user": "catalogctl"}


def products_with_sku(db: Path, sku: str) -> list[tuple[int, str, int]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT id, title, active FROM product WHERE sku = ? ORDER BY id", (sku,)).fetchall()


def plans(shop: Path) -> dict[str, str]:
    found = {}
    for fmt in ("text", "markdown", "json"):
        result = run("plan", shop, "--target", "http", "--format", fmt, "--no-color", env=SANDBOX_ENV)
        assert result.exit_code == 0, result.output
        found[fmt] = result.stdout
    return found


def test_a_copy_made_in_the_admin_is_listed_left_alone_and_only_pruning_deactivates_it(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = copy_example("tshirt-shop", tmp_path)
        write_target(shop, served.url)
        assert run("apply", shop, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        ((original, _, _),) = products_with_sku(served.db, "TS-CLASSIC")
        copy = httpx.post(f"{served.url}/api/products.json", json={**AUTH, "product": {
            "title": "Classic Tee (copy)", "price": "19", "compare_default_price": "0", "sku": "TS-CLASSIC",
            "weight": "0", "visibility": "both"}})
        copy_id = int(copy.json()["id_product"])
        assert copy_id > original

        clone = tmp_path / "clone"
        shutil.copytree(shop, clone, ignore=shutil.ignore_patterns(".catalogctl"))
        for catalog in (shop, clone):  # with state, and a fresh clone without it
            shown = plans(catalog)
            document = json.loads(shown["json"])
            assert document["changes"] == [] and document["steps"] == []
            warning = f"live product {copy_id} ('Classic Tee (copy)') has the same sku"
            assert any(warning in w and f"manages live product {original}" in w for w in document["warnings"])
            assert warning in shown["text"] and "live product " + str(copy_id) in shown["markdown"]
            assert "No changes." in shown["text"]
            detailed = run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV)
            assert detailed.exit_code == 0, detailed.output
        assert run("apply", clone, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        assert [(pid, active) for pid, _, active in products_with_sku(served.db, "TS-CLASSIC")] == [
            (original, 1), (copy_id, 1)]

        write_target(clone, served.url, prune=True)
        document = json.loads(plans(clone)["json"])
        assert [(c["address"], c["action"]) for c in document["changes"]] == [('product["TS-CLASSIC"]', "delete")]
        (step,) = document["steps"]
        assert step["action"]["live_id"] == str(copy_id)
        assert run("apply", clone, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        assert [(pid, active) for pid, _, active in products_with_sku(served.db, "TS-CLASSIC")] == [
            (original, 1), (copy_id, 0)]
        after = json.loads(plans(clone)["json"])
        assert after["changes"] == [] and not any("same sku" in w for w in after["warnings"])
