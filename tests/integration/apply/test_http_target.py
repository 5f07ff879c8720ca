"""A named target over real HTTP: a served sandbox, credentials from environment variables,
injected faults, the safety threshold and pruning."""

from __future__ import annotations

import json
from pathlib import Path

from applykit import (
    SANDBOX_ENV,
    TOKEN_ENV,
    Product,
    copy_example,
    duplicates,
    run,
    served_sandbox,
    write_catalog,
    write_target,
)


def test_example_converges_over_http_with_env_credentials(tmp_path: Path) -> None:
    catalog = copy_example("tshirt-shop", tmp_path)
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        applied = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert applied.exit_code == 0, applied.output
        assert served.stats()["mutating"] > 0
        again = run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV)
        assert again.exit_code == 0, again.output
        assert "No changes" in again.output
    assert (catalog / ".catalogctl" / "state" / "http.json").exists()
    assert not (catalog / ".catalogctl" / "sandbox.sqlite").exists()


def test_missing_credentials_variable_is_named(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    write_target(catalog, "http://127.0.0.1:9")
    result = run("plan", catalog, "--target", "http", env={TOKEN_ENV: "", "TEST_SANDBOX_KEY": "k"})
    assert result.exit_code == 1
    assert f"environment variable {TOKEN_ENV} is not set" in result.output


def test_a_store_refusal_is_reported_and_its_dependents_skipped(tmp_path: Path) -> None:
    """The store refuses one product (a title PrestaShop rejects, slipped into a saved plan): its image
    step is skipped, the other product is created, and a re-run finishes the job."""
    images = ["https://img.example/a0.png", "https://img.example/a1.png"]
    catalog = write_catalog(tmp_path / "shop", [Product("A-1", sizes=["S", "M"], images=images), Product("B-2")])
    plan_file, report = tmp_path / "plan.json", tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=2)
        assert run("plan", catalog, "--target", "http", "--out", plan_file, env=SANDBOX_ENV).exit_code == 0
        document = json.loads(plan_file.read_text())
        create = next(s for s in document["steps"] if s["action"]["op"] == "create_product"
                      and s["action"]["product"]["sku"] == "A-1")
        create["action"]["product"]["title"] = "Bad <title>"
        plan_file.write_text(json.dumps(document))
        result = run("apply", plan_file, "--report", report, env=SANDBOX_ENV)
        assert result.exit_code == 1, result.output
        outcome = json.loads(report.read_text())
        steps = {s["id"]: s for s in outcome["steps"]}
        assert outcome["status"] == "failed"
        failed = steps[create["id"]]
        assert failed["status"] == "failed" and "title" in failed["error"].lower()
        dependents = [s for s in document["steps"] if create["id"] in s["depends_on"]]
        assert dependents and all(steps[s["id"]]["status"] == "skipped" for s in dependents)
        assert all(steps[s["id"]]["error"] == f"depends on {create['id']}, which failed" for s in dependents)
        other = next(s for s in document["steps"] if s["action"]["op"] == "create_product" and s["id"] != create["id"])
        assert steps[other["id"]]["status"] == "done"
        assert "Apply failed:" in result.output and "failed  " + create["id"] in result.output
        finished = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert finished.exit_code == 0, finished.output
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0
        assert duplicates(served.db) == {"products": [], "variants": [], "images": []}


def test_prune_past_the_threshold_needs_force(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product(f"P-{n}") for n in range(12)])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, prune=True, concurrency=8)
        assert run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        write_catalog(catalog, [Product("P-0")])
        refused = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert refused.exit_code == 1
        assert "11 objects" in refused.output and "--force" in refused.output
        forced = run("apply", catalog, "--target", "http", "--auto-approve", "--force", env=SANDBOX_ENV)
        assert forced.exit_code == 0, forced.output
        after = run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV)
        assert after.exit_code == 0, after.output
