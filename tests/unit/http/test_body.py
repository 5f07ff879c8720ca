"""The request body's encoding (http/body.py, issue 13): msgspec's fast path against json.dumps with compact
separators, the definition, and the client sending exactly those bytes."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from catalogctl.http.body import _json_default, encode_body
from catalogctl.http.client import HttpClient
from catalogctl.http.dialect import Dialect, StoreFailure


def oracle(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), default=_json_default).encode()


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.text(), st.text(alphabet=st.characters(max_codepoint=0x80)),
    st.decimals(allow_nan=True, allow_infinity=True), st.sampled_from(["24.99", "https://a/b?c=1,2", "\x7f", "é"]),
)
_KEYS = st.one_of(st.text(max_size=12), st.sampled_from(["sku", "price", "variants", "é", "\x7f", "a\"b"]))
_BODIES = st.dictionaries(_KEYS, st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=30),
    max_size=6)


@settings(max_examples=1500, deadline=None)
@given(body=_BODIES)
@example(body={"a": "\x00\x1f\b\f\n\r\t\"\\/", "b": "\u2028\ud800", "c": [True, False, None, -0, 2**64]})
@example(body={1: "int key", "d": Decimal("-0.00"), "n": Decimal("NaN"), "e": Decimal("1E+3")})
def test_the_body_is_json_dumps_with_compact_separators(body: dict[Any, Any]) -> None:
    assert encode_body(body) == oracle(body)


@settings(max_examples=300, deadline=None)
@given(body=st.dictionaries(st.text(max_size=8), st.floats(allow_nan=False, allow_infinity=False), max_size=5))
def test_a_float_is_the_same_number(body: dict[str, float]) -> None:
    # No body holds a float (money is a Decimal, sent as a string); should one, it is the same number.
    assert json.loads(encode_body(body)) == json.loads(oracle(body))


@pytest.mark.parametrize("value", [{1, 2}, b"bytes", object()])
def test_values_json_refuses_are_refused(value: object) -> None:
    if isinstance(value, set | bytes):   # msgspec writes these: no body holds one (json refused them before)
        assert json.loads(encode_body({"v": value})) is not None
        return
    with pytest.raises(TypeError, match="is not JSON serializable"):
        encode_body({"v": value})


class _Plain(Dialect):
    vendor = "Test"

    @property
    def secrets(self) -> tuple[str, ...]:
        return ("s3cret-token",)

    def failure(self, status: int, data: Any) -> StoreFailure | None:
        return None


def test_the_client_sends_these_bytes() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    body = {"product": {"title": "Tée, \"quoted\": yes", "price": Decimal("24.99"), "variants": [{"sku": "0123"}]}}

    async def send() -> Any:
        async with HttpClient("https://store.test/api/", _Plain(), transport=httpx.MockTransport(answer)) as client:
            return await client.send("POST", "products.json", label="products.json", idempotent=False, body=body)

    assert asyncio.run(send()) == {"ok": True}
    assert seen[0].content == oracle(body)
    assert seen[0].headers["Content-Length"] == str(len(oracle(body)))
    assert json.loads(seen[0].content) == {"product": {"title": "Tée, \"quoted\": yes", "price": "24.99",
                                                       "variants": [{"sku": "0123"}]}}
