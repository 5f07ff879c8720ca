"""What every sandbox app shares: the app class that can drop its connection, the loopback-only
admin routes (`/__sandbox/stats`, `/__sandbox/faults`) and the late commits a fault schedules."""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from catalogctl.sandbox import limits
from catalogctl.sandbox.faults import Decision, FaultConfig, FaultInjector
from catalogctl.sandbox.latency import inject_latency
from catalogctl.sandbox.stats import Stats

TRANSPORT_KEY = "catalogctl.sandbox.transport"
_ANSWER_DUE_KEY = "catalogctl.sandbox.answer_due"   # monotonic time before which the answer may not leave
_TAKEN_KEY = "catalogctl.sandbox.taken"   # monotonic time at which `held` took the request up
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


class LateCommits:
    """Writes a fault holds back after their answer was lost; each lands `delay_s` later."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self.landed = 0

    def schedule(self, delay_s: float, write: Callable[[], Awaitable[Any]]) -> None:
        async def later() -> None:
            await asyncio.sleep(delay_s)
            await write()
            self.landed += 1

        task = asyncio.get_running_loop().create_task(later())
        self._tasks.add(task)  # a task nobody references may be collected before it runs
        task.add_done_callback(self._tasks.discard)

    @property
    def pending(self) -> int:
        return len(self._tasks)


class SandboxApp(Starlette):
    """A Starlette app that remembers the server's transport, so a fault can drop the connection."""

    stats: Stats
    faults: FaultInjector
    late_commits: LateCommits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        transport = getattr(getattr(send, "__self__", None), "transport", None)  # uvicorn's cycle
        if transport is not None:
            scope[TRANSPORT_KEY] = transport
        await super().__call__(scope, receive, send)


async def injected_latency(request: Request, decision: Decision) -> None:
    """The request's injected latency, waited here before the store's work; with `latency_includes_work`
    only noted, and waited out after the work, before the answer (`rest_of_latency`: `held` and
    `drop_connection` call it), so that the answer leaves `latency_ms` after the handler took the request up
    (`held`), its reading and checks included."""
    if not decision.delay_s:
        return
    if decision.after_work:
        taken = request.scope.get(_TAKEN_KEY)
        request.scope[_ANSWER_DUE_KEY] = (time.monotonic() if taken is None else taken) + decision.delay_s
    else:
        await inject_latency(decision.delay_s)


async def rest_of_latency(request: Request) -> None:
    """What is left of a latency `injected_latency` put after the work (nothing once waited, or past due)."""
    due = request.scope.pop(_ANSWER_DUE_KEY, None)
    if due is not None:
        await inject_latency(due - time.monotonic())


async def drop_connection(request: Request) -> Response:
    """Close the connection without answering (over HTTP) or raise what httpx raises then (in-process),
    once the request's latency is over."""
    await rest_of_latency(request)
    transport = request.scope.get(TRANSPORT_KEY)
    if transport is None:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
    transport.abort()
    for _ in range(3):  # let the server notice the loss, so it sends nothing and logs nothing
        await asyncio.sleep(0)
    return Response(status_code=500)


Endpoint = Callable[[Request], Awaitable[Response]]


def held(handler: Endpoint) -> Endpoint:
    """`handler`, its answer sent once the request's latency is over, with its time from start to answer
    added to its app's Stats (held_s)."""
    @functools.wraps(handler)
    async def timed(request: Request) -> Response:
        started = time.perf_counter()
        request.scope[_TAKEN_KEY] = time.monotonic()
        try:
            try:
                answer = await handler(request)
            except Exception:
                await rest_of_latency(request)   # a bug's 500 too is answered when the latency is over
                raise
            await rest_of_latency(request)
            return answer
        finally:
            request.app.stats.hold(time.perf_counter() - started)
    return timed


def loopback_only(request: Request) -> Response | None:
    if request.client is not None and request.client.host not in _LOOPBACK:
        return JSONResponse({"error": "admin routes answer loopback clients only"}, 403)
    return None


async def stats(request: Request) -> Response:
    return loopback_only(request) or JSONResponse(request.app.stats.snapshot())


async def late_commits_route(request: Request) -> Response:
    """How many held-back writes are still to land, and how many landed (tests wait on it)."""
    late: LateCommits = request.app.late_commits
    return loopback_only(request) or JSONResponse({"pending": late.pending, "landed": late.landed})


async def stats_reset(request: Request) -> Response:
    refused = loopback_only(request)
    if refused:
        return refused
    request.app.stats.reset()
    return JSONResponse(request.app.stats.snapshot())


async def admin_body(request: Request) -> bytes | Response:
    """An admin route's body once it is a JSON object within the API's limits (`{}` when empty), or
    the 400/413 that refuses it: pydantic's own parser takes `NaN` and reads any size."""
    try:
        raw = await limits.read_body(request)
        limits.parse_object(raw)
    except limits.Malformed as exc:
        return JSONResponse({"error": str(exc)}, exc.status)
    return raw if raw.strip() else b"{}"


async def faults_route(request: Request) -> Response:
    refused = loopback_only(request)
    if refused:
        return refused
    if request.method == "POST":
        raw = await admin_body(request)
        if isinstance(raw, Response):
            return raw
        try:
            config = FaultConfig.model_validate_json(raw)
        except ValidationError as exc:
            detail = json.loads(exc.json(include_input=False))  # the input may hold 1e999: no JSON answer
            return JSONResponse({"error": "invalid fault config", "detail": detail}, 422)
        request.app.faults.configure(config)
    return JSONResponse(request.app.faults.config.model_dump())
