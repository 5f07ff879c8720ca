"""An HTTP/1.1 protocol that gives each request a deadline: a client that has not sent its whole
request (head and body) within REQUEST_TIMEOUT_S of the server waiting for it gets a 408 and the
connection is closed.

uvicorn has no such timeout: its keep-alive timer only runs between requests and any byte resets
it, so a partial head or a body shorter than its Content-Length held a connection forever. A PHP
store sits behind a web server that cuts such clients off (nginx's client_header_timeout and
client_body_timeout); this is the sandbox's version, one deadline per request that arriving bytes
do not extend (a byte every few seconds is how a slow client holds a connection).

A request head longer than h11's limit (16 KiB, `h11_max_incomplete_event_size`) answers 400 however it
arrives: h11 itself refuses only a head it has not yet seen the end of, so one that came whole in one
read (a single send on loopback) was served. The web server in front of a PHP store refuses it (nginx's
large_client_header_buffers: 8 KiB a line).
"""

from __future__ import annotations

import asyncio
import json
import re

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from catalogctl.sandbox.one_write import HeadWithBody

REQUEST_TIMEOUT_S = 20.0
CLIENT_OWES = (h11.IDLE, h11.SEND_BODY)  # the client still owes (part of) a request
_INVALID = "Invalid HTTP request received."   # uvicorn's words for a request h11 refuses
# h11's own default and its end-of-head pattern, written here rather than imported from its private modules:
# this protocol is what serve.py falls back to for an h11 it was not checked with, so it imports with any.
_HEAD_LIMIT = 16 * 1024
_HEAD_END = re.compile(b"\n\r?\n")
_LINGER_S = 2.0   # after a 400 for a head too long: how long the client's remaining bytes are read and dropped


def timeout_answer(seconds: float) -> bytes:
    body = json.dumps({"error": f"The request did not arrive in full within {seconds:g} s; the connection is closed."})
    return (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
            b"content-length: %d\r\n\r\n%s" % (len(body), body.encode()))


class RequestDeadline:
    """The request deadline's timer, for a protocol with a `loop`: `_expired` runs `request_timeout_s` (a class
    attribute) after `_arm`, unless `_disarm` came first."""

    request_timeout_s: float = REQUEST_TIMEOUT_S
    _deadline: asyncio.TimerHandle | None = None
    loop: asyncio.AbstractEventLoop

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.request_timeout_s, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        raise NotImplementedError


class DeadlineProtocol(RequestDeadline, H11Protocol):
    """uvicorn's h11 protocol plus the request deadline (`request_timeout_s`, a class attribute)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    _refused = False   # a head too long was answered 400: what still comes is read and dropped

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        super().data_received(data)
        if self.conn.their_state not in CLIENT_OWES:  # the whole request is in: the app's time is its own
            self._disarm()

    def handle_events(self) -> None:
        if self.conn.their_state is h11.IDLE and self._head_too_long():
            self._refuse_long_head()
            return
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle and self.cycle is not None:  # a new request: its answer's head and body in one write
            self.cycle.transport = HeadWithBody(self.transport, self.cycle, self.loop)  # type: ignore[assignment]

    def _refuse_long_head(self) -> None:
        self.logger.warning(_INVALID)
        self.send_400_response(_INVALID)   # as uvicorn answers a head h11 refuses

    def send_400_response(self, msg: str) -> None:
        """uvicorn's 400 (for every request h11 refuses, and for a head too long), then a gentle close: the
        client's next bytes (its body, sent after the head) would otherwise meet a closed socket, whose reset
        can reach the client before the 400 (104 of 300 httpx requests on loopback read a reset instead). So
        the answer is followed by our end of the stream only, what still comes is dropped, and the connection
        closes when the client closes it or after _LINGER_S."""
        self._refused = True
        self._disarm()
        transport = self.transport
        self.transport = _Lingering(transport, self.loop)  # type: ignore[assignment]
        try:
            super().send_400_response(msg)
        finally:
            self.transport = transport

    def _head_too_long(self) -> bool:
        """The next request's head is whole in the buffer and longer than the limit."""
        received = self.conn.trailing_data[0]
        limit = self.config.h11_max_incomplete_event_size or _HEAD_LIMIT
        if len(received) <= limit:
            return False
        end = _HEAD_END.search(received)
        return end is not None and end.end() > limit

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing():
            self._disarm()
        elif self.conn.their_state in CLIENT_OWES:  # the next request's deadline, also one pipelined and still short
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state not in CLIENT_OWES:
            return
        if self.flow.read_paused:  # the server stopped reading (the app is busy): not the client's delay
            self._arm()
            return
        not_started = self.cycle is not None and not self.cycle.response_started
        if not_started:
            self.cycle.disconnected = True  # the app's receive() sees the disconnect; its answer is dropped
            self.cycle.message_event.set()
        partial_head = self.conn.their_state is h11.IDLE and bool(self.conn.trailing_data[0])
        if partial_head or (self.conn.their_state is h11.SEND_BODY and not_started):
            self.transport.write(timeout_answer(self.request_timeout_s))
        self.transport.close()


class _Lingering:
    """A transport whose close() ends our side of the stream and closes the connection _LINGER_S later."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport, self._loop = transport, loop

    def write(self, data: bytes) -> None:
        self._transport.write(data)

    def close(self) -> None:
        transport = self._transport
        if transport.can_write_eof():
            transport.write_eof()
        self._loop.call_later(_LINGER_S, transport.close)

    def __getattr__(self, name: str) -> object:
        return getattr(self._transport, name)


def with_timeout(seconds: float) -> type[DeadlineProtocol]:
    """The protocol class for a server whose requests must arrive within `seconds`."""
    return type("DeadlineProtocol", (DeadlineProtocol,), {"request_timeout_s": seconds})
