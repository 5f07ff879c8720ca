"""A lean HTTP/1.1 transport for plain http to a loopback server (`catalogctl sandbox serve`).

httpx's default transport (httpcore over anyio) cost about 1 ms of CPU per request here, more
than all the rest of an apply's work per request: it pays for TLS, HTTP/2, proxies and trio,
and its pool re-checks every connection on every request. A loopback server needs none of it,
so for `http://` to a loopback address the client uses this transport instead: keep-alive
connections over asyncio's protocol API, one write per request, about 0.1 ms per request.
Every other url keeps httpx's own transport. Failures are the httpx exceptions httpcore raises
in the same cases, so the client's retry rules see no difference.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from typing import cast

import httpx

from catalogctl.http.answer import MAX_HEAD, Answer, LeanResponse, read_answer
from catalogctl.http.url import is_loopback

KEEPALIVE_EXPIRY = 5.0     # seconds an idle connection is kept (httpx's default)
MAX_IDLE = 20              # idle connections kept per server (httpx's default)
DISCONNECTED = "Server disconnected without sending a response."


class Connection(asyncio.Protocol):
    """One TCP connection: what arrived, whether it ended, and a waiter for more."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.ended = False
        self.idle_since = 0.0
        self._waiter: asyncio.Future[None] | None = None
        self._paused: asyncio.Future[None] | None = None
        self._wanted = 0          # bytes the waiter waits for (`until`): arrivals short of them do not wake it
        self._arrived = 0.0       # the loop's time of the last arrival that did not wake it
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # Not an isinstance check: uvloop's TCPTransport has a Transport's methods but not its class.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) >= self._wanted:
            self._wake()
        else:
            self._arrived = asyncio.get_running_loop().time()

    def eof_received(self) -> bool:
        self.ended = True
        self._wake()
        return False   # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self._wake()
        if self._paused is not None and not self._paused.done():
            self._paused.set_result(None)

    def pause_writing(self) -> None:
        self._paused = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._paused is not None and not self._paused.done():
            self._paused.set_result(None)
        self._paused = None

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    @property
    def reusable(self) -> bool:
        """Idle, open, and nothing unasked-for arrived on it."""
        transport = self.transport
        return not self.ended and not self.buffer and transport is not None and not transport.is_closing()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    async def send(self, data: bytes, timeout: float | None, request: httpx.Request | None) -> None:
        transport = self.transport
        assert transport is not None
        # A closing transport drops the write: asyncio's own does so itself, uvloop's raises RuntimeError.
        if not transport.is_closing():
            transport.write(data)
        if self._paused is not None:
            await _within(self._paused, timeout, httpx.WriteTimeout, "writing the request timed out", request)
        if self.ended and not self.buffer:
            raise httpx.WriteError("the connection closed while the request was written", request=request)

    async def more(self, timeout: float | None, request: httpx.Request | None) -> None:
        """Wait until more bytes arrive; RemoteProtocolError when the server closed the connection."""
        if self.ended:
            raise httpx.RemoteProtocolError(DISCONNECTED if not self.buffer else "the answer was cut short",
                                            request=request)
        # _within, inline: once per answer, and a coroutine level less to pass through when it comes
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = None if timeout is None else loop.call_later(timeout, _expire, waiter, httpx.ReadTimeout,
                                                             "no answer in time", request)
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    async def until(self, size: int, timeout: float | None, request: httpx.Request | None) -> None:
        """Until the buffer holds `size` bytes, as `exactly` waits for them, but woken once rather than at each
        arrival (issue 13: a server writes an answer's head and body apart, and each wake passed through the
        request's whole chain of coroutines): "no answer in time" after `timeout` seconds without a byte, as
        each of exactly's waits has it; "the answer was cut short" when the connection ends first."""
        while len(self.buffer) < size:
            if self.ended:
                raise httpx.RemoteProtocolError("the answer was cut short", request=request)
            loop = asyncio.get_running_loop()
            waiter = self._waiter = loop.create_future()
            self._wanted, self._arrived = size, loop.time()
            if timeout is not None:
                self._timer = loop.call_later(timeout, self._quiet, waiter, timeout, request)
            try:
                await waiter
            finally:
                self._waiter, self._wanted = None, 0
                if self._timer is not None:
                    self._timer.cancel()
                    self._timer = None

    def _quiet(self, waiter: asyncio.Future[None], timeout: float, request: httpx.Request | None) -> None:
        """`until`'s timer: the timeout is up unless bytes arrived meanwhile; then it runs from the last of them."""
        loop = asyncio.get_running_loop()
        left = self._arrived + timeout - loop.time()
        if left > 0 and not waiter.done():
            self._timer = loop.call_later(left, self._quiet, waiter, timeout, request)
            return
        _expire(waiter, httpx.ReadTimeout, "no answer in time", request)

    async def exactly(self, size: int, timeout: float | None, request: httpx.Request | None) -> bytes:
        while len(self.buffer) < size:
            if self.ended:
                raise httpx.RemoteProtocolError("the answer was cut short", request=request)
            await self.more(timeout, request)
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    async def line(self, timeout: float | None, request: httpx.Request | None) -> bytes:
        return await self.through(b"\r\n", "a line of the answer is too long", timeout, request)

    async def through(self, separator: bytes, too_long: str, timeout: float | None,
                      request: httpx.Request | None) -> bytes:
        """What comes before `separator`, taken from the buffer with it; `too_long` when MAX_HEAD bytes pass first."""
        while (end := self.buffer.find(separator)) < 0:
            if len(self.buffer) > MAX_HEAD:
                raise httpx.RemoteProtocolError(too_long, request=request)
            await self.more(timeout, request)
        data = bytes(self.buffer[:end])
        del self.buffer[: end + len(separator)]
        return data


async def _within(future: asyncio.Future[None], timeout: float | None, error: type[httpx.TimeoutException],
                  message: str, request: httpx.Request | None) -> None:
    """Await `future`; `error(message)` when `timeout` seconds pass first (a timer, not a task: this is per
    read; the error is made only when it happens)."""
    if timeout is None:
        await future
        return
    timer = asyncio.get_running_loop().call_later(timeout, _expire, future, error, message, request)
    try:
        await future
    finally:
        timer.cancel()


def _expire(future: asyncio.Future[None], error: type[httpx.TimeoutException], message: str,
            request: httpx.Request | None) -> None:
    if not future.done():
        future.set_exception(error(message, request=request))


def _head(request: httpx.Request, body: bytes) -> bytes:
    """Request line and headers as sent; refuses a header that would break the message apart."""
    raw = request.headers.raw
    if "transfer-encoding" in request.headers:   # the body is read whole: send its length instead
        raw = [(k, v) for k, v in raw if k.lower() != b"transfer-encoding"] + [(b"Content-Length", b"%d" % len(body))]
    lines = [b"%s %s HTTP/1.1" % (request.method.encode("ascii"), request.url.raw_path)]
    for key, value in raw:
        if b"\r" in key or b"\n" in key or b"\r" in value or b"\n" in value or b":" in key:
            raise httpx.LocalProtocolError("a request header holds a line break or colon", request=request)
        lines.append(key + b": " + value)
    return b"\r\n".join(lines) + b"\r\n\r\n"


TRANSPORT_ENV = "CATALOGCTL_HTTP_TRANSPORT"
"""`httpx`: use httpx's own transport for loopback too, the one every real (https) store gets; the
suite runs its fault tests both ways so that path is tested over real HTTP as well."""


def transport_for(base_url: str) -> LoopbackTransport | None:
    """The lean transport for plain http to a loopback address; None (httpx's own) for anything else."""
    url = httpx.URL(base_url)
    if os.environ.get(TRANSPORT_ENV, "").strip().lower() == "httpx":
        return None
    return LoopbackTransport() if url.scheme == "http" and is_loopback(url.host) else None


class LoopbackTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 with keep-alive over plain TCP; for loopback servers only (no TLS, no proxy)."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, int], list[Connection]] = {}
        self._open: set[Connection] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme != "http":
            raise httpx.UnsupportedProtocol(f"the loopback transport speaks http only, not {url.scheme}",
                                            request=request)
        body = await request.aread()
        answer = await self.exchange((url.host, url.port or 80), _head(request, body) + body, request.method,
                                     request.extensions.get("timeout", {}), request)
        return answer.response()

    async def exchange(self, key: tuple[str, int], message: bytes, method: str, timeouts: Mapping[str, float | None],
                       request: httpx.Request | None = None) -> Answer:
        """Send one whole request message on an idle connection (or a new one) and read its answer."""
        conn = self._take(key) or await self._connect(key, timeouts.get("connect"), request)
        try:
            await conn.send(message, timeouts.get("write"), request)
            answer = await read_answer(conn, method, timeouts.get("read"), request)
        except BaseException:   # cancelled or failed half way: the connection's state is unknown
            self._discard(conn)
            raise
        if answer.keep_alive and conn.reusable:
            conn.idle_since = time.monotonic()
            self._idle.setdefault(key, []).append(conn)
            self._trim(key)
        else:
            self._discard(conn)
        return answer

    def _take(self, key: tuple[str, int]) -> Connection | None:
        idle = self._idle.get(key)
        now = time.monotonic()
        while idle:
            conn = idle.pop()   # the most recently used: the least likely to have been closed
            if conn.reusable and now - conn.idle_since < KEEPALIVE_EXPIRY:
                return conn
            self._discard(conn)
        return None

    def _trim(self, key: tuple[str, int]) -> None:
        idle = self._idle[key]
        while len(idle) > MAX_IDLE:
            self._discard(idle.pop(0))

    def _discard(self, conn: Connection) -> None:
        conn.close()
        self._open.discard(conn)

    async def _connect(self, key: tuple[str, int], timeout: float | None, request: httpx.Request | None) -> Connection:
        loop = asyncio.get_running_loop()
        try:
            _, conn = await asyncio.wait_for(loop.create_connection(Connection, *key), timeout)
        except TimeoutError:
            raise httpx.ConnectTimeout(f"connecting to {key[0]}:{key[1]} timed out", request=request) from None
        except OSError as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from None
        self._open.add(conn)
        return conn

    async def aclose(self) -> None:
        for conn in list(self._open):
            conn.close()
        self._open.clear()
        self._idle.clear()


class LeanCalls:
    """The client's own calls straight through a LoopbackTransport, without building httpx's request
    and response models for each (about 0.3 ms of CPU a request; see LeanResponse): the bytes on the
    wire are the ones httpx would send (its url and headers are taken once per call shape). No cookies
    are kept, no redirects followed: the store API sets and asks for neither."""

    def __init__(self, transport: LoopbackTransport, http: httpx.AsyncClient) -> None:
        self._transport, self._http = transport, http
        base = http.base_url
        self._key = (base.host, base.port or 80)
        timeout = http.timeout
        self._timeouts = {"connect": timeout.connect, "read": timeout.read, "write": timeout.write}
        self._heads: dict[_Shape, tuple[bytes, bytes | None]] = {}

    async def request(self, method: str, path: str, content: bytes | None,
                      headers: Mapping[str, str]) -> httpx.Response | LeanResponse:
        shape = (method, path, content is None, tuple(headers.items()))
        before, after = self._heads.get(shape) or self._head(shape)
        message = before if after is None else before + b"%d" % len(content or b"") + after + (content or b"")
        answer = await self._transport.exchange(self._key, message, method, self._timeouts)
        if b"content-encoding" not in answer.fields:
            return LeanResponse(answer)
        response = answer.response()
        await response.aread()
        return response

    def _head(self, shape: _Shape) -> tuple[bytes, bytes | None]:
        """httpx's head for this shape, split around the Content-Length value when there is a body."""
        method, path, bodiless, headers = shape
        template = self._http.build_request(method, path, content=None if bodiless else b"-", headers=dict(headers))
        head = _head(template, b"")
        parts: tuple[bytes, bytes | None] = (head, None)
        if not bodiless:
            at = head.index(_ONE_BYTE) + len(b"\r\nContent-Length: ")
            parts = (head[:at], head[at + 1:])
        self._heads[shape] = parts
        return parts


_Shape = tuple[str, str, bool, tuple[tuple[str, str], ...]]
_ONE_BYTE = b"\r\nContent-Length: 1\r\n"
