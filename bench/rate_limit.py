"""Benchmark: a from-scratch apply of 500 products to a sandbox that allows N requests per second.

    python bench/rate_limit.py [--products 500] [--rps 20] [--concurrency 8]

The sandbox serves from its own process with its token-bucket limiter (`rate_limit_rps`: N
tokens a second, a burst of N, 429 with Retry-After beyond). catalogctl does not know the limit:
on 429 it slows the whole target down and probes back up. The goal is one run that completes,
at >= 80% of N on average (requests the store accepted, over the time from the first request to
the last answer). The baseline in the same run is a target told the limit
(`requests_per_second: N`), i.e. what a perfect guess would give.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

try:
    from bench.sandbox_process import sandbox_process
except ModuleNotFoundError:  # run as `python bench/<name>.py`: bench/ itself is on sys.path
    from sandbox_process import sandbox_process

TOKEN_ENV, KEY_ENV = "BENCH_GK_TOKEN", "BENCH_GK_KEY"
GOAL = 0.80
ANSWER = re.compile(r"^(\d\d:\d\d:\d\d\.\d{3}) .* -> HTTP (\d{3}) in ")
REQUEST = re.compile(r"^(\d\d:\d\d:\d\d\.\d{3}) DEBUG +\S+: POST \S+")


def write_catalog(directory: Path, products: int) -> None:
    """Plain products (category, tags, cover image): one create request each."""
    directory.mkdir(parents=True, exist_ok=True)
    items = [{"sku": f"RL-{n:05}", "title": f"Rate product {n}", "price": "@12.00", "category": "Rate",
              "tags": ["rate", f"t{n % 5}"], "images": [f"https://img.example.com/{n}.png"]}
             for n in range(products)]
    document = {"categories": [{"title": "Rate"}], "products": items}
    (directory / "catalog.yaml").write_text(json.dumps(document).replace('"@12.00"', "12.00"))


def _seconds(stamp: str) -> float:
    moment = datetime.strptime(stamp, "%H:%M:%S.%f")
    return moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 1e6


def apply_once(catalog: Path, url: str, rps: int, *, told: bool, concurrency: int) -> dict[str, Any]:
    """A fresh store limited to `rps`, one `--debug apply`, and what its log says about the requests."""
    from catalogctl.sandbox import DEFAULT_CREDENTIALS

    target: dict[str, Any] = {"provider": "sandbox", "url": url, "auth_token_env": TOKEN_ENV,
                              "api_key_env": KEY_ENV, "concurrency": concurrency}
    if told:
        target["requests_per_second"] = rps
    (catalog / "catalogctl.yaml").write_text(json.dumps({"targets": {"bench": target}}))
    httpx.post(f"{url}/__sandbox/faults", json={"rate_limit_rps": rps, "retry_after_s": 1}).raise_for_status()
    env = {**os.environ, TOKEN_ENV: DEFAULT_CREDENTIALS.auth_token, KEY_ENV: DEFAULT_CREDENTIALS.api_key}
    command = [sys.executable, "-m", "catalogctl", "--debug", "apply", str(catalog), "--target", "bench",
               "--auto-approve", "--no-color"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    starts = [_seconds(m.group(1)) for line in done.stderr.splitlines() if (m := REQUEST.match(line))]
    answers = [(_seconds(m.group(1)), m.group(2)) for line in done.stderr.splitlines() if (m := ANSWER.match(line))]
    accepted = sum(1 for _, status in answers if status != "429")
    span = max(t for t, _ in answers) - min(starts)
    httpx.post(f"{url}/__sandbox/faults", json={}).raise_for_status()
    plan = subprocess.run([sys.executable, "-m", "catalogctl", "plan", str(catalog), "--target", "bench",
                           "--detailed-exitcode"], env=env, capture_output=True, text=True, check=False)
    return {"exit": done.returncode, "converged": plan.returncode == 0, "accepted": accepted,
            "refused": len(answers) - accepted, "span_s": span, "rate": accepted / span}


def measure(products: int, rps: int, concurrency: int, *, told: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="catalogctl-ratebench-") as tmp:
        catalog = Path(tmp) / "catalog"
        write_catalog(catalog, products)
        with sandbox_process(str(Path(tmp) / "db.sqlite")) as served:
            return apply_once(catalog, served.url, rps, told=told, concurrency=concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=int(os.environ.get("BENCH_PRODUCTS", "500")))
    parser.add_argument("--rps", type=int, default=20, help="the store's limit N, requests per second")
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()
    rows = [("adaptive (limit unknown)", measure(options.products, options.rps, options.concurrency, told=False)),
            ("baseline: told the limit", measure(options.products, options.rps, options.concurrency, told=True))]
    print(f"{options.products} products, store limit N = {options.rps} requests/s, concurrency {options.concurrency}")
    print(f"{'client':<26} {'exit':>4} {'runs':>4} {'accepted':>8} {'429s':>5} {'seconds':>8} {'req/s':>6} {'of N':>5}")
    for name, row in rows:
        runs = 1 if row["exit"] == 0 and row["converged"] else "2+"
        print(f"{name:<26} {row['exit']:>4} {runs:>4} {row['accepted']:>8} {row['refused']:>5} "
              f"{row['span_s']:>8.1f} {row['rate']:>6.1f} {row['rate'] / options.rps:>5.0%}")
    adaptive = rows[0][1]
    share = adaptive["rate"] / options.rps
    print(f"adaptive: {adaptive['rate']:.1f} req/s = {share:.0%} of N (goal >= {GOAL:.0%} in one run): "
          + ("met" if share >= GOAL and adaptive["exit"] == 0 and adaptive["converged"] else "NOT met"))
    if adaptive["exit"] != 0 or not adaptive["converged"] or share < GOAL:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
