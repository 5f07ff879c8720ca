"""products.json: create, details, add image, update_product, replace_image, product_status, tags."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Any

from catalogctl.sandbox.groovekart import catalog_write as cw
from catalogctl.sandbox.groovekart import payload, rules, variant_input, wire
from catalogctl.sandbox.groovekart.catalog_read import View, load_products
from catalogctl.sandbox.groovekart.payload import Invalid, check
from catalogctl.sandbox.groovekart.reply import Encoded, Reply, error, fail, ok
from catalogctl.sandbox.groovekart.schema import HOME_CATEGORY_ID

CREATE_FAILED = "Product creation failed. Please check your data."
_VALUES_OF = attrgetter("values")  # a NewVariant's values


def _product(body: dict[str, Any]) -> dict[str, Any]:
    return payload.as_dict(body.get("product"), "product")


def _category_id(conn: sqlite3.Connection, raw: Any) -> int:
    cid = payload.opt_int(raw, "category_id")
    if not cid:
        return HOME_CATEGORY_ID
    if conn.execute("SELECT 1 FROM category WHERE id = ?", (cid,)).fetchone() is None:
        raise Invalid(f"category {cid} does not exist")
    return cid


def _texts(data: dict[str, Any], required_title: bool) -> dict[str, str]:
    """The text fields present in `data`, checked against PrestaShop's rules."""
    out: dict[str, str] = {}
    if "title" in data or required_title:
        out["title"] = payload.as_str(data.get("title"), "title")
        check(rules.catalog_name(out["title"], "title"))
    if "description" in data:
        out["description"] = payload.as_str(data.get("description"), "description")
        check(_clean_html(out["description"], "description"))
    if "short_description" in data:
        out["short_description"] = payload.as_str(data.get("short_description"), "short_description")
        check(_clean_html(out["short_description"], "short_description", 400))
    if "vendor" in data:
        out["vendor"] = payload.as_str(data.get("vendor"), "vendor")
        check(rules.catalog_name(out["vendor"], "vendor", 64, required=False))
    if "sku" in data:
        out["sku"] = payload.as_str(data.get("sku"), "sku")
        check(rules.reference(out["sku"]))
    return out


# A text's rule depends on the text alone, and catalogs repeat short ones (an empty short description in
# every product): the answer for a text of at most _REMEMBERED characters is remembered (issue 13).
_REMEMBERED = 256


def _clean_html(value: str, field: str, max_text: int | None = None) -> str | None:
    """rules.clean_html(value, field, max_text)."""
    if len(value) > _REMEMBERED:
        return rules.clean_html(value, field, max_text)
    return _short_clean_html(value, field, max_text)


@lru_cache(maxsize=1024)
def _short_clean_html(value: str, field: str, max_text: int | None) -> str | None:
    return rules.clean_html(value, field, max_text)


def _tag_list(raw: Any) -> list[str]:
    """payload.tag_list(raw), remembered for a short str (a catalog repeats its few tag lists); a list of
    its own each time."""
    if raw.__class__ is str and len(raw) <= _REMEMBERED:
        return [*_short_tag_list(raw)]
    return payload.tag_list(raw)


@lru_cache(maxsize=1024)
def _short_tag_list(raw: str) -> tuple[str, ...]:
    return tuple(payload.tag_list(raw))


def _image(data: dict[str, Any]) -> tuple[str, int] | None:
    raw = data.get("image")
    if not raw:
        return None
    image = payload.as_dict(raw, "image")
    return payload.image_src(image.get("src")), payload.opt_int(image.get("position"), "position") or 0


@dataclass(frozen=True)
class NewProduct:
    """A create_product body checked without the store: what its write needs, or why it fails."""

    data: dict[str, Any]
    texts: dict[str, str]
    price: Decimal
    compare: Decimal
    weight: Decimal
    visibility: str
    tags: list[str]
    groups: list[tuple[str, str]]
    variants: list[variant_input.NewVariant]
    image: tuple[str, int] | None
    image_failed: bool  # said only after the category is known to exist, as the store orders its checks


def parse_create(body: dict[str, Any]) -> NewProduct | None:
    """The checks of a create that need no store (None: the body fails them; the store says CREATE_FAILED)."""
    try:
        data = _product(body)
        texts = _texts(data, required_title=True)
        price = payload.price(data.get("price"), "price")
        compare = payload.price(data.get("compare_default_price"), "compare_default_price", Decimal(0))
        weight = payload.weight(data.get("weight"), "weight")
        visibility = payload.as_str(data.get("visibility"), "visibility") or "both"
        if visibility not in rules.VISIBILITIES:
            raise Invalid(f"visibility {visibility!r} is not allowed")
        payload.opt_int(data.get("category_id"), "category_id")
        tags = _tag_list(data.get("tags"))
        groups = [_group(item) for item in payload.as_list(data.get("variant_groups"))]
        variants = variant_input.parse_variants(data.get("variants"))
    except Invalid:
        return None
    try:
        image, image_failed = _image(data), False
    except Invalid:
        image, image_failed = None, True
    return NewProduct(data, texts, price, compare, weight, visibility, tags, groups, variants, image, image_failed)


def prepare_create(body: dict[str, Any]) -> Callable[[sqlite3.Connection, str], Reply]:
    """A create split in two: the body's checks now, the write when the store gets to it (the sandbox
    checks a body before its latency and writes after it; see app.api)."""
    new = parse_create(body)
    return lambda conn, api_user: write_create(conn, new, api_user)


def create(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Create a product with its image, tags, groups and variants, all or nothing."""
    return write_create(conn, parse_create(body), api_user)


def write_create(conn: sqlite3.Connection, new: NewProduct | None, api_user: str) -> Reply:
    """Write a checked create: the category must exist, then the image must be good, then it is all or nothing."""
    if new is None:
        return error(CREATE_FAILED)
    try:
        category = _category_id(conn, new.data.get("category_id"))
    except Invalid:
        return error(CREATE_FAILED)
    if new.image_failed:
        return error("Image uploading failed.")
    texts, tags, variants = new.texts, new.tags, new.variants
    now = wire.now_text()
    cursor = conn.execute(
        "INSERT INTO product (vendor_user, id_category, id_manufacturer, title, description, short_description,"
        " price, compare_price, sku, weight, visibility, link_rewrite, date_add, date_upd)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (api_user, category, cw.manufacturer_id(conn, texts.get("vendor", "")), texts["title"],
         texts.get("description", ""), texts.get("short_description", ""), wire.six(new.price),
         wire.six(new.compare), texts.get("sku", ""), wire.six(new.weight), new.visibility,
         wire.slug(texts["title"]), now, now),
    )
    pid = int(cursor.lastrowid or 0)
    # The product is new (its id too: AUTOINCREMENT), so the look-ups of its images, tags and variants
    # are skipped: they could only find nothing.
    image_id = cw.add_image(conn, pid, *new.image, new_product=True) if new.image else None
    cw.set_tags(conn, pid, tags, replace=True, new_product=True)
    group_ids, attribute_ids = cw.known_ids(
        conn, (name for name, _ in new.groups), chain.from_iterable(map(_VALUES_OF, variants)))
    for name, group_type in new.groups:
        cw.group_id(conn, name, group_type, create=True, known=group_ids)
    try:
        variant_ids = cw.insert_variants(conn, pid, variants, create_groups=True, groups=group_ids, new_product=True,
                                         attributes=attribute_ids)
    except Invalid:
        return error(CREATE_FAILED)
    # Encoded by msgspec (wire.php_json_plain: the same bytes, ~5x cheaper): the answer holds strs, ints
    # and None only.
    return ok(Encoded(wire.php_json_plain({
        "product_url": wire.admin_product_url(pid),
        "id_product": str(pid),
        "image_id": None if image_id is None else str(image_id),
        "variants": [
            {"variant_id": vid, "variant_values": variant_input.echo(variant)}
            for vid, variant in zip(variant_ids, variants, strict=True)
        ],
        "tags": {"1": tags},
    })))


def _group(raw: Any) -> tuple[str, str]:
    """A variant group's (name, type), checked. A dict whose two fields are strs is judged by them alone
    (a product names the same few groups as every other: the answer is remembered; a refusal never is)."""
    if raw.__class__ is dict and (name := raw.get("name")).__class__ is str \
            and (kind := raw.get("group_type")).__class__ is str:
        return _known_group(name, kind)
    return _parse_group(raw)


@lru_cache(maxsize=1024)
def _known_group(name: str, kind: str) -> tuple[str, str]:
    return _parse_group({"name": name, "group_type": kind})


def _parse_group(raw: Any) -> tuple[str, str]:
    data = payload.as_dict(raw, "variant_group")
    name = payload.as_str(data.get("name"), "name")
    check(rules.generic_name(name, "variant group name"))
    return name, variant_input.group_type(data.get("group_type"))


def details(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    try:
        pid = payload.as_int(_product(body).get("id"), "id")
    except Invalid:
        return error("Product not found.")
    found = load_products(conn, [pid], View.DETAILS)
    return ok({"product": found[0]}) if found else error("Product not found.")


def add_image(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    try:
        data = _product(body)
        pid = payload.as_int(data.get("id"), "id")
        image = _image(data)
        if image is None or not cw.product_exists(conn, pid):
            raise Invalid("no image or no such product")
    except Invalid:
        return error("Failed to upload image")
    image_id = cw.add_image(conn, pid, *image)
    cw.touch(conn, pid)
    return ok({"status": "success", "id_image": str(image_id)})


def replace_image(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Keep the image id, change its picture (and cover flag / position when given)."""
    data = body.get("product") if isinstance(body.get("product"), dict) else {}
    raw_id = data.get("image_id")
    try:
        pid = payload.as_int(data.get("product_id"), "product_id")
        image_id = payload.as_int(raw_id, "image_id")
    except Invalid:
        return error(f"Image not found for id {raw_id if raw_id is not None else ''}")
    try:
        image = payload.as_dict(data.get("image"), "image")
        src = payload.image_src(image.get("src"))
        position = payload.opt_int(image.get("position"), "position")
    except Invalid:
        return error("Failed to upload image")
    if not cw.replace_image(conn, pid, image_id, src, position, payload.as_bool(image.get("cover"))):
        return error(f"Image not found for id {image_id}")
    cw.touch(conn, pid)
    return ok({"status": "success", "id_image": str(image_id)})


def update(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """update_product: only title, description, vendor, price, compare price, sku and tags change."""
    try:
        data = _product(body)
        pid = payload.as_int(data.get("id"), "id")
        if not cw.product_exists(conn, pid):
            raise Invalid(f"product {pid} does not exist")
        texts = _texts({k: v for k, v in data.items() if k in ("title", "description", "vendor", "sku")}, False)
        columns: dict[str, object] = {k: v for k, v in texts.items() if k != "vendor"}
        if "vendor" in texts:
            columns["id_manufacturer"] = cw.manufacturer_id(conn, texts["vendor"])
        if "price" in data:
            columns["price"] = wire.six(payload.price(data["price"], "price"))
        if "compare_default_price" in data:
            columns["compare_price"] = wire.six(payload.price(data["compare_default_price"], "compare_default_price"))
        tags = _update_tags(data.get("tags"))
    except Invalid:
        return error("failed")
    for column, value in columns.items():  # column names come from the fixed list above
        conn.execute(f"UPDATE product SET {column} = ? WHERE id = ?", (value, pid))
    if tags is not None:
        cw.set_tags(conn, pid, tags[0], replace=tags[1])
    cw.touch(conn, pid)
    return ok({"status": "success"})


def _update_tags(raw: Any) -> tuple[list[str], bool] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return payload.tag_list(raw), False
    data = payload.as_dict(raw, "tags")
    return payload.tag_list(data.get("tags_list")), payload.as_bool(data.get("delete_existing"))


def status(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    failed = fail({"status": "failed", "error": "Failed to update product status.", "statusTxt": None})
    try:
        data = _product(body)
        pid = payload.as_int(data.get("id"), "id")
    except Invalid:
        return failed
    if "active" not in data or not cw.product_exists(conn, pid):
        return failed
    active = payload.as_bool(data["active"])
    conn.execute("UPDATE product SET active = ? WHERE id = ?", (int(active), pid))
    cw.touch(conn, pid)
    return ok({"status": "success", "statusTxt": "product activated" if active else "product deactivated"})


def add_tags(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """Add tags, or set the exact list with delete_existing; adding nothing new is a failure."""
    refused = error("Tags supplied may exists already.")
    try:
        data = _product(body)
        pid = payload.as_int(data.get("id"), "id")
        tags = payload.tag_list(data.get("tags"))
    except Invalid:
        return refused
    if not tags or not cw.product_exists(conn, pid):
        return refused
    replace = payload.as_bool(data.get("delete_existing"))
    if cw.set_tags(conn, pid, tags, replace=replace) == 0 and not replace:
        return refused
    cw.touch(conn, pid)
    return ok({"status": "success"})


def delete_tags(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    try:
        pid = payload.as_int(_product(body).get("id"), "id")
    except Invalid:
        return error("Failed to delete tags.")
    if not cw.product_exists(conn, pid):
        return error("Failed to delete tags.")
    conn.execute("DELETE FROM product_tag WHERE id_product = ?", (pid,))
    cw.touch(conn, pid)
    return ok({"status": "success"})
