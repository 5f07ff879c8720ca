"""The sandbox store's SQLite rows as ProductViews: what a shopper of the emulated store sees."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from decimal import Decimal

from catalogctl.preview.model import ProductView, Swatch, VariantRow

HOME = "Home"  # products without a category land in PrestaShop's Home category
_VISIBLE = "p.active = 1 AND p.visibility != 'none'"
_IDS = "(SELECT value FROM json_each(?))"
_PRODUCTS = f"""
SELECT p.id, p.title, p.sku, p.price, p.compare_price, p.weight, p.active, p.visibility, p.description,
       p.short_description, c.title, m.name
FROM product p
LEFT JOIN category c ON c.id = p.id_category
LEFT JOIN manufacturer m ON m.id = p.id_manufacturer
WHERE p.id IN {_IDS}
"""
_IMAGES = f"SELECT id_product, src FROM image WHERE id_product IN {_IDS} ORDER BY position, id"
_TAGS = f"SELECT id_product, name FROM product_tag WHERE id_product IN {_IDS} ORDER BY position"
_VARIANTS = f"""
SELECT v.id_product, v.id, v.sku, v.price, v.compare_price, v.weight, v.weight_unit, v.default_on,
       g.name, g.group_type, a.name, a.color,
       (SELECT i.src FROM variant_image vi JOIN image i ON i.id = vi.id_image
        WHERE vi.id_variant = v.id ORDER BY i.position LIMIT 1)
FROM variant v
JOIN variant_value vv ON vv.id_variant = v.id
JOIN attribute a ON a.id = vv.id_attribute
JOIN attribute_group g ON g.id = a.id_group
WHERE v.id_product IN {_IDS}
ORDER BY v.id_product, v.id, g.id
"""


def count_visible(conn: sqlite3.Connection) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM product p WHERE {_VISIBLE}").fetchone()[0])


def visible_page(conn: sqlite3.Connection, offset: int, limit: int) -> list[ProductView]:
    """Active products a shopper can browse (visibility other than none), oldest first."""
    ids = [row[0] for row in conn.execute(
        f"SELECT p.id FROM product p WHERE {_VISIBLE} ORDER BY p.id LIMIT ? OFFSET ?", (limit, offset))]
    return load(conn, ids)


def one_product(conn: sqlite3.Connection, product_id: int) -> ProductView | None:
    """An active product by id (a shopper cannot open an inactive one)."""
    found = load(conn, [product_id])
    return found[0] if found and found[0].active else None


def load(conn: sqlite3.Connection, ids: list[int]) -> list[ProductView]:
    if not ids:
        return []
    id_json = json.dumps(ids)
    images: dict[int, list[str]] = defaultdict(list)
    for product_id, src in conn.execute(_IMAGES, (id_json,)):
        images[product_id].append(src)
    tags: dict[int, list[str]] = defaultdict(list)
    for product_id, name in conn.execute(_TAGS, (id_json,)):
        tags[product_id].append(name)
    variants = _variants(conn, id_json)
    views = {row[0]: _product(row, images[row[0]], tags[row[0]], variants.get(row[0], [])) for row in
             conn.execute(_PRODUCTS, (id_json,))}
    return [views[i] for i in ids if i in views]


def _product(row: tuple, images: list[str], tags: list[str], variants: list[VariantRow]) -> ProductView:
    (pid, title, sku, price, compare, weight, active, visibility, description, short, category, vendor) = row
    options = tuple(group for group, _ in variants[0].values) if variants else ()
    return ProductView(
        sku=sku, title=title, slug=str(pid), price=Decimal(price), compare_at_price=Decimal(compare),
        weight=Decimal(weight), category=category or HOME, vendor=vendor or "", active=bool(active),
        visibility=visibility, images=tuple(images), tags=tuple(tags), description=description,
        short_description=short, options=options, variants=tuple(variants),
    )


def _variants(conn: sqlite3.Connection, id_json: str) -> dict[int, list[VariantRow]]:
    rows: dict[int, dict[int, list[tuple]]] = defaultdict(dict)
    for row in conn.execute(_VARIANTS, (id_json,)):
        rows[row[0]].setdefault(row[1], []).append(row)
    result: dict[int, list[VariantRow]] = {}
    for product_id, by_variant in rows.items():
        result[product_id] = [_variant(parts) for parts in by_variant.values()]
    return result


def _variant(parts: list[tuple]) -> VariantRow:
    first = parts[0]
    values = tuple((p[8], p[10]) for p in parts)  # (group, value), groups in id order
    swatch = next((Swatch(p[10], p[11].upper()) for p in parts if p[9] == "color" and p[11]), None)
    return VariantRow(
        label=" / ".join(f"{group}: {value}" for group, value in values), values=values, sku=first[2],
        price=Decimal(first[3]), compare_at_price=Decimal(first[4]), weight=Decimal(first[5]),
        weight_unit=first[6], default=bool(first[7]), image=first[12], swatch=swatch,
    )
