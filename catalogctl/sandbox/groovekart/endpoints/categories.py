"""create_categories.json and list_categories.json."""

from __future__ import annotations

import sqlite3
from typing import Any

from catalogctl.sandbox.groovekart import payload, rules, wire
from catalogctl.sandbox.groovekart.payload import Invalid, check
from catalogctl.sandbox.groovekart.reply import Reply, error, ok


def _all(conn: sqlite3.Connection) -> list[dict[str, str]]:
    rows = conn.execute("SELECT id, title FROM category ORDER BY id")
    return [{"id": str(cid), "title": title} for cid, title in rows]


def _titles(raw: Any) -> list[str]:
    titles: list[str] = []
    for item in payload.as_list(raw):
        title = payload.as_str(payload.as_dict(item, "category").get("title"), "title")
        check(rules.catalog_name(title, "category title"))
        titles.append(title)
    if not titles:
        raise Invalid("no category given")
    return titles


def create(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Create the categories whose title is new (case-insensitive); answer the whole list."""
    try:
        titles = _titles(body.get("category"))
    except Invalid:
        return error("Category not created.")
    for title in titles:
        conn.execute(
            "INSERT INTO category (title, link_rewrite, date_add) VALUES (?, ?, ?) ON CONFLICT (title) DO NOTHING",
            (title, wire.slug(title), wire.now_text()),
        )
    return ok({"categories": _all(conn)})


def list_all(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    categories = _all(conn)
    return ok({"categories": categories}) if categories else error("Categories not found.")
