"""webhooks.json: create, list, update, delete. Names are unique (case-insensitive); type is fixed."""

from __future__ import annotations

import sqlite3
from typing import Any

from catalogctl.sandbox.groovekart import payload
from catalogctl.sandbox.groovekart.payload import Invalid
from catalogctl.sandbox.groovekart.reply import Reply, ok, status_error

# The only webhook the vendor API registers (the doc lists no other type).
WEBHOOK_TYPE = "order_confirmation"
BAD_URL = "Invalid endpoint URL or URL not provided in one or more webhooks"


def _name_taken(conn: sqlite3.Connection, name: str, except_id: int = 0) -> bool:
    row = conn.execute("SELECT 1 FROM webhook WHERE name = ? AND id != ?", (name, except_id)).fetchone()
    return row is not None


def create(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    items = [item for item in payload.as_list(body.get("webhook_data")) if isinstance(item, dict)]
    if not items:
        return status_error("Webhook data was empty.")
    names: set[str] = set()
    rows: list[tuple[str, str]] = []
    for item in items:
        endpoint = payload.endpoint_url(item.get("endpoint"))
        name = str(item.get("name") or "").strip()
        if endpoint is None or not name:
            return status_error(BAD_URL)
        if name.lower() in names or _name_taken(conn, name):
            return status_error("One or more webhooks already exists")
        names.add(name.lower())
        rows.append((name, endpoint))
    conn.executemany(
        "INSERT INTO webhook (vendor_user, name, type, endpoint) VALUES (?, ?, ?, ?)",
        [(api_user, name, WEBHOOK_TYPE, endpoint) for name, endpoint in rows],
    )
    return ok({"status": "success", "message": "Created webhook"})


def list_all(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    rows = conn.execute("SELECT id, name, type, endpoint FROM webhook ORDER BY id").fetchall()
    if not rows:
        return status_error("Webhooks not found")
    return ok([{"id": str(wid), "name": name, "type": kind, "endpoint": url} for wid, name, kind, url in rows])


def update(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    items = payload.as_list(body.get("webhook_data"))
    if not items:
        return status_error("Webhook data was empty.")
    for item in items:
        if not isinstance(item, dict) or not item:
            return status_error("Webhook data was empty.")
        try:
            wid = payload.as_int(item.get("id"), "id")
        except Invalid:
            return status_error("Webhook ID missing.")
        if conn.execute("SELECT 1 FROM webhook WHERE id = ?", (wid,)).fetchone() is None:
            return status_error("Webhook not found.")
        if "endpoint" in item:
            endpoint = payload.endpoint_url(item["endpoint"])
            if endpoint is None:
                return status_error(BAD_URL)
            conn.execute("UPDATE webhook SET endpoint = ? WHERE id = ?", (endpoint, wid))
        if "name" in item:
            name = str(item["name"] or "").strip()
            if not name:
                return status_error("Webhook data was empty.")
            if _name_taken(conn, name, wid):
                return status_error("Webhook with same info already exists.")
            conn.execute("UPDATE webhook SET name = ? WHERE id = ?", (name, wid))
    return ok({"status": "success", "message": "Webhook updated"})


def delete(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    try:
        wid = payload.as_int(body.get("id"), "id")
    except Invalid:
        return status_error("Webhook ID missing")
    if conn.execute("DELETE FROM webhook WHERE id = ?", (wid,)).rowcount == 0:
        return status_error("Webhook not found with given id")
    return ok({"status": "success", "message": "Webhook deleted"})
