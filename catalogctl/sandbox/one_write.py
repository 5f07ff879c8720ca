"""An answer's head and body sent in one write (issue 13: the sandbox's CPU per request).

uvicorn's h11 cycle writes an answer's status line and headers, then its body, each with its own
`transport.write`: on an idle connection each is a `send` system call of its own and its own TCP
segment on the wire (the client is woken for the head alone, then for the body). The cycle's view of
the transport given here holds the head back until the cycle's next write (the body, in the same loop
step for every plain answer) and sends both at once: the same bytes, in the same order, one call.

Nothing waits on it: a head whose body does not follow in the same loop step (a streamed answer) is
sent by itself at the next loop iteration, as close to when it was before as the loop allows; closing
or aborting the connection sends a held head first, as the transport had it already. Only the answer's
head is held: a `100 Continue` (written before the answer starts) goes out at once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import RequestResponseCycle


class HeadWithBody:
    """`transport` as one cycle writes to it: its answer's head joins the write that follows it."""

    __slots__ = ("_cycle", "_head", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, cycle: RequestResponseCycle, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._cycle = cycle
        self._head: bytes | None = None
        self._loop: asyncio.AbstractEventLoop | None = loop  # None once the head went out

    def write(self, data: bytes) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head + data)
        elif self._loop is not None and self._cycle.response_started:  # the answer's first write: its head
            self._head = bytes(data)
            self._loop.call_soon(self.flush)
            self._loop = None
        else:
            self._transport.write(data)

    def flush(self) -> None:
        """Send a head still held (its body did not come in the same loop step)."""
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self.flush()
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:  # anything else the transport does, it does itself
        return getattr(self._transport, name)
