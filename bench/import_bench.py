"""Benchmark: `catalogctl import` of a large store (default 10,000 products) over real HTTP.

Seeds a sandbox through its API (not timed), serves it from a separate process, then imports it
and prints wall time, HTTP requests and peak Python memory of the import, next to a naive
baseline in the same run that reads each product with its own details request.

    .venv/bin/python bench/import_bench.py              # 10,000 products, 6 variants each
    .venv/bin/python bench/import_bench.py --size 500   # a quick run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from catalogctl.importer.job import import_store
from catalogctl.importer.outdir import Mode
from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider
from catalogctl.sandbox import DEFAULT_CREDENTIALS, create_app

CREDENTIALS = GrooveKartCredentials(DEFAULT_CREDENTIALS.auth_token, DEFAULT_CREDENTIALS.api_key,
                                    DEFAULT_CREDENTIALS.api_user)
COLORS = {"Black": "#111111", "White": "#FFFFFF"}
SIZES = (("S", Decimal(0)), ("M", Decimal(0)), ("XL", Decimal(2)))
SERVER = """
import sys
from catalogctl.sandbox import create_app, serve_in_thread
with serve_in_thread(create_app(sys.argv[1])) as url:
    print(url, flush=True)
    sys.stdin.read()
"""


def product_body(number: int) -> dict[str, Any]:
    """A print-on-demand tee: 2 colors x 3 sizes; every 7th product is an irregular (explicit list) one."""
    sku = f"TEE-{number:05d}"
    variants = []
    for color, hex_code in COLORS.items():
        for size, surcharge in SIZES:
            if number % 7 == 0 and (color, size) == ("White", "XL"):
                continue  # a missing combination: not a full grid
            variants.append({
                "variant_values": {"Color": {"variant_group_type": "color", "variant_name": color, "color": hex_code},
                                   "Size": {"variant_group_type": "select", "variant_name": size}},
                "price": str(Decimal("19.99") + surcharge), "compare_at_price": "0", "sku": f"{sku}-{color}-{size}",
                "weight": "0.3",
                "default_on": int(not variants),
            })
    return {"product": {
        "title": f"Design {number} Tee", "description": f"<p>Design {number}.</p>\n<p>100% cotton.</p>",
        "price": "19.99", "compare_default_price": "0", "sku": sku, "weight": "0.3", "visibility": "both",
        "tags": "tee, design",
        "image": {"src": f"https://img.example.com/{sku}.jpg", "position": 0},
        "variant_groups": [{"name": "Color", "group_type": "color"}, {"name": "Size", "group_type": "select"}],
        "variants": variants,
    }}


async def seed(db: Path, size: int) -> None:
    transport = httpx.ASGITransport(app=create_app(db))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox/api/") as client:
        semaphore = asyncio.Semaphore(16)

        async def create(number: int) -> None:
            async with semaphore:
                response = await client.post("products.json", json={**CREDENTIALS.body(), **product_body(number)})
                assert "id_product" in response.json(), response.text

        await asyncio.gather(*(create(n) for n in range(1, size + 1)))


async def run_import(url: str, outdir: Path, page_size: int) -> tuple[float, int, str]:
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"  {time.perf_counter() - started:6.2f}s {message}", file=sys.stderr)

    async with GrooveKartProvider(url, CREDENTIALS, page_size=page_size) as provider:
        report = await import_store(provider, {}, outdir, Mode.FRESH, "bench", outdir / ".catalogctl/state/b.json",
                                    progress)
        return time.perf_counter() - started, provider.request_count, report.render().splitlines()[0]


async def naive_read(url: str, size: int) -> tuple[float, int]:
    """The baseline: list ids, then one details request per product (8 at a time)."""
    async with httpx.AsyncClient(base_url=f"{url}/api/", timeout=30) as client:
        started = time.perf_counter()
        listing = await client.post("list_products.json", json={**CREDENTIALS.body(), "limit": 0, "offset": 0})
        ids = [p["id"] for p in listing.json()["products"]]
        semaphore = asyncio.Semaphore(8)

        async def details(product_id: str) -> None:
            async with semaphore:
                await client.post("products.json", json={**CREDENTIALS.body(), "product": {"id": product_id}})

        await asyncio.gather(*(details(i) for i in ids))
        return time.perf_counter() - started, 1 + len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="products in the store (default 10,000)")
    parser.add_argument("--page-size", type=int, default=50, help="list_products page size (default 50)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite"
        started = time.perf_counter()
        asyncio.run(seed(db, args.size))
        print(f"seeded {args.size} products through the API in {time.perf_counter() - started:.1f}s (not timed)")
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(db)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            url = (server.stdout.readline() if server.stdout else "").strip()
            seconds, requests, summary = asyncio.run(run_import(url, Path(tmp) / "fast", args.page_size))
            tracemalloc.start()
            asyncio.run(run_import(url, Path(tmp) / "traced", args.page_size))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            naive_seconds, naive_requests = asyncio.run(naive_read(url, args.size))
            stats = httpx.get(f"{url}/__sandbox/stats").json()
        finally:
            if server.stdin:
                server.stdin.close()
            server.wait(timeout=30)
        files = sum(1 for _ in (Path(tmp) / "fast").rglob("*.yaml"))
    print(summary)
    print(json.dumps({
        "products": args.size, "files_written": files,
        "import": {"seconds": round(seconds, 2), "requests": requests, "peak_python_mb": round(peak / 2**20, 1)},
        "naive_read_baseline": {"seconds": round(naive_seconds, 2), "requests": naive_requests},
        "requests_saved": f"{naive_requests / max(requests, 1):.0f}x fewer",
        "server_calls": stats.get("total", stats) if isinstance(stats, dict) else stats,
    }, indent=2))


if __name__ == "__main__":
    main()
