"""The sandbox's HTTP/1.1 protocol: uvicorn's h11 protocol (with the request deadline and the one-write
answer, deadline.py) for everything, minus h11's per-event Python for the plain requests a client sends.

h11 parses a request head line by line in Python and walks its state machine per event: with uvicorn's
protocol around it, ~0.55 million instructions a request of the sandbox's ~2.9 million (issue 13: the
sandbox's CPU lengthens every round trip). This protocol answers a *plain* request itself, the same way
to the byte: an HTTP/1.1 head that h11's own regular expressions take (`request_line_re`,
`header_field_re`), ending in CRLF CRLF, with exactly one Host, at most one Content-Length of digits, no
Transfer-Encoding, Expect or Upgrade, no Connection but `keep-alive`, not HEAD or CONNECT, at most 8 KiB;
and a plain answer: a Content-Length, no Transfer-Encoding or Host, a Connection of `close` at most,
names and values h11 takes, a status of 200-599 but 204 and 304.

Anything else goes to h11, at the point where it became anything else, with what h11 would hold then:
- a request head that is not plain (a bad one included: h11 refuses it as before, with its 400) hands
  the connection over to DeadlineProtocol between two requests, with the bytes received since the last
  request, the deadline running as it was, and h11 told the peer's HTTP version (it frames its 400 so);
- an answer that is not plain (a stream, uvicorn's own 500) hands it over mid-request: a new h11
  connection is given the request's head and as many body bytes as arrived, and h11 sends the answer.
The keep-alive timer, the request deadline (408 for a partial head or body, the gap uvicorn's h11
protocol leaves for a pipelined request included), flow control and pipelining follow uvicorn's h11
protocol step for step.
"""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any
from urllib.parse import unquote

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from h11._receivebuffer import blank_line_regex
from uvicorn.config import Config
from uvicorn.protocols.http.flow_control import HIGH_WATER_LIMIT, FlowControl, service_unavailable
from uvicorn.protocols.utils import get_local_addr, get_remote_addr, is_ssl
from uvicorn.server import ServerState

from catalogctl.sandbox.deadline import CLIENT_OWES, DeadlineProtocol, RequestDeadline, timeout_answer
from catalogctl.sandbox.one_write import HeadWithBody
from catalogctl.sandbox.plain_cycle import PlainCycle
from catalogctl.sandbox.plain_heads import MAX_PLAIN_HEAD, PlainRequest, plain_request

# Where a connection is, as h11 tracks the client: no request yet (a partial head may be in the buffer),
# a request whose body is still arriving, a whole request (what follows waits), handed to h11.
_IDLE, _BODY, _DONE, _HANDED = 0, 1, 2, 3


class PlainProtocol(RequestDeadline, asyncio.Protocol):
    """uvicorn's h11 protocol plus the request deadline, with h11 left out of plain requests (see above).

    `request_timeout_s` is a class attribute, as DeadlineProtocol's; `fallback` is the DeadlineProtocol
    class a connection is handed to."""

    fallback: type[DeadlineProtocol] = DeadlineProtocol

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        if not config.loaded:
            config.load()
        self.config = config
        self.app = config.loaded_app
        self.loop = _loop or asyncio.get_event_loop()
        self.logger = _LOGGER
        self.access_logger = _ACCESS_LOGGER
        self.access_log = _ACCESS_LOGGER.hasHandlers()
        self.root_path = config.root_path
        self.asgi_version = config.asgi_version
        self.limit_concurrency = config.limit_concurrency
        self.app_state = app_state
        self.timeout_keep_alive_task: asyncio.TimerHandle | None = None
        self.timeout_keep_alive = config.timeout_keep_alive
        self.server_state = server_state
        self.connections = server_state.connections
        self.tasks = server_state.tasks
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.flow: FlowControl = None  # type: ignore[assignment]
        self.server: tuple[str, int | None] | None = None
        self.client: tuple[str, int] | None = None
        self.scheme = "http"
        self.cycle: PlainCycle | None = None
        self._state = _IDLE
        self._buffer = b""
        self._head = b""  # the request's head with its blank line, while it is in flight
        self._received = 0  # the request's body bytes so far
        self._left = 0  # the request's body bytes still to come
        self._served = False  # an HTTP/1.1 request was read here (h11 frames its 400 by the peer's version)
        self._deadline: asyncio.TimerHandle | None = None

    # Protocol interface

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.connections.add(self)
        self.transport = transport
        self.flow = FlowControl(transport)
        self.server = get_local_addr(transport)
        self.client = get_remote_addr(transport)
        self.scheme = "https" if is_ssl(transport) else "http"
        if self.access_log or self.logger.level <= _TRACE:  # what h11's protocol logs, it logs itself
            self._hand_over(b"", fresh=True)
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.connections.discard(self)
        cycle = self.cycle
        if cycle is not None:
            if not cycle.response_complete:
                cycle.disconnected = True
            cycle.message_event.set()
        if self.flow is not None:
            self.flow.resume_writing()
        if exc is None:
            self.transport.close()
            self._unset_keepalive_if_required()

    def eof_received(self) -> None:
        pass

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        self._buffer += data
        self._read(from_response=False)
        if self._state == _DONE:  # the whole request is in: the app's time is its own
            self._disarm()

    def _read(self, from_response: bool) -> None:
        """Take what the buffer holds, as h11's protocol handles its events."""
        while True:
            state = self._state
            if state == _IDLE:
                buffer = self._buffer
                if not buffer:
                    return
                match = blank_line_regex.search(buffer)
                if buffer[0] < 0x21 or (match is None and len(buffer) > MAX_PLAIN_HEAD) or (
                        match is not None and (match.start() == 0 or buffer[match.start() - 1] != 0x0D
                                               or match.end() - match.start() != 3)):
                    self._hand_over(buffer, from_response=from_response)
                    return
                if match is None:
                    return
                end = match.end()
                plain = plain_request(buffer[:end - 4]) if end <= MAX_PLAIN_HEAD else None
                if plain is None:
                    self._hand_over(buffer, from_response=from_response)
                    return
                self._head = buffer[:end]
                self._buffer = buffer[end:]
                self._start(plain)
                self._state = _BODY
                self._left = plain.length
                self._received = 0
            elif state == _BODY:
                cycle = self.cycle
                assert cycle is not None
                if self._left and self._buffer:
                    chunk = self._buffer[:self._left]
                    self._buffer = self._buffer[len(chunk):]
                    self._left -= len(chunk)
                    self._received += len(chunk)
                    if not self._answered(cycle):
                        cycle.body += chunk
                        if len(cycle.body) > HIGH_WATER_LIMIT:
                            self.flow.pause_reading()
                        cycle.message_event.set()
                if self._left:
                    return
                if self._answered(cycle):  # answered before its body was in: the body's end starts the next
                    self.transport.resume_reading()
                    self._state = _IDLE
                    continue
                cycle.more_body = False
                cycle.message_event.set()
                self._state = _DONE
            elif state == _DONE:
                if self._buffer:  # a pipelined request waits for this one's answer
                    self.flow.pause_reading()
                return
            else:
                return

    @staticmethod
    def _answered(cycle: PlainCycle) -> bool:
        """h11's `our_state is DONE`: the answer went out whole and the connection stays."""
        return cycle.response_complete and not cycle._close and cycle.keep_alive and not cycle._failed

    def _start(self, plain: PlainRequest) -> None:
        self._unset_keepalive_if_required()
        self._served = True
        raw_path, _, query_string = plain.target.partition(b"?")
        path = unquote(raw_path.decode("ascii"))
        scope = {
            "type": "http",
            "asgi": {"version": self.asgi_version, "spec_version": "2.3"},
            "http_version": "1.1",
            "server": self.server,
            "client": self.client,
            "scheme": self.scheme,
            "method": plain.method.decode("ascii"),
            "root_path": self.root_path,
            "path": self.root_path + path,
            "raw_path": self.root_path.encode("ascii") + raw_path,
            "query_string": query_string,
            "headers": plain.headers,
            "state": self.app_state.copy(),
        }
        if self.limit_concurrency is not None and (
            len(self.connections) >= self.limit_concurrency or len(self.tasks) >= self.limit_concurrency
        ):
            app = service_unavailable
            self.logger.warning("Exceeded concurrency limit.")
        else:
            app = self.app
        cycle = PlainCycle(scope, self, asyncio.Event())
        cycle.transport = HeadWithBody(self.transport, cycle, self.loop)  # type: ignore[assignment]
        self.cycle = cycle
        if self.config.reset_contextvars:
            task = self.loop.create_task(cycle.run_asgi(app), context=contextvars.Context())
        else:
            task = self.loop.create_task(cycle.run_asgi(app))
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)

    def on_response_complete(self) -> None:
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            self._disarm()
            return
        self._unset_keepalive_if_required()
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)
        self.flow.resume_reading()
        if self._state == _DONE:  # both sides done: the next request, if it is in already
            self._state = _IDLE
            self._read(from_response=True)
        if self._state == _HANDED:
            return
        if self.transport.is_closing():
            self._disarm()
        elif self._state in (_IDLE, _BODY):  # the next request's deadline, also one pipelined and still short
            self._arm()

    def shutdown(self) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()
        else:
            self.cycle.keep_alive = False

    def pause_writing(self) -> None:
        self.flow.pause_writing()  # pragma: no cover - as uvicorn's

    def resume_writing(self) -> None:
        self.flow.resume_writing()  # pragma: no cover - as uvicorn's

    def timeout_keep_alive_handler(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def _unset_keepalive_if_required(self) -> None:
        if self.timeout_keep_alive_task is not None:
            self.timeout_keep_alive_task.cancel()
            self.timeout_keep_alive_task = None

    # The request deadline, as DeadlineProtocol keeps it

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self._state not in (_IDLE, _BODY):
            return
        if self.flow.read_paused:  # the server stopped reading (the app is busy): not the client's delay
            self._arm()
            return
        cycle = self.cycle
        not_started = cycle is not None and not cycle.response_started
        if not_started:
            assert cycle is not None
            cycle.disconnected = True  # the app's receive() sees the disconnect; its answer is dropped
            cycle.message_event.set()
        partial_head = self._state == _IDLE and bool(self._buffer)
        if partial_head or (self._state == _BODY and not_started):
            self.transport.write(timeout_answer(self.request_timeout_s))
        self.transport.close()

    # Handing the connection over to h11

    def _successor(self) -> DeadlineProtocol:
        """h11's protocol for this connection, where this one stands (not yet the transport's)."""
        successor = self.fallback(config=self.config, server_state=self.server_state, app_state=self.app_state,
                                  _loop=self.loop)
        successor.transport = self.transport
        successor.flow = self.flow
        successor.server, successor.client, successor.scheme = self.server, self.client, self.scheme  # type: ignore[assignment]
        successor.cycle = self.cycle  # type: ignore[assignment]
        successor.timeout_keep_alive_task = self.timeout_keep_alive_task
        self.timeout_keep_alive_task = None
        if self._deadline is not None:
            successor._deadline = self.loop.call_at(self._deadline.when(), successor._expired)
            self._disarm()
        self.connections.discard(self)
        self.connections.add(successor)
        self._state = _HANDED
        self.transport.set_protocol(successor)
        return successor

    def _hand_over(self, buffer: bytes, from_response: bool = False, fresh: bool = False) -> None:
        """Between two requests: h11 takes the connection with the bytes received since the last one."""
        if fresh:
            self.connections.discard(self)
            successor = self.fallback(config=self.config, server_state=self.server_state,
                                      app_state=self.app_state, _loop=self.loop)
            self._state = _HANDED
            self.transport.set_protocol(successor)
            successor.connection_made(self.transport)
            return
        successor = self._successor()
        self._buffer = b""
        if self._served:
            successor.conn.their_http_version = b"1.1"
        if not from_response:
            successor.data_received(buffer)
            return
        # As in DeadlineProtocol.on_response_complete: the buffered bytes are read, then the deadline armed.
        successor.conn.receive_data(buffer)
        successor.handle_events()
        if self.transport.is_closing():
            successor._disarm()
        elif successor.conn.their_state in CLIENT_OWES:
            successor._arm()

    def hand_over_answer(self, cycle: PlainCycle) -> None:
        """Mid-request, for an answer h11 must send: h11 reads the request as far as it has arrived."""
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.config.h11_max_incomplete_event_size
                              or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE)
        conn.receive_data(self._head)
        if self._received:
            conn.receive_data(b"\0" * self._received)  # h11 counts a body's bytes, their value is the app's
        while conn.next_event() not in (h11.NEED_DATA, h11.PAUSED):
            pass
        successor = self._successor()
        successor.conn = conn
        successor.scope = cycle.scope
        successor.headers = cycle.scope["headers"]
        if self._buffer:
            conn.receive_data(self._buffer)
            self._buffer = b""
        cycle.conn = conn
        cycle.on_response = successor.on_response_complete


def plain_protocol(seconds: float) -> type[PlainProtocol]:
    """The protocol class for a server whose requests must arrive within `seconds`."""
    fallback = type("DeadlineProtocol", (DeadlineProtocol,), {"request_timeout_s": seconds})
    return type("PlainProtocol", (PlainProtocol,), {"request_timeout_s": seconds, "fallback": fallback})


def _loggers() -> tuple[Any, Any, int]:
    import logging

    from uvicorn.logging import TRACE_LOG_LEVEL
    return logging.getLogger("uvicorn.error"), logging.getLogger("uvicorn.access"), TRACE_LOG_LEVEL


_LOGGER, _ACCESS_LOGGER, _TRACE = _loggers()
