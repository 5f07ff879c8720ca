"""Malformed requests get a 4xx (or the call's documented failure) with a clear body, never a 5xx.

Found by a campaign of 5,500 malformed requests (issue 12): deep nesting (RecursionError),
non-ASCII credentials (compare_digest's TypeError), a 100,000-character keyword (SQLite's "LIKE
pattern too complex"), and no body size limit (a 300 MB body took the server to 950 MB).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from contract_requests import Ids, prepare
from fuzzing import malformed_request, nested
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_helpers import AUTH, JSON_HEADERS, Sandbox, raw_request

from catalogctl.sandbox import create_app
from catalogctl.sandbox.limits import MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_JSON_VALUES


def _post(sandbox: Sandbox, endpoint: str, raw: bytes) -> httpx.Response:
    return sandbox.http.post(f"{sandbox.url}/api/{endpoint}.json", content=raw, headers=JSON_HEADERS)


def _still_answers(sandbox: Sandbox) -> None:
    assert sandbox.http.post(f"{sandbox.url}/api/list_categories.json", json=AUTH).status_code == 200


@pytest.mark.parametrize("raw", [
    nested(100_000).encode(),
    ("{" + '"a":{' * 100_000 + "}" * 100_001).encode(),
    json.dumps({**AUTH, "product": {"id": 1}}).replace('"id": 1', '"id": ' + nested(MAX_JSON_DEPTH + 5)).encode(),
], ids=["list", "object", "inside-a-valid-request"])
def test_deep_nesting_is_a_400_not_a_recursion_error(sandbox: Sandbox, raw: bytes) -> None:
    response = _post(sandbox, "products", raw)
    assert response.status_code == 400
    assert "nests deeper than 512 levels" in response.json()["error"] or "not a JSON object" not in response.text
    _still_answers(sandbox)


def test_non_object_bodies_are_a_400_that_says_so(sandbox: Sandbox) -> None:
    for raw in (b"[]", b'"text"', b"12", b"null"):
        response = _post(sandbox, "list_products", raw)
        assert (response.status_code, response.json()) == (
            400, {"error": "The request body must be a JSON object of named parameters."})


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json_as_in_php(sandbox: Sandbox, literal: str) -> None:
    head = json.dumps(AUTH)[:-1]
    for raw in (f'{head}, "limit": 0, "x": {literal}}}', f'{head}, "limit": [{literal}]}}'):
        response = _post(sandbox, "list_products", raw.encode())
        assert (response.status_code, response.json()) == (
            400, {"error": f"The request body is not valid JSON: {literal} is not a JSON value."})


def test_a_body_of_too_many_values_is_a_413_before_it_is_parsed(sandbox: Sandbox) -> None:
    pad = b"[]," * (MAX_BODY_BYTES // 3 - 200)  # 2.8 million empty lists, under the 8 MiB limit
    response = _post(sandbox, "list_categories", json.dumps(AUTH)[:-1].encode() + b', "x": [' + pad + b"[]]}")
    assert (response.status_code, response.json()) == (
        413, {"error": "The request body holds more than 250,000 JSON values (counted as its brackets, braces and "
                       "commas outside strings), the sandbox's limit."})
    at_cap = json.dumps(AUTH)[:-1].encode() + b', "x": [' + b", ".join([b"[]"] * (MAX_JSON_VALUES // 2 - 10)) + b"]}"
    assert _post(sandbox, "list_categories", at_cap).status_code == 200
    commas = json.dumps({**AUTH, "x": "," * (MAX_JSON_VALUES * 4)}).encode()  # commas inside a string are no values
    assert _post(sandbox, "list_categories", commas).status_code == 200
    _still_answers(sandbox)


@pytest.mark.parametrize("credentials", [
    {**AUTH, "auth_token": "tök/SEC\"RET\\x<&>1"},
    {**AUTH, "api_key": "ключ"},
    {**AUTH, "api_user": "🎉"},
])
def test_non_ascii_credentials_are_refused_not_a_type_error(sandbox: Sandbox, credentials: dict[str, str]) -> None:
    response = _post(sandbox, "list_categories", json.dumps(credentials).encode())
    assert (response.status_code, response.json()) == (401, {"Error": "Authentication failed. Please contact support."})


def test_an_unpaired_surrogate_is_a_400_as_in_php(sandbox: Sandbox) -> None:
    for body in ({**AUTH, "auth_token": "\ud800"}, {**AUTH, "category": {"title": "a\udfffb"}}, {**AUTH, "\ud800": 1}):
        response = _post(sandbox, "create_categories", json.dumps(body).encode())
        assert response.status_code == 400 and "unpaired UTF-16 surrogate" in response.json()["error"]


def test_a_huge_keyword_finds_nothing_instead_of_a_sqlite_error(sandbox: Sandbox) -> None:
    prepare(sandbox)
    assert sandbox.call("search_products", keyword="x" * 100_000) == {"error": "No products found."}
    many = " ".join(f"w{n}" for n in range(20_000))
    assert sandbox.call("search_products", keyword=many) == {"error": "The keyword has more than 32 words."}
    assert sandbox.call("search_products", keyword="Contract " * 5_000)["products"]["products_count"] == 1
    ids = ",".join(str(n) for n in range(1, 50_001))  # one SQL variable per id used to overflow SQLite's cap
    assert sandbox.call("search_products", ids=ids)["products"]["products_count"] == 1


def test_a_body_declared_too_large_is_a_413_before_it_is_read(sandbox: Sandbox) -> None:
    answer = raw_request(sandbox.url, [f"Content-Length: {300 * 2**20}"], b'{"auth_token": "')
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"larger than 8388608 bytes (8 MiB)" in answer
    _still_answers(sandbox)


def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(sandbox: Sandbox) -> None:
    chunk = b" " * 2**20
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(MAX_BODY_BYTES // len(chunk) + 1))
    answer = raw_request(sandbox.url, ["Transfer-Encoding: chunked"], chunks)  # no end chunk: never finishes
    assert answer.startswith(b"HTTP/1.1 413 ")
    _still_answers(sandbox)


def test_a_body_at_the_limit_is_read(sandbox: Sandbox) -> None:
    body = json.dumps({**AUTH, "pad": ""}).encode()
    body = body.replace(b'"pad": ""', b'"pad": "' + b"p" * (MAX_BODY_BYTES - len(body)) + b'"')
    assert len(body) == MAX_BODY_BYTES
    assert _post(sandbox, "list_categories", body).status_code == 200


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory, _server: Any) -> Iterator[tuple[Sandbox, Ids]]:
    current, url = _server
    db_path: Path = tmp_path_factory.mktemp("fuzz") / "store.db"
    app = create_app(db_path)
    current.app = app
    with httpx.Client(timeout=30) as http:
        sandbox = Sandbox(url, http, db_path)
        yield sandbox, prepare(sandbox)
    current.app = None


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_fuzz_every_endpoint_no_5xx_and_the_server_still_answers(
    fuzz_store: tuple[Sandbox, Ids], data: st.DataObject,
) -> None:
    sandbox, ids = fuzz_store
    endpoint, raw = data.draw(malformed_request(ids))
    response = _post(sandbox, endpoint, raw)
    assert response.status_code < 500, (endpoint, raw[:300], response.text[:300])
    assert isinstance(response.json(), dict | list)  # a JSON body, never an empty or HTML error page
    _still_answers(sandbox)
