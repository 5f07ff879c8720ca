"""Benchmark: provider.read() of a large store over real HTTP, next to a naive per-product baseline.

    python bench/provider_read.py [--products 10000] [--page-size 50] [--concurrency 8] [--db FILE]
                                  [--no-naive]

The store is seeded through the API (in-process, 16 at a time) unless --db names an already
seeded file. The sandbox serves from a child process so client and server do not share a GIL.
Each mode runs in its own child process: wall time, the client's CPU time (the machine may be
shared: CPU is the figure to compare), HTTP requests, and peak RSS (and how much it grew during
the read), with the garbage collector tuned as plan and apply tune it (catalogctl.heap).
provider.read() decodes list pages straight into typed structs (providers/groovekart/pages.py);
the "reference path" mode is the same read with that switched off: json, then pydantic wire
models, then the conversion (the read before issue 13), so both are measured in one run.
The naive baseline pages list_products for ids only, then asks products.json for each product's
details with its own request, which is what a client does that reads products one by one.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import tempfile
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from catalogctl.heap import big_heap
from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider, pages, read, wire
from catalogctl.providers.groovekart.actions import CreateProduct, GroupSpec, ProductSpec, VariantSpec
from catalogctl.sandbox import DEFAULT_CREDENTIALS, create_app

try:
    from bench.sandbox_process import sandbox_process
except ModuleNotFoundError:  # run as `python bench/<name>.py`: bench/ itself is on sys.path
    from sandbox_process import sandbox_process

CREDS = GrooveKartCredentials(DEFAULT_CREDENTIALS.auth_token, DEFAULT_CREDENTIALS.api_key, DEFAULT_CREDENTIALS.api_user)
GROUPS = (GroupSpec(name="Color", type="color"), GroupSpec(name="Size"))




async def seed(db: Path, count: int) -> None:
    """`count` products with three variants and a cover each, created through the API."""
    variants = tuple(
        VariantSpec(values=(("Color", color), ("Size", "M")), color=hexcode, sku=f"V-{color}", price=Decimal("9.5"),
                    default=color == "Blue")
        for color, hexcode in (("Blue", "#0000FF"), ("Red", "#FF0000"), ("Lime", "#00FF00"))
    )
    transport = httpx.ASGITransport(app=create_app(db))
    async with GrooveKartProvider("http://sandbox", CREDS, transport=transport, concurrency=16) as provider:
        async def create(n: int) -> None:
            product = ProductSpec(sku=f"B-{n:05}", title=f"Bench {n}", price=Decimal("9.5"), tags=("a", "b"),
                                  options=("Color", "Size"))
            await provider.execute(CreateProduct(product=product, groups=GROUPS, variants=variants,
                                                 cover=f"https://img.example.com/{n}.png"), {})

        await asyncio.gather(*(create(n) for n in range(count)))


async def provider_read(url: str, page_size: int, concurrency: int) -> tuple[int, int]:
    async with GrooveKartProvider(url, CREDS, page_size=page_size, concurrency=concurrency) as provider:
        live = await provider.read({})
        return sum(1 for a in live.resources if a.kind.value == "product"), live.requests


async def reference_read(url: str, page_size: int, concurrency: int) -> tuple[int, int]:
    pages.page = lambda *args: None   # every page declined: the json + pydantic path (this child process only)
    return await provider_read(url, page_size, concurrency)


async def naive_read(url: str, page_size: int, concurrency: int) -> tuple[int, int]:
    async with GrooveKartProvider(url, CREDS, page_size=page_size, concurrency=concurrency) as provider:
        client = provider.client
        ids = [p.id for p in await read.all_products(client, page_size, concurrency)]

        async def details(product_id: str | None) -> wire.WireProduct:
            return wire.product_details(await client.call("products", {"product": {"id": product_id}},
                                                          idempotent=True))

        found = await asyncio.gather(*(details(pid) for pid in ids))
        return len(found), client.requests


TYPED, REFERENCE, NAIVE = "provider.read()", "  reference path", "naive (details per product)"
MODES: dict[str, Callable[[str, int, int], Awaitable[tuple[int, int]]]] = {
    TYPED: provider_read,
    REFERENCE: reference_read,
    NAIVE: naive_read,
}


def _memory_kib(field: str) -> int:
    """VmRSS / VmHWM of this process (Linux). ru_maxrss would carry the parent's peak across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _measure_in_child(mode: str, url: str, page_size: int, concurrency: int, out: Any) -> None:
    before = _memory_kib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    with big_heap():   # the collector as plan and apply set it around their read
        products, requests = asyncio.run(MODES[mode](url, page_size, concurrency))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = _memory_kib("VmHWM")
    out.put({"products": products, "requests": requests, "wall_s": wall, "cpu_s": cpu,
             "peak_mib": peak / 1024, "grew_mib": (peak - before) / 1024})


def measure(mode: str, url: str, page_size: int, concurrency: int) -> dict[str, Any]:
    """Run one mode in a fresh process, so its peak RSS is its own."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_measure_in_child, args=(mode, url, page_size, concurrency, out))
    child.start()
    result = out.get()
    child.join()
    return dict(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", type=Path, help="an already seeded sandbox file (seeded here if missing)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive read (one request per product)")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    if not db.exists():
        started = time.perf_counter()
        asyncio.run(seed(db, args.products))
        print(f"seeded {args.products} products through the API in {time.perf_counter() - started:.1f} s")
    modes = [mode for mode in MODES if not (args.no_naive and mode == NAIVE)]
    with sandbox_process(str(db)) as served:
        results = {mode: measure(mode, served.url, args.page_size, args.concurrency) for mode in modes}
    print(f"{'mode':<30}{'products':>10}{'requests':>10}{'wall s':>10}{'CPU s':>8}{'peak RSS MiB':>14}"
          f"{'grew MiB':>10}")
    for mode, r in results.items():
        print(f"{mode:<30}{r['products']:>10}{r['requests']:>10}{r['wall_s']:>10.2f}{r['cpu_s']:>8.2f}"
              f"{r['peak_mib']:>14.1f}{r['grew_mib']:>10.1f}")
    ours, before = results[TYPED], results[REFERENCE]
    print(f"typed pages: the read takes {ours['cpu_s']:.2f} s of client CPU, {before['cpu_s']:.2f} s on the "
          f"reference path ({before['cpu_s'] / ours['cpu_s']:.1f}x), and grows the process by "
          f"{ours['grew_mib']:.0f} MiB instead of {before['grew_mib']:.0f} MiB")
    if NAIVE in results:
        naive = results[NAIVE]
        print(f"provider.read() makes {naive['requests'] / ours['requests']:.0f}x fewer requests and is "
              f"{naive['wall_s'] / ours['wall_s']:.1f}x faster than the naive read")



if __name__ == "__main__":
    main()
