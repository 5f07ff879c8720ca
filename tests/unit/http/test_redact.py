"""Secrets never show, in any spelling an answer or a message may give them, and ordinary words
are never masked: a credential too short to be real is refused instead."""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
from collections.abc import Callable
from urllib.parse import quote, quote_plus

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.errors import TargetError
from catalogctl.http.errors import ProviderError
from catalogctl.http.redact import MASK, MIN_SECRET_LENGTH, check_secrets, redact, secret_forms
from catalogctl.providers.groovekart.credentials import GrooveKartCredentials
from catalogctl.providers.groovekart.dialect import GrooveKartClient

NASTY = 't\u00f6k/SEC"RET\\x<&>1'   # the token that leaked from an echoing store

ENCODINGS: dict[str, Callable[[str], str]] = {
    "raw": lambda s: s,
    "json": lambda s: json.dumps(s),
    "json-utf8": lambda s: json.dumps(s, ensure_ascii=False),
    "json-in-json": lambda s: json.dumps(json.dumps({"auth_token": s})),
    "url": lambda s: quote(s, safe=""),
    "url-path": quote,
    "url-plus": quote_plus,
    "url-lower": lambda s: re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(s, safe="")),
    "html": html.escape,
    "repr": repr,
    "repr-of-json": lambda s: repr(json.dumps({"auth_token": s})),
    "php-json": lambda s: json.dumps(s).replace("/", "\\/"),  # PHP's json_encode escapes slashes
    "php-json-utf8": lambda s: json.dumps(s, ensure_ascii=False).replace("/", "\\/"),
    "php-json-in-php-json": lambda s: json.dumps(json.dumps({"t": s}).replace("/", "\\/")).replace("/", "\\/"),
    "json-upper-hex": lambda s: re.sub(r"\\u[0-9a-f]{4}", lambda m: m.group().upper().replace("\\U", "\\u"),
                                       json.dumps(s)),
}


def leaks(text: str, secret: str) -> list[str]:
    """Which spellings of `secret` are still readable in `text`."""
    found = []
    for name, encode in ENCODINGS.items():
        try:
            form = encode(secret).strip("'\"")
        except UnicodeError:
            continue
        if form and form in text:
            found.append(name)
    return found


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_the_echoed_token_is_masked_in_every_spelling(name: str) -> None:
    echoed = f"store said: {ENCODINGS[name](NASTY)} (request refused)"
    masked = redact(echoed, [NASTY])
    assert MASK in masked and not leaks(masked, NASTY), masked
    assert masked.startswith("store said: ") and masked.endswith(" (request refused)")


@settings(max_examples=150, deadline=None)
@given(secret=st.text(min_size=MIN_SECRET_LENGTH, max_size=24).filter(lambda s: MASK not in s),
       name=st.sampled_from(sorted(ENCODINGS)), before=st.text(max_size=10), after=st.text(max_size=10))
def test_no_spelling_of_any_secret_survives(secret: str, name: str, before: str, after: str) -> None:
    try:
        text = before + ENCODINGS[name](secret) + after
    except UnicodeError:   # a lone surrogate has no URL spelling, so it cannot leak as one
        return
    assert not leaks(redact(text, [secret]), secret)


@pytest.mark.parametrize("status", [200, 500])
def test_a_php_store_echoing_a_base64_token_shows_none_of_it(status: int) -> None:
    """GrooveKart runs PHP: json_encode writes the token's `/` as `\\/`, in a JSON error body or an
    HTML page; the secret crosses the 120 characters an error quotes of a page that is not JSON."""
    token, key = "Zm9vYmFy/c2VjcmV0+dG9rZW4=", "a2V5L3dpdGgvc2xhc2hlcw=="

    def echo(request: httpx.Request) -> httpx.Response:
        sent = request.content.decode().replace("/", "\\/")
        if status == 200:
            return httpx.Response(200, json={"error": f"Invalid request {sent}"})
        page = "<html><body><p>" + "x" * 95 + f" token={token} key={key} {sent}</p></body></html>"
        return httpx.Response(502, text=page, headers={"content-type": "text/html"})

    async def call() -> ProviderError:
        client = GrooveKartClient("https://store.example", GrooveKartCredentials(token, key, "me"),
                                  transport=httpx.MockTransport(echo), max_retries=0)
        try:
            await client.call("list_categories", {}, idempotent=True)
        except ProviderError as exc:
            return exc
        finally:
            await client.aclose()
        raise AssertionError("the call should have failed")

    text = str(asyncio.run(call()))
    assert MASK in text, text
    for secret in (token, key):
        assert not leaks(text, secret) and secret[:6] not in text, text


def test_ordinary_words_are_left_alone() -> None:
    secret = "Tok3n-abcdef"
    text = "Too many requests; Token expired; t; T; o"
    assert redact(text, [secret]) == text
    assert redact(text, ["Too many requests"]) == "***; Token expired; t; T; o"
    assert {"Tok3n-abcdef", "Tok3n%2Dabcdef"} >= secret_forms(secret)   # only ways it can be spelled


@pytest.mark.parametrize("short", ["t", "T", "abc", "1234567"])
def test_a_credential_too_short_to_be_real_is_refused_with_a_clear_error(short: str) -> None:
    with pytest.raises(TargetError, match=f"only {len(short)} character.* at least {MIN_SECRET_LENGTH}"):
        check_secrets(["long-enough-key", short], hint="Check the environment variables.")
    check_secrets(["", "long-enough"])   # an empty one is the store's to refuse ("Auth Token is missing.")
    with pytest.raises(TargetError):
        GrooveKartClient("https://store.example", GrooveKartCredentials(short, "long-enough-key", "me"))


def test_a_store_that_echoes_the_request_shows_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    """A store answering 500 with the whole request in its message, debug logging on."""

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"error": f"cannot parse {request.content.decode()}"})

    credentials = GrooveKartCredentials(NASTY, "key-\u00e9\u00e8/\"\\-77", "me")

    async def call() -> ProviderError:
        client = GrooveKartClient("https://store.example", credentials, transport=httpx.MockTransport(echo),
                                  max_retries=0)
        try:
            await client.call("list_categories", {}, idempotent=True)
        except ProviderError as exc:
            return exc
        finally:
            await client.aclose()
        raise AssertionError("the call should have failed")

    with caplog.at_level(logging.DEBUG):
        error = asyncio.run(call())
    shown = [str(error), repr(error.args), caplog.text, json.dumps(str(error))]
    assert "cannot parse" in str(error) and MASK in str(error)
    for text in shown:
        for secret in credentials.secrets:
            assert not leaks(text, secret), text
