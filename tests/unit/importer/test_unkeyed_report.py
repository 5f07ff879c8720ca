"""Sku-less products: a commented-out file the user can turn into a product; a readable report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from catalogctl.config import load_catalog
from catalogctl.importer.outdir import Mode
from catalogctl.importer.report import ImportReport, Skipped
from catalogctl.importer.unkeyed import unkeyed_body, unkeyed_path
from catalogctl.model.address import Address
from catalogctl.model.resource import Resource


def sku_less() -> Resource:
    return Resource(Address.for_product(""), {
        "sku": "", "title": "Mystery Box", "description": "<p>Surprise!</p>", "short_description": None,
        "vendor": "", "category": None, "price": Decimal("5.5"), "compare_at_price": Decimal(0),
        "weight": Decimal(0), "visibility": "both", "active": True, "tags": ("gift",), "options": ()}, live_id="42")


def test_uncommenting_the_file_and_setting_a_sku_gives_a_valid_product(tmp_path: Path) -> None:
    body = unkeyed_body(sku_less())
    assert unkeyed_path(sku_less()) == "products/no-sku-42.yaml"
    assert all(line.startswith("#") for line in body.splitlines())
    assert "update_product" in body and "--merge" in body
    yaml_part = body.split("# What the store has:\n#\n", 1)[1]
    text = "".join(line[2:] + "\n" for line in yaml_part.splitlines()).replace("sku: ''", "sku: BOX-1")
    (tmp_path / "box.yaml").write_text(text)
    product = load_catalog(tmp_path).products[0]
    assert (product.sku, product.title, product.price, product.tags) == ("BOX-1", "Mystery Box", Decimal("5.5"),
                                                                         ["gift"])


def test_long_lists_in_the_report_are_capped(tmp_path: Path) -> None:
    report = ImportReport("shop", tmp_path, Mode.FRESH, unkeyed=[Skipped(str(n), f"P{n}") for n in range(25)])
    text = report.render()
    assert "Products without a sku, which cannot be managed (written commented out): 25" in text
    assert "live id 19:" in text and "live id 20:" not in text
    assert "  ... and 5 more" in text
