"""The Shoplazza OpenAPI sandbox: `GET /openapi/2022-01/shop` plus the `/__sandbox/` admin routes.

Every answer carries a `Request-Id` header. Both documented error shapes are used as the
document pairs them with statuses: `{"error": ...}` for the access token (401) and an inactive
store (404); `{"errors": [...]}` for the rest. Requests beyond 2 per second per access token
are answered 429 (a leaky bucket), before anything else is looked at.
"""

from __future__ import annotations

import hmac
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from catalogctl.sandbox import limits
from catalogctl.sandbox.faults import FaultConfig, FaultInjector, Outcome
from catalogctl.sandbox.groovekart.app import (
    SandboxApp,
    drop_connection,
    faults_route,
    loopback_only,
    stats,
    stats_reset,
)
from catalogctl.sandbox.shared import held, injected_latency
from catalogctl.sandbox.shoplazza.bucket import LeakyBucket
from catalogctl.sandbox.shoplazza.shop import ACTIVE_STATE, EXAMPLE_SHOP, requested_fields, unknown_facts
from catalogctl.sandbox.shoprocket import db
from catalogctl.sandbox.shoprocket.forced import ForcedAnswers, answers_route
from catalogctl.sandbox.stats import Stats

DEFAULT_ACCESS_TOKEN = "sandbox-api-key"  # the same default key as every sandbox API
SHOP_PATH = "/openapi/2022-01/shop"
ERRORS: dict[int, dict[str, Any]] = {  # the document's error table, with the shape each status comes in
    400: {"errors": ["Bad Request"]},
    401: {"error": "UnauthorizedError"},
    404: {"error": "store is not active"},
    429: {"errors": ["Too Many Requests"]},
    500: {"errors": ["Response message parsing error"]},
    520: {"errors": ["No Context"]},
}


class ShoplazzaApp(SandboxApp):
    records: db.RecordStore
    access_token: str
    bucket: LeakyBucket
    forced: ForcedAnswers


def _answer(payload: Any, status: int = 200) -> Response:
    return JSONResponse(payload, status, {"Request-Id": uuid.uuid4().hex})


def failure(status: int) -> Response:
    return _answer(ERRORS[status], status)


def _shop(app: ShoplazzaApp) -> dict[str, Any]:
    return app.records.read(lambda conn: db.find(conn, "shop", "shop")) or {}


@held
async def api(request: Request) -> Response:
    app: ShoplazzaApp = request.app
    if request.url.path.rstrip("/") != SHOP_PATH:
        return _answer({"errors": ["Not Found"]}, 404)
    if request.method != "GET":
        return _answer({"errors": ["Method Not Allowed"]}, 405)
    app.stats.record("shop.get", mutating=False)
    token = request.headers.get("access-token", "")
    if not app.bucket.admit(token):
        return failure(429)
    faulted = await _faulted(request, app)
    if faulted is not None:
        return faulted
    if not token or not hmac.compare_digest(token.encode(), app.access_token.encode()):
        return failure(401)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return failure(400)  # the document marks Content-Type: application/json required
    try:
        fields = requested_fields(request.query_params.get("fields"))
    except ValueError:
        return failure(400)
    shop = await run_in_threadpool(_shop, app)
    if shop.get("state") != ACTIVE_STATE:
        return failure(404)
    return _answer({"shop": {name: shop.get(name) for name in fields} if fields else shop})


async def _faulted(request: Request, app: ShoplazzaApp) -> Response | None:
    decision = app.faults.before_request()
    await injected_latency(request, decision)
    match decision.outcome:
        case Outcome.DROP:
            return await drop_connection(request)
        case Outcome.RATE_LIMITED:
            return failure(429)
        case Outcome.ERROR:
            return failure(500)
    forced = app.forced.take()
    return None if forced is None else failure(forced)


def _merge(conn: sqlite3.Connection, facts: dict[str, Any]) -> None:
    db.replace(conn, "shop", "shop", {**(db.find(conn, "shop", "shop") or {}), **facts})


async def _facts(request: Request) -> dict[str, Any] | Response:
    """The PUT body's shop facts, or the 400/413 that refuses it (limits.parse_object's checks)."""
    try:
        facts = limits.parse_object(await limits.read_body(request), parse_float=float)
        json.dumps(facts, allow_nan=False)  # 1e999 parses as an infinite float, which no answer can carry
    except limits.Malformed as exc:
        return JSONResponse({"error": str(exc)}, exc.status)
    except ValueError:
        return JSONResponse({"error": "a number in the body is too large for a JSON answer"}, 400)
    return facts


async def shop_route(request: Request) -> Response:
    """GET: the shop's facts; PUT: change some of them (documented fields only). Loopback clients only."""
    refused = loopback_only(request)
    if refused:
        return refused
    app: ShoplazzaApp = request.app
    if request.method == "PUT":
        facts = await _facts(request)
        if isinstance(facts, Response):
            return facts
        unknown = unknown_facts(facts)
        if unknown:
            return JSONResponse({"error": f"not shop fields: {', '.join(unknown)}"}, 422)
        await run_in_threadpool(app.records.write, lambda conn: _merge(conn, facts))
    return JSONResponse(await run_in_threadpool(_shop, app))


def create_app(
    db_path: str | Path,
    access_token: str = DEFAULT_ACCESS_TOKEN,
    faults: FaultConfig | None = None,
    shop: dict[str, Any] | None = None,
    bucket: LeakyBucket | None = None,
) -> ShoplazzaApp:
    """A Shoplazza sandbox kept in `db_path`; a new file starts with `shop` (default: the document's example)."""
    app = ShoplazzaApp(
        routes=[
            Route("/__sandbox/stats", stats, methods=["GET"]),
            Route("/__sandbox/stats/reset", stats_reset, methods=["POST"]),
            Route("/__sandbox/faults", faults_route, methods=["GET", "POST"]),
            Route("/__sandbox/answers", answers_route, methods=["GET", "POST", "DELETE"]),
            Route("/__sandbox/shop", shop_route, methods=["GET", "PUT"]),
            Route("/{path:path}", api, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ]
    )
    app.records = db.RecordStore(db_path, ("shop",))
    app.records.write(lambda conn: None if db.count(conn, "shop") else _merge(conn, shop or EXAMPLE_SHOP))
    app.access_token = access_token
    app.bucket = bucket or LeakyBucket()
    app.stats = Stats()
    app.faults = FaultInjector(faults)
    app.forced = ForcedAnswers(frozenset(ERRORS) - {429})
    return app
