"""A store that answers HTTP 429 to everything: plan and apply give up after the target's
`rate_limit_deadline` (not after 30 x 429 per call, which took 844 s for a plan and ~300 s per
apply step), say so in one clear message, and warn once on stderr when the throttling starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from applykit import SANDBOX_ENV, Product, run, served_sandbox, write_catalog, write_target

REFUSED = "the store refused every request for 2 s (HTTP 429, rate limited); nothing was sent after that"
WARNING = "the store is rate limiting (HTTP 429): slowing to"


def test_a_plan_against_a_store_refusing_everything_ends_at_the_deadline(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product(f"D-{n}") for n in range(3)])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, rate_limit_deadline=2)
        served.faults(rate_limit=1, retry_after_s=1)
        started = time.monotonic()
        result = run("plan", catalog, "--target", "http", env=SANDBOX_ENV)
        took = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert REFUSED in result.stderr
    assert "try later or lower concurrency / set requests_per_second" in result.stderr
    assert result.stderr.count(WARNING) == 1, result.stderr
    assert 2 <= took < 8, took


def test_an_apply_whose_store_starts_refusing_ends_at_the_deadline_and_reports_what_was_not_done(
        tmp_path: Path) -> None:
    products = 20
    catalog = write_catalog(tmp_path / "shop", [Product(f"E-{n:02}") for n in range(products)])
    report = tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, rate_limit_deadline=2)
        served.faults(latency_ms=100)
        process = subprocess.Popen(
            [sys.executable, "-m", "catalogctl", "apply", str(catalog), "--target", "http", "--auto-approve",
             "--concurrency", "1", "--report", str(report), "--no-color"],
            env={**os.environ, **SANDBOX_ENV}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert process.stdout is not None
            for line in process.stdout:   # the plan is made: from now on the store refuses everything
                if line.startswith("Plan:"):
                    break
            served.faults(rate_limit=1, retry_after_s=1, latency_ms=100)
            switched = time.monotonic()
            out, err = process.communicate(timeout=60)
            took = time.monotonic() - switched
        finally:
            process.kill()
    assert process.returncode == 1, out + err
    assert took < 10, took   # 20 independent steps, each failing at once after the deadline
    assert REFUSED in out + err
    assert err.count(WARNING) == 1, err
    outcome = json.loads(report.read_text())
    counts = outcome["counts"]
    assert counts["failed"] + counts.get("skipped", 0) >= products - 2, counts
    assert outcome["status"] != "ok"
