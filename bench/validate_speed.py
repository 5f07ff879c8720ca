"""Benchmark: `load_catalog` CPU and `catalogctl validate` time, this code against a baseline checkout, same run.

    python bench/validate_speed.py --code-baseline /tmp/old            # a checkout of the old commit
    python bench/validate_speed.py --code-baseline /tmp/old --products 1000 --runs 5
    python bench/validate_speed.py --catalog DIR --code-baseline /tmp/old   # an existing catalog

Make the baseline with `git archive OLD_COMMIT | tar -x -C /tmp/old`. Each figure is measured in a
fresh process (PYTHONPATH set to the code measured), baseline and current alternating, best of
`--runs`: on a shared machine the minimum is the figure least disturbed by others. Two catalogs of
the same products by default: the bench's JSON-style files (21 files, as bench/scale.py writes
them) and block-style YAML, one file per product (as `catalogctl import` lays a catalog out).

- load_catalog: CPU seconds of its work in process (`check_catalog(DIR)`, which load_catalog runs and
  which also measures a catalog with errors; inside `heap.big_heap()` as plan runs it), split into the
  parse (load_raw) and the rest (templates, models, semantic rules).
- validate: the CLI's `main` call as bench/scale.py times it (imports excluded from the wall time,
  included in the CPU figure), stdout to /dev/null.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    from bench.plan_apply import write_catalog
except ModuleNotFoundError:  # run as `python bench/<name>.py`: bench/ itself is on sys.path
    from plan_apply import write_catalog

_LOAD = """
import json, sys, time
from pathlib import Path
from catalogctl.config import catalog as module
from catalogctl.config.catalog import check_catalog
try:
    from catalogctl.heap import big_heap
except ImportError:
    from contextlib import nullcontext as big_heap
parse = []
original = module.load_raw
def timed_load_raw(path):
    start = time.process_time()
    try:
        return original(path)
    finally:
        parse.append(time.process_time() - start)
module.load_raw = timed_load_raw
with big_heap():
    start = time.process_time()
    result = check_catalog(sys.argv[2])  # load_catalog's work, also for a catalog with errors
    cpu = time.process_time() - start
Path(sys.argv[1]).write_text(json.dumps({"cpu": cpu, "parse": parse[0], "products": len(result.catalog.products)}))
"""

_VALIDATE = """
import json, resource, sys, time
from pathlib import Path
from catalogctl.cli import main
main._register()
started, cpu_started = time.perf_counter(), time.process_time()
try:
    code = main.cli.main(args=["validate", sys.argv[2]], prog_name="catalogctl", standalone_mode=False)
except SystemExit as exc:
    code = exc.code
wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
usage = resource.getrusage(resource.RUSAGE_SELF)
Path(sys.argv[1]).write_text(json.dumps({"code": code or 0, "wall": wall, "cpu": cpu,
                                         "cpu_all": usage.ru_utime + usage.ru_stime}))
"""


def measure(script: str, code: Path, catalog: Path, printed: dict[str, str] | None = None) -> dict[str, float]:
    """`script` in a fresh process importing catalogctl from `code`; the figures it wrote. What it printed
    goes to a file (as cheap to write as /dev/null), kept in `printed[str(code)]` to compare."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    with tempfile.NamedTemporaryFile(suffix=".json") as out, tempfile.TemporaryFile("w+") as stdout:
        done = subprocess.run([sys.executable, "-c", script, out.name, str(catalog)], env=env, check=False,
                              stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=catalog.parent)
        try:
            result: dict[str, float] = json.loads(Path(out.name).read_text())
        except ValueError:
            raise SystemExit(f"{script.splitlines()[1]} crashed in {code}:\n{done.stderr[-3000:]}") from None
        if printed is not None:
            stdout.seek(0)
            printed[str(code)] = stdout.read() + done.stderr
    return result


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    """Per figure, the smallest of the runs."""
    return {key: min(run[key] for run in runs) for key in runs[0]}


def compare(label: str, catalog: Path, codes: dict[str, Path], runs: int) -> None:
    loads: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
    validates: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
    printed: dict[str, str] = {}
    for _ in range(runs):  # alternate, so a burst of load elsewhere hits both sides
        for name, code in codes.items():
            loads[name].append(measure(_LOAD, code, catalog))
            validates[name].append(measure(_VALIDATE, code, catalog, printed))
    outputs = set(printed.values())
    lines = len(next(iter(outputs)).splitlines())
    print(f"{label}: best of {runs} (CPU and wall seconds); validate printed {lines:,} lines"
          + ("" if len(codes) == 1 else ", the same in both" if len(outputs) == 1 else ", DIFFERENT between them"))
    print(f"  {'code':<10} {'load_catalog cpu':>16} {'of it parse':>12} {'the rest':>9}   "
          f"{'validate wall':>13} {'cpu (main)':>10} {'cpu (+imports)':>14}")
    for name in codes:
        load, validate = best(loads[name]), best(validates[name])
        print(f"  {name:<10} {load['cpu']:16.2f} {load['parse']:12.2f} {load['cpu'] - load['parse']:9.2f}   "
              f"{validate['wall']:13.2f} {validate['cpu']:10.2f} {validate['cpu_all']:14.2f}")
    if len(codes) == 2:
        old, new = (best(loads[name])["cpu"] for name in codes)
        old_v, new_v = (best(validates[name])["wall"] for name in codes)
        print(f"  load_catalog cpu {old / new:.2f}x faster, validate wall {old_v / new_v:.2f}x faster "
              f"(goals: load_catalog <= 2.0 s cpu, validate <= 3 s wall at 10,000 products)")


def write_block_catalog(directory: Path, products: int, sizes: int) -> None:
    """The same products as write_catalog, as block-style YAML with one file per product."""
    write_catalog(directory, 0, sizes)  # the shared sections
    folder = directory / "products"
    folder.mkdir()
    size_lines = "".join(f"        - S{n}\n" for n in range(sizes))
    for n in range(products):
        (folder / f"b-{n:05}.yaml").write_text(
            f"products:\n  - sku: B-{n:05}\n    title: Bench product {n}\n    price: 19.50\n    category: Bench\n"
            f"    tags:\n      - bench\n      - t{n % 7}\n    images:\n      - https://img.example.com/{n}/cover.png\n"
            "    options:\n      - Color\n      - Size\n    variants:\n      matrix:\n        Color:\n"
            "          - value: Blue\n            color: '#0000FF'\n"
            "          - value: Red\n            color: '#FF0000'\n"
            f"        Size:\n{size_lines}      sku: B-{n:05}-{{Color}}-{{Size}}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--sizes", type=int, default=5, help="values of the Size option (Color has 2)")
    parser.add_argument("--catalog", type=Path, help="measure this catalog directory instead of generated ones")
    parser.add_argument("--code-baseline", type=Path, help="a checkout of the code to compare against")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    codes = {"current": Path(__file__).resolve().parent.parent}
    if args.code_baseline:
        codes = {"baseline": args.code_baseline.resolve(), **codes}
    if args.catalog:
        compare(str(args.catalog), args.catalog.resolve(), codes, args.runs)
        return
    with tempfile.TemporaryDirectory() as temp:
        flow, block = Path(temp, "flow"), Path(temp, "block")
        write_catalog(flow, args.products, args.sizes)
        write_block_catalog(block, args.products, args.sizes)
        compare(f"{args.products:,} products, JSON-style files (bench/scale.py's)", flow, codes, args.runs)
        compare(f"{args.products:,} products, block YAML, one file per product", block, codes, args.runs)


if __name__ == "__main__":
    main()
