"""The ASGI app of one sandbox store: `POST /api/<endpoint>.json` plus the `/__sandbox/` admin routes.

Auth failures answer HTTP 401 with the documented `{"Error": ...}` bodies; business failures
answer HTTP 200 with the call's documented error body (as the real store does).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from catalogctl.sandbox import storefront
from catalogctl.sandbox.faults import Decision, FaultConfig, FaultInjector, Outcome
from catalogctl.sandbox.groovekart import calls, contract, contract_table, wire
from catalogctl.sandbox.groovekart.credentials import DEFAULT_CREDENTIALS, Credentials
from catalogctl.sandbox.groovekart.db import Store
from catalogctl.sandbox.groovekart.payload import Invalid
from catalogctl.sandbox.groovekart.reply import Encoded, Reply, error, fail
from catalogctl.sandbox.stats import Stats

Handler = Callable[[sqlite3.Connection], Reply]
REFUSED_HEADER = "X-Sandbox-Refused"  # names the table row a refused request broke
_TRANSPORT_KEY = "catalogctl.sandbox.transport"
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


class SandboxApp(Starlette):
    """A Starlette app that remembers the server's transport, so a fault can drop the connection."""

    store: Store
    stats: Stats
    faults: FaultInjector
    credentials: Credentials

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        transport = getattr(getattr(send, "__self__", None), "transport", None)  # uvicorn's cycle
        if transport is not None:
            scope[_TRANSPORT_KEY] = transport
        await super().__call__(scope, receive, send)


def _json(payload: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = payload.data if isinstance(payload, Encoded) else wire.php_json(payload)
    return Response(body, status_code, headers, media_type="application/json")


def _auth_refusal(call_key: str, body: dict[str, Any], creds: Credentials) -> Reply | None:
    """The documented 401 bodies: a missing credential by name, else any mismatch."""
    refused = contract.refusal(contract_table.AUTH_ROWS.get(call_key, ()), body)
    if refused is not None:
        return refused
    pairs = ((body["auth_token"], creds.auth_token), (body["api_key"], creds.api_key),
             (body["api_user"], creds.api_user))
    # Compared as UTF-8 bytes: compare_digest refuses str with non-ASCII characters (a TypeError, an HTTP 500).
    if not all(hmac.compare_digest(given.encode(), want.encode()) for given, want in pairs):
        return fail(contract_table.AUTH_FAILED, 401)
    return None


async def _body(request: Request) -> dict[str, Any]:
    """The JSON body (numbers as Decimal); anything unreadable counts as empty, like PHP's json_decode."""
    try:
        body = json.loads(await request.body(), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


async def _drop(request: Request) -> Response:
    """Close the connection without answering (over HTTP) or raise what httpx raises then (in-process)."""
    transport = request.scope.get(_TRANSPORT_KEY)
    if transport is None:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
    transport.abort()
    for _ in range(3):  # let the server notice the loss, so it sends nothing and logs nothing
        await asyncio.sleep(0)
    return Response(status_code=500)


def _server_error() -> Response:
    return _json({"error": "Internal Server Error"}, 500)


async def _fault_response(request: Request, decision: Decision) -> Response | None:
    match decision.outcome:
        case Outcome.DROP:
            return await _drop(request)
        case Outcome.RATE_LIMITED:
            return _json({"error": "Too Many Requests"}, 429, {"Retry-After": str(decision.retry_after_s)})
        case Outcome.ERROR:
            return _server_error()
        case _:
            return None


async def api(request: Request) -> Response:
    app: SandboxApp = request.app
    endpoint = request.path_params["endpoint"]
    body = await _body(request)
    call = calls.resolve(endpoint, body)
    if call is None:
        return _json({"error": f"{endpoint}.json is not served by the sandbox."}, 404)
    app.stats.record(call.key, call.mutating)
    decision = app.faults.before_request()
    if decision.delay_s:
        await asyncio.sleep(decision.delay_s)
    faulted = await _fault_response(request, decision)
    if faulted is not None:
        return faulted
    refused = _auth_refusal(call.key, body, app.credentials) or contract.refusal(
        contract_table.ROWS.get(call.key, ()), body)
    if refused is not None:
        return _json(refused.payload, refused.status_code, {REFUSED_HEADER: refused.reason})
    user = app.credentials.api_user
    if not call.mutating:
        reply = await _run(app.store.read, lambda conn: call.handler(conn, body, user))
        answer = _json(reply.payload, reply.status_code)
        return Response(app.faults.cache_busters(answer.body), reply.status_code, media_type="application/json")
    outcome = app.faults.before_mutation()
    if outcome is Outcome.FAIL_BEFORE_WRITE:
        return _server_error()
    reply = await _run(app.store.write, lambda conn: call.handler(conn, body, user))
    if outcome is Outcome.FAIL_AFTER_COMMIT:
        return await _drop(request) if app.faults.config.after_commit == "drop" else _server_error()
    return _json(reply.payload, reply.status_code)


async def _run(runner: Callable[[Handler], Reply], handler: Handler) -> Reply:
    """Run a handler in a worker thread; a request shape no handler anticipated is a plain error body."""
    try:
        return await run_in_threadpool(runner, handler)
    except Invalid:  # the transaction was rolled back by the store
        return error("Invalid request.")


def _loopback_only(request: Request) -> Response | None:
    if request.client is not None and request.client.host not in _LOOPBACK:
        return JSONResponse({"error": "admin routes answer loopback clients only"}, 403)
    return None


async def stats(request: Request) -> Response:
    return _loopback_only(request) or JSONResponse(request.app.stats.snapshot())


async def stats_reset(request: Request) -> Response:
    refused = _loopback_only(request)
    if refused:
        return refused
    request.app.stats.reset()
    return JSONResponse(request.app.stats.snapshot())


async def faults_route(request: Request) -> Response:
    refused = _loopback_only(request)
    if refused:
        return refused
    if request.method == "POST":
        try:
            config = FaultConfig.model_validate_json((await request.body()) or b"{}")
        except ValidationError as exc:
            return JSONResponse({"error": "invalid fault config", "detail": json.loads(exc.json())}, 422)
        request.app.faults.configure(config)
    return JSONResponse(request.app.faults.config.model_dump())


# Shared with the Shoprocket and Shoplazza sandboxes (catalogctl/sandbox/shoprocket/, shoplazza/).
drop_connection = _drop
loopback_only = _loopback_only


def create_app(
    db_path: str | Path, credentials: Credentials = DEFAULT_CREDENTIALS, faults: FaultConfig | None = None
) -> Starlette:
    """A sandbox store kept in the SQLite file `db_path` (created and migrated if needed)."""
    app = SandboxApp(
        routes=[
            Route("/api/{endpoint}.json", api, methods=["POST"]),
            Route("/__sandbox/stats", stats, methods=["GET"]),
            Route("/__sandbox/stats/reset", stats_reset, methods=["POST"]),
            Route("/__sandbox/faults", faults_route, methods=["GET", "POST"]),
            *storefront.routes(),  # the shop pages at the root url
        ]
    )
    app.store = Store(db_path)
    app.stats = Stats()
    app.faults = FaultInjector(faults)
    app.credentials = credentials
    return app
