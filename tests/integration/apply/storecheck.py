"""What a sandbox store holds, read from its SQLite file, next to what a catalog says, in one shape.

Independent of the reader and the planner: the store side is plain SQL over the sandbox's tables
(which keep what the API never returns: image sources, short descriptions, weight units).
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

from catalogctl.config.catalog import load_catalog
from catalogctl.model.address import Kind
from catalogctl.model.from_catalog import desired_resources


def _amount(text: Any) -> Decimal:
    return Decimal(str(text or 0)).normalize() + 0


def catalog_view(catalog_dir: Path) -> dict[str, Any]:
    """The catalog's products (by sku), webhooks and categories, as the store should hold them."""
    resources = desired_resources(load_catalog(catalog_dir))
    products: dict[str, dict[str, Any]] = {}
    for resource in resources.values():
        if resource.kind is Kind.PRODUCT:
            a = resource.attrs
            products[a["sku"]] = {
                "title": a["title"], "description": a["description"], "short_description": a["short_description"],
                "vendor": a["vendor"], "category": a["category"], "price": _amount(a["price"]),
                "compare_at_price": _amount(a["compare_at_price"]), "weight": _amount(a["weight"]),
                "visibility": a["visibility"], "active": a["active"], "tags": sorted(a["tags"]),
                "images": [], "variants": {},
            }
    for resource in resources.values():
        parent = resource.address.parent
        if resource.kind is Kind.IMAGE and parent is not None:
            products[parent.key]["images"].append((resource.attrs["position"], resource.attrs["src"]))
        elif resource.kind is Kind.VARIANT and parent is not None:
            a = resource.attrs
            products[parent.key]["variants"][frozenset(a["values"])] = {
                "sku": a["sku"], "price": _amount(a["price"]), "compare_at_price": _amount(a["compare_at_price"]),
                "weight": _amount(a["weight"]), "weight_unit": a["weight_unit"] or "", "default": a["default"],
                "image": a["image"], "color": a["color"]}
    for product in products.values():
        product["images"] = [src for _, src in sorted(product["images"])]
    webhooks = {r.attrs["name"]: r.attrs["endpoint"] for r in resources.values() if r.kind is Kind.WEBHOOK}
    categories = {r.attrs["title"] for r in resources.values() if r.kind is Kind.CATEGORY}
    return {"products": products, "webhooks": webhooks, "categories": categories}


def store_view(db: Path, skus: set[str]) -> dict[str, Any]:
    """The store's products for these skus (the active one; else the newest), all webhooks, all categories."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        categories = {row[0]: row[1] for row in conn.execute("SELECT id, title FROM category")}
        products = {}
        for sku in sorted(skus):
            row = conn.execute(
                "SELECT id, title, description, short_description, id_manufacturer, id_category, price,"
                " compare_price, weight, visibility, active FROM product WHERE sku = ?"
                " ORDER BY active DESC, id DESC LIMIT 1", (sku,)).fetchone()
            if row is not None:
                products[sku] = _product(conn, row, categories)
        hooks = {name: endpoint for name, endpoint in conn.execute("SELECT name, endpoint FROM webhook")}
    return {"products": products, "webhooks": hooks, "categories": set(categories.values()) - {"Root", "Home"}}


def _product(conn: sqlite3.Connection, row: tuple[Any, ...], categories: dict[int, str]) -> dict[str, Any]:
    pid, title, description, short, manufacturer, category, price, compare, weight, visibility, active = row
    vendor = conn.execute("SELECT name FROM manufacturer WHERE id = ?", (manufacturer,)).fetchone()
    tags = sorted(name for (name,) in conn.execute("SELECT name FROM product_tag WHERE id_product = ?", (pid,)))
    images = conn.execute("SELECT id, src FROM image WHERE id_product = ? ORDER BY position, id", (pid,)).fetchall()
    src_of = dict(images)
    variants = {}
    for vid, sku, v_price, v_compare, v_weight, unit, default in conn.execute(
            "SELECT id, sku, price, compare_price, weight, weight_unit, default_on FROM variant"
            " WHERE id_product = ? ORDER BY id", (pid,)):
        values = conn.execute(
            "SELECT g.name, a.name, a.color, g.group_type FROM variant_value vv"
            " JOIN attribute a ON a.id = vv.id_attribute JOIN attribute_group g ON g.id = a.id_group"
            " WHERE vv.id_variant = ?", (vid,)).fetchall()
        image = conn.execute("SELECT id_image FROM variant_image WHERE id_variant = ?", (vid,)).fetchone()
        color = next((c for _, _, c, kind in values if kind == "color" and c), None)
        variants[frozenset((g, n) for g, n, _, _ in values)] = {
            "sku": sku, "price": _amount(v_price), "compare_at_price": _amount(v_compare),
            "weight": _amount(v_weight), "weight_unit": unit, "default": bool(default),
            "image": src_of.get(image[0]) if image else None, "color": color.upper() if color else None}
    return {
        "title": title, "description": description, "short_description": short,
        "vendor": vendor[0] if vendor else "", "category": categories.get(category) if category != 2 else None,
        "price": _amount(price), "compare_at_price": _amount(compare), "weight": _amount(weight),
        "visibility": visibility, "active": bool(active), "tags": tags, "images": [src for _, src in images],
        "variants": variants,
    }


def assert_store_holds(catalog_dir: Path, db: Path, *, extra_images: dict[str, int] | None = None,
                       colors: bool = True) -> None:
    """The store holds exactly what the catalog says, product by product (webhooks and categories too).

    `extra_images`: sku -> images the catalog dropped that the store cannot delete (they stay last);
    `colors=False`: variant colours are not compared (the store keeps a value's first colour).
    """
    want = catalog_view(catalog_dir)
    have = store_view(db, set(want["products"]))
    for sku, product in want["products"].items():
        got = dict(have["products"].get(sku) or {})
        if extra_images and sku in extra_images and got:
            got["images"] = got["images"][: len(got["images"]) - extra_images[sku]]
        if not colors:
            for side in (got, product):
                side["variants"] = {k: {**v, "color": None} for k, v in side.get("variants", {}).items()}
        assert got == product, (sku, _differences(product, got))
    # Webhooks the catalog does not name are unmanaged (left alone without prune).
    assert {name: have["webhooks"].get(name) for name in want["webhooks"]} == want["webhooks"]
    assert want["categories"] <= have["categories"]


def _differences(want: dict[str, Any], have: dict[str, Any]) -> dict[str, Any]:
    keys = set(want) | set(have)
    diffs: dict[str, Any] = {}
    for key in sorted(keys):
        if want.get(key) == have.get(key):
            continue
        if key == "variants" and isinstance(want.get(key), dict) and isinstance(have.get(key), dict):
            w, h = want[key], have[key]
            diffs[key] = {str(sorted(k)): (w.get(k), h.get(k)) for k in set(w) | set(h) if w.get(k) != h.get(k)}
        else:
            diffs[key] = (want.get(key), have.get(key))
    return diffs
