"""Shoprocket over real HTTP: plan, apply, an empty plan after, unsupported changes, lost state."""

from __future__ import annotations

import json
from pathlib import Path

from shoprocket_cli import catalog, run, served


def test_plan_apply_then_plan_empty(tmp_path: Path) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        plan = run("plan", root, "--target", "http", "--no-color", "--detailed-exitcode")
        assert plan.exit_code == 2, plan.output
        assert 'store["northwind-prints"] will be created' in plan.output
        assert "no record of a Shoprocket store" in plan.output  # said plainly: nothing to compare with
        applied = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert applied.exit_code == 0, applied.output
        assert "Apply complete: 3 created; 0 failed" in applied.output
        again = run("plan", root, "--target", "http", "--no-color", "--detailed-exitcode")
        assert again.exit_code == 0, again.output
        [store] = sandbox.stores()
        assert store["subdomain"] == "northwind-prints" and store["weight_unit"] == "kg"
        assert store["staff_emails"] == "orders@northwind.example,owner@northwind.example"
        state = json.loads((root / ".catalogctl" / "state" / "http.json").read_text())
        assert state["facts"]["store:northwind-prints"]["id"] == store["id"]


def test_a_changed_setting_is_unsupported_never_dropped(tmp_path: Path) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        assert run("apply", root, "--target", "http", "--auto-approve").exit_code == 0
        store = root / "store.yaml"
        store.write_text(store.read_text().replace("weight_unit: kg", "weight_unit: lb"))
        plan = run("plan", root, "--target", "http", "--no-color", "--detailed-exitcode")
        assert plan.exit_code == 2, plan.output
        assert 'weight_unit: "kg" -> "lb"' in plan.output
        assert "Shoprocket's API cannot update a store; change it in the dashboard" in plan.output
        applied = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert applied.exit_code == 0 and "Nothing to apply" in applied.output
        assert len(sandbox.stores()) == 1


def test_lost_state_never_creates_a_second_store_or_user(tmp_path: Path) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        assert run("apply", root, "--target", "http", "--auto-approve").exit_code == 0
        for path in (root / ".catalogctl" / "state").iterdir():
            path.unlink()
        applied = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert applied.exit_code == 0, applied.output
        assert len(sandbox.stores()) == 1
        assert sandbox.stats()["by_call"] == {"stores.create": 2, "user.create": 4}  # refused as taken, not retried
        again = run("plan", root, "--target", "http", "--no-color", "--detailed-exitcode")
        assert again.exit_code == 0, again.output
        assert "settings are unknown and not compared" in again.output


def test_a_store_without_subdomain_is_a_clear_catalog_error(tmp_path: Path) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        store = root / "store.yaml"
        store.write_text(store.read_text().replace("  subdomain: northwind-prints\n", ""))
        plan = run("plan", root, "--target", "http", "--no-color")
        assert plan.exit_code == 1
        assert "store.yaml:5:3: store: subdomain" in plan.output and "subdomain missing for Shoprocket" in plan.output
        assert "Traceback" not in plan.output


def test_the_embedded_sandbox_target_plans_applies_and_plans_empty(tmp_path: Path) -> None:
    root = catalog(tmp_path, "http://unused")
    (root / "catalogctl.yaml").write_text("targets:\n  bootstrap:\n    provider: shoprocket\n")
    assert run("apply", root, "--target", "bootstrap", "--auto-approve").exit_code == 0
    assert (root / ".catalogctl" / "sandbox-shoprocket.sqlite").exists()
    assert run("plan", root, "--target", "bootstrap", "--detailed-exitcode").exit_code == 0
