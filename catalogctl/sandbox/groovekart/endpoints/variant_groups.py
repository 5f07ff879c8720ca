"""variant_groups.json: add_variant_groups (deduplicated by name) and list_variant_groups."""

from __future__ import annotations

import sqlite3
from typing import Any

from catalogctl.sandbox.groovekart import catalog_write as cw
from catalogctl.sandbox.groovekart import payload, rules, variant_input
from catalogctl.sandbox.groovekart.payload import Invalid, check
from catalogctl.sandbox.groovekart.reply import Reply, error, ok


def group_list(conn: sqlite3.Connection) -> list[dict[str, str]]:
    """All groups by name; the store reads every group_type back as "radio"."""
    rows = conn.execute("SELECT id, name FROM attribute_group ORDER BY name, id")
    return [
        {"id_attribute_group": str(gid), "name": name, "public_name": name, "group_type": "radio"}
        for gid, name in rows
    ]


def add(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    try:
        items = payload.as_list(body.get("variant_groups"))
        if not items:
            raise Invalid("no groups")
        groups: list[tuple[str, str]] = []
        for item in items:
            data = payload.as_dict(item, "variant_group")
            name = payload.as_str(data.get("name"), "name")
            check(rules.generic_name(name, "variant group name"))
            groups.append((name, variant_input.group_type(data.get("group_type"))))
    except Invalid:
        return error("Variant Groups data not sent.")
    for name, group_type in groups:
        cw.group_id(conn, name, group_type, create=True)
    return ok({"status": "success"})


def list_all(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    groups = group_list(conn)
    return ok(groups) if groups else error("Variant Groups not found.")
