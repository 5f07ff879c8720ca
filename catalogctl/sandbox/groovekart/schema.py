"""The SQLite schema of a sandbox store, migrated by PRAGMA user_version (idempotent)."""

from __future__ import annotations

import sqlite3

# Names compare case-insensitively, as MySQL's default collation does in the real store.
SCHEMA_V1 = """
CREATE TABLE category (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL UNIQUE COLLATE NOCASE,
    link_rewrite TEXT NOT NULL,
    date_add TEXT NOT NULL
);
CREATE TABLE manufacturer (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE product (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    vendor_user TEXT NOT NULL,
    id_category INTEGER NOT NULL,
    id_manufacturer INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    short_description TEXT NOT NULL DEFAULT '',
    price TEXT NOT NULL,
    compare_price TEXT NOT NULL,
    sku TEXT NOT NULL DEFAULT '',
    weight TEXT NOT NULL,
    visibility TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    link_rewrite TEXT NOT NULL,
    meta_title TEXT NOT NULL DEFAULT '',
    date_add TEXT NOT NULL,
    date_upd TEXT NOT NULL
);
CREATE INDEX product_category ON product (id_category);
CREATE INDEX product_date_add ON product (date_add);
CREATE INDEX product_date_upd ON product (date_upd);
CREATE TABLE image (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_product INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    cover INTEGER NOT NULL DEFAULT 0,
    src TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX image_product ON image (id_product, position, id);
CREATE TABLE product_tag (
    id_product INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (id_product, position)
);
CREATE TABLE attribute_group (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    group_type TEXT NOT NULL
);
CREATE TABLE attribute (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_group INTEGER NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    color TEXT NOT NULL DEFAULT '',
    texture TEXT NOT NULL DEFAULT '',
    UNIQUE (id_group, name)
);
CREATE TABLE variant (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_product INTEGER NOT NULL,
    sku TEXT NOT NULL DEFAULT '',
    price TEXT NOT NULL,
    compare_price TEXT NOT NULL,
    weight TEXT NOT NULL,
    weight_unit TEXT NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL DEFAULT 20,
    default_on INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX variant_product ON variant (id_product, id);
CREATE TABLE variant_value (
    id_variant INTEGER NOT NULL,
    id_attribute INTEGER NOT NULL,
    PRIMARY KEY (id_variant, id_attribute)
);
CREATE TABLE variant_image (
    id_variant INTEGER NOT NULL,
    id_image INTEGER NOT NULL,
    PRIMARY KEY (id_variant, id_image)
);
CREATE TABLE webhook (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    vendor_user TEXT NOT NULL,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    type TEXT NOT NULL,
    endpoint TEXT NOT NULL
);
-- PrestaShop reserves categories 1 (Root) and 2 (Home); image ids look like the doc's (111111...).
INSERT INTO sqlite_sequence (name, seq) VALUES ('category', 2), ('image', 111110);
"""

MIGRATIONS: tuple[str, ...] = (SCHEMA_V1,)

# Products created without a category land in Home, as in PrestaShop.
HOME_CATEGORY_ID = 2
HOME_CATEGORY_SLUG = "home"


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the file up to the newest schema; a no-op when it is already there."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in script.split(";\n"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
