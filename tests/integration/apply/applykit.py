"""Helpers for the plan/apply tests: the real CLI, example copies, generated catalogs, a served sandbox."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.sandbox import create_app, serve_in_thread

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TOKEN_ENV, KEY_ENV = "TEST_SANDBOX_TOKEN", "TEST_SANDBOX_KEY"
SANDBOX_ENV = {TOKEN_ENV: "gk-sandbox", KEY_ENV: "sandbox-api-key"}


def run(*args: str | Path, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """The real `catalogctl` command, in process."""
    main._register()
    return CliRunner().invoke(main.cli, [str(a) for a in args], env=env, input=input)


def copy_example(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns(".catalogctl"))
    return target


@dataclass
class Served:
    url: str
    db: Path

    def faults(self, **config: Any) -> None:
        httpx.post(f"{self.url}/__sandbox/faults", json=config).raise_for_status()

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/__sandbox/stats").json()


@contextmanager
def served_sandbox(tmp_path: Path) -> Iterator[Served]:
    db = tmp_path / "served.sqlite"
    with serve_in_thread(create_app(db)) as url:
        yield Served(url, db)


def write_target(catalog_dir: Path, url: str, *, name: str = "http", **extra: Any) -> None:
    """A catalogctl.yaml naming a served sandbox, credentials from environment variables."""
    entry = {"provider": "sandbox", "url": url, "api_user": "catalogctl", "auth_token_env": TOKEN_ENV,
             "api_key_env": KEY_ENV, "concurrency": 4, **extra}
    (catalog_dir / "catalogctl.yaml").write_text(json.dumps({"targets": {name: entry}}, indent=2))


@dataclass
class Product:
    sku: str
    price: str = "20.00"
    title: str = ""
    category: str | None = "Shirts"
    tags: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)   # a Size matrix when not empty
    active: bool = True

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"sku": self.sku, "title": self.title or f"Product {self.sku}",
                               "price": "@@" + self.price, "tags": self.tags, "images": self.images,
                               "active": self.active}
        if self.category:
            doc["category"] = self.category
        if self.sizes:
            doc["options"] = ["Size"]
            doc["variants"] = {"matrix": {"Size": self.sizes}, "sku": f"{self.sku}-{{Size}}"}
        return doc


def write_catalog(directory: Path, products: list[Product], *, categories: tuple[str, ...] = ("Shirts",),
                  webhooks: dict[str, str] | None = None) -> Path:
    """A catalog file (JSON is YAML); prices are written as plain numbers so they load as Decimal."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yaml"):
        if old.name != "catalogctl.yaml":
            old.unlink()
    document = {
        "categories": [{"title": t} for t in categories],
        "variant_groups": [{"name": "Size", "type": "select"}],
        "products": [p.document() for p in products],
        "webhooks": [{"name": n, "endpoint": e} for n, e in (webhooks or {}).items()],
    }

    text = _unquote_prices(json.dumps(document, indent=1))
    (directory / "catalog.yaml").write_text(text)
    return directory


def break_catalog(catalog: Path) -> None:
    """Add a file whose product title is a list: the catalog's error, at broken.yaml:3."""
    (catalog / "broken.yaml").write_text("products:\n  - sku: X-1\n    title: [not, a, title]\n")


def _unquote_prices(text: str) -> str:
    return re.sub(r'"@@([0-9.]+)"', r"\1", text)


def duplicates(db: Path) -> dict[str, list[Any]]:
    """What a crash must never leave behind: two products with one sku, two variants with one value set."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        products = connection.execute(
            "SELECT sku, COUNT(*) FROM product GROUP BY sku HAVING COUNT(*) > 1").fetchall()
        variants = connection.execute("""
            SELECT id_product, vals, COUNT(*) FROM (
                SELECT v.id_product, v.id, GROUP_CONCAT(vv.id_attribute) AS vals
                FROM variant v JOIN variant_value vv ON vv.id_variant = v.id GROUP BY v.id)
            GROUP BY id_product, vals HAVING COUNT(*) > 1""").fetchall()
        images = connection.execute("""
            SELECT id_product, position, COUNT(*) FROM image GROUP BY id_product, position
            HAVING COUNT(*) > 1""").fetchall()
    return {"products": products, "variants": variants, "images": images}


def count(db: Path, table: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
