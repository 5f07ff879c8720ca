"""New variants reach the store in catalog order, so selectors and re-imports keep S, M, L, XL."""

from __future__ import annotations

from pathlib import Path

from planfixtures import plan

from catalogctl.config import load_catalog
from catalogctl.model.from_catalog import desired_resources
from catalogctl.providers.groovekart.actions import CreateProduct

CATALOG = """\
categories: [{title: Tees}]
variant_groups: [{name: Size}]
products:
  - sku: TEE
    title: Tee
    price: 10
    category: Tees
    options: [Size]
    variants:
      matrix: {Size: [S, M, L, XL]}
      sku: "TEE-{Size}"
"""


def test_create_product_carries_variants_in_catalog_order(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(CATALOG)
    desired = desired_resources(load_catalog(tmp_path))
    creates = [s.action for s in plan(desired, {}).steps if isinstance(s.action, CreateProduct)]
    assert [v.values for v in creates[0].variants] == [(("Size", size),) for size in ("S", "M", "L", "XL")]
