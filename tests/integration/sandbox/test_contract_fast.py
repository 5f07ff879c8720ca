"""The sandbox's per-request checks were made cheaper (issue 13: the sandbox's CPU sits in every
request's critical path); they must answer exactly as before. The previous algorithms are kept
here as the oracle, and fuzzed bodies of every documented call must get the same verdict."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from contract_requests import COMPLETE, Ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogctl.sandbox.groovekart import contract_table
from catalogctl.sandbox.groovekart.contract import (
    Check,
    Row,
    _elements,
    applies,
    first_broken,
    missing,
    places,
    valid,
)
from catalogctl.sandbox.limits import _nesting, _surrogate_free, depth

IDS = Ids(category=3, product=7, variants=(11, 12), images=(21, 22), webhook=5)


def _old_places(body: Any, path: str) -> Iterator[tuple[Any, str]]:
    *head, last = path.split(".")
    nodes = [body]
    for segment in head:
        deeper: list[Any] = []
        for node in nodes:
            if not isinstance(node, dict):
                continue
            if segment == "*":
                deeper.extend(node.values())
                continue
            name = segment.removesuffix("[]")
            if not missing(node.get(name)):
                deeper.extend(_elements(node[name], segment.endswith("[]")))
        nodes = deeper
    for node in nodes:
        yield node, last


def _old_broken_by(row: Row, body: Any) -> bool:
    for parent, key in _old_places(body, row.path):
        if not applies(parent, row.when):
            continue
        if row.check is Check.REQUIRED:
            if not isinstance(parent, dict) or all(missing(parent.get(o)) for o in key.split("|")):
                return True
        elif isinstance(parent, dict) and parent.get(key) is not None and not valid(row.check, parent[key],
                                                                                     row.allowed):
            return True
    return False


def _old_first_broken(rows: tuple[Row, ...], body: dict[str, Any]) -> Row | None:
    return next((row for row in rows if _old_broken_by(row, body)), None)


_NAMES = ["price", "variants", "variant_values", "Color", "variant_name", "variant_group_type", "color",
          "default_on", "sku", "id", "image", "src", "name", "group_type", "title", "0"]
_SCALARS = (st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "1", "27.99", "color", "x", "1,2"])
            | st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-5, max_value=5))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(_NAMES), inner, max_size=3), max_leaves=8)


def _slots(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) inside `value`: where an edit can go."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
        for key in keys:
            found.append((node, key))
            stack.append(node[key])
    return found


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(call=st.sampled_from(sorted(COMPLETE)), data=st.data())
def test_fuzzed_bodies_get_the_same_verdict_as_before(call: str, data: st.DataObject) -> None:
    body = copy.deepcopy({"auth_token": "t" * 10, "api_key": "k" * 10, "api_user": "u", **COMPLETE[call](IDS)})
    for _ in range(data.draw(st.integers(0, 4))):
        slots = _slots(body)
        if not slots:
            break
        node, key = data.draw(st.sampled_from(slots))
        if isinstance(node, dict) and data.draw(st.booleans()):
            del node[key]
        else:
            node[key] = data.draw(_VALUES)
    for rows in (contract_table.ROWS.get(call, ()), contract_table.AUTH_ROWS.get(call, contract_table.ANY_CALL_AUTH)):
        assert first_broken(rows, body) == _old_first_broken(rows, body)
        for row in rows:
            assert list(places(body, row.path)) == list(_old_places(body, row.path))


def test_every_complete_body_passes_and_a_broken_one_is_caught() -> None:
    """The oracle comparison above only means something if the checks still refuse what they should."""
    body = {"product": {**COMPLETE["products.json:create"](IDS)["product"]}}
    rows = contract_table.ROWS["products.json:create"]
    assert first_broken(rows, body) is None
    body["product"]["variants"][0]["variant_values"]["Color"]["variant_name"] = 7
    row = first_broken(rows, body)
    assert row is not None and row.path == "product.variants[].variant_values.*.variant_name"


_TEXT = st.text(max_size=4)   # surrogates included: what json.loads can make of `\ud800` escapes
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | _TEXT,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                     max_leaves=12)


@settings(max_examples=400, deadline=None, database=None)
@given(value=st.dictionaries(_TEXT, _JSON, max_size=3), ascii_only=st.booleans())
def test_the_nesting_shortcut_is_taken_only_where_no_string_can_hold_a_surrogate(value: Any, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    parsed = json.loads(raw)
    if _surrogate_free(raw):
        assert _nesting(parsed) == depth(parsed) >= 1
    if depth(parsed) < 0:   # an unpaired surrogate somewhere: the shortcut must not hide it
        assert not _surrogate_free(raw)


def test_a_surrogate_in_raw_bytes_or_an_escape_takes_the_full_check() -> None:
    assert not _surrogate_free(b'{"a": "\\ud800"}')
    assert not _surrogate_free('{"a": "\ud800"}'.encode("utf-8", "surrogatepass"))
    assert not _surrogate_free('{"a": 1}'.encode("utf-16"))
    assert _surrogate_free('{"a": "Grün", "b": [[{}]]}'.encode())
    assert _nesting({"a": [[{}]], "b": "x"}) == depth({"a": [[{}]], "b": "x"}) == 4
