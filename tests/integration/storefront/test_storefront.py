"""The sandbox storefront: shop pages at the root url, read from the store `apply` wrote."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from catalogctl.cli import main
from catalogctl.sandbox import create_app

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/tshirt-shop with one product made inactive, applied to its embedded sandbox."""
    directory = tmp_path_factory.mktemp("shop") / "tshirt-shop"
    shutil.copytree(ROOT / "examples" / "tshirt-shop", directory)
    main._register()
    result = CliRunner().invoke(main.cli, ["apply", str(directory), "--auto-approve", "--no-color"])
    assert result.exit_code == 0, result.output
    return directory / ".catalogctl" / "sandbox.sqlite"


def _get(db: Path, *paths: str) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=create_app(db))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return [await client.get(path) for path in paths]

    return asyncio.run(run())


def test_the_root_lists_the_active_products_as_cards(shop: Path) -> None:
    home, css, js = _get(shop, "/", "/assets/site.css", "/assets/site.js")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert home.text.count('<li class="card') >= 3
    assert 'href="/assets/site.css"' in home.text and "https://" not in home.text.split("<main")[0]
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert js.status_code == 200 and "catalogctl" in js.text


def test_product_pages_and_not_found(shop: Path) -> None:
    first, missing, bad, other = _get(shop, "/products/1", "/products/99999", "/products/x", "/assets/../db")
    assert first.status_code == 200 and "<h1>" in first.text and '<p class="price">' in first.text
    assert missing.status_code == 404 and "Product not found" in missing.text
    assert bad.status_code == 404
    assert other.status_code == 404


def test_inactive_products_are_not_shown(shop: Path) -> None:
    import sqlite3

    with sqlite3.connect(shop) as conn:
        title = conn.execute("SELECT title FROM product WHERE id = 1").fetchone()[0]
        conn.execute("UPDATE product SET active = 0 WHERE id = 1")
    try:
        home, page = _get(shop, "/", "/products/1")
        assert f">{title}</h2>" not in home.text
        assert page.status_code == 404
    finally:
        with sqlite3.connect(shop) as conn:
            conn.execute("UPDATE product SET active = 1 WHERE id = 1")


def test_admin_and_api_routes_are_unchanged(shop: Path) -> None:
    stats, api = _get(shop, "/__sandbox/stats", "/api/list_products.json")
    assert stats.status_code == 200
    assert api.status_code == 405  # the API is POST only, and the storefront does not shadow it
