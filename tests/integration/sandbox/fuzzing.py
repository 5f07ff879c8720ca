"""Malformed requests for every call: a complete request with parts replaced by hostile JSON values.

`malformed_request(ids)` is a hypothesis strategy of (endpoint, raw body bytes). It starts from the
complete request of a call (contract_requests.COMPLETE) and replaces, removes or adds values at
random places: wrong types everywhere, huge and odd numbers (1e999, 2**70, -0), non-ASCII and
control characters, long strings, deep nesting, and now and then a body that is no JSON object.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from contract_requests import COMPLETE, Ids
from hypothesis import strategies as st
from sandbox_helpers import AUTH, encode

SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([Decimal("1e999"), Decimal("-1e-999"), Decimal("0.0000000001"), Decimal("-0"), Decimal("1E+30")]),
    st.text(max_size=40),
    st.sampled_from(["", " ", "0", "1", "-1", "1e3", "NaN", "Infinity", "12,13", "täst", "\u0000", "🎉" * 3,
                     "a" * 5000, "%_\\", "<script>", "https://x.example/a.jpg", "#0000FF", "ASC", "color"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _parent(body: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        body = body[step]
    return body


@st.composite
def _mutated(draw: st.DrawFn, ids: Ids, keep_auth: bool) -> tuple[str, bytes]:
    """Mostly with valid credentials, so the hostile values reach the call's own checks and handler."""
    call = draw(st.sampled_from(sorted(COMPLETE)))
    body: dict[str, Any] = {**AUTH, **COMPLETE[call](ids)}
    for _ in range(draw(st.integers(1, 3))):
        paths = [path for path in _paths(body) if not (keep_auth and path[0] in AUTH)]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(body, path)
        match draw(st.sampled_from(["replace", "remove", "add"])):
            case "replace":
                parent[path[-1]] = draw(VALUES)
            case "remove" if isinstance(parent, dict):
                del parent[path[-1]]
            case _ if isinstance(parent, dict):
                parent[draw(st.text(max_size=12))] = draw(VALUES)
    return call.split(":")[0].removesuffix(".json"), encode(body)


_RAW_BODIES = st.sampled_from([
    b"", b"null", b"[]", b'"text"', b"12", b"{", b"\xff\xfe", b'{"auth_token": "\xff"}',
    nested(100_000).encode(), ("{" + '"a":{' * 600 + "}" * 601).encode(),
    json.dumps({**AUTH, "keyword": "x" * 100_000}).encode(),
    json.dumps({**AUTH, "keyword": " ".join(str(n) for n in range(20_000))}).encode(),
    json.dumps({**AUTH, "ids": ",".join(str(n) for n in range(50_000))}).encode(),
    json.dumps({**AUTH, "auth_token": "tök/SEC\"RET\\x<&>1"}).encode(),
    json.dumps({"auth_token": "ä", "api_key": "ö", "api_user": "ü"}).encode(),
])


def malformed_request(ids: Ids) -> st.SearchStrategy[tuple[str, bytes]]:
    endpoints = sorted({call.split(":")[0].removesuffix(".json") for call in COMPLETE})
    raw = st.tuples(st.sampled_from(endpoints), _RAW_BODIES)
    return st.one_of(_mutated(ids, True), _mutated(ids, True), _mutated(ids, True), _mutated(ids, False), raw)
