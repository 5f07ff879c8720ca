"""Helpers for the lifecycle/policy/rename tests: a small catalog written as YAML text, the store's rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from applykit import SANDBOX_ENV, run

HEAD = """categories:
  - title: Shirts
variant_groups:
  - name: Size
    type: select
"""


def write(shop: Path, products: str, webhooks: str = "") -> None:
    """catalog.yaml: the head above, then `products:` (YAML text, indented as list items)."""
    shop.mkdir(parents=True, exist_ok=True)
    text = HEAD + "products:\n" + products + (("webhooks:\n" + webhooks) if webhooks else "")
    (shop / "catalog.yaml").write_text(text, encoding="utf-8")


def tee(sku: str, *, price: str = "20.00", extra: str = "", sizes: str = "[S, M]", title: str = "") -> str:
    """A product with a Size matrix, as YAML list item text; `extra` lines are added as written."""
    lines = [f"  - sku: {sku}", f"    title: {title or 'Tee ' + sku}", "    category: Shirts", f"    price: {price}",
             "    options: [Size]", f"    variants: {{matrix: {{Size: {sizes}}}, sku: '{sku}-{{Size}}'}}"]
    lines += [f"    {line}" for line in extra.strip("\n").splitlines() if line]
    return "\n".join(lines) + "\n"


def plan(shop: Path, *args: str) -> Any:
    return run("plan", shop, "--target", "http", "--no-color", *args, env=SANDBOX_ENV)


def apply(shop: Path, *args: str) -> Any:
    return run("apply", shop, "--target", "http", "--auto-approve", "--no-color", *args, env=SANDBOX_ENV)


def rows(db: Path, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute(query, params).fetchall()


def product(db: Path, sku: str) -> tuple[Any, ...]:
    """(id, title, price, active) of the one product with `sku`."""
    (row,) = rows(db, "SELECT id, title, price, active FROM product WHERE sku = ?", sku)
    return row


def variant_ids(db: Path, product_id: int) -> list[int]:
    return [r[0] for r in rows(db, "SELECT id FROM variant WHERE id_product = ? ORDER BY id", product_id)]
