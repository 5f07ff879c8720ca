"""The Shoprocket and Shoplazza sandboxes, and every admin and page route of all three, answer
malformed requests with a 4xx and a clear body, never a 5xx (issue 12's review, m1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fuzzing import nested
from fuzzing_apis import Route, hostile_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_helpers import raw_request

from catalogctl.sandbox import create_app as groovekart_app
from catalogctl.sandbox import shoplazza, shoprocket
from catalogctl.sandbox.limits import MAX_JSON_VALUES
from catalogctl.sandbox.serve import serve_in_thread

SR = {"sr_auth": shoprocket.DEFAULT_API_KEY, "content-type": "application/json"}
SL = {"access-token": shoplazza.DEFAULT_ACCESS_TOKEN, "content-type": "application/json"}
STORE = (("store_name", "A"), ("registered_name", "A Ltd"), ("address_line1", "1 High St"),
         ("address_country", "GB"), ("address_city", "London"), ("address_zipcode", "N1 9GU"))
ADMIN = [Route("POST", "/__sandbox/faults"), Route("GET", "/__sandbox/faults"), Route("GET", "/__sandbox/stats"),
         Route("POST", "/__sandbox/stats/reset")]
ANSWERS = [Route("POST", "/__sandbox/answers"), Route("GET", "/__sandbox/answers"),
           Route("DELETE", "/__sandbox/answers")]
ROUTES = {
    "shoprocket": [Route("POST", "/v1/stores", STORE), Route("POST", "/v1/user", (("email", "a@example.com"),
                   ("password", "pw-123456"))), Route("GET", "/v1/stores"), Route("POST", "/v2/x"), *ADMIN, *ANSWERS],
    "shoplazza": [Route("GET", shoplazza.SHOP_PATH), Route("POST", shoplazza.SHOP_PATH), Route("GET", "/x"),
                  Route("PUT", "/__sandbox/shop", (("name", "x"),)), Route("GET", "/__sandbox/shop"),
                  *ADMIN, *ANSWERS],
    "groovekart": [*ADMIN, Route("GET", "/__sandbox/late_commits"), Route("GET", "/"),
                   Route("GET", "/products/1"), Route("GET", "/products/x"), Route("GET", "/assets/x.css")],
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One server per API, each over real HTTP (Shoplazza's rate limit lifted: 429s would hide the rest)."""
    base: Path = tmp_path_factory.mktemp("apis")
    lifted = shoplazza.LeakyBucket(rate=1e6, capacity=10**6)
    apps = {"shoprocket": shoprocket.create_app(base / "sr.db"),
            "shoplazza": shoplazza.create_app(base / "sl.db", bucket=lifted),
            "groovekart": groovekart_app(base / "gk.db")}
    with serve_in_thread(apps["shoprocket"]) as sr, serve_in_thread(apps["shoplazza"]) as sl, \
            serve_in_thread(apps["groovekart"]) as gk:
        yield {"shoprocket": sr, "shoplazza": sl, "groovekart": gk}


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def _still_answers(http: httpx.Client, url: str) -> None:
    """The server answers, with the faults and forced answers a fuzzed admin request may have set cleared."""
    assert http.post(f"{url}/__sandbox/faults", json={}).status_code == 200
    http.delete(f"{url}/__sandbox/answers")
    assert http.get(f"{url}/__sandbox/stats").status_code == 200


def _error_text(response: httpx.Response) -> str:
    body = response.json()
    return str(body.get("message") or body.get("error"))


@pytest.mark.parametrize("raw", [nested(100_000).encode(), b'{"a":' + nested(3_000).encode() + b"}"],
                         ids=["list", "inside-an-object"])
def test_shoprocket_deep_json_is_a_400(servers: dict[str, str], http: httpx.Client, raw: bytes) -> None:
    response = http.post(f"{servers['shoprocket']}/v1/stores", content=raw, headers=SR)
    assert response.status_code == 400 and "nests deeper than 512 levels" in _error_text(response)
    assert response.json()["data"] is None  # the documented envelope
    _still_answers(http, servers["shoprocket"])


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_shoprocket_nan_is_not_json(servers: dict[str, str], http: httpx.Client, literal: str) -> None:
    raw = b'{"store_name": "A", "registered_name": ' + literal.encode() + b"}"
    response = http.post(f"{servers['shoprocket']}/v1/stores", content=raw, headers=SR)
    assert response.status_code == 400
    assert f"not valid JSON: {literal} is not a JSON value" in _error_text(response)


def test_shoprocket_refuses_too_many_values_and_form_fields(servers: dict[str, str], http: httpx.Client) -> None:
    url = f"{servers['shoprocket']}/v1/stores"
    many = http.post(url, content=b'{"a": [' + b"[]," * MAX_JSON_VALUES + b"[]]}", headers=SR)
    assert many.status_code == 413 and "more than 250,000 JSON values" in _error_text(many)
    form = {**SR, "content-type": "application/x-www-form-urlencoded"}
    fields = http.post(url, content=b"&".join(b"f%d=1" % n for n in range(1_001)), headers=form)
    assert fields.status_code == 413 and "more than 1,000 form fields" in _error_text(fields)


@pytest.mark.parametrize("api", ["shoprocket", "shoplazza", "groovekart"])
def test_a_body_declared_too_large_is_a_413_before_it_is_read(servers: dict[str, str], api: str) -> None:
    path = {"shoprocket": "/v1/stores", "shoplazza": "/__sandbox/shop", "groovekart": "/__sandbox/faults"}[api]
    method = "PUT" if api == "shoplazza" else "POST"
    headers = [f"Content-Length: {300 * 2**20}", f"sr_auth: {shoprocket.DEFAULT_API_KEY}"]
    answer = raw_request(servers[api], headers, b'{"a": "', method=method, path=path)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"larger than 8388608 bytes (8 MiB)" in answer


@pytest.mark.parametrize("raw", [b'{"currency": NaN, "name": ["x"]}', b'{"name": Infinity}', b'{"name": 1e999}',
                                 nested(5_000).encode(), b"[1]"])
def test_shoplazza_admin_shop_refuses_malformed_bodies(servers: dict[str, str], http: httpx.Client,
                                                       raw: bytes) -> None:
    url = servers["shoplazza"]
    before = http.get(f"{url}/__sandbox/shop").json()
    response = http.put(f"{url}/__sandbox/shop", content=raw, headers=SL)
    assert response.status_code == 400, response.text
    assert response.json()["error"]
    assert http.get(f"{url}/__sandbox/shop").json() == before  # nothing stored


@pytest.mark.parametrize("api", ["shoprocket", "shoplazza", "groovekart"])
@pytest.mark.parametrize("raw", [b'{"error_rate": NaN}', b'{"latency_ms": Infinity}', nested(5_000).encode()])
def test_admin_faults_refuse_malformed_bodies(servers: dict[str, str], http: httpx.Client, api: str,
                                              raw: bytes) -> None:
    response = http.post(f"{servers[api]}/__sandbox/faults", content=raw)
    assert response.status_code == 400 and response.json()["error"].startswith("The request body ")
    assert http.get(f"{servers[api]}/__sandbox/faults").json()["error_rate"] == 0


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_fuzz_every_route_of_the_three_apis_no_5xx(servers: dict[str, str], http: httpx.Client,
                                                   data: st.DataObject) -> None:
    api = data.draw(st.sampled_from(sorted(ROUTES)))
    method, path, headers, body = data.draw(hostile_request(ROUTES[api]))
    if api == "shoprocket" and data.draw(st.booleans()):
        headers = {"sr_auth": shoprocket.DEFAULT_API_KEY, **headers}
    if api == "shoplazza" and data.draw(st.booleans()):
        headers = {"access-token": shoplazza.DEFAULT_ACCESS_TOKEN, **headers}
    request = http.build_request(method, servers[api] + path, content=body, headers=headers)
    response = http.send(request)
    assert response.status_code < 500, (api, method, path, headers, body[:300], response.text[:300])
    if _head_length(request) > HEAD_LIMIT:   # refused by the HTTP layer, as the store's web server does
        assert response.status_code == 400, (api, method, path, response.text[:300])
    elif api != "groovekart" or path.startswith("/__sandbox"):  # the rest are the storefront's HTML pages
        assert isinstance(response.json(), dict | list)  # a JSON body, never an empty or HTML error page
    _still_answers(http, servers[api])


HEAD_LIMIT = 16 * 1024   # the README's: a request head over 16 KiB answers 400


def _head_length(request: httpx.Request) -> int:
    """The bytes of the head httpx sends for `request` (request line, headers, blank line)."""
    line = len(request.method) + len(request.url.raw_path) + len(" HTTP/1.1\r\n") + 1
    return line + sum(len(name) + len(value) + 4 for name, value in request.headers.raw) + 2


