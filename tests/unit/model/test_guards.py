"""Guards: costs per variant where a cost is written, and file:line of any value, found when asked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from catalogctl.config.catalog import load_catalog
from catalogctl.model.address import Address
from catalogctl.model.guards import guards_from_catalog

CATALOG = """\
categories: [{title: Mugs}]
variant_groups: [{name: Size, type: select}]
products:
  - sku: LIST
    title: Listed
    price: 10.00
    category: Mugs
    options: [Size]
    images: ['https://img.example.com/a.png', 'https://img.example.com/b.png']
    variants:
      - values: {Size: S}
        cost: 4.00
      - values: {Size: M}
        price: 12.00
  - sku: GRID
    title: Grid
    price: 10.00
    cost: 3.00
    category: Mugs
    options: [Size]
    variants:
      matrix: {Size: [S, M]}
      cost: {base: 5.00, adjust: {Size: {M: 1.00}}}
  - sku: FREE
    title: Free
    price: 10.00
    category: Mugs
    options: [Size]
    variants:
      matrix: {Size: [S, M]}
"""


@pytest.fixture
def guards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "catalog.yaml").write_text(CATALOG)
    return guards_from_catalog(load_catalog(tmp_path / "shop"))


def test_costs_are_each_variants_own_else_the_products(guards) -> None:  # type: ignore[no-untyped-def]
    s, m = (("Size", "S"),), (("Size", "M"),)
    assert dict(guards.cost) == {
        Address.variant("LIST", s): Decimal("4.00"),
        Address.for_product("GRID"): Decimal("3.00"),
        Address.variant("GRID", s): Decimal("5.00"),
        Address.variant("GRID", m): Decimal("6.00"),
    }


def test_every_value_is_located_in_its_file(guards) -> None:  # type: ignore[no-untyped-def]
    where = guards.locate
    assert where(Address.for_product("LIST"), "price") == "shop/catalog.yaml:6:12"
    assert where(Address.variant("LIST", (("Size", "M"),)), "price") == "shop/catalog.yaml:14:16"
    assert where(Address.image("LIST", 1), "src") == "shop/catalog.yaml:9:47"
    assert where(Address.variant("GRID", (("Size", "M"),)), "cost") == "shop/catalog.yaml:23:13"
    # a variant only the store has: the product's own key, as for any field the catalog does not write
    assert where(Address.variant("LIST", (("Size", "XL"),)), "price") == "shop/catalog.yaml:6:12"
    assert where(Address.for_product("NONE"), "price") is None
    assert where(Address.category("Mugs"), "title") is None
