"""Renames (`previous_skus`) against the sandbox over real HTTP: the sku changes in place (same id,
url, variants, images), the other differences converge in the same apply, the next plan is empty
with and without state; when old and new are both live nothing changes and the plan says why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from applykit import served_sandbox, write_target
from guardkit import apply, plan, product, rows, tee, write

IMAGES = "images: [https://img.example.com/tee/front.jpg, https://img.example.com/tee/back.jpg]"


def _snapshot(db: Path, product_id: int) -> dict[str, list[tuple[object, ...]]]:
    """What a rename must keep: the product's url slug, variant ids and image ids."""
    return {
        "url": rows(db, "SELECT link_rewrite FROM product WHERE id = ?", product_id),
        "variants": rows(db, "SELECT id FROM variant WHERE id_product = ? ORDER BY id", product_id),
        "images": rows(db, "SELECT id, position FROM image WHERE id_product = ? ORDER BY id", product_id),
    }


def test_a_rename_keeps_the_live_product_and_converges_in_one_apply(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("TS-OLD", extra=IMAGES))
        write_target(shop, served.url)
        assert apply(shop).exit_code == 0
        old_id = product(served.db, "TS-OLD")[0]
        kept = _snapshot(served.db, old_id)
        assert len(kept["variants"]) == 2 and len(kept["images"]) == 2

        # renamed, repriced, and protected: a rename is no harm; variant skus follow as plain updates
        extra = IMAGES + "\nprevious_skus: [TS-OLD]\nlifecycle: {protect: true}"
        write(shop, tee("TS-NEW", price="22.00", extra=extra))
        text = plan(shop)
        assert text.exit_code == 0, text.output
        assert '~ product["TS-NEW"] (renamed from "TS-OLD") will be updated in place' in text.output
        assert 'sku: "TS-OLD" -> "TS-NEW"' in text.output
        document = json.loads(plan(shop, "--format", "json").stdout)
        assert document["format_version"] == 2
        changes = {c["address"]: c for c in document["changes"]}
        own = changes['product["TS-NEW"]']
        assert own["renamed_from"] == "TS-OLD" and own["action"] == "update"
        assert own["before"] == {"sku": "TS-OLD", "title": "Tee TS-OLD", "price": "20"}
        assert own["after"] == {"sku": "TS-NEW", "title": "Tee TS-NEW", "price": "22"}
        assert changes['product["TS-NEW"].variant["Size=S"]']["after"]["sku"] == "TS-NEW-S"
        assert not any(c["action"] in ("create", "delete", "replace") for c in document["changes"])

        result = apply(shop)
        assert result.exit_code == 0, result.output
        assert rows(served.db, "SELECT id FROM product") == [(old_id,)]  # no second product
        new_id, _, price, active = product(served.db, "TS-NEW")
        assert new_id == old_id and price.startswith("22") and active == 1
        assert _snapshot(served.db, new_id) == kept
        skus = rows(served.db, "SELECT sku FROM variant WHERE id_product = ? ORDER BY sku", new_id)
        assert skus == [("TS-NEW-M",), ("TS-NEW-S",)]

        assert "No changes." in plan(shop).output
        shutil.rmtree(shop / ".catalogctl")  # a fresh clone: no state
        fresh = json.loads(plan(shop, "--format", "json").stdout)
        assert fresh["changes"] == [] and fresh["warnings"] == []


def test_old_and_new_both_live_changes_nothing_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the warning names the catalog's file relative to here
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("TS-OLD") + tee("TS-NEW", sizes="[L]"))
        write_target(shop, served.url, prune=True)
        assert apply(shop).exit_code == 0
        old_id, new_id = product(served.db, "TS-OLD")[0], product(served.db, "TS-NEW")[0]

        write(shop, tee("TS-NEW", price="30.00", extra="previous_skus: [TS-OLD]"))  # prune would deactivate TS-OLD
        document = json.loads(plan(shop, "--format", "json").stdout)
        assert document["changes"] == [] and document["steps"] == []
        (warning,) = document["warnings"]
        assert warning.startswith(f'product["TS-NEW"]: both product["TS-NEW"] (live id {new_id}, \'Tee TS-NEW\') '
                                  f'and its previous sku product["TS-OLD"] (live id {old_id}, \'Tee TS-OLD\') are '
                                  "in the store; nothing is planned")
        assert "remove 'TS-OLD' from previous_skus (at shop/catalog.yaml:" in warning
        for fmt in ("text", "markdown", "html"):
            assert f"live id {old_id}" in plan(shop, "--format", fmt).output
        assert apply(shop).exit_code == 0
        assert sorted(rows(served.db, "SELECT id, sku, active, price FROM product")) == sorted([
            (old_id, "TS-OLD", 1, "20.000000"), (new_id, "TS-NEW", 1, "20.000000")])


def test_several_previous_skus_live_is_refused_without_a_guess(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("TS-A") + tee("TS-B"))
        write_target(shop, served.url)
        assert apply(shop).exit_code == 0
        write(shop, tee("TS-NEW", extra="previous_skus: [TS-A, TS-B]"))
        document = json.loads(plan(shop, "--format", "json").stdout)
        assert document["changes"] == []  # above all: no second product created
        (warning,) = document["warnings"]
        assert "several of its previous skus are in the store" in warning and "does not guess" in warning
        assert apply(shop).exit_code == 0
        assert [r[0] for r in rows(served.db, "SELECT sku FROM product ORDER BY sku")] == ["TS-A", "TS-B"]


def test_ignore_changes_does_not_block_a_rename_and_policies_see_its_prices(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("TS-OLD"))
        write_target(shop, served.url, policies={"max_price_change_percent": 10})
        assert apply(shop).exit_code == 0
        old_id = product(served.db, "TS-OLD")[0]

        extra = "previous_skus: [TS-OLD]\nlifecycle: {ignore_changes: [title]}"
        write(shop, tee("TS-NEW", price="30.00", extra=extra))
        document = json.loads(plan(shop, "--format", "json").stdout)
        own = next(c for c in document["changes"] if c["address"] == 'product["TS-NEW"]')
        assert own["renamed_from"] == "TS-OLD" and "title" not in own["after"]
        policies = {(v["policy"], v["address"]) for v in document["policy_violations"]}
        assert ("max_price_change_percent", 'product["TS-NEW"]') in policies
        refused = apply(shop)
        assert refused.exit_code == 1 and "max_price_change_percent" in refused.output
        assert product(served.db, "TS-OLD")[0] == old_id  # refused: nothing renamed
        assert apply(shop, "--override-policy", "max_price_change_percent").exit_code == 0
        assert product(served.db, "TS-NEW") == (old_id, "Tee TS-OLD", "30.000000", 1)  # title ignored
        assert "No changes." in plan(shop).output
