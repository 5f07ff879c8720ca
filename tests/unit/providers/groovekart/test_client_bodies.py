"""Answers the sandbox never gives (HTML pages, empty and truncated bodies), served by httpx.MockTransport."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from catalogctl.http.errors import BadResponse, ProviderError
from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider
from catalogctl.providers.groovekart.dialect import GrooveKartClient

CREDS = GrooveKartCredentials("tok-SECRET", "key-SECRET", "me")


def answer(status: int, body: bytes, max_retries: int = 2) -> tuple[BadResponse, int]:
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body)

    async def main() -> None:
        client = GrooveKartClient("https://shop.example.com", CREDS, transport=httpx.MockTransport(handler),
                                  max_retries=max_retries, backoff=0.001)
        try:
            await client.call("list_categories", {}, idempotent=True)
        finally:
            await client.aclose()

    with pytest.raises(BadResponse) as info:
        asyncio.run(main())
    assert "SECRET" not in str(info.value)
    return info.value, len(seen)


def test_html_error_page_is_a_clear_error_not_retried_on_200() -> None:
    exc, tries = answer(200, b"<html><body>Maintenance tok-SECRET</body></html>")
    assert exc.store_message.startswith("the answer is not JSON (starts with '<html>")
    assert tries == 1 and "list_categories.json" in str(exc)


def test_html_502_is_retried() -> None:
    exc, tries = answer(502, b"<html>Bad gateway</html>")
    assert tries == 3 and exc.status == 502 and exc.attempts == 3


def test_empty_and_truncated_bodies_are_retried_then_reported() -> None:
    exc, tries = answer(200, b"")
    assert exc.store_message == "the answer is empty" and tries == 3
    exc, tries = answer(200, b'{"categories":[{"id":"25","tit', max_retries=0)
    assert exc.store_message.startswith("the answer is truncated or malformed JSON") and tries == 1


def test_request_body_carries_auth_and_the_call() -> None:
    bodies = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append((request.url.path, request.read()))
        return httpx.Response(200, json={"categories": []})

    async def main() -> None:
        client = GrooveKartClient("https://shop.example.com/", CREDS, transport=httpx.MockTransport(handler))
        await client.call("list_categories", {"x": 1}, idempotent=True)
        await client.aclose()

    asyncio.run(main())
    # compact JSON since issue 13 (http/body.py: msgspec encodes it ~5x faster than json did with its spaces)
    assert bodies == [("/api/list_categories.json",
                       b'{"auth_token":"tok-SECRET","api_key":"key-SECRET","api_user":"me","x":1}')]


def test_an_undocumented_answer_shape_is_a_bad_response() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("list_products.json"):
            return httpx.Response(200, json={"products": [{"id": None, "price": "abc"}]})
        return httpx.Response(200, json=[])

    async def main() -> None:
        async with GrooveKartProvider("https://shop.example.com", CREDS,
                                      transport=httpx.MockTransport(handler)) as provider:
            await provider.read({})

    with pytest.raises(BadResponse, match=r"GrooveKart call read failed: unexpected answer shape: 0\.") as info:
        asyncio.run(main())
    assert "0.price: Value error, 'abc' is not a decimal number" in str(info.value)


@pytest.mark.parametrize(("status", "body", "kind"), [
    (200, b'{"Error": "Invalid auth_token tok-SECRET for api_key key-SECRET"}', "AuthError"),
    (429, b'{"status": "error", "message": "slow down, tok-SECRET"}', "RateLimited"),
])
def test_a_store_message_echoing_a_secret_is_masked(status: int, body: bytes, kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body)

    async def main() -> None:
        client = GrooveKartClient("https://shop.example.com", CREDS, transport=httpx.MockTransport(handler),
                                  max_retries=0, max_rate_limited=0)  # an endless 429 fails at once here
        try:
            await client.call("list_categories", {}, idempotent=True)
        finally:
            await client.aclose()

    with pytest.raises(ProviderError) as info:
        asyncio.run(main())
    assert type(info.value).__name__ == kind and info.value.status == status
    assert "SECRET" not in str(info.value) and "SECRET" not in info.value.store_message
    assert "***" in info.value.store_message
