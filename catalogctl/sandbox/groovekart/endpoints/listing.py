"""list_products.json and search_products.json: one id query for the page, then four for the rows."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from catalogctl.sandbox.groovekart import payload
from catalogctl.sandbox.groovekart.catalog_read import View, encode_products, load_products
from catalogctl.sandbox.groovekart.payload import Invalid
from catalogctl.sandbox.groovekart.reply import Encoded, Reply, error, ok

_ORDER_COLUMNS = {"id_product": "p.id", "date_add": "p.date_add", "date_upd": "p.date_upd"}
_IDS = re.compile(r"^\s*\d+(\s*,\s*\d+)*\s*$")
NOT_FOUND = "No products found."
# Pages are built and encoded a batch at a time: a `limit: 0` answer over 10,000 products then holds
# one batch of dicts at once instead of all of them.
BATCH = 500


def _order(body: dict[str, Any]) -> str:
    """ORDER BY from order_by/order_way (unknown values fall back to the default id_product DESC)."""
    column = _ORDER_COLUMNS.get(str(body.get("order_by") or "id_product"), "p.id")
    way = "ASC" if str(body.get("order_way") or "DESC").upper() == "ASC" else "DESC"
    return f"{column} {way}, p.id {way}"


def _page(body: dict[str, Any]) -> tuple[int, int]:
    """limit (0 = all) and offset; nonsense values count as 0."""
    try:
        limit = payload.opt_int(body.get("limit"), "limit") or 0
        offset = payload.opt_int(body.get("offset"), "offset") or 0
    except Invalid:
        return 0, 0
    return limit, offset


def _select_ids(conn: sqlite3.Connection, where: list[str], params: list[Any], body: dict[str, Any]) -> list[int]:
    limit, offset = _page(body)
    sql = "SELECT p.id FROM product p"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {_order(body)} LIMIT ? OFFSET ?"
    return [row[0] for row in conn.execute(sql, [*params, limit if limit > 0 else -1, offset])]


def list_products(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    where: list[str] = []
    params: list[Any] = []
    try:
        category = payload.opt_int(body.get("id_category"), "id_category")
    except Invalid:
        category = None
    if category:
        where.append("p.id_category = ?")
        params.append(category)
    if payload.as_bool(body.get("only_active")):
        where.append("p.active = 1")
    ids = _select_ids(conn, where, params, body)
    if not ids:
        return error(NOT_FOUND)
    chunks = [encode_products(conn, ids[i:i + BATCH], View.LIST)[1:-1] for i in range(0, len(ids), BATCH)]
    return ok(Encoded(b'{"products":[' + b",".join(chunks) + b"]}"))


MAX_WORDS = 32  # distinct keyword words; each is three LIKE clauses (SQLite caps expression depth)
LONGEST_FIELD = 128  # a title; skus hold 32: a longer word can match nothing


def _keyword_clauses(keyword: str) -> tuple[list[str], list[Any]] | Reply:
    """Every word in the title, the product sku or a variant sku; a word no field can hold matches nothing."""
    words = list(dict.fromkeys(keyword.split()))
    if len(words) > MAX_WORDS:
        return error(f"The keyword has more than {MAX_WORDS} words.")
    if any(len(word) > LONGEST_FIELD for word in words):
        return error(NOT_FOUND)
    where: list[str] = []
    params: list[Any] = []
    for word in words:
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            "(p.title LIKE ? ESCAPE '\\' OR p.sku LIKE ? ESCAPE '\\' OR EXISTS"
            " (SELECT 1 FROM variant v WHERE v.id_product = p.id AND v.sku LIKE ? ESCAPE '\\'))"
        )
        params.extend([like, like, like])
    return where, params


def search_products(conn: sqlite3.Connection, body: dict[str, Any], api_user: str) -> Reply:
    """By ids ("2,8,10") or by keyword: every word in the title, the product sku or a variant sku."""
    ids, keyword = body.get("ids"), body.get("keyword")
    where: list[str] = []
    params: list[Any] = []
    if ids not in (None, ""):
        if isinstance(ids, bool) or not _IDS.match(str(ids)):
            return error("Product IDs must be comma separated numbers list.")
        numbers = [payload.as_int(part, "ids") for part in str(ids).split(",")]
        where.append("p.id IN (SELECT value FROM json_each(?))")  # any count: no SQL variable per id
        params.append(json.dumps(numbers))
    elif isinstance(keyword, str) and keyword.strip():
        clauses = _keyword_clauses(keyword)
        if isinstance(clauses, Reply):
            return clauses
        where, params = clauses
    else:
        return error("Product IDs or keyword not provided.")
    products = load_products(conn, _select_ids(conn, where, params, body), View.SEARCH)
    if not products:
        return error(NOT_FOUND)
    answer: dict[str, Any] = {str(i): product for i, product in enumerate(products)}
    answer["products_count"] = len(products)
    return ok({"products": answer})
