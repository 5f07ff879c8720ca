"""`lifecycle:` against the sandbox over real HTTP: protect stops a deactivation, a rebuild of the
variants and a webhook delete (also with --force); ignored fields are set on create, survive a
drift in the store and are never updated, and the plan counts what it ignored in one line."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from applykit import served_sandbox, write_target
from guardkit import apply, plan, product, rows, tee, variant_ids, write

AUTH = {"auth_token": "gk-sandbox", "api_key": "sandbox-api-key", "api_user": "catalogctl"}
PROTECT = "lifecycle: {protect: true}"


def test_protect_stops_a_deactivation_and_a_rebuild_even_with_force(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("KEEP", extra=PROTECT) + tee("FREE"))
        write_target(shop, served.url, prune=True)
        assert apply(shop).exit_code == 0
        kept_id = product(served.db, "KEEP")[0]
        before = variant_ids(served.db, kept_id)

        write(shop, tee("KEEP", extra=PROTECT + "\nactive: false") + tee("FREE"))
        for result in (plan(shop), apply(shop), apply(shop, "--force")):
            assert result.exit_code == 1
            assert 'product["KEEP"] is protected (lifecycle.protect at shop/catalog.yaml:13:' in result.output
            assert "this plan would deactivate it" in result.output
            assert "--force does not lift a protection" in result.output
        write(shop, tee("KEEP", extra=PROTECT, sizes="[S]") + tee("FREE"))  # removing M rebuilds the variant set
        result = apply(shop, "--force")
        assert result.exit_code == 1
        assert "would rebuild its variants (variant ids change)" in result.output
        assert product(served.db, "KEEP")[3] == 1 and variant_ids(served.db, kept_id) == before

        write(shop, tee("KEEP", extra=PROTECT))  # FREE is not protected: pruning deactivates it
        assert apply(shop).exit_code == 0
        assert product(served.db, "FREE")[3] == 0 and product(served.db, "KEEP")[3] == 1


def test_protect_on_a_webhook_and_a_blocked_replacement_is_not_a_harm(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        hook = "  - name: orders\n    endpoint: https://hooks.example.com/a\n    lifecycle: {protect: true}\n"
        write(shop, tee("KEEP", extra=PROTECT), webhooks=hook)
        write_target(shop, served.url, prune=True)
        assert apply(shop).exit_code == 0
        # a category change is a replacement: blocked without --allow-replace (changes nothing), refused with it
        (shop / "catalog.yaml").write_text((shop / "catalog.yaml").read_text().replace(
            "  - title: Shirts\n", "  - title: Shirts\n  - title: Tops\n").replace(
            "category: Shirts", "category: Tops"))
        assert plan(shop).exit_code == 0
        result = plan(shop, "--allow-replace")
        assert result.exit_code == 1 and "this plan would replace it (new id and URL)" in result.output
        edited = (shop / "catalog.yaml").read_text().replace("https://hooks.example.com/a", "https://hooks.example.com/b")
        (shop / "catalog.yaml").write_text(edited)
        result = plan(shop, "--format", "json")  # an endpoint update is no harm
        assert result.exit_code == 0, result.output
        changes = {c["address"]: c["action"] for c in json.loads(result.stdout)["changes"]}
        assert changes == {'category["Tops"]': "create", 'product["KEEP"]': "replace", 'webhook["orders"]': "update"}


def test_ignored_fields_are_set_on_create_survive_a_drift_and_are_never_updated(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        ignore = "lifecycle: {ignore_changes: [price, tags]}\ntags: [cotton]"
        write(shop, tee("REPRICED", price="20.00", extra=ignore))
        write_target(shop, served.url)
        assert apply(shop).exit_code == 0
        pid, _, price, _ = product(served.db, "REPRICED")
        assert price.startswith("20")  # set on create
        # a repricing app moves the price and a variant's price; someone retags it
        drift = httpx.post(f"{served.url}/api/products.json",
                           json={**AUTH, "product": {"action": "update_product", "id": pid, "price": "27.50"}})
        assert drift.json()["status"] == "success"
        with_ids = rows(served.db, "SELECT id FROM variant WHERE id_product = ? ORDER BY id", pid)
        assert len(with_ids) == 2
        write(shop, tee("REPRICED", price="21.00", title="Renamed title", extra=ignore.replace("cotton", "linen")))
        result = plan(shop, "--format", "json")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        changed = {c["address"]: c["after"] for c in document["changes"]}
        assert changed == {'product["REPRICED"]': {"title": "Renamed title"}}
        (note,) = [n for n in document["notes"] if "ignore_changes" in n]
        assert note == ("4 differences ignored by ignore_changes on 1 product: price (3), tags (1)"
                        " (set on create, never updated)")
        text = plan(shop).output
        assert "ignored by ignore_changes" in text
        assert f"<li>{note}</li>" in plan(shop, "--format", "html").stdout  # every format, not hidden
        assert apply(shop).exit_code == 0
        _, title, price, _ = product(served.db, "REPRICED")
        assert title == "Renamed title" and price.startswith("27.5")  # never updated
        tags = rows(served.db, "SELECT name FROM product_tag WHERE id_product = ?", pid)
        assert tags == [("cotton",)]  # set on create, the new list never sent


def test_a_target_may_ignore_fields_for_every_product(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("A", price="10.00") + tee("B", price="12.00"))
        write_target(shop, served.url, ignore_changes=["price"])
        assert apply(shop).exit_code == 0
        write(shop, tee("A", price="11.00") + tee("B", price="13.00"))
        result = plan(shop, "--format", "json")
        document = json.loads(result.stdout)
        assert document["changes"] == []
        assert any(n.startswith("6 differences ignored by ignore_changes on 2 products: price (6)") for n in
                   document["notes"])
        assert "No changes." in plan(shop).output
