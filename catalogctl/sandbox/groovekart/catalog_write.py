"""Writes shared by several endpoints: manufacturers, groups and values, variants, tags, images."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from operator import attrgetter

from catalogctl.sandbox.groovekart import wire
from catalogctl.sandbox.groovekart.payload import Invalid
from catalogctl.sandbox.groovekart.variant_input import NewValue, NewVariant

_PAIR = attrgetter("pair")  # a NewValue's (group, name)


class GroupsNotFound(Invalid):
    """variants.json add names a variant group the store does not have."""


def product_exists(conn: sqlite3.Connection, product_id: int) -> bool:
    return conn.execute("SELECT 1 FROM product WHERE id = ?", (product_id,)).fetchone() is not None


def touch(conn: sqlite3.Connection, product_id: int) -> None:
    conn.execute("UPDATE product SET date_upd = ? WHERE id = ?", (wire.now_text(), product_id))


def manufacturer_id(conn: sqlite3.Connection, vendor: str) -> int:
    """The vendor becomes a PrestaShop manufacturer (0 when empty); same name, same id."""
    if not vendor:
        return 0
    row = conn.execute("SELECT id FROM manufacturer WHERE name = ?", (vendor,)).fetchone()
    if row:
        return int(row[0])
    return int(conn.execute("INSERT INTO manufacturer (name) VALUES (?)", (vendor,)).lastrowid or 0)


def group_id(conn: sqlite3.Connection, name: str, group_type: str, create: bool,
             known: dict[str, int] | None = None) -> int:
    """The id of the group named `name` (case-insensitively), made with `group_type` when `create`
    allows; `known` remembers the ids already found within one transaction, by exact name."""
    if known is not None and (found := known.get(name)) is not None:
        return found
    row = conn.execute("SELECT id FROM attribute_group WHERE name = ?", (name,)).fetchone()
    if row:
        gid = int(row[0])
    elif not create:
        raise GroupsNotFound(f"variant group {name!r} does not exist")
    else:
        cursor = conn.execute("INSERT INTO attribute_group (name, group_type) VALUES (?, ?)", (name, group_type))
        gid = int(cursor.lastrowid or 0)
    if known is not None:
        known[name] = gid
    return gid


def attribute_id(conn: sqlite3.Connection, value: NewValue, create_groups: bool,
                 groups: dict[str, int] | None = None) -> int:
    """A shared attribute value (group + name); its color is the one it was first created with."""
    gid = group_id(conn, value.group, value.group_type, create_groups, groups)
    row = conn.execute("SELECT id FROM attribute WHERE id_group = ? AND name = ?", (gid, value.name)).fetchone()
    if row:
        return int(row[0])
    cursor = conn.execute(
        "INSERT INTO attribute (id_group, name, color, texture) VALUES (?, ?, ?, ?)",
        (gid, value.name, value.color, value.texture),
    )
    return int(cursor.lastrowid or 0)


def _attribute_id(conn: sqlite3.Connection, value: NewValue, create_groups: bool,
                  known: dict[tuple[str, str], int], groups: dict[str, int]) -> int:
    key = (value.group, value.name)
    found = known.get(key)
    if found is None:
        found = known[key] = attribute_id(conn, value, create_groups, groups)
    return found


_KNOWN_ROWS = 300  # rows of one look-up statement (3 parameters each: far below SQLite's limit)


@lru_cache(maxsize=64)
def _known_sql(rows: int) -> str:
    """known_ids' statement for `rows` pairs (made once per size: the same text, found in the connection's
    statement cache without a new string to hash; issue 13)."""
    return ("WITH asked(k, g, a) AS (VALUES " + ", ".join(["(?, ?, ?)"] * rows) + ")"
            " SELECT asked.k, attribute_group.id, attribute.id FROM asked"
            " JOIN attribute_group ON attribute_group.name = asked.g"
            " LEFT JOIN attribute ON attribute.id_group = attribute_group.id AND attribute.name = asked.a")


def known_ids(conn: sqlite3.Connection, group_names: Iterable[str], values: Iterable[NewValue],
              ) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """The ids of the groups and the (group, value) attributes that exist already, by the exact names
    asked for, found by one statement: what group_id() and attribute_id() would each find with a
    SELECT of their own (the same comparisons: the tables' NOCASE columns on the left of each `=`).
    A name not found is simply absent; those calls then look it up, and create it, as before.

    Issue 13: a create_product of a Color (2) x Size (5) matrix looked up 2 groups and 7 values with
    nine statements; their Python and SQLite overhead was a tenth of the store's work per create."""
    pairs = list(dict.fromkeys([*((name, None) for name in group_names), *map(_PAIR, values)]))
    groups: dict[str, int] = {}
    attributes: dict[tuple[str, str], int] = {}
    for start in range(0, len(pairs), _KNOWN_ROWS):
        chunk = pairs[start:start + _KNOWN_ROWS]
        numbered = zip(range(start, start + len(chunk)), *zip(*chunk, strict=True), strict=True)
        rows = conn.execute(_known_sql(len(chunk)), [*chain.from_iterable(numbered)])  # (index, group, name)s
        for at, gid, aid in rows:
            group, name = pairs[at]
            groups[group] = gid
            if name is not None and aid is not None:
                attributes[group, name] = aid
    return groups, attributes


def _combinations(conn: sqlite3.Connection, product_id: int) -> set[frozenset[int]]:
    combos: dict[int, set[int]] = defaultdict(set)
    rows = conn.execute(
        "SELECT vv.id_variant, vv.id_attribute FROM variant_value vv JOIN variant v ON v.id = vv.id_variant"
        " WHERE v.id_product = ?",
        (product_id,),
    )
    for vid, aid in rows:
        combos[vid].add(aid)
    return {frozenset(values) for values in combos.values()}


_ROWS_PER_INSERT = 200  # parameters: 7 a variant at most, far below SQLite's limit (32,766)


def insert_rows(conn: sqlite3.Connection, insert: str, rows: list[tuple[object, ...]]) -> int | None:
    """executemany(insert, rows), as INSERT statements of up to _ROWS_PER_INSERT rows each (`insert` ends
    with its one `VALUES (?, ...)`): the same rows in the same order, so AUTOINCREMENT gives them the same
    ids, and any failure fails the request's one transaction as before. Issue 13: executemany binds and
    steps one row at a time (a create_product's 30 variant and value rows: ~12% of the sandbox's
    instructions per create, callgrind); one statement of many rows is one bind and one step.
    Answers the rowid of the last row inserted (None for no rows)."""
    last = None
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start:start + _ROWS_PER_INSERT]
        last = conn.execute(_many_rows(insert, len(chunk)), [*chain.from_iterable(chunk)]).lastrowid
    return last


@lru_cache(maxsize=256)
def _many_rows(insert: str, rows: int) -> str:
    """`insert` (ending with its one `VALUES (?, ...)`) for `rows` rows, made once per size (issue 13)."""
    head, values = insert.rsplit(" VALUES ", 1)
    return f"{head} VALUES {', '.join([values] * rows)}"


_INSERT_VARIANT = ("INSERT INTO variant (id_product, sku, price, compare_price, weight, weight_unit, default_on)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)")


def insert_variants(
    conn: sqlite3.Connection, product_id: int, variants: list[NewVariant], create_groups: bool,
    groups: dict[str, int] | None = None, new_product: bool = False,
    attributes: dict[tuple[str, str], int] | None = None,
) -> list[int]:
    """Insert variants (checked with parse_variants); refuse value sets the product already has.

    `new_product`: the product was made in this transaction, so it has no variants yet (its id is
    new: AUTOINCREMENT never hands an id out twice). `groups` remembers group ids by exact name;
    `attributes`, the ids of known_ids() (found by the caller in this transaction), else found here."""
    existing = set() if new_product else _combinations(conn, product_id)
    groups = {} if groups is None else groups
    if attributes is None:
        found_groups, attributes = known_ids(conn, (), (value for variant in variants for value in variant.values))
        groups.update({name: gid for name, gid in found_groups.items() if name not in groups})
    # (group, value) -> attribute id, within this one transaction: each pair is looked up (or created) once,
    # not once per variant naming it (a create_product of 10 variants made 40 lookups of ~7 pairs).
    known: dict[tuple[str, str], int] = dict(attributes)
    combos: list[frozenset[int]] = []
    for variant in variants:  # every check before any insert: a refusal rolls the whole request back
        ids = [*map(known.get, map(_PAIR, variant.values))]  # (issue 13: in C when every value is known)
        if None in ids:  # a value not known yet: each looked up, or created, in order
            ids = [_attribute_id(conn, value, create_groups, known, groups) for value in variant.values]
        combo = frozenset(ids)
        if combo in existing:
            raise Invalid("This combination already exists")
        existing.add(combo)
        combos.append(combo)
    # Each default variant took the default from every variant before it: the last one keeps it.
    last_default = max((at for at, variant in enumerate(variants) if variant.default_on), default=-1)
    if last_default >= 0 and not new_product:
        conn.execute("UPDATE variant SET default_on = 0 WHERE id_product = ?", (product_id,))
    # One statement for all rows, then their ids read back in order: AUTOINCREMENT gives each new row
    # an id above every id the table has, in insertion order (issue 13: the 20 INSERTs of a 10-variant
    # create_product were a fifth of its SQL time).
    (last,) = (0,) if new_product else conn.execute("SELECT COALESCE(MAX(id), 0) FROM variant").fetchone()
    last_id = insert_rows(conn, _INSERT_VARIANT, _variant_rows(product_id, variants, last_default))
    if new_product and last_id is not None and len(variants) <= _ROWS_PER_INSERT:
        # One statement numbered its rows one after another, up to its lastrowid: the ids the SELECT
        # below reads back (issue 13: a statement fewer a create_product).
        ids = list(range(last_id - len(variants) + 1, last_id + 1))
    else:
        ids = [vid for (vid,) in conn.execute(
            "SELECT id FROM variant WHERE id_product = ? AND id > ? ORDER BY id", (product_id, last))]
    if len(ids) != len(variants):
        raise RuntimeError(f"{len(variants)} variants inserted, {len(ids)} read back")  # never: the write lock is held
    insert_rows(conn, "INSERT INTO variant_value (id_variant, id_attribute) VALUES (?, ?)",
                [(vid, aid) for vid, combo in zip(ids, combos, strict=True) for aid in combo])
    if not new_product:
        ensure_default(conn, product_id)
    elif last_default < 0 and ids:  # what ensure_default does to a product whose variants are these alone
        conn.execute("UPDATE variant SET default_on = 1 WHERE id = ?", (ids[0],))
    return ids


def _variant_rows(product_id: int, variants: list[NewVariant], last_default: int) -> list[tuple[object, ...]]:
    """The variant table's rows of `variants`. A variant's numbers are spelled once for a run of variants
    holding the very same Decimals (parse_variants hands every variant of a remembered list the same ones;
    issue 13: 30 wire.six calls a 10-variant create, now 3)."""
    rows: list[tuple[object, ...]] = []
    price = compare = weight = None
    texts = ("", "", "")
    for at, variant in enumerate(variants):
        if variant.price is not price or variant.compare_price is not compare or variant.weight is not weight:
            price, compare, weight = variant.price, variant.compare_price, variant.weight
            texts = (wire.six(price), wire.six(compare), wire.six(weight))
        rows.append((product_id, variant.sku, *texts, variant.weight_unit, int(at == last_default)))
    return rows


def ensure_default(conn: sqlite3.Connection, product_id: int) -> None:
    """Exactly one default variant per product: when none is marked, the lowest id (PrestaShop)."""
    marked = conn.execute(
        "SELECT id FROM variant WHERE id_product = ? AND default_on = 1 ORDER BY id", (product_id,)
    ).fetchall()
    if len(marked) == 1:
        return
    conn.execute("UPDATE variant SET default_on = 0 WHERE id_product = ?", (product_id,))
    conn.execute(
        "UPDATE variant SET default_on = 1 WHERE id = (SELECT MIN(id) FROM variant WHERE id_product = ?)",
        (product_id,),
    )


def product_tags(conn: sqlite3.Connection, product_id: int) -> list[str]:
    rows = conn.execute("SELECT name FROM product_tag WHERE id_product = ? ORDER BY position", (product_id,))
    return [row[0] for row in rows]


def set_tags(conn: sqlite3.Connection, product_id: int, tags: list[str], replace: bool,
             new_product: bool = False) -> int:
    """Replace or extend the product's tags; answers how many tags were added (`new_product`: made in
    this transaction, so it has no tags to delete: AUTOINCREMENT never hands an id out twice)."""
    current = [] if replace else product_tags(conn, product_id)
    known = {tag.lower() for tag in current}
    added = [tag for tag in tags if tag.lower() not in known]
    final = current + added
    if not new_product:
        conn.execute("DELETE FROM product_tag WHERE id_product = ?", (product_id,))
    insert_rows(conn, "INSERT INTO product_tag (id_product, position, name) VALUES (?, ?, ?)",
                [(product_id, position, tag) for position, tag in enumerate(final)])
    return len(added)


def add_image(conn: sqlite3.Connection, product_id: int, src: str, position: int, new_product: bool = False) -> int:
    """Store an image (the source url is kept, never shown); the first image becomes the cover (the
    image of a `new_product`, made in this transaction, is its first)."""
    has_cover = None if new_product else conn.execute(
        "SELECT 1 FROM image WHERE id_product = ? AND cover = 1", (product_id,)).fetchone()
    cursor = conn.execute(
        "INSERT INTO image (id_product, position, cover, src, version) VALUES (?, ?, ?, ?, ?)",
        (product_id, position, 0 if has_cover else 1, src, wire.now_version()),
    )
    return int(cursor.lastrowid or 0)


def replace_image(
    conn: sqlite3.Connection, product_id: int, image_id: int, src: str, position: int | None, cover: bool
) -> bool:
    """Swap the picture behind an image id (the id stays, the url's ?v= changes); False if not found."""
    row = conn.execute("SELECT version FROM image WHERE id = ? AND id_product = ?", (image_id, product_id)).fetchone()
    if row is None:
        return False
    version = max(wire.now_version(), int(row[0]) + 1)
    conn.execute("UPDATE image SET src = ?, version = ? WHERE id = ?", (src, version, image_id))
    if position is not None:
        conn.execute("UPDATE image SET position = ? WHERE id = ?", (position, image_id))
    if cover:
        conn.execute("UPDATE image SET cover = (id = ?) WHERE id_product = ?", (image_id, product_id))
    return True


def image_ids_of(conn: sqlite3.Connection, product_id: int) -> set[int]:
    return {row[0] for row in conn.execute("SELECT id FROM image WHERE id_product = ?", (product_id,))}
