"""plan and apply through the real CLI against the embedded sandbox (in process, no server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from applykit import Product, copy_example, run, write_catalog

from catalogctl.config.targets import resolve_target
from catalogctl.plan.model import Plan
from catalogctl.session import state_lock


@pytest.mark.parametrize("example", ["tshirt-shop", "pod-store"])
def test_examples_converge(example: str, tmp_path: Path) -> None:
    catalog = copy_example(example, tmp_path)
    applied = run("apply", catalog, "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete:" in applied.output and "0 failed, 0 skipped" in applied.output
    again = run("plan", catalog, "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes. The store matches the catalog." in again.output


def test_detailed_exitcode_is_2_when_something_changes(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    result = run("plan", catalog, "--detailed-exitcode")
    assert result.exit_code == 2, result.output
    assert 'product["A-1"] will be created' in result.output
    assert run("plan", catalog).exit_code == 0


def test_apply_without_a_terminal_refuses_to_prompt(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    result = run("apply", catalog)
    assert result.exit_code == 1
    assert "stdin is not a terminal" in result.output and "--auto-approve" in result.output
    assert run("plan", catalog, "--detailed-exitcode").exit_code == 2  # nothing was applied


def test_report_lists_every_step(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1", images=["https://img.example/a.png"]),
                                                Product("B-2", sizes=["S", "M"])])
    report = tmp_path / "report.json"
    result = run("apply", catalog, "--auto-approve", "--report", report)
    assert result.exit_code == 0, result.output
    document = json.loads(report.read_text())
    assert document["status"] == "ok" and document["target"] == "embedded"
    assert document["counts"] == {"done": len(document["steps"]), "failed": 0, "skipped": 0}
    ops = {step["op"] for step in document["steps"]}
    assert {"create_categories", "create_variant_groups", "create_product"} <= ops
    assert all(step["status"] == "done" and step["error"] is None for step in document["steps"])
    assert any('product["B-2"]' in step["addresses"] for step in document["steps"])


def test_plan_file_round_trip_then_apply_it(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1", tags=["x"])])
    out = tmp_path / "plan.json"
    planned = run("plan", catalog, "--out", out, "--format", "json")
    assert planned.exit_code == 0, planned.output
    saved = Plan.from_json(out.read_text())
    assert Plan.from_json(planned.stdout) == saved
    assert Plan.from_json(saved.to_json()) == saved
    applied = run("apply", out)
    assert applied.exit_code == 0, applied.output
    assert f"Apply complete: {len(saved.changes)} created; 0 failed" in applied.output
    assert f"({len(saved.steps)} of {len(saved.steps)} steps" in applied.output
    assert run("plan", catalog, "--detailed-exitcode").exit_code == 0


def test_a_saved_plan_is_refused_once_the_store_changed(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    out = tmp_path / "plan.json"
    assert run("plan", catalog, "--out", out).exit_code == 0
    assert run("apply", catalog, "--auto-approve").exit_code == 0
    refused = run("apply", out)
    assert refused.exit_code == 1
    assert "the store changed since this plan was made" in refused.output
    assert "Traceback" not in refused.output


def test_a_second_apply_on_a_locked_target_fails_fast(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    lock = state_lock(resolve_target(catalog, None))
    with lock:
        result = run("apply", catalog, "--auto-approve")
    assert result.exit_code == 1
    assert str(lock.path) in result.output and "only one apply may run at a time" in result.output
    assert run("apply", catalog, "--auto-approve").exit_code == 0


def test_address_limits_the_plan(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1"), Product("B-2")])
    result = run("plan", catalog, "--address", 'product["A-1"]', "--format", "json")
    assert result.exit_code == 0, result.output
    addresses = {change["address"] for change in json.loads(result.stdout)["changes"]}
    assert 'product["A-1"]' in addresses and 'product["B-2"]' not in addresses
    bad = run("plan", catalog, "--address", "A-1")
    assert bad.exit_code == 1 and "expected e.g. product" in bad.output


def test_markdown_format_and_verbose_request_count(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    result = run("plan", catalog, "--format", "markdown", "--verbose")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("### catalogctl plan for `embedded`")
    assert "Read the store in" in result.stderr


def test_an_invalid_catalog_is_one_readable_error(tmp_path: Path) -> None:
    catalog = tmp_path / "shop"
    catalog.mkdir()
    (catalog / "catalog.yaml").write_text("products:\n  - sku: A\n    price: -1\n")
    result = run("apply", catalog, "--auto-approve")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "catalog.yaml:2" in result.output
