"""Benchmark: `catalogctl preview` of a large catalog, against a 1,000-product baseline in the same run.

Writes a catalog of N products (10 variants each, a matrix of 2 colours x 5 sizes, 2 images, 4
categories) and times the whole preview (load + validate + every page written), then the same for
1,000 products. Prints seconds, pages, megabytes and the per-product cost of each.

    .venv/bin/python -m bench.preview_site                # 10,000 products (and the 1,000 baseline)
    .venv/bin/python -m bench.preview_site --products 2000
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from catalogctl.config import check_catalog
from catalogctl.preview.site import build_site

CHUNK = 500  # products per catalog file
CATEGORIES = ("T-Shirts", "Hoodies", "Mugs", "Posters")


def write_catalog(directory: Path, products: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    shared = {"store": {"name": "Bench Shop", "currency": "USD"},
              "categories": [{"title": title} for title in CATEGORIES],
              "variant_groups": [{"name": "Color", "type": "color"}, {"name": "Size", "type": "select"}]}
    (directory / "store.yaml").write_text(json.dumps(shared))
    for start in range(0, products, CHUNK):
        items = [{
            "sku": f"B-{n:05}", "title": f"Bench product {n}", "price": "@19.50", "category": CATEGORIES[n % 4],
            "description": f"<p>Product <strong>{n}</strong> of the benchmark.</p>", "tags": ["bench", f"t{n % 7}"],
            "images": [f"https://img.example.com/{n}/cover.png", f"https://img.example.com/{n}/back.png"],
            "options": ["Color", "Size"], "active": n % 10 != 0,
            "variants": {"matrix": {"Color": [{"value": "Blue", "color": "#0000FF"},
                                              {"value": "Red", "color": "#FF0000"}],
                                    "Size": ["S", "M", "L", "XL", "2XL"]},
                         "sku": f"B-{n:05}-{{Color}}-{{Size}}"},
        } for n in range(start, min(start + CHUNK, products))]
        text = json.dumps({"products": items}).replace('"@19.50"', "19.50")
        (directory / f"products-{start // CHUNK:03}.yaml").write_text(text)


def run(products: int, root: Path) -> float:
    catalog = root / f"catalog-{products}"
    write_catalog(catalog, products)
    started = time.perf_counter()
    check_catalog(catalog)  # what `catalogctl validate` costs: the share of the preview that is not pages
    loading = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    report = build_site(catalog, root / f"site-{products}")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"  {products:>6,} products: {seconds:6.2f} s wall, {cpu:.2f} s CPU "
          f"({seconds / products * 1000:.2f} ms/product), "
          f"{report.pages:,} pages, {report.bytes / 1e6:.1f} MB; load + validate alone: {loading:.2f} s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=int(os.environ.get("PREVIEW_BENCH_PRODUCTS", "10000")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="catalogctl-preview-bench-") as tmp:
        print("preview (load, validate, write every page):")
        baseline = run(1000, Path(tmp))
        large = run(args.products, Path(tmp))
        print(f"  {args.products:,} products take {large / baseline:.1f}x the time of 1,000 "
              f"(linear would be {args.products / 1000:.1f}x)")


if __name__ == "__main__":
    main()
