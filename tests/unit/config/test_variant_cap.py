"""`validate` always ends: variants per product are capped before a matrix is expanded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from catalogctl.config import check_catalog
from catalogctl.config.models import MAX_VARIANTS

ROOT = Path(__file__).parents[3]


def _matrix(sizes: list[int]) -> str:
    options = "".join(f"        O{i}: [{', '.join(f'v{j}' for j in range(size))}]\n" for i, size in enumerate(sizes))
    return f"products:\n  - sku: M\n    title: Matrix\n    price: 1\n    variants:\n      matrix:\n{options}"


def test_a_1_kb_file_of_20_options_by_10_values_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(_matrix([10] * 20))
    assert (tmp_path / "m.yaml").stat().st_size < 1200
    # a subprocess, so a regression fails this test (after the guard) instead of hanging the suite
    done = subprocess.run([sys.executable, "-m", "catalogctl", "validate", str(tmp_path)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 1
    assert ("m.yaml:7:9: error: variants.matrix makes 100,000,000,000,000,000,000 combinations of its 20 options, "
            f"over the cap of {MAX_VARIANTS:,} variants per product") in done.stdout


def test_the_cap_is_inclusive(tmp_path: Path) -> None:
    (tmp_path / "groups.yaml").write_text("variant_groups: [{name: O0}, {name: O1}, {name: O2}]\n")
    (tmp_path / "m.yaml").write_text(_matrix([10, 10, 10]))  # exactly 1,000
    result = check_catalog(tmp_path)
    assert [str(p) for p in result.problems if p.is_error] == []
    (tmp_path / "m.yaml").write_text(_matrix([10, 10, 10, 2]))  # 2,000
    [problem] = [p for p in check_catalog(tmp_path).problems if p.is_error]
    assert problem.message.startswith("variants.matrix makes 2,000 combinations of its 4 options, over the cap")


def test_an_explicit_list_has_the_same_cap(tmp_path: Path) -> None:
    variants = "".join(f"      - {{values: {{Size: s{n}}}, sku: M-{n}}}\n" for n in range(MAX_VARIANTS + 1))
    (tmp_path / "m.yaml").write_text(f"products:\n  - sku: M\n    title: T\n    price: 1\n    variants:\n{variants}")
    [problem] = [p for p in check_catalog(tmp_path).problems if p.is_error]
    assert (problem.position.line, problem.message) == (  # type: ignore[union-attr]
        6, "variants lists 1,001 variants, over the cap of 1,000 variants per product; split the product")
