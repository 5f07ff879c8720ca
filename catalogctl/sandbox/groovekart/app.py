"""The ASGI app of one sandbox store: `POST /api/<endpoint>.json` plus the `/__sandbox/` admin routes.

Auth failures answer HTTP 401 with the documented `{"Error": ...}` bodies; business failures
answer HTTP 200 with the call's documented error body (as the real store does).
"""

from __future__ import annotations

import hmac
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from catalogctl.sandbox import limits, storefront
from catalogctl.sandbox.faults import Decision, FaultConfig, FaultInjector, Outcome
from catalogctl.sandbox.groovekart import auth_shape as _auth_shape  # noqa: F401 - its rows' shortcuts
from catalogctl.sandbox.groovekart import calls, contract, contract_table, wire
from catalogctl.sandbox.groovekart import create_shape as _create_shape  # noqa: F401 - its rows' shortcut
from catalogctl.sandbox.groovekart.credentials import DEFAULT_CREDENTIALS, Credentials
from catalogctl.sandbox.groovekart.db import Store
from catalogctl.sandbox.groovekart.payload import Invalid
from catalogctl.sandbox.groovekart.reply import Encoded, Reply, error, fail
from catalogctl.sandbox.shared import (
    TRANSPORT_KEY,
    LateCommits,
    SandboxApp,
    drop_connection,
    faults_route,
    held,
    injected_latency,
    late_commits_route,
    loopback_only,
    rest_of_latency,
    stats,
    stats_reset,
)
from catalogctl.sandbox.stats import Stats

# Shared pieces, importable from here as before (the Shoprocket and Shoplazza sandboxes use them).
__all__ = ["SandboxApp", "create_app", "drop_connection", "faults_route", "loopback_only", "stats", "stats_reset"]

Handler = Callable[[sqlite3.Connection], Reply]
REFUSED_HEADER = "X-Sandbox-Refused"  # names the table row a refused request broke


_API_PATH = re.compile(r"^/api/(?P<endpoint>[^/]+)\.json$")  # the api route's own pattern (a test says so)


class GrooveKartApp(SandboxApp):
    """One GrooveKart store: its SQLite storage and the credentials it accepts."""

    store: Store
    credentials: Credentials

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A store request goes straight to `api`, as Starlette's router would send it (the api route is
        the first one and the only one for POST /api/<endpoint>.json), without its middleware and routing
        layers (issue 13: the sandbox's CPU per request); what they did for it is done here: the same
        scope, a 500 "Internal Server Error" answer for an exception before the answer started, re-raised."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope.get("root_path") \
                or (match := _API_PATH.match(scope["path"])) is None:
            await super().__call__(scope, receive, send)
            return
        await self.route_api(scope, receive, send, match["endpoint"])

    async def route_api(self, scope: Scope, receive: Receive, send: Send, endpoint: str) -> None:
        transport = getattr(getattr(send, "__self__", None), "transport", None)  # as SandboxApp keeps it
        if transport is not None:
            scope[TRANSPORT_KEY] = transport
        scope["app"] = self
        scope.setdefault("router", self.router)
        scope["endpoint"] = api
        scope["path_params"] = {**scope.get("path_params", {}), "endpoint": endpoint}
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            response = await api(Request(scope, receive, sending))
            await response(scope, receive, sending)
        except Exception:
            if not started:
                await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send)
            raise


def _json(payload: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = payload.data if isinstance(payload, Encoded) else wire.php_json(payload)
    return Response(body, status_code, headers, media_type="application/json")


def _auth_refusal(call_key: str, body: dict[str, Any], creds: Credentials) -> Reply | None:
    """The documented 401 bodies: a missing credential by name, else any mismatch."""
    refused = contract.refusal(contract_table.AUTH_ROWS.get(call_key, contract_table.ANY_CALL_AUTH), body)
    if refused is not None:
        return refused
    pairs = ((body["auth_token"], creds.auth_token), (body["api_key"], creds.api_key),
             (body["api_user"], creds.api_user))
    # Compared as UTF-8 bytes: compare_digest refuses str with non-ASCII characters (a TypeError, an HTTP 500).
    if not all(hmac.compare_digest(given.encode(), want.encode()) for given, want in pairs):
        return fail(contract_table.AUTH_FAILED, 401)
    return None


async def _body(request: Request) -> dict[str, Any] | Response:
    """The JSON object of the request, or the 400/413 answer that refuses it (never read past the limit)."""
    try:
        return limits.parse_object(await limits.read_body(request))
    except limits.Malformed as exc:
        return _json({"error": str(exc)}, exc.status)


def _server_error() -> Response:
    return _json({"error": "Internal Server Error"}, 500)


async def _fault_response(request: Request, decision: Decision) -> Response | None:
    match decision.outcome:
        case Outcome.DROP:
            return await drop_connection(request)
        case Outcome.RATE_LIMITED:
            return _json({"error": "Too Many Requests"}, 429, {"Retry-After": str(decision.retry_after_s)})
        case Outcome.ERROR:
            return _server_error()
        case _:
            return None


@held
async def api(request: Request) -> Response:
    app: GrooveKartApp = request.app
    endpoint = request.path_params["endpoint"]
    body = await _body(request)
    if isinstance(body, Response):
        return body
    call = calls.resolve(endpoint, body)
    if call is None:
        return _json({"error": f"{endpoint}.json is not served by the sandbox."}, 404)
    app.stats.record(call.key, call.mutating)
    decision = app.faults.before_request()
    checked = _checked(call, body, app.credentials)
    await injected_latency(request, decision)
    faulted = await _fault_response(request, decision)
    if faulted is not None:
        return faulted
    if isinstance(checked, Exception):
        raise checked
    if isinstance(checked, Reply):
        return _json(checked.payload, checked.status_code, {REFUSED_HEADER: checked.reason})
    work, user = checked, app.credentials.api_user
    if not call.mutating:
        reply = await _run(app.store.read, lambda conn: work(conn, user))
        answer = _json(reply.payload, reply.status_code)
        return Response(app.faults.cache_busters(answer.body), reply.status_code, media_type="application/json")
    return await _mutate(request, app, call, lambda conn: work(conn, user))


def _checked(call: calls.Call, body: dict[str, Any], creds: Credentials) -> Reply | Exception | calls.Work:
    """A request's refusal, or its store work with the body's checks done: run before the latency.

    The same work as when it all ran after the latency, in an order that keeps the round trip honest:
    requests read in one loop iteration used to sleep from one moment and wake together, each then
    queued behind the others' writes on the sandbox's one event loop (a convoy the client's requests
    never left); checks done first space their sleeps apart. Issue 13: round trip 55.0 -> 53.1 ms
    (3,000 creates, 8 in flight). Answers, faults and their order are unchanged. An unexpected error
    is raised where it was: a refusal check's is returned and raised by `api` after the latency and the
    faults (before any mutation fault is counted); a body check's is raised by the work, in the write."""
    try:
        refused = _auth_refusal(call.key, body, creds) or contract.refusal(
            contract_table.ROWS.get(call.key, ()), body)
    except Exception as exc:  # raised by api after the latency and the faults, where the check ran
        return exc
    if refused is not None:
        return refused
    try:
        return call.work(body)
    except Exception as exc:  # re-raised by the work, inside the write, where the handler raised it
        return _raising(exc)


def _raising(exc: Exception) -> calls.Work:
    def work(conn: sqlite3.Connection, api_user: str) -> Reply:
        raise exc
    return work


async def _mutate(request: Request, app: GrooveKartApp, call: calls.Call, handler: Handler) -> Response:
    """A write, with the mutation faults: fail before writing, lose the answer after committing, or
    lose the answer first and commit later (late commit: the write lands late_commit_ms after the drop)."""
    outcome = app.faults.before_mutation()
    if outcome is Outcome.FAIL_BEFORE_WRITE:
        return _server_error()
    if call.creates and outcome is Outcome.PROCEED and app.faults.late_commit():
        later = app.faults.config.late_commit_ms / 1000   # the faults the decision was made under, not a newer set
        await rest_of_latency(request)   # the write lands late_commit_ms after the lost answer, in either latency
        app.late_commits.schedule(later, lambda: _run(app.store.write, handler))
        return await drop_connection(request)
    reply = _write_here(app.store, handler)
    if outcome is Outcome.FAIL_AFTER_COMMIT:
        return await drop_connection(request) if app.faults.config.after_commit == "drop" else _server_error()
    return _json(reply.payload, reply.status_code)


def _write_here(store: Store, handler: Handler) -> Reply:
    """A request's write, on the event loop's own thread (issue 13). A write is one short transaction
    (~0.5 ms for a 10-variant create_product) under the store's lock, and writes never ran side by side
    anyway; the hop to a worker thread and back cost more than the write (the sandbox's CPU per
    create_product 1.86 -> 1.21 ms). Reads, which can be long (a listing), stay in worker threads."""
    try:
        return store.write(handler)
    except Invalid:  # the transaction was rolled back by the store
        return error("Invalid request.")


async def _run(runner: Callable[[Handler], Reply], handler: Handler) -> Reply:
    """Run a handler in a worker thread; a request shape no handler anticipated is a plain error body."""
    try:
        return await run_in_threadpool(runner, handler)
    except Invalid:  # the transaction was rolled back by the store
        return error("Invalid request.")


def create_app(
    db_path: str | Path, credentials: Credentials = DEFAULT_CREDENTIALS, faults: FaultConfig | None = None
) -> Starlette:
    """A sandbox store kept in the SQLite file `db_path` (created and migrated if needed)."""
    app = GrooveKartApp(
        routes=[
            Route("/api/{endpoint}.json", api, methods=["POST"]),
            Route("/__sandbox/stats", stats, methods=["GET"]),
            Route("/__sandbox/stats/reset", stats_reset, methods=["POST"]),
            Route("/__sandbox/faults", faults_route, methods=["GET", "POST"]),
            Route("/__sandbox/late_commits", late_commits_route, methods=["GET"]),
            *storefront.routes(),  # the shop pages at the root url
        ]
    )
    app.store = Store(db_path)
    app.stats = Stats()
    app.faults = FaultInjector(faults)
    app.late_commits = LateCommits()
    app.credentials = credentials
    return app
