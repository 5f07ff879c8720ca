"""Soak benchmark: a 2,000-product catalog applied to a sandbox with mixed faults, re-applied
until the plan is empty. Prints the runs, the requests and the duplicates (which must be 0).

    python bench/soak.py [--products 2000] [--max-runs 8] [--budget 1200] [--late-ms 3000] [--timeout 10]

Faults (seeded, so a run can be replayed): 5% of requests answer HTTP 500, every 400th answers 429
(Retry-After 1 s), 2% of connections drop before the store sees the request, and 2% of creates
lose their answer and commit `--late-ms` later (3 s by default: after the apply's own lookups at
0.2/0.6/1.4 s, so only the state record and the next apply's settle wait keep them from being
duplicated; the target's `--timeout` is that window and must exceed `--late-ms`). Each apply and
plan runs the real CLI in a fresh process against the sandbox in its own process. The baseline in
the same run is one apply of the same catalog to a store without faults. Printed per store: runs
until the plan was empty, HTTP requests the store saw, seconds, the creates recorded as uncertain
and later adopted or created again, records left in state at the end (must be 0) and duplicates
(must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

try:
    from bench.sandbox_process import sandbox_process
except ModuleNotFoundError:  # run as `python bench/<name>.py`: bench/ itself is on sys.path
    from sandbox_process import sandbox_process

TOKEN_ENV, KEY_ENV = "BENCH_GK_TOKEN", "BENCH_GK_KEY"
FAULTS: dict[str, Any] = {"error_rate": 0.05, "rate_limit": 400, "retry_after_s": 1, "drop_rate": 0.02, "seed": 12}
LATE: dict[str, Any] = {"late_commit_rate": 0.02, "late_commit_ms": 3000}


def write_catalog(directory: Path, products: int) -> None:
    """Products with a cover image, tags and a 3-size matrix (one create request each, variants inline)."""
    directory.mkdir(parents=True, exist_ok=True)
    items = [{"sku": f"SK-{n:05}", "title": f"Soak product {n}", "price": "@15.00", "category": "Soak",
              "tags": ["soak"], "images": [f"https://img.example.com/soak/{n}.png"], "options": ["Size"],
              "variants": {"matrix": {"Size": ["S", "M", "L"]}, "sku": f"SK-{n:05}-{{Size}}"}}
             for n in range(products)]
    document = {"categories": [{"title": "Soak"}], "variant_groups": [{"name": "Size", "type": "select"}],
                "products": items}
    (directory / "catalog.yaml").write_text(json.dumps(document).replace('"@15.00"', "15.00"))


def late_commits_supported() -> bool:
    from catalogctl.sandbox import FaultConfig

    return all(name in FaultConfig.model_fields for name in LATE)


def duplicates(db: Path) -> int:
    """Products sharing a sku, variants sharing a value set in a product, images sharing a position."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        queries = (
            "SELECT COUNT(*) FROM (SELECT sku FROM product GROUP BY sku HAVING COUNT(*) > 1)",
            """SELECT COUNT(*) FROM (SELECT id_product, vals FROM (
                   SELECT v.id_product, v.id, GROUP_CONCAT(vv.id_attribute) AS vals
                   FROM variant v JOIN variant_value vv ON vv.id_variant = v.id GROUP BY v.id)
               GROUP BY id_product, vals HAVING COUNT(*) > 1)""",
            "SELECT COUNT(*) FROM (SELECT 1 FROM image GROUP BY id_product, position HAVING COUNT(*) > 1)",
        )
        return sum(int(connection.execute(query).fetchone()[0]) for query in queries)


def cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "catalogctl", *args], env=env, capture_output=True, text=True,
                          check=False)
    return done.returncode, done.stdout + done.stderr


def records_left(catalog: Path) -> int:
    """Uncertain-create records still in the target's state file."""
    path = catalog / ".catalogctl" / "state" / "soak.json"
    facts = json.loads(path.read_text())["facts"] if path.exists() else {}
    return sum(1 for key in facts if key.startswith("uncertain:"))


def wait_for_late_commits(url: str, seconds: float) -> None:
    """A late commit still pending would land now: wait for it, so duplicates count it too."""
    deadline = time.monotonic() + seconds
    while httpx.get(f"{url}/__sandbox/late_commits").json()["pending"] and time.monotonic() < deadline:
        time.sleep(0.2)


def soak(products: int, max_runs: int, budget: float, faults: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Apply until `plan --detailed-exitcode` says 0 (both under the faults)."""
    from catalogctl.sandbox import DEFAULT_CREDENTIALS

    env = {**os.environ, TOKEN_ENV: DEFAULT_CREDENTIALS.auth_token, KEY_ENV: DEFAULT_CREDENTIALS.api_key}
    with tempfile.TemporaryDirectory(prefix="catalogctl-soak-") as tmp:
        catalog, db = Path(tmp) / "catalog", Path(tmp) / "db.sqlite"
        write_catalog(catalog, products)
        with sandbox_process(str(db)) as served:
            target = {"provider": "sandbox", "url": served.url, "auth_token_env": TOKEN_ENV,
                      "api_key_env": KEY_ENV, "timeout": timeout}
            (catalog / "catalogctl.yaml").write_text(json.dumps({"targets": {"soak": target}}))
            httpx.post(f"{served.url}/__sandbox/faults", json=faults).raise_for_status()
            started, runs, converged, exits, uncertain, adopted = time.monotonic(), 0, False, [], 0, 0
            while runs < max_runs and time.monotonic() - started < budget:
                runs += 1
                code, output = cli(env, "apply", str(catalog), "--target", "soak", "--auto-approve")
                exits.append(code)
                uncertain += output.count("not sent again in this apply")
                adopted += output.count("had landed: adopted")
                if cli(env, "plan", str(catalog), "--target", "soak", "--detailed-exitcode")[0] == 0:
                    converged = True
                    break
            if converged and records_left(catalog):
                # The last plan found every recorded create landed; only an apply (which holds the lock)
                # drops the records: a no-op apply, as the next CI run would be.
                runs += 1
                code, output = cli(env, "apply", str(catalog), "--target", "soak", "--auto-approve")
                exits.append(code)
                adopted += output.count("had landed: adopted")
            elapsed = time.monotonic() - started
            requests = httpx.get(f"{served.url}/__sandbox/stats").json()["total"]
            wait_for_late_commits(served.url, faults.get("late_commit_ms", 0) / 1000 + 2)
            return {"runs": runs, "converged": converged, "exits": exits, "requests": requests,
                    "seconds": elapsed, "uncertain": uncertain, "adopted": adopted,
                    "left": records_left(catalog), "duplicates": duplicates(db)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=int(os.environ.get("BENCH_PRODUCTS", "2000")))
    parser.add_argument("--max-runs", type=int, default=8)
    parser.add_argument("--budget", type=float, default=1200.0, help="seconds; no new run starts after this")
    parser.add_argument("--late-ms", type=int, default=LATE["late_commit_ms"], help="how late a late commit lands")
    parser.add_argument("--timeout", type=float, default=10.0, help="the target's request timeout = settle window")
    options = parser.parse_args()
    late = {**LATE, "late_commit_ms": options.late_ms}
    faults = {**FAULTS, **(late if late_commits_supported() else {})}
    rows = [("no faults (baseline)", soak(options.products, options.max_runs, options.budget, {}, options.timeout)),
            ("mixed faults", soak(options.products, options.max_runs, options.budget, faults, options.timeout))]
    print(f"{options.products} products (x3 variants); faults: {json.dumps(faults)}")
    if not late_commits_supported():
        print("note: this sandbox has no late-commit fault; soaked without it")
    print(f"settle window (target timeout): {options.timeout:g} s")
    print(f"{'store':<22} {'runs':>4} {'converged':>9} {'requests':>9} {'seconds':>8} {'uncertain':>9} "
          f"{'adopted':>7} {'left':>4} {'duplicates':>10}  apply exits")
    for name, row in rows:
        print(f"{name:<22} {row['runs']:>4} {'yes' if row['converged'] else 'NO':>9} {row['requests']:>9} "
              f"{row['seconds']:>8.1f} {row['uncertain']:>9} {row['adopted']:>7} {row['left']:>4} "
              f"{row['duplicates']:>10}  {row['exits']}")
    faulty = rows[1][1]
    if faulty["duplicates"] or faulty["left"] or not faulty["converged"]:
        raise SystemExit("duplicates found, records left in state, or the plan never emptied")


if __name__ == "__main__":
    main()
