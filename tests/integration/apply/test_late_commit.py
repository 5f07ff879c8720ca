"""The sandbox's late-commit fault over real HTTP: creates lose their answer and their write lands
900 ms later. The apply looks each one up again after growing waits instead of creating it
twice: no duplicates, and the store ends up matching the catalog."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
from applykit import SANDBOX_ENV, Product, duplicates, run, served_sandbox, write_catalog, write_target


def test_late_commits_never_duplicate(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product(f"L-{n:02}", sizes=["S", "M"],
                                                        images=[f"https://img.example/l{n}.png"]) for n in range(8)])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=4)
        served.faults(late_commit_rate=0.5, late_commit_ms=900, seed=5)
        first = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        late = httpx.get(f"{served.url}/__sandbox/late_commits").json()
        deadline = time.monotonic() + 10
        while late["pending"] and time.monotonic() < deadline:
            time.sleep(0.1)
            late = httpx.get(f"{served.url}/__sandbox/late_commits").json()
        assert late["landed"] >= 2, late          # the fault did hold writes back
        assert duplicates(served.db) == {"products": [], "variants": [], "images": []}
        assert first.exit_code == 0, first.output
        # each lost answer was recorded, then found by the step's own lookups: no record is left
        facts = json.loads((catalog / ".catalogctl" / "state" / "http.json").read_text())["facts"]
        assert [key for key in facts if key.startswith("uncertain:")] == []
        served.faults()
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0
