"""Benchmark: `catalogctl apply` from scratch and a no-op `catalogctl plan` of a generated catalog,
against the sandbox over real HTTP, next to a naive read that fetches each product on its own.

    python bench/plan_apply.py [--products 10000] [--sizes 5] [--concurrency 8]
    BENCH_PRODUCTS=1000 python bench/plan_apply.py      # a quick run

Each product has a Color (2) x Size (--sizes) matrix, so the default is 10,000 products and
100,000 variants, plus a cover image and tags. The sandbox serves from its own process (client
and server do not share a GIL); each measured phase runs the real CLI in a fresh process, so
its peak RSS (VmHWM) is its own. HTTP requests come from the sandbox's /__sandbox/stats.
"""

from __future__ import annotations

import argparse
import json
import os
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

CHUNK = 500  # products per catalog file
TOKEN_ENV, KEY_ENV = "BENCH_GK_TOKEN", "BENCH_GK_KEY"

# Runs one CLI command in this fresh process and reports wall time, exit code and peak RSS.
_RUNNER = """
import json, sys, time
from pathlib import Path
from catalogctl.cli import main
main._register()
started = time.perf_counter()
try:
    code = main.cli.main(args=sys.argv[2:], prog_name="catalogctl", standalone_mode=False)
except SystemExit as exc:
    code = exc.code
wall = time.perf_counter() - started
peak = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
Path(sys.argv[1]).write_text(json.dumps({"code": code or 0, "wall_s": wall, "peak_mib": peak / 1024}))
"""


def write_catalog(directory: Path, products: int, sizes: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    size_names = [f"S{n}" for n in range(sizes)]
    shared = {"categories": [{"title": "Bench"}],
              "variant_groups": [{"name": "Color", "type": "color"}, {"name": "Size", "type": "select"}]}
    (directory / "catalog.yaml").write_text(json.dumps(shared))
    for start in range(0, products, CHUNK):
        items = [{
            "sku": f"B-{n:05}", "title": f"Bench product {n}", "price": "@19.50", "category": "Bench",
            "tags": ["bench", f"t{n % 7}"], "images": [f"https://img.example.com/{n}/cover.png"],
            "options": ["Color", "Size"],
            "variants": {"matrix": {"Color": [{"value": "Blue", "color": "#0000FF"},
                                              {"value": "Red", "color": "#FF0000"}], "Size": size_names},
                         "sku": f"B-{n:05}-{{Color}}-{{Size}}"},
        } for n in range(start, min(start + CHUNK, products))]
        text = json.dumps({"products": items}).replace('"@19.50"', "19.50")
        (directory / f"products-{start // CHUNK:03}.yaml").write_text(text)





def run_cli(url: str, *args: str) -> dict[str, Any]:
    """One CLI command in a fresh process; its wall time, peak RSS, exit code and the requests it made."""
    from catalogctl.sandbox import DEFAULT_CREDENTIALS

    env = {**os.environ, TOKEN_ENV: DEFAULT_CREDENTIALS.auth_token, KEY_ENV: DEFAULT_CREDENTIALS.api_key}
    httpx.post(f"{url}/__sandbox/stats/reset").raise_for_status()
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-c", _RUNNER, out.name, *args], env=env, check=False,
                       stdout=subprocess.DEVNULL)
        result = json.loads(Path(out.name).read_text())
    result["requests"] = httpx.get(f"{url}/__sandbox/stats").json()["total"]
    return result


_NAIVE = """
import asyncio, json, sys, time
from pathlib import Path
from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider, read, wire
from catalogctl.sandbox import DEFAULT_CREDENTIALS as D

async def naive(url, concurrency):
    creds = GrooveKartCredentials(D.auth_token, D.api_key, D.api_user)
    async with GrooveKartProvider(url, creds, concurrency=concurrency) as provider:
        client = provider.client
        ids = [p.id for p in await read.all_products(client, 50, concurrency)]
        async def details(product_id):
            return wire.product_details(await client.call("products", {"product": {"id": product_id}},
                                                          idempotent=True))
        return len(await asyncio.gather(*(details(i) for i in ids)))

started = time.perf_counter()
count = asyncio.run(naive(sys.argv[2], int(sys.argv[3])))
wall = time.perf_counter() - started
peak = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
Path(sys.argv[1]).write_text(json.dumps({"code": 0, "products": count, "wall_s": wall, "peak_mib": peak / 1024}))
"""


def run_naive(url: str, concurrency: int) -> dict[str, Any]:
    httpx.post(f"{url}/__sandbox/stats/reset").raise_for_status()
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-c", _NAIVE, out.name, url, str(concurrency)], check=True)
        result = json.loads(Path(out.name).read_text())
    result["requests"] = httpx.get(f"{url}/__sandbox/stats").json()["total"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=int(os.environ.get("BENCH_PRODUCTS", "10000")))
    parser.add_argument("--sizes", type=int, default=5, help="sizes per color (2 colors): variants = 2 x sizes")
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-") as tmp:
        catalog = Path(tmp) / "catalog"
        started = time.perf_counter()
        write_catalog(catalog, options.products, options.sizes)
        print(f"generated {options.products} products x {2 * options.sizes} variants "
              f"in {time.perf_counter() - started:.1f}s", flush=True)
        with sandbox_process(str(Path(tmp) / "db.sqlite")) as served:
            url = served.url
            target = {"provider": "sandbox", "url": url, "auth_token_env": TOKEN_ENV, "api_key_env": KEY_ENV,
                      "concurrency": options.concurrency}
            (catalog / "catalogctl.yaml").write_text(json.dumps({"targets": {"bench": target}}))
            rows = [
                ("apply from scratch", run_cli(url, "apply", str(catalog), "--target", "bench", "--auto-approve")),
                ("plan, no changes", run_cli(url, "plan", str(catalog), "--target", "bench", "--detailed-exitcode")),
                ("naive read (1 request/product)", run_naive(url, options.concurrency)),
            ]
    print(f"{'phase':<32} {'exit':>4} {'wall s':>8} {'requests':>9} {'peak MiB':>9}")
    for name, row in rows:
        print(f"{name:<32} {row['code']:>4} {row['wall_s']:>8.1f} {row['requests']:>9} {row['peak_mib']:>9.0f}")
    if rows[0][1]["code"] != 0 or rows[1][1]["code"] != 0:
        raise SystemExit("the apply failed or the second plan was not empty")


if __name__ == "__main__":
    main()
