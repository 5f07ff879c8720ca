"""Benchmark: list_products requests per second with 10,000 products stored, and the server's memory.

    python bench/sandbox_load.py [--products 10000] [--seconds 3] [--concurrency 4]

The store is seeded straight through the sandbox's storage layer (no HTTP), then served by
uvicorn in a child process so client and server do not share a GIL. Each scenario runs for a
fixed time with `--concurrency` client threads; list_categories (the cheapest call) is the
baseline in the same run. Server memory is the child's RSS (Linux /proc: now and peak).
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from catalogctl.sandbox import DEFAULT_CREDENTIALS, create_app, serve_in_thread
from catalogctl.sandbox.groovekart import catalog_write as cw
from catalogctl.sandbox.groovekart import wire
from catalogctl.sandbox.groovekart.db import Store
from catalogctl.sandbox.groovekart.variant_input import NewValue, NewVariant
from catalogctl.sandbox.serve import base_url, bind

AUTH = {"auth_token": DEFAULT_CREDENTIALS.auth_token, "api_key": DEFAULT_CREDENTIALS.api_key,
        "api_user": DEFAULT_CREDENTIALS.api_user}
COLORS = (("Black", "#000000"), ("White", "#FFFFFF"))
SIZES = ("M", "L")


def seed(db_path: Path, count: int) -> float:
    """Store `count` products (1 image, 3 tags, 2x2 variants each) in one transaction; answers seconds."""
    started = time.perf_counter()
    store = Store(db_path)
    with store.bulk() as conn:
        now = wire.now_text()
        conn.execute("INSERT INTO category (title, link_rewrite, date_add) VALUES ('Shirts', 'shirts', ?)", (now,))
        for n in range(count):
            cursor = conn.execute(
                "INSERT INTO product (vendor_user, id_category, title, description, price, compare_price, sku, weight,"
                " visibility, link_rewrite, date_add, date_upd) VALUES (?, 3, ?, ?, ?, ?, ?, ?, 'both', ?, ?, ?)",
                ("catalogctl", f"Bench Shirt {n}", "<p>Soft cotton.</p>", "24.990000", "29.990000", f"BENCH-{n}",
                 "0.370000", f"bench-shirt-{n}", now, now),
            )
            pid = int(cursor.lastrowid or 0)
            cw.add_image(conn, pid, f"https://images.example/bench/{n}.png", 0)
            cw.set_tags(conn, pid, ["bench", "shirt", f"batch{n % 10}"], replace=True)
            variants = [
                NewVariant((NewValue("Color", "color", color, hexcode), NewValue("Size", "select", size)),
                           Decimal("24.99"), Decimal("29.99"), f"BENCH-{n}-{color[0]}{size}", Decimal("0.37"), "lb",
                           color == "Black" and size == "M")
                for color, hexcode in COLORS for size in SIZES
            ]
            cw.insert_variants(conn, pid, variants, create_groups=True)
    store.close()
    return time.perf_counter() - started


def _serve(db_path: str, port: int) -> None:
    with serve_in_thread(create_app(db_path), port=port):
        threading.Event().wait()


def _memory_kb(pid: int) -> tuple[int | None, int | None]:
    """(VmRSS, VmHWM) of a process in kB, or None off Linux."""
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    except OSError:
        return None, None
    def kb(key: str) -> int | None:
        return int(fields[key].split()[0]) if key in fields else None
    return kb("VmRSS"), kb("VmHWM")


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    bytes_per_answer: int

    def line(self) -> str:
        rps = self.requests / self.seconds
        latency_ms = 1000 * self.seconds / self.requests
        return (f"{self.name:<34} {self.requests:>7} req {rps:>9.1f} req/s {latency_ms:>9.1f} ms/answer"
                f" {self.bytes_per_answer / 1024:>10.1f} KiB/answer")


def run(url: str, name: str, endpoint: str, body: Callable[[int], dict[str, Any]], seconds: float,
        concurrency: int) -> Result:
    """Send requests from `concurrency` threads for `seconds` (at least one each); count them."""
    counts = [0] * concurrency
    sizes = [0] * concurrency
    deadline = time.perf_counter() + seconds

    def worker(slot: int) -> None:
        with httpx.Client(timeout=300) as http:
            while counts[slot] == 0 or time.perf_counter() < deadline:
                payload = {**AUTH, **body(counts[slot] * concurrency + slot)}
                response = http.post(f"{url}/api/{endpoint}.json", json=payload)
                response.raise_for_status()
                if response.content.startswith(b'{"error"'):  # cheap check: parsing would cost client CPU
                    raise RuntimeError(f"{name}: {response.text[:200]}")
                counts[slot] += 1
                sizes[slot] = len(response.content)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(name, sum(counts), time.perf_counter() - started, max(sizes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        seconds = seed(db_path, args.products)
        print(f"seeded {args.products} products (4 variants, 1 image, 3 tags each) in {seconds:.1f} s"
              f"; file {db_path.stat().st_size / 2**20:.1f} MiB")
        sock = bind("127.0.0.1", 0)
        url, port = base_url(sock), sock.getsockname()[1]
        sock.close()
        server = multiprocessing.get_context("spawn").Process(target=_serve, args=(str(db_path), port), daemon=True)
        server.start()
        try:
            _wait_ready(url)
            assert server.pid is not None
            idle_rss, _ = _memory_kb(server.pid)
            pages = max(1, args.products // 50)
            scenarios = [
                ("baseline: list_categories", "list_categories", lambda i: {}, args.seconds),
                ("list_products limit=50 (paged)", "list_products",
                 lambda i: {"limit": 50, "offset": 50 * (i % pages)}, args.seconds),
                ("search_products 50 ids", "search_products",
                 lambda i: {"ids": ",".join(str(1 + (50 * i + k) % args.products) for k in range(50))}, args.seconds),
                ("list_products limit=0 (all)", "list_products", lambda i: {"limit": 0}, args.seconds),
            ]
            print(f"{'scenario':<34} {'count':>11} {'rate':>15} {'inverse rate':>17} {'answer size':>20}")
            for name, endpoint, body, seconds in scenarios:
                print(run(url, name, endpoint, body, seconds, args.concurrency).line(), flush=True)
            rss, peak = _memory_kb(server.pid)
            print(f"server memory: RSS idle {_mib(idle_rss)}, now {_mib(rss)}, peak {_mib(peak)}")
        finally:
            server.terminate()
            server.join(10)


def _mib(kb: int | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:.1f} MiB"


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/__sandbox/stats", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("the sandbox did not start")


if __name__ == "__main__":
    main()
