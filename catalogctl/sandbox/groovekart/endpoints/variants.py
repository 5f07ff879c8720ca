"""variants.json: add, update, image assign (no action), delete_image, delete (all of a product's variants)."""

from __future__ import annotations

import sqlite3
from typing import Any

from catalogctl.sandbox.groovekart import catalog_write as cw
from catalogctl.sandbox.groovekart import payload, rules, variant_input, wire
from catalogctl.sandbox.groovekart.endpoints.variant_groups import group_list
from catalogctl.sandbox.groovekart.payload import Invalid, check
from catalogctl.sandbox.groovekart.reply import Reply, error, ok, status_error

NOT_PROVIDED = "Variant id or image id not provided."


def _ids(raw: Any, field: str) -> list[int]:
    """A single id or a list of ids; zeros mean "none"."""
    return [n for n in (payload.as_int(item, field) for item in payload.as_list(raw)) if n]


def add(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Add variants to a product; groups must exist. Answers the group list, not the new ids (as documented)."""
    try:
        pid = payload.opt_int(body.get("product_id"), "product_id")
        image_id = payload.opt_int(body.get("image_id"), "image_id") or 0
    except Invalid:
        pid, image_id = None, 0
    if not pid or not body.get("variants"):
        return error("Product id or variants data is missing.")
    if not cw.product_exists(conn, pid):
        return error("Product not found.")
    if image_id and image_id not in cw.image_ids_of(conn, pid):
        return error("Image not found.")
    try:
        new_ids = cw.insert_variants(conn, pid, variant_input.parse_variants(body["variants"]), create_groups=False)
    except cw.GroupsNotFound:
        return error("Variant Groups not found.")
    except Invalid as exc:
        duplicate = "combination already exists" in str(exc)
        return error("This combination already exists" if duplicate else "Variants not added. Please check your data.")
    if image_id:
        rows = [(vid, image_id) for vid in new_ids]
        conn.executemany("INSERT INTO variant_image (id_variant, id_image) VALUES (?, ?)", rows)
    cw.touch(conn, pid)
    return ok(group_list(conn))


def _update_one(conn: sqlite3.Connection, pid: int, raw: Any, images: set[int]) -> tuple[int, bool]:
    """Apply one complete row (the table made sure of id, price, compare_at_price, default_on).

    With update_all_fields, what the row leaves out is reset: sku to "", weight to 0, no images
    (the stricter reading of a flag the document does not explain). Without it, absent fields stay.
    """
    data = payload.as_dict(raw, "variant")
    vid = payload.as_int(data.get("id"), "id")
    if conn.execute("SELECT 1 FROM variant WHERE id = ? AND id_product = ?", (vid, pid)).fetchone() is None:
        raise Invalid(f"variant {vid} is not a variant of product {pid}")
    all_fields = payload.as_bool(data.get("update_all_fields"))
    columns: dict[str, object] = {
        "price": wire.six(payload.price(data["price"], "price")),
        "compare_price": wire.six(payload.price(data["compare_at_price"], "compare_at_price")),
        "default_on": int(payload.as_bool(data["default_on"])),
    }
    if "sku" in data or all_fields:
        sku = payload.as_str(data.get("sku"), "sku")
        check(rules.reference(sku))
        columns["sku"] = sku
    if "weight" in data or all_fields:
        columns["weight"] = wire.six(payload.weight(data.get("weight"), "weight"))
    for column, value in columns.items():  # column names come from the fixed list above
        conn.execute(f"UPDATE variant SET {column} = ? WHERE id = ?", (value, vid))
    if "image_id" in data or all_fields:
        wanted = _ids(data.get("image_id"), "image_id")
        if not set(wanted) <= images:
            raise Invalid("image is not an image of this product")
        conn.execute("DELETE FROM variant_image WHERE id_variant = ?", (vid,))
        conn.executemany("INSERT INTO variant_image (id_variant, id_image) VALUES (?, ?)", [(vid, i) for i in wanted])
    return vid, bool(columns["default_on"])


def update(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Per variant id: price, compare_at_price, sku, weight, image_id[], default_on (one default per product)."""
    try:
        pid = payload.opt_int(body.get("product_id"), "product_id")
    except Invalid:
        pid = None
    items = payload.as_list(body.get("variants"))
    if not pid or not items:
        return status_error("Product id or variants data is missing.")
    try:
        images = cw.image_ids_of(conn, pid)
        updated = [_update_one(conn, pid, raw, images) for raw in items]
        defaults = [vid for vid, wants_default in updated if wants_default]
        if len(defaults) > 1:
            raise Invalid("only one variant can have default_on = 1")
    except Invalid:
        return status_error("Failed to update variants.")
    if defaults:
        conn.execute("UPDATE variant SET default_on = (id = ?) WHERE id_product = ?", (defaults[0], pid))
    cw.ensure_default(conn, pid)
    cw.touch(conn, pid)
    return ok({"status": "success", "message": "Variants are updated."})


def _variant_products(conn: sqlite3.Connection, variant_ids: list[int]) -> dict[int, int]:
    marks = ",".join("?" * len(variant_ids))
    rows = conn.execute(f"SELECT id, id_product FROM variant WHERE id IN ({marks})", variant_ids)
    return {vid: pid for vid, pid in rows}


def assign_image(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Assign every image to every variant; each image must belong to the variant's product."""
    try:
        variant_ids, image_ids = _ids(body.get("variants"), "variants"), _ids(body.get("image_id"), "image_id")
    except Invalid:
        return status_error(NOT_PROVIDED)
    if not variant_ids or not image_ids:
        return status_error(NOT_PROVIDED)
    owners = _variant_products(conn, variant_ids)
    if set(owners) != set(variant_ids):
        return status_error(NOT_PROVIDED)
    for vid, pid in owners.items():
        if not set(image_ids) <= cw.image_ids_of(conn, pid):
            return status_error(NOT_PROVIDED)
        conn.executemany(
            "INSERT OR IGNORE INTO variant_image (id_variant, id_image) VALUES (?, ?)", [(vid, i) for i in image_ids]
        )
        cw.touch(conn, pid)
    return ok({"status": "success", "message": "Image assigned to variants."})


def delete_image(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Unassign each given image from each given variant; every pair must exist, or nothing changes."""
    try:
        variant_ids, image_ids = _ids(body.get("variants"), "variants"), _ids(body.get("image_id"), "image_id")
    except Invalid:
        return status_error(NOT_PROVIDED)
    if not variant_ids or not image_ids:
        return status_error(NOT_PROVIDED)
    pairs = [(vid, image_id) for vid in variant_ids for image_id in image_ids]
    sql = "DELETE FROM variant_image WHERE id_variant = ? AND id_image = ?"
    if sum(conn.execute(sql, pair).rowcount for pair in pairs) != len(set(pairs)):
        return status_error("Variant image combination does not exists or unkonwn error.")
    for pid in set(_variant_products(conn, variant_ids).values()):
        cw.touch(conn, pid)
    return ok({"status": "success", "message": "Image deleted from variants."})


def delete(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Remove ALL variants of the product (the API cannot delete a single variant)."""
    try:
        pid = payload.opt_int(body.get("product_id"), "product_id")
    except Invalid:
        pid = None
    if not pid:
        return status_error("Product id is missing.")
    if not cw.product_exists(conn, pid):
        return status_error("Failed to delete variants.")
    conn.execute("DELETE FROM variant_image WHERE id_variant IN (SELECT id FROM variant WHERE id_product = ?)", (pid,))
    conn.execute("DELETE FROM variant_value WHERE id_variant IN (SELECT id FROM variant WHERE id_product = ?)", (pid,))
    conn.execute("DELETE FROM variant WHERE id_product = ?", (pid,))
    cw.touch(conn, pid)
    return ok({"status": "success", "message": "variants are deleted."})
