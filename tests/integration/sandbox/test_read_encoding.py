"""The sandbox's product answers are the same bytes however they are built: msgspec's encoding against
json's (wire.php_json), and the six-query product read against the one-join read it replaced, kept
here as the oracle, over stores hypothesis makes (dangling values, shared groups, images, odd text)."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogctl.sandbox.groovekart import catalog_read, wire
from catalogctl.sandbox.groovekart.catalog_read import View
from catalogctl.sandbox.groovekart.db import Store

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
ASCII = st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=12)
DECIMALS = st.decimals(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [Decimal("1E+999"), Decimal("-0"), Decimal("sNaN"), Decimal("24.990000"), Decimal("0E-7")])
SCALARS = st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63 - 2, max_value=2**70) \
    | TEXT | ASCII | st.sampled_from(["https://cdn/x/y.jpg", "a\x7fb", "\u2028", "</script>", "\\/"]) | DECIMALS
PAYLOADS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT | ASCII, inner, max_size=4),
    max_leaves=25,
)


@given(PAYLOADS)
@settings(max_examples=400, deadline=None)
def test_php_json_plain_is_php_json_byte_for_byte(payload: Any) -> None:
    assert wire.php_json_plain(payload) == wire.php_json(payload)


def test_php_json_plain_hands_what_msgspec_spells_otherwise_to_json() -> None:
    for payload in ({"a": "é"}, ["\x7f"], {"x": "\u2028/"}):
        assert wire.php_json_plain(payload) == wire.php_json(payload)
    assert wire.php_json_plain({"url": "https://a/b"}) == b'{"url":"https:\\/\\/a\\/b"}'


# The read the six queries replaced: one join row per variant value, sorted by (variant, group) in Python.
_ORACLE_ROWS = f"""
SELECT v.id_product, v.id, g.name, g.id, a.name, v.sku, v.price, v.compare_price, v.quantity,
       v.weight, v.default_on, g.group_type, a.color,
       (SELECT MIN(vi.id_image) FROM variant_image vi WHERE vi.id_variant = v.id)
FROM variant v
JOIN variant_value vv ON vv.id_variant = v.id
JOIN attribute a ON a.id = vv.id_attribute
JOIN attribute_group g ON g.id = a.id_group
WHERE v.id_product IN {catalog_read._IDS}
ORDER BY v.id, vv.id_attribute
"""


def _oracle(conn: sqlite3.Connection, ids: list[int], view: View) -> list[dict[str, Any]]:
    id_json = json.dumps(ids)
    variants: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(conn.execute(_ORACLE_ROWS, (id_json,)), key=lambda r: (r[1], r[3])):
        variant = (row[1], row[5], row[6], row[7], row[8], row[9], row[10], row[13])
        attribute = (None, row[2], row[3], row[4], row[11], row[12])
        make = catalog_read._details_row if view is View.DETAILS else catalog_read._list_row
        variants[row[0]].append(make(variant, attribute))
    images, tags = catalog_read._images(conn, id_json), catalog_read._tags(conn, id_json)
    by_id = {row[0]: catalog_read._product(row, images.get(row[0], []), tags.get(row[0], ""),
                                           variants.get(row[0], []), view)
             for row in conn.execute(catalog_read._PRODUCTS, (id_json,))}
    return [by_id[pid] for pid in ids if pid in by_id]


_STORES = itertools.count()
_GROUPS = [("Color", "color"), ("Size", "select"), ("Fit", "radio")]


Statement = tuple[str, tuple[Any, ...]]


@st.composite
def stores(draw: st.DrawFn) -> list[Statement]:
    """What fills a store: groups, values (some in a group that is gone), products, variants with 0-3
    values each (some dangling), images, variant images and tags."""
    sql: list[Statement] = [("INSERT INTO attribute_group (id, name, group_type) VALUES (?, ?, ?)", (gid, *group))
                            for gid, group in enumerate(_GROUPS, start=1)]
    attributes = draw(st.lists(st.tuples(st.integers(1, 4), TEXT, st.sampled_from(["", "#ff0000"])),
                               min_size=1, max_size=8))
    for aid, (gid, name, color) in enumerate(attributes, start=1):
        sql.append(("INSERT INTO attribute (id, id_group, name, color) VALUES (?, ?, ?, ?)",
                    (aid, gid, f"{aid}-{name}", color)))
    variant_id = image_id = 0
    for pid in range(1, draw(st.integers(1, 5)) + 1):
        sql.append(("INSERT INTO product (id, vendor_user, id_category, title, description, price, compare_price,"
                    " sku, weight, visibility, active, link_rewrite, date_add, date_upd) VALUES "
                    "(?, 'u', 2, ?, ?, '1.000000', '2.500000', ?, '0.000000', 'both', ?, 'p', "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                    (pid, draw(TEXT), draw(TEXT), f"P{pid}", draw(st.integers(0, 1)))))
        images = []
        for position in range(draw(st.integers(0, 2))):
            image_id += 1
            images.append(image_id)
            sql.append(("INSERT INTO image (id, id_product, position, cover, src, version) VALUES (?, ?, ?, ?, 's', 5)",
                        (image_id, pid, position, int(position == 0))))
        for position, tag in enumerate(draw(st.lists(TEXT, max_size=2))):
            sql.append(("INSERT INTO product_tag (id_product, position, name) VALUES (?, ?, ?)", (pid, position, tag)))
        for _ in range(draw(st.integers(0, 4))):
            variant_id += 1
            sql.append(("INSERT INTO variant (id, id_product, sku, price, compare_price, weight, default_on) "
                        "VALUES (?, ?, ?, '3.000000', ?, '1.000000', ?)",
                        (variant_id, pid, draw(TEXT), draw(st.sampled_from(["0", "4.125"])), draw(st.integers(0, 1)))))
            for aid in draw(st.sets(st.integers(1, len(attributes) + 1), max_size=3)):
                sql.append(("INSERT INTO variant_value (id_variant, id_attribute) VALUES (?, ?)", (variant_id, aid)))
            if images and draw(st.booleans()):
                sql.append(("INSERT INTO variant_image (id_variant, id_image) VALUES (?, ?)", (variant_id, images[-1])))
    return sql


@given(stores(), st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_product_read_answers_what_the_one_join_read_answered(tmp_path: Path, sql: list[Statement],
                                                                    data: st.DataObject) -> None:
    store = Store(tmp_path / f"store-{next(_STORES)}.sqlite")
    with store.bulk() as conn:
        for statement, params in sql:
            conn.execute(statement, params)
    ids = data.draw(st.lists(st.integers(1, 6), unique=True))
    with store.connection() as conn:
        for view in View:
            want = _oracle(conn, ids, view)
            assert catalog_read.load_products(conn, ids, view) == want
            assert catalog_read.encode_products(conn, ids, view) == wire.php_json(want)
    store.close()


def test_a_quantity_sqlite_holds_as_a_float_is_encoded_by_json(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.sqlite")
    with store.bulk() as conn:
        for statement in [
            "INSERT INTO attribute_group (id, name, group_type) VALUES (1, 'Size', 'select')",
            "INSERT INTO attribute (id, id_group, name) VALUES (1, 1, 'S')",
            "INSERT INTO product (id, vendor_user, id_category, title, price, compare_price, weight, visibility,"
            " link_rewrite, date_add, date_upd) VALUES (1, 'u', 2, 't', '1', '1', '1', 'both', 't', 'd', 'd')",
            "INSERT INTO variant (id, id_product, price, compare_price, weight, quantity)"
            " VALUES (1, 1, '1', '1', '1', 1.5e-7)",
            "INSERT INTO variant_value (id_variant, id_attribute) VALUES (1, 1)",
        ]:
            conn.execute(statement)
    with store.connection() as conn:
        encoded = catalog_read.encode_products(conn, [1], View.LIST)
        assert b'"quantity":1.5e-07' in encoded  # msgspec would write 1.5e-7
        assert encoded == wire.php_json(catalog_read.load_products(conn, [1], View.LIST))
    store.close()
