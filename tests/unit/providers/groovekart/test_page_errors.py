"""A whole provider.read() over hostile list_products answers (httpx.MockTransport): the typed page
path (pages.py) gives the errors and reads the reference path gives, word for word."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest

from catalogctl.core import LiveState
from catalogctl.http.errors import ProviderError
from catalogctl.model.address import Address
from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider, pages

CREDS = GrooveKartCredentials("tok-SECRET", "key-SECRET", "me")
ROW = b'{"id_product_variant": "5", "group_name": "Size", "variant_name": "S", "price": "1.50"}'


def product(**fields: str) -> bytes:
    inner = ", ".join(f'"{key}": {value}' for key, value in {"id": '"1"', "sku": '"0123"', **fields}.items())
    return b'{"products": [{' + inner.encode() + b'}]}'


def read(body: bytes, status: int = 200) -> LiveState | Exception:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("list_products.json"):
            return httpx.Response(status, content=body)
        if request.url.path.endswith("list_categories.json"):
            return httpx.Response(200, json={"categories": [{"id": "3", "title": "Shirts"}]})
        return httpx.Response(200, json=[])

    async def main() -> LiveState:
        async with GrooveKartProvider("https://shop.example.com", CREDS, transport=httpx.MockTransport(handler),
                                      max_retries=1, retry_backoff=0.001) as provider:
            return await provider.read({})

    try:
        return asyncio.run(main())
    except Exception as exc:   # not only ProviderErrors: some answers crash the reference path (see HOSTILE)
        return exc


def outcome(result: LiveState | Exception) -> Any:
    if isinstance(result, ProviderError):
        return type(result).__name__, str(result), result.store_message, result.status
    if isinstance(result, Exception):
        return type(result).__name__, str(result)
    return [(str(a), [(k, repr(v)) for k, v in r.attrs.items()], r.live_id, dict(r.extra))
            for a, r in result.resources.items()], result.requests


def both(body: bytes, monkeypatch: pytest.MonkeyPatch, status: int = 200) -> Any:
    """The outcome through the typed path, asserted equal to the reference path's."""
    typed = outcome(read(body, status))
    with monkeypatch.context() as patch:
        patch.setattr(pages, "page", lambda *args: None)
        assert outcome(read(body, status)) == typed
    return typed


HOSTILE = {
    "a float price": product(price="19.5"),
    "a price that is no number": product(price='"abc"'),
    "a price of infinity": product(price='"Infinity"'),
    "a huge number": product(price="1" + "0" * 40),   # decimal.InvalidOperation, before as now
    "a number too big for a float": product(price="1e400"),
    "a number as text": product(price='"19.500000"', weight='"1e3"'),
    "a bool where text goes": product(title="true"),
    "an id that is a number": product(id="7"),
    "an id that is no number": product(id='"abc"'),   # ValueError (ProductRead.of), before as now
    "an id that is null": product(id="null"),
    "a list where an object goes": product(images="[1]"),
    "variants that are null": product(variants="null"),
    "a row without its group": product(variants='[{"id_product_variant": "5", "variant_name": "S"}]'),
    "a row without a value": product(variants='[{"id_product_variant": "5", "group_name": "Size"}]'),
    "a row in the details spelling": product(
        variants='[{"id_product_attribute": "5", "group_name": "Size", "attribute_name": "S"}]'),
    "a good row": product(variants="[" + ROW.decode() + "]"),
    "a second row with a bad price": product(variants="[" + ROW.decode() + ', {"id_product_variant": "6", '
                                             '"group_name": "Size", "variant_name": "M", "price": 2.5}]'),
    "a field by its own name": product(active='"0"'),
    "the search spelling": b'{"products": {"0": {"id": "1", "sku": "X"}, "products_count": 1}}',
    "products that are null": b'{"products": null}',
    "no products key": b'{"items": []}',
    "a list at the top": b'[{"id": "1", "sku": "X"}]',
    "null": b"null",
    "an empty body": b"",
    "an HTML page": b"<html>maintenance tok-SECRET</html>",
    "truncated": b'{"products": [{"id": "1", "sku": "0',
    "not UTF-8 where nobody reads": b'{"products": [], "note": "\xff\xfe"}',
    "a control character": b'{"products": [{"id": "1", "sku": "a\nb"}]}',
    "NaN where nobody reads": b'{"products": [], "note": NaN}',
    "a BOM": b'\xef\xbb\xbf{"products": [{"id": "1", "sku": "X"}]}',
    "nested too deep": b'{"products": [], "note": ' + b"[" * 5000 + b"]" * 5000 + b"}",   # RecursionError
    "no products found": b'{"status": "error", "message": "No products found."}',
    "another error": b'{"status": "failed", "message": "Invalid limit tok-SECRET"}',
    "an error next to products": b'{"products": [{"id": "1", "sku": "X"}], "error": "Database busy"}',
    "an auth error": b'{"Error": "Invalid auth_token tok-SECRET"}',
    "an empty Error": b'{"products": [{"id": "1", "sku": "X"}], "Error": ""}',
    "a status that is no error": b'{"products": [{"id": "1", "sku": "X"}], "status": "ok"}',
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_answers_read_or_fail_as_the_reference_path(body: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    result = both(body, monkeypatch)
    assert "SECRET" not in repr(result)


@pytest.mark.parametrize("status", [404, 500])
def test_an_error_status_with_a_page_body_is_judged_as_before(status: int, monkeypatch: pytest.MonkeyPatch) -> None:
    result = both(product(), monkeypatch, status)
    assert result[0] == "ProviderError" and result[3] == status


def test_the_errors_read_as_before() -> None:
    """The texts themselves (both() only proves the two paths agree)."""
    float_price = read(product(price="19.5"))
    assert isinstance(float_price, ProviderError)
    assert str(float_price).startswith("GrooveKart call read failed: unexpected answer shape: 0.price: Value error, "
                                       "19.5 is not a decimal (floats are refused)")
    second_row = read(HOSTILE["a second row with a bad price"])
    assert isinstance(second_row, ProviderError) and "0.variants.1.price" in str(second_row)
    not_utf8 = read(HOSTILE["not UTF-8 where nobody reads"])
    assert isinstance(not_utf8, ProviderError)
    assert not_utf8.store_message.startswith("the answer is truncated or malformed JSON")
    auth = read(HOSTILE["an auth error"])
    assert type(auth).__name__ == "AuthError" and "tok-SECRET" not in str(auth) and "***" in auth.store_message


def test_what_the_store_wrote_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[object] = []
    typed = pages.page
    monkeypatch.setattr(pages, "page", lambda *args: answers.append(typed(*args)) or answers[-1])
    live = read(product(price='"19.500000"', weight="2", variants="[" + ROW.decode() + "]"))
    assert isinstance(live, LiveState) and len(answers) == 1 and answers[0] is not None   # the typed path read it
    main = live.resources[Address.for_product("0123")]
    assert main.attrs["sku"] == "0123" and main.attrs["price"] == Decimal("19.5") and main.attrs["weight"] == 2
    variant = live.resources[Address.variant("0123", (("Size", "S"),))]
    assert variant.live_id == "5" and str(variant.attrs["price"]) == "1.5"
    assert read(HOSTILE["no products found"]) == read(b'{"products": []}')
