"""The answer side of the sandbox's lean protocol (fast_http.py): uvicorn's h11 request-response cycle, but a
plain answer (plain_heads.plain_head) is written by the cycle itself; any other is handed to h11 mid-request."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import h11
from uvicorn.protocols.http.h11_impl import RequestResponseCycle

from catalogctl.sandbox.plain_heads import plain_head

if TYPE_CHECKING:
    from catalogctl.sandbox.fast_http import PlainProtocol


class PlainCycle(RequestResponseCycle):
    """uvicorn's h11 cycle, writing a plain answer itself; `conn` is None until it hands over to h11."""

    def __init__(self, scope: Any, protocol: PlainProtocol, message_event: asyncio.Event) -> None:
        self.scope = scope
        self.conn = None  # type: ignore[assignment]
        self.transport = protocol.transport
        self.flow = protocol.flow
        self.logger = protocol.logger
        self.access_logger = protocol.access_logger
        self.access_log = protocol.access_log
        self.default_headers = protocol.server_state.default_headers
        self.message_event = message_event
        self.on_response = protocol.on_response_complete
        self.protocol = protocol
        self.disconnected = False
        self.keep_alive = True
        self.waiting_for_100_continue = False
        self.body = bytearray()
        self.more_body = True
        self.response_started = False
        self.response_complete = False
        self._left = 0  # bytes the answer's Content-Length still owes
        self._close = False
        self._failed = False

    async def send(self, message: Any) -> None:
        if self.conn is not None:
            return await super().send(message)
        if self.flow.write_paused and not self.disconnected:
            await self.flow.drain()  # pragma: no cover - as uvicorn's
        if self.disconnected:
            return
        if not self.response_started:
            if message["type"] != "http.response.start":
                raise RuntimeError(f"Expected ASGI message 'http.response.start', but got '{message['type']}'.")
            try:
                plain = plain_head(message["status"], self.default_headers + list(message.get("headers", [])))
            except Exception:  # a malformed start (no status, headers not pairs): h11's cycle raises as before
                plain = None
            if plain is None:
                self.protocol.hand_over_answer(self)
                return await super().send(message)
            self.response_started = True
            head, self._left, self._close = plain
            self.transport.write(head)
        elif not self.response_complete:
            if message["type"] != "http.response.body":
                raise RuntimeError(f"Expected ASGI message 'http.response.body', but got '{message['type']}'.")
            if self._failed:
                raise h11.LocalProtocolError("Can't send data when our state is ERROR")
            body = message.get("body", b"")
            more_body = message.get("more_body", False)
            try:
                self._left -= len(body)
                data = body if type(body) is bytes else bytes(body)
            except Exception:  # a body that is no bytes: h11's writer fails and leaves the answer in ERROR
                self._failed = True
                raise
            if self._left < 0:
                self._failed = True
                raise h11.LocalProtocolError("Too much data for declared Content-Length")
            self.transport.write(data)
            if not more_body:
                self.response_complete = True
                self.message_event.set()
                if self._left != 0:
                    self._failed = True
                    raise h11.LocalProtocolError("Too little data for declared Content-Length")
                self.transport.write(b"")
        else:
            raise RuntimeError(f"Unexpected ASGI message '{message['type']}' sent, after response already completed.")
        if self.response_complete:
            if self._close or not self.keep_alive:
                self.transport.close()
            self.on_response()
