"""create_shape checks a create_product body against its contract rows in one msgspec conversion (issue 13);
a body it takes must break none of the rows, and every answer and stored row must be as without it: the
rows' walk before it is the oracle (test_contract_fast), and the real app answers the same bodies with the
shortcut and without it."""

from __future__ import annotations

import asyncio
import copy
import json
import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from contract_requests import product_body
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_helpers import encode
from test_contract_fast import _old_first_broken

from catalogctl.sandbox.groovekart import contract, create_shape
from catalogctl.sandbox.groovekart.app import create_app
from catalogctl.sandbox.groovekart.credentials import DEFAULT_CREDENTIALS

AUTH = {"auth_token": DEFAULT_CREDENTIALS.auth_token, "api_key": DEFAULT_CREDENTIALS.api_key,
        "api_user": DEFAULT_CREDENTIALS.api_user}
# Values the type and the rows could judge differently: number texts, booleans as ints, empties, Decimals.
_EDGES: list[Any] = [None, "", " ", "0", "1", "2", "19.5", " 2 ", "2\n", "1e5", "-1", ".5", "5.", "١٢", "x", 0, 1, 2,
                     -1, True, False, 2**70, Decimal("19.5"), Decimal("1"), [], {}, [{}], {"a": 1}, "color", "Color",
                     "select", "both", "BOTH", "none", "#0000FF"]
_PATHS = [
    ("title",), ("description",), ("short_description",), ("vendor",), ("category_id",), ("compare_default_price",),
    ("price",), ("image",), ("image", "src"), ("image", "position"), ("sku",), ("weight",), ("visibility",),
    ("tags",), ("variant_groups",), ("variant_groups", 0), ("variant_groups", 1, "name"),
    ("variant_groups", 0, "group_type"), ("variants",), ("variants", 1), ("variants", 0, "variant_values"),
    ("variants", 1, "variant_values", "Color"), ("variants", 0, "variant_values", "Color", "variant_group_type"),
    ("variants", 1, "variant_values", "Size", "variant_group_type"), ("variants", 0, "variant_values", "Size"),
    ("variants", 1, "variant_values", "Color", "variant_name"), ("variants", 0, "variant_values", "Color", "color"),
    ("variants", 1, "variant_values", "Size", "color"), ("variants", 0, "compare_at_price"), ("variants", 1, "price"),
    ("variants", 0, "sku"), ("variants", 1, "weight"), ("variants", 0, "weight_unit"), ("variants", 0, "default_on"),
    ("variants", 1, "default_on"),
]


def _edited(body: dict[str, Any], edits: list[tuple[tuple[Any, ...], Any, bool]]) -> dict[str, Any]:
    """`body` with each (path, value, delete) edit made where the path still reaches (a copy)."""
    body = copy.deepcopy(body)
    for path, value, delete in edits:
        node: Any = body["product"]
        for step in path[:-1]:
            if (isinstance(node, dict) and step in node) or (isinstance(node, list) and isinstance(step, int) \
                    and step < len(node)):
                node = node[step]
            else:
                node = None
                break
        last = path[-1]
        if isinstance(node, dict) and delete:
            node.pop(last, None)
        elif isinstance(node, dict) or (isinstance(node, list) and isinstance(last, int) and last < len(node)):
            node[last] = copy.deepcopy(value)
    return body


_EDITS = st.lists(st.tuples(st.sampled_from(_PATHS), st.sampled_from(_EDGES), st.booleans()), max_size=3)


def _base() -> dict[str, Any]:
    return {**AUTH, "product": product_body(3)}  # the store's first category: 3


@settings(max_examples=600, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_EDITS)
def test_a_body_the_type_takes_breaks_no_row(edits: list[tuple[tuple[Any, ...], Any, bool]]) -> None:
    body = _edited(_base(), edits)
    rows = create_shape.ROWS
    if create_shape.takes(body):
        assert _old_first_broken(rows, body) is None
    assert contract.first_broken(rows, body) == _old_first_broken(rows, body)


def test_the_bodies_a_client_sends_take_the_shortcut() -> None:
    """Without this the shortcut would be dead code: the complete body and a 10-variant bench body pass it."""
    assert create_shape.takes(_base())
    bench = json.loads((Path(__file__).parent / "create_bodies.json").read_text())
    assert bench and all(create_shape.takes(body) for body in bench)


@contextmanager
def _without_shortcut() -> Iterator[None]:
    saved = dict(contract._SHORTCUTS)
    contract._SHORTCUTS.clear()
    try:
        yield
    finally:
        contract._SHORTCUTS.update(saved)


def _served(db: Path, bodies: list[bytes]) -> tuple[list[tuple[int, dict[str, str], bytes]], list[str]]:
    """Each body's answer from a fresh store, and the rows it ended with (the clock's columns left out)."""
    app = create_app(db)

    async def post_all() -> list[tuple[int, dict[str, str], bytes]]:
        answers = []
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
            await client.post("/api/create_categories.json", content=encode({**AUTH, "category": {"title": "Tees"}}))
            for body in bodies:
                answer = await client.post("/api/products.json", content=body)
                answers.append((answer.status_code, dict(answer.headers), answer.content))
        return answers

    answers = asyncio.run(post_all())
    app.store.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE category SET date_add = ''")
    conn.execute("UPDATE product SET date_add = '', date_upd = ''")
    conn.execute("UPDATE image SET version = 0")
    rows = list(conn.iterdump())
    conn.close()
    return answers, rows


_REFUSED_OR_NOT = [
    [], [(("price",), Decimal("19.5"), False)], [(("variants", 0, "default_on"), 1, False)],
    [(("variants", 1, "default_on"), True, False)], [(("variants", 1, "default_on"), 2, False)],
    [(("variants", 0, "price"), "1e5", False)], [(("variants", 0, "price"), " 2 ", False)],
    [(("image",), {}, False)], [(("variant_groups",), None, True)],
    [(("variant_groups",), None, True), (("variants",), None, True)],
    [(("variants", 0, "variant_values", "Color", "variant_group_type"), "Color", False)],
    [(("variants", 0, "variant_values", "Color", "color"), None, True)], [(("variants", 1), {}, False)],
    [(("variants",), {"variant_values": {"Size": {"variant_group_type": "select", "variant_name": "M"}},
                      "price": "1", "compare_at_price": "2", "default_on": 0}, False)],
    [(("title",), "", False)], [(("visibility",), "BOTH", False)], [(("category_id",), True, False)],
    [(("category_id",), 99, False)], [(("image", "src"), "not a url", False)], [(("sku",), 5, False)],
    [(("variants", 0, "weight_unit"), 3, False)], [(("variants", 1, "variant_values", "Color", "variant_name"), "Blue",
                                                    False), (("variants", 1, "variant_values", "Size", "variant_name"),
                                                             "L", False)],
]


@pytest.mark.parametrize("seed", range(3))
def test_the_app_answers_and_stores_the_same_without_the_shortcut(tmp_path: Path, seed: int) -> None:
    chooser = random.Random(seed)
    edits = [*_REFUSED_OR_NOT, *([(chooser.choice(_PATHS), chooser.choice(_EDGES), chooser.random() < 0.3)
                                  for _ in range(chooser.randint(1, 3))] for _ in range(25))]
    bench = json.loads((Path(__file__).parent / "create_bodies.json").read_text())
    bodies = [encode(_edited(_base(), edit)) for edit in edits]
    bodies += [encode(body) for body in bench]
    fast = _served(tmp_path / "fast.sqlite", bodies)
    with _without_shortcut():
        slow = _served(tmp_path / "slow.sqlite", bodies)
    assert fast == slow
    assert any(b'"id_product"' in body for _, _, body in fast[0]) and any(
        "X-Sandbox-Refused".lower() in {k.lower() for k in headers} for _, headers, _ in fast[0])
