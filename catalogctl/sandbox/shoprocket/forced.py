"""Documented error statuses on demand: `POST /__sandbox/answers {"status": 503, "count": 1}`.

Some documented answers (403 hidden object, 410 gone, 503 maintenance, Shoplazza's 520) have no
request that provokes them in an emulator; tests and users queue them here, so a client's
handling of every documented status can be exercised over real HTTP. Loopback clients only.
"""

from __future__ import annotations

import json
import threading
from collections import deque

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from catalogctl.sandbox.shared import admin_body, loopback_only


class ForcedAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: int = Field(description="a status the API documents")
    count: int = Field(1, ge=1, le=1000, description="how many following API requests answer it")


class ForcedAnswers:
    """A queue of statuses the next API requests answer, limited to the ones the API documents."""

    def __init__(self, documented: frozenset[int]) -> None:
        self.documented = documented
        self._lock = threading.Lock()
        self._queue: deque[int] = deque()

    def push(self, answer: ForcedAnswer) -> None:
        with self._lock:
            self._queue.extend([answer.status] * answer.count)

    def take(self) -> int | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def pending(self) -> list[int]:
        with self._lock:
            return list(self._queue)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()


async def answers_route(request: Request) -> Response:
    """GET: the queued statuses; POST: queue one ({} or a DELETE clears the queue)."""
    refused = loopback_only(request)
    if refused:
        return refused
    forced: ForcedAnswers = request.app.forced
    if request.method == "DELETE":
        forced.clear()
    elif request.method == "POST":
        raw = await admin_body(request)
        if isinstance(raw, Response):
            return raw
        try:
            answer = ForcedAnswer.model_validate_json(raw)
        except ValidationError as exc:
            detail = json.loads(exc.json(include_url=False, include_input=False))  # the input may hold 1e999
            return JSONResponse({"error": "invalid answer", "detail": detail}, 422)
        if answer.status not in forced.documented:
            return JSONResponse({"error": f"{answer.status} is not a documented status",
                                 "documented": sorted(forced.documented)}, 422)
        forced.push(answer)
    return JSONResponse({"pending": forced.pending()})
