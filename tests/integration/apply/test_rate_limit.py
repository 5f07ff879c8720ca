"""A store that allows a few requests per second: one apply at the default concurrency completes
in one run (the target slows down on 429 and keeps to the store's pace), with no duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from applykit import SANDBOX_ENV, Product, duplicates, run, served_sandbox, write_catalog, write_target


def test_an_apply_under_a_low_rate_limit_completes_in_one_run(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product(f"R-{n:02}", tags=["limited"]) for n in range(12)])
    report = tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=8)
        served.faults(rate_limit_rps=2, retry_after_s=1, latency_ms=5)
        result = run("apply", catalog, "--target", "http", "--auto-approve", "--report", report, env=SANDBOX_ENV)
        assert result.exit_code == 0, result.output
        outcome = json.loads(report.read_text())
        assert outcome["status"] == "ok" and outcome["counts"]["failed"] == 0
        served.faults()
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0
        assert duplicates(served.db) == {"products": [], "variants": [], "images": []}
