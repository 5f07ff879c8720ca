"""Benchmark: loading a big YAML catalog, the libyaml loader against the old ruamel round-trip loader.

Writes N product files (12 explicit variants each, every 5th through a `<<` merge of an anchor) plus a
shop file into a temp dir, then times `load_raw` and `check_catalog` with the current loader and
with a copy of the old ruamel path (the baseline, same run, same files), and the same for one big
file. Peak Python memory (tracemalloc) is measured in separate runs so it does not skew the times.

    .venv/bin/python bench/load_catalog.py                 # 1,000 product files
    .venv/bin/python bench/load_catalog.py --size 10000    # or CATALOG_BENCH_SIZE=10000
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor

import catalogctl.config.catalog as catalog_module
from catalogctl.config.catalog import check_catalog
from catalogctl.config.loader import SECTIONS, RawCatalog, RawItem, catalog_files, load_raw
from catalogctl.config.scalars import resolved
from catalogctl.config.source import Origin
from catalogctl.config.yaml_nodes import WITH_LIBYAML

SHOP = """store: {name: Bench Shop, currency: USD}
categories:
  - title: T-Shirts
variant_groups:
  - {name: Color, type: color}
  - {name: Size, type: select}
"""
COLORS = {"Black": "#111111", "White": "#FFFFFF", "Navy": "#1F2A44"}
SIZES = {"S": "0", "M": "0", "L": "0", "XL": "2.00"}
BIG_FILE_PRODUCTS = 2_000  # about 3.3 MB: under the 5 MB cap for one file


def product_yaml(number: int, *, merged: bool) -> str:
    """One tee with 12 explicit variants; `merged` ones take title/vendor/price through `<<: *base`."""
    sku = f"TEE-{number:05d}"
    head = (f"  - <<: *base{number}\n    sku: {sku}\n" if merged else
            f"  - sku: {sku}\n    title: Design {number} Tee\n    vendor: Bench Print Co.\n    price: 19.99\n")
    lines = [head, "    description: <p>Soft cotton.</p>\n    category: T-Shirts\n    weight: 0.3\n",
             f"    tags: [tee, 'design-{number}']\n    options: [Color, Size]\n    variants:\n"]
    for index, (color, size) in enumerate((c, s) for c in COLORS for s in SIZES):
        price = Decimal("19.99") + Decimal(SIZES[size])
        lines.append(f"      - values: {{Color: {{value: {color}, color: \"{COLORS[color]}\"}}, Size: {size}}}\n"
                     f"        sku: {sku}-{color}-{size}\n        price: {price}\n")
        if index == 0:
            lines.append("        default: true\n")
    anchor = (f"x-base{number}: &base{number}\n  title: Design {number} Tee\n  vendor: Bench Print Co.\n"
              "  price: 19.99\n") if merged else ""
    return anchor + "products:\n" + "".join(lines)


def write_catalog(root: Path, size: int, *, one_file: bool) -> None:
    root.mkdir(parents=True)
    (root / "shop.yaml").write_text(SHOP)
    products = [product_yaml(n, merged=n % 5 == 0) for n in range(size)]
    if one_file:  # one `products:` section: the anchors move into one x- block at the top
        anchors = "".join(p.split("products:\n")[0] for p in products)
        body = "".join(p.split("products:\n")[1] for p in products)
        (root / "products.yaml").write_text(anchors + "products:\n" + body)
        return
    folder = root / "products"
    folder.mkdir()
    for number, text in enumerate(products):
        (folder / f"tee-{number:05d}.yaml").write_text(text)


class _DecimalConstructor(RoundTripConstructor):
    def construct_decimal(self, node: Any) -> Decimal | str:
        text = str(node.value).replace("_", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        return number if number.is_finite() else text


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", _DecimalConstructor.construct_decimal)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {_plain(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    if isinstance(node, str) and not isinstance(node, bool):
        return str(node)
    if isinstance(node, int) and not isinstance(node, bool):
        return int(node)
    return node


def _meant(node: Any) -> Any:
    """The loader keeps numbers as their text (ScalarText); the baseline has YAML's values: compare those."""
    if isinstance(node, dict):
        return {_meant(key): _meant(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_meant(value) for value in node]
    return resolved(node)


def baseline_load_raw(root: Path) -> RawCatalog:
    """The old loader's work for valid files: ruamel round-trip parse, then plain data and origins."""
    raw = RawCatalog()
    for path in catalog_files(root):
        raw.files.append(path)
        yaml = YAML(typ="rt")
        yaml.Constructor = _DecimalConstructor
        yaml.allow_duplicate_keys = False
        document = yaml.load(path.read_text(encoding="utf-8"))
        for name, value in document.items():
            if name not in SECTIONS:
                continue
            if name == "store":
                raw.sections[name].append(RawItem(_plain(value), Origin(path, value)))
                continue
            raw.sections[name] += [RawItem(_plain(item), Origin(path, item)) for item in value]
    return raw


@contextmanager
def _loader(function: Callable[[Path], RawCatalog]) -> Iterator[None]:
    saved = catalog_module.load_raw
    catalog_module.load_raw = function
    try:
        yield
    finally:
        catalog_module.load_raw = saved


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _peak_mb(action: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(root: Path, label: str) -> None:
    new_load, raw = _timed(lambda: load_raw(root))
    old_load, old_raw = _timed(lambda: baseline_load_raw(root))
    assert [_meant(i.data) for i in raw.sections["products"]] == [i.data for i in old_raw.sections["products"]]
    new_check, result = _timed(lambda: check_catalog(root))
    with _loader(baseline_load_raw):
        old_check, old_result = _timed(lambda: check_catalog(root))
    assert result.ok and old_result.ok and result.problems == old_result.problems
    new_peak = _peak_mb(lambda: load_raw(root))
    old_peak = _peak_mb(lambda: baseline_load_raw(root))
    products = len(result.catalog.products)
    variants = sum(len(p.variants) for p in result.catalog.products)  # type: ignore[arg-type]
    print(f"{label}: {len(raw.files):,} files, {products:,} products, {variants:,} variants")
    print(f"  load_raw       libyaml {new_load:7.2f} s   ruamel baseline {old_load:7.2f} s   "
          f"speedup {old_load / new_load:5.1f}x")
    print(f"  check_catalog  libyaml {new_check:7.2f} s   ruamel baseline {old_check:7.2f} s   "
          f"speedup {old_check / new_check:5.1f}x")
    print(f"  load_raw peak  libyaml {new_peak:7.1f} MB  ruamel baseline {old_peak:7.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=int(os.environ.get("CATALOG_BENCH_SIZE", "1000")),
                        help="product files to generate (default 1,000; env CATALOG_BENCH_SIZE)")
    args = parser.parse_args()
    print(f"PyYAML with libyaml: {WITH_LIBYAML}")
    with tempfile.TemporaryDirectory() as temp:
        many = Path(temp, "many")
        write_catalog(many, args.size, one_file=False)
        run(many, "many small files")
        big = Path(temp, "big")
        write_catalog(big, min(args.size, BIG_FILE_PRODUCTS), one_file=True)
        size_mb = (big / "products.yaml").stat().st_size / 2**20
        run(big, f"one big file ({size_mb:.1f} MB)")


if __name__ == "__main__":
    main()
