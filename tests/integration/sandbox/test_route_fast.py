"""A store request skips Starlette's middleware and router (issue 13: the sandbox's CPU per request);
it must be answered exactly as through them: the same messages for every kind of request, the same
500 for an exception, and the fast path only where the router would pick the api route."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sandbox_helpers import AUTH

from catalogctl.sandbox import create_app
from catalogctl.sandbox.groovekart import app as groovekart_app
from catalogctl.sandbox.shared import SandboxApp


def _drive(call: Any, method: str, path: str, body: bytes, root_path: str = "") -> tuple[list[Any], str]:
    """The ASGI messages an app sends for one request, and the exception it raised ("" when none)."""
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000), "scheme": "http", "method": method,
             "root_path": root_path, "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]}
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return pending.pop() if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    try:
        asyncio.run(call(scope, receive, send))
    except Exception as exc:  # what the server would log
        return sent, type(exc).__name__
    return sent, ""


def _body(**fields: Any) -> bytes:
    return json.dumps({**AUTH, **fields}).encode()


REQUESTS = [
    ("POST", "/api/list_categories.json", _body()),
    ("POST", "/api/create_categories.json", _body(category=[{"title": "Shirts"}])),
    ("POST", "/api/create_categories.json", _body(category=[{"title": ""}])),
    ("POST", "/api/products.json", _body(product={"title": "T", "price": "1", "compare_default_price": "0",
                                                  "visibility": "both"})),
    ("POST", "/api/products.json", _body(product="x")),
    ("POST", "/api/nowhere.json", _body()),
    ("POST", "/api/list_products.json", b'{"limit": NaN}'),
    ("POST", "/api/list_products.json", b"[1]"),
    ("POST", "/api/list_products.json", b'{"a": 1e99999999999999999999}'),  # decimal raises: an HTTP 500
    ("POST", "/api/list_categories.json", json.dumps({"auth_token": "no", "api_key": "k", "api_user": "u"}).encode()),
    ("POST", "/api/a/b.json", _body()),
    ("POST", "/api/.json", _body()),
    ("GET", "/api/list_categories.json", b""),
    ("POST", "/api/list_categories.jsonx", _body()),
    ("POST", "/__sandbox/stats/reset", b""),
]


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS)
def test_a_request_is_answered_as_through_starlette(tmp_path: Path, method: str, path: str, body: bytes) -> None:
    fast, through = create_app(tmp_path / "fast.db"), create_app(tmp_path / "through.db")
    for root_path in ("", "/shop"):
        answer = _drive(fast, method, path, body, root_path)
        assert answer == _drive(lambda *args: SandboxApp.__call__(through, *args), method, path, body, root_path)
    assert answer[0], "every request gets an answer"


def test_an_exception_is_a_500_and_is_raised_for_the_server_to_log(tmp_path: Path) -> None:
    sent, raised = _drive(create_app(tmp_path / "s.db"), "POST", "/api/list_products.json",
                          b'{"a": 1e99999999999999999999}')
    assert raised == "InvalidOperation"
    assert sent[0]["status"] == 500 and sent[1]["body"] == b"Internal Server Error"


def test_the_fast_path_takes_exactly_the_api_route(tmp_path: Path) -> None:
    app = create_app(tmp_path / "s.db")
    first = app.routes[0]
    assert first.endpoint is groovekart_app.api and first.methods == {"POST"}
    assert groovekart_app._API_PATH.pattern == first.path_regex.pattern
