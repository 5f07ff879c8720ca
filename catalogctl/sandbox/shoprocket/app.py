"""The Shoprocket v1 sandbox: `POST /v1/stores`, `POST /v1/user`, and the `/__sandbox/` admin routes.

The document lists error codes but no error body; the sandbox answers errors in the success
envelope's shape, `{"status": <code>, "message": "...", "data": null}`, with `errors` per field
for a refused request (400). A store's subdomain and a user's email are unique, case-insensitively.
"""

from __future__ import annotations

import hmac
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from catalogctl.sandbox import limits
from catalogctl.sandbox.faults import FaultConfig, FaultInjector, Outcome
from catalogctl.sandbox.groovekart.app import SandboxApp, drop_connection, faults_route, stats, stats_reset
from catalogctl.sandbox.shared import held, injected_latency
from catalogctl.sandbox.shoprocket import db, records
from catalogctl.sandbox.shoprocket.forced import ForcedAnswers, answers_route
from catalogctl.sandbox.shoprocket.rules import STORE_PARAMS, USER_PARAMS, Param, problems
from catalogctl.sandbox.stats import Stats

DEFAULT_API_KEY = "sandbox-api-key"
MEANINGS = {  # the document's error table, word for word
    400: "Bad Request -- Your request is invalid.",
    401: "Unauthorised -- Your API key is wrong.",
    403: "Forbidden -- The object requested is hidden for administrators only.",
    404: "Not Found -- The specified object could not be found.",
    405: "Method Not Allowed -- You tried to access a object with an invalid method.",
    406: "Not Acceptable -- You requested a format that isn't json.",
    410: "Gone -- The object requested has been removed from our servers.",
    429: "Too Many Requests -- You're requesting too many objects",
    500: "Internal Server Error -- We had a problem with our server. Try again later.",
    503: "Service Unavailable -- We're temporarily offline for maintenance. Please try again later.",
}
MAX_FORM_FIELDS = 1000  # PHP's max_input_vars
_REASONS = {400: "Bad Request", 408: "Request Timeout", 413: "Payload Too Large"}
_CALLS = {"/v1/stores": "stores.create", "/v1/user": "user.create"}


class ShoprocketApp(SandboxApp):
    records: db.RecordStore
    api_key: str
    forced: ForcedAnswers


def failure(status: int, message: str | None = None, errors: dict[str, list[str]] | None = None) -> Response:
    body: dict[str, Any] = {"status": status, "message": message or MEANINGS[status], "data": None}
    if errors:
        body["errors"] = errors
    headers = {"Retry-After": "1"} if status == 429 else None
    return JSONResponse(body, status, headers)


def _success(message: str, key: str, record: dict[str, Any]) -> Response:
    return JSONResponse({"status": 200, "message": message, "data": {key: record}})


def _accepts_json(request: Request) -> bool:
    accept = request.headers.get("accept", "*/*").lower()
    return any(kind.split(";")[0].strip() in ("*/*", "application/*", "application/json") for kind in accept.split(","))


async def _params(request: Request) -> dict[str, Any] | Response:
    """The body as JSON or form fields (the document shows both), or the 400/413 answer that refuses it:
    read up to 8 MiB, JSON within limits.parse_object's checks, at most 1,000 form fields."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        raw = await limits.read_body(request)
        if kind == "application/json" and raw.strip():
            return limits.parse_object(raw)
        if kind == "application/x-www-form-urlencoded":
            if raw.count(b"&") >= MAX_FORM_FIELDS:
                raise limits.Malformed(f"The request body has more than {MAX_FORM_FIELDS:,} form fields.", 413)
            return dict(parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=bool(raw)))
    except limits.Malformed as exc:
        return failure(exc.status, f"{_REASONS[exc.status]} -- {exc}")
    except (ValueError, UnicodeDecodeError):
        pass
    return failure(400, "Bad Request -- the body must be a JSON object or form fields.")


def _authorised(request: Request, key: str) -> bool:
    given = request.headers.get("sr_auth", "")
    return bool(given) and hmac.compare_digest(given.encode(), key.encode())


@held
async def api(request: Request) -> Response:
    app: ShoprocketApp = request.app
    call = _CALLS.get(request.url.path)
    if call is None:
        return failure(404)
    if request.method != "POST":
        return failure(405)
    app.stats.record(call, mutating=True)
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
    if forced is not None:
        return failure(forced)
    if not _accepts_json(request):
        return failure(406)
    if not _authorised(request, app.api_key):
        return failure(401)
    params = await _params(request)
    if isinstance(params, Response):
        return params
    return await _create(request, app, call, params)


async def _create(request: Request, app: ShoprocketApp, call: str, params: dict[str, Any]) -> Response:
    table: tuple[Param, ...] = STORE_PARAMS if call == "stores.create" else USER_PARAMS
    refused = problems(table, params)
    if refused:
        return failure(400, "The given data was invalid.", refused)
    outcome = app.faults.before_mutation()
    if outcome is Outcome.FAIL_BEFORE_WRITE:
        return failure(500)
    writer = _write_store if call == "stores.create" else _write_user
    answer = await run_in_threadpool(app.records.write, lambda conn: writer(conn, params))
    if outcome is Outcome.FAIL_AFTER_COMMIT:
        return await drop_connection(request) if app.faults.config.after_commit == "drop" else failure(500)
    return answer


def _write_store(conn: sqlite3.Connection, params: dict[str, Any]) -> Response:
    subdomain = params.get("subdomain") or records.random_subdomain()
    if db.find(conn, "store", subdomain) is not None:
        return failure(400, "The given data was invalid.", {"subdomain": ["The subdomain has already been taken."]})
    record = db.insert(conn, "store", subdomain, lambda new_id: records.store_record(new_id, params, subdomain))
    return _success("Your store is saved successfully.", "store", record)


def _write_user(conn: sqlite3.Connection, params: dict[str, Any]) -> Response:
    if db.find(conn, "user", params["email"]) is not None:
        return failure(400, "The given data was invalid.", {"email": ["The email has already been taken."]})
    referrer = params.get("referrer")
    if referrer and not _referral_exists(conn, referrer):
        return failure(400, "The given data was invalid.", {"referrer": ["The selected referrer is invalid."]})
    record = db.insert(conn, "user", params["email"], lambda new_id: records.user_record(new_id, params))
    return _success("User registered successfully.", "user", record)


def _referral_exists(conn: sqlite3.Connection, code: str) -> bool:
    row = conn.execute("SELECT 1 FROM user WHERE json_extract(record, '$.referral_code') = ?", (code,)).fetchone()
    return row is not None


def create_app(db_path: str | Path, api_key: str = DEFAULT_API_KEY, faults: FaultConfig | None = None) -> ShoprocketApp:
    """A Shoprocket sandbox kept in the SQLite file `db_path`, accepting `sr_auth: <api_key>`."""
    app = ShoprocketApp(
        routes=[
            Route("/__sandbox/stats", stats, methods=["GET"]),
            Route("/__sandbox/stats/reset", stats_reset, methods=["POST"]),
            Route("/__sandbox/faults", faults_route, methods=["GET", "POST"]),
            Route("/__sandbox/answers", answers_route, methods=["GET", "POST", "DELETE"]),
            Route("/{path:path}", api, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ]
    )
    app.records = db.RecordStore(db_path, ("store", "user"))
    app.api_key = api_key
    app.stats = Stats()
    app.faults = FaultInjector(faults)
    app.forced = ForcedAnswers(frozenset(MEANINGS))
    return app
