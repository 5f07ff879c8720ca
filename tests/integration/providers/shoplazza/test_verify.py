"""Shoplazza over real HTTP: the shop's facts are preconditions; a mismatch shows in every format and apply refuses."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from shoplazza_cli import ENV, TOKEN_ENV, catalog, run, served


def test_the_right_shop_plans_empty_asking_only_for_the_named_fields(tmp_path: Path) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        plan = run("plan", root, "--target", "http", "--no-color", "--detailed-exitcode")
        assert plan.exit_code == 0, plan.output
        assert shop.queries == ["fields=name%2Ccurrency%2Cprimary_locale%2Ctimezone%2Ccountry_code%2Cdomain"]
        applied = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert applied.exit_code == 0 and "No changes" in applied.output


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_mismatch_is_a_failed_precondition_in_every_format(tmp_path: Path, fmt: str) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        shop.set_shop(currency="EUR")
        plan = run("plan", root, "--target", "http", "--no-color", "--format", fmt)
        # the plan is shown, and the command fails: a CI gate on plan must not pass the wrong shop
        assert plan.exit_code == 1, plan.output
        assert "1 precondition failed: this target is not the store the catalog is for" in plan.stderr
        if fmt == "json":
            failed = [p for p in json.loads(plan.stdout)["preconditions"] if not p["ok"]]
            assert failed == [{"address": 'store["shop"]', "name": "currency", "expected": "USD", "actual": "EUR",
                               "ok": False}]
        else:
            assert "precondition FAILED" in plan.stdout and "'USD'" in plan.stdout and "'EUR'" in plan.stdout
            assert "No changes" not in plan.stdout


def test_apply_refuses_the_wrong_shop(tmp_path: Path) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        shop.set_shop(domain="another-shop.myshoplaza.com")
        applied = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert applied.exit_code == 1
        assert "the target is not the store this catalog is for" in applied.output
        assert "another-shop.myshoplaza.com" in applied.output


def test_sections_shoplazza_cannot_manage_are_noted_once(tmp_path: Path) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        (root / "catalog.yaml").write_text("categories:\n  - title: A\n  - title: B\n"
                                           "webhooks:\n  - {name: w, endpoint: 'https://x.example.com/h'}\n")
        plan = run("plan", root, "--target", "http", "--no-color")
        assert plan.output.count("unsupported for provider shoplazza") == 2, plan.output
        assert "section `categories` (2)" in plan.output


@pytest.mark.parametrize(("setup", "status", "words"), [
    ({"state": "closed"}, 404, "store is not active"),
    (None, 401, "UnauthorizedError"),
])
def test_documented_errors_are_clear_with_the_request_id(tmp_path: Path, setup: dict[str, str] | None,
                                                        status: int, words: str) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        if setup:
            shop.set_shop(**setup)
        env = None if setup else {TOKEN_ENV: "wrong-token"}
        plan = run("plan", root, "--target", "http", "--no-color", env=env)
        assert plan.exit_code == 1, plan.output
        assert f"Shoplazza call shop failed (HTTP {status})" in plan.output and words in plan.output
        assert "[Request-Id " in plan.output and "Traceback" not in plan.output
        assert "wrong-token" not in plan.output


@pytest.mark.parametrize("status", [400, 500, 520])
def test_forced_documented_statuses(tmp_path: Path, status: int) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        for _ in range(6):
            shop.force(status)
        plan = run("plan", root, "--target", "http", "--no-color")
        assert plan.exit_code == 1, plan.output
        assert f"(HTTP {status})" in plan.output and "[Request-Id " in plan.output
        assert "Traceback" not in plan.output


def test_a_single_500_is_retried(tmp_path: Path) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        shop.force(520)
        plan = run("plan", root, "--target", "http", "--no-color", "--detailed-exitcode")
        assert plan.exit_code == 0, plan.output
        assert shop.shop_requests() == 2


def test_a_full_bucket_429_is_waited_out(tmp_path: Path) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        headers = {"access-token": ENV[TOKEN_ENV], "content-type": "application/json"}
        for _ in range(2):  # another client of the same app fills the bucket
            httpx.get(f"{shop.url}/openapi/2022-01/shop", params={"fields": "id"}, headers=headers)
        started = time.monotonic()
        plan = run("plan", root, "--target", "http", "--no-color", "--detailed-exitcode")
        assert plan.exit_code == 0, plan.output
        assert shop.shop_requests() >= 4 and time.monotonic() - started < 10


def test_import_writes_the_shops_facts_into_store(tmp_path: Path) -> None:
    with served(tmp_path) as shop:
        root = catalog(tmp_path, shop.url)
        out = tmp_path / "imported"
        import os

        cwd = os.getcwd()
        os.chdir(root)
        try:
            result = run("import", out, "--target", "http")
        finally:
            os.chdir(cwd)
        assert result is not None and result.exit_code == 0, result.output
        text = (out / "store.yaml").read_text()
        assert "currency: USD" in text and "domain: test-shoplazza.stg.myshoplaza.com" in text
        assert "timezone: '+0800'" in text
        assert shop.queries[-1].startswith("fields=name%2Ccurrency")


def test_the_embedded_shop_target_verifies(tmp_path: Path) -> None:
    root = catalog(tmp_path, "http://unused")
    (root / "catalogctl.yaml").write_text("targets:\n  shop:\n    provider: shoplazza\n")
    assert run("plan", root, "--target", "shop", "--detailed-exitcode").exit_code == 0
    assert run("apply", root, "--target", "shop", "--auto-approve").exit_code == 0
