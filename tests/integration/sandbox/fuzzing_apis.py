"""Hostile requests for every route of the three sandboxes (APIs, admin routes, storefront pages).

`hostile_body()` draws a body that is no acceptable request: a near-valid JSON object with
hostile values, or raw bytes that are not JSON, not an object, too deep, too many values, or
carry `NaN`/`Infinity`. `Route` names a method and path; `hostile_request(routes)` pairs one with a
body, hostile headers and a hostile query string.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fuzzing import VALUES, nested
from hypothesis import strategies as st
from sandbox_helpers import encode

from catalogctl.sandbox.limits import MAX_JSON_VALUES


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    base: tuple[tuple[str, str], ...] = ()  # a valid body's fields, as pairs (kept hashable)


RAW_BODIES = st.sampled_from([
    b"", b" ", b"null", b"[]", b'"text"', b"12", b"{", b"}", b"\xff\xfe", b'{"a": "\xff"}', b"a=1&b",
    b'{"a": NaN}', b'{"a": Infinity}', b'{"a": [-Infinity]}', b'{"status": NaN, "count": NaN}',
    b'{"currency": NaN, "name": ["x"]}', b'{"error_rate": Infinity}', b'{"a": "\\ud800"}',
    b'{"a": 1e999}', b'{"a": -1e999}', b'{"a": ' + b"9" * 5000 + b"}",
    nested(100_000).encode(), ("{" + '"a":{' * 600 + "}" * 601).encode(),
    b'{"a": [' + b"[]," * MAX_JSON_VALUES + b"[]]}",
    b'{"a": ' + json.dumps("x" * 100_000).encode() + b"}",
    b"&".join(b"f%d=1" % n for n in range(5_000)),
])
HEADERS = st.dictionaries(
    st.sampled_from(["content-type", "accept", "sr_auth", "access-token", "x-forwarded-for"]),
    st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", "*/*",
                     "application/json; charset=latin-1", "", "sandbox-api-key", "t\u00f6k".encode("latin-1"),
                     "x" * 4000]),
    max_size=3,
)
QUERIES = st.sampled_from(["", "?fields=", "?fields=id,name", "?fields=" + ",".join(["id"] * 5000),
                           "?fields=%ff%00", "?page=-1", "?page=99999999999999999999", "?page=NaN",
                           "?fields[]=id", "?fields=" + "a" * 6000])


@st.composite
def _mutated(draw: st.DrawFn, base: tuple[tuple[str, str], ...]) -> bytes:
    body = dict(base)
    for _ in range(draw(st.integers(1, 3))):
        if body and draw(st.booleans()):
            body[draw(st.sampled_from(sorted(body)))] = draw(VALUES)
        else:
            body[draw(st.text(max_size=12))] = draw(VALUES)
    return encode(body)


@st.composite
def hostile_request(draw: st.DrawFn, routes: list[Route]) -> tuple[str, str, dict[str, Any], bytes]:
    """(method, path with query, headers, body) for one of `routes`."""
    route = draw(st.sampled_from(routes))
    body = draw(st.one_of(_mutated(route.base), RAW_BODIES))
    headers = {"content-type": "application/json", **draw(HEADERS)}
    return route.method, route.path + draw(QUERIES), headers, body
