"""The static preview: catalog -> product views (with warnings where they apply) -> files on disk."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogctl.cli import main
from catalogctl.preview.from_catalog import preview_catalog
from catalogctl.preview.model import money, placeholder
from catalogctl.preview.site import PAGE_SIZE, PreviewError, build_site

ROOT = Path(__file__).resolve().parents[3]
POD = ROOT / "examples" / "pod-store"


def test_pod_store_products_have_prices_swatches_and_images_in_order() -> None:
    preview = preview_catalog(POD)
    assert (preview.store_name, preview.currency, len(preview.products)) == ("Inkwell Print Co.", "USD", 25)
    crewneck = next(p for p in preview.products if p.sku == "HD-BOTANICAL")
    assert crewneck.prices == (Decimal("44"), Decimal("48"))
    assert [s.name for s in crewneck.swatches] == ["Black", "Green", "Maroon"]
    assert crewneck.images[0].endswith("/black.jpg") and len(crewneck.images) == 3
    assert sum(v.default for v in crewneck.variants) == 1
    assert preview.general_problems == ()


def test_a_warning_is_attached_to_the_product_it_is_about(tmp_path: Path) -> None:
    catalog = tmp_path / "shop"
    shutil.copytree(POD, catalog)
    path = catalog / "products" / "mug-garden.yaml"
    path.write_text(path.read_text() + "    compare_at_price: 1.00\n")  # over what its template says
    products = {p.sku: p for p in preview_catalog(catalog).products}
    assert [w for p in products.values() for w in p.warnings] == list(products["MUG-GARDEN"].warnings)
    assert "compare_at_price 1.00 is not greater than price" in products["MUG-GARDEN"].warnings[0]


def test_errors_are_listed_for_the_whole_catalog_and_the_valid_rest_is_shown(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("products:\n  - sku: A\n    title: Good\n    price: 5\n"
                                     "  - sku: B\n    title: Bad\n    price: -1\n")
    preview = preview_catalog(tmp_path)
    assert [p.sku for p in preview.products] == ["A"]
    assert preview.errors == 1 and "c.yaml:7" in preview.general_problems[0]


def test_money_and_placeholders() -> None:
    assert money(Decimal("24.900000"), "USD") == "$24.90"
    assert money(Decimal("0.125"), "EUR") == "€0.125"
    assert money(Decimal("1234.5"), "CHF") == "1,234.50 CHF"
    mark = placeholder("Botanical Sketch Crewneck", "HD-BOTANICAL")
    assert mark.initials == "BS" and mark == placeholder("Botanical Sketch Crewneck", "HD-BOTANICAL")
    assert 0 <= mark.hue < 360 and mark.hue != placeholder("Botanical Sketch Crewneck", "HD-CAMPFIRE").hue


def test_the_site_has_pages_for_products_categories_and_search_data(tmp_path: Path) -> None:
    report = build_site(POD, tmp_path / "site")
    site = tmp_path / "site"
    assert report.products == 25 and report.index == site / "index.html"
    index = (site / "index.html").read_text()
    assert index.count('<li class="card') == 25
    assert "https://" not in re.sub(r'(src|href|data-full)="https://images\.example-pod\.com/[^"]+"', "", index)
    assert len(list((site / "products").glob("*.html"))) == 25
    assert sorted(p.name for p in (site / "category").glob("*.html")) == [
        "hoodies-sweatshirts.html", "mugs.html", "posters-prints.html", "t-shirts.html"]
    assert (site / "assets" / "catalog-data.js").read_text().startswith("window.CATALOG_CARDS = [[")
    assert '<table>' in (site / "products" / "hd-botanical.html").read_text()


def test_large_catalogs_are_paginated(tmp_path: Path) -> None:
    products = "".join(f"  - {{sku: P-{n}, title: Product {n}, price: 1}}\n" for n in range(PAGE_SIZE * 2 + 1))
    (tmp_path / "c.yaml").write_text("products:\n" + products)
    build_site(tmp_path, tmp_path / "site")
    pages = sorted(p.name for p in (tmp_path / "site").glob("index*.html"))
    assert pages == ["index-2.html", "index-3.html", "index.html"]
    assert (tmp_path / "site" / "index-3.html").read_text().count('<li class="card') == 1
    assert 'rel="next" href="index-2.html"' in (tmp_path / "site" / "index.html").read_text()


def test_out_refuses_a_folder_it_did_not_write_and_replaces_its_own(tmp_path: Path) -> None:
    mine = tmp_path / "catalog-copy"
    shutil.copytree(POD, mine)
    with pytest.raises(PreviewError, match="not empty and was not written by `catalogctl preview`"):
        build_site(POD, mine)
    assert (mine / "products" / "mug-garden.yaml").exists()  # nothing of the user's was touched
    build_site(POD, tmp_path / "site")
    build_site(POD, tmp_path / "site")  # a second run replaces the first


def test_cli_preview_prints_where_to_open_it(tmp_path: Path) -> None:
    main._register()
    cli = main.cli
    result = CliRunner().invoke(cli, ["preview", str(POD), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "Wrote the preview of 25 products" in result.output
    assert f"Open {(tmp_path / 'site' / 'index.html').resolve().as_uri()}" in result.output
    refused = CliRunner().invoke(cli, ["preview", str(POD), "--out", str(POD)])
    assert refused.exit_code == 1 and "Error: " in refused.output and "Traceback" not in refused.output
