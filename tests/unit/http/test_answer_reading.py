"""The loopback transport's one-pass reading of a whole plain answer (_read_answer) reads and fails exactly as
_read_head + _read_body do, whatever the answer and however its bytes arrive."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from catalogctl.http.answer import MAX_HEAD
from catalogctl.http.answer import read_answer as _read_answer
from catalogctl.http.answer import read_body as _read_body
from catalogctl.http.answer import read_head as _read_head
from catalogctl.http.loopback import Connection as _Connection


class _Fed(_Connection):
    """A connection whose bytes arrive in the given pieces, one piece per wait; then it ends."""

    def __init__(self, pieces: list[bytes]) -> None:
        super().__init__()
        self.pieces = list(pieces)
        self.waits = 0

    async def more(self, timeout: float | None, request: httpx.Request | None) -> None:
        if self.ended:
            await super().more(timeout, request)   # raises as the real one does
        self.waits += 1
        self._arrive()

    async def until(self, size: int, timeout: float | None, request: httpx.Request | None) -> None:
        """The pieces arrive one by one without waking the reader until `size` bytes are in (one wait)."""
        while len(self.buffer) < size:
            if self.ended:
                raise httpx.RemoteProtocolError("the answer was cut short", request=request)
            self.waits += 1
            while len(self.buffer) < size and not self.ended:
                self._arrive()

    def _arrive(self) -> None:
        if self.pieces:
            self.buffer += self.pieces.pop(0)
        else:
            self.ended = True


def _read(reader: str, pieces: list[bytes], method: str) -> tuple[Any, ...]:
    async def general(conn: _Connection) -> Any:
        answer = await _read_head(conn, None, None)
        await _read_body(conn, answer, method, None, None)
        return answer

    async def main() -> tuple[Any, ...]:
        conn = _Fed(pieces)
        try:
            answer = await (_read_answer(conn, method, None, None) if reader == "one pass" else general(conn))
        except httpx.HTTPError as exc:
            return type(exc).__name__, str(exc), conn.waits, conn.pieces
        return (answer.version, answer.status, answer.reason, answer.headers, answer.fields, answer.keep_alive,
                answer.body, bytes(conn.buffer), conn.waits, conn.pieces)

    return asyncio.run(main())


ANSWERS = [
    b"HTTP/1.1 200 OK\r\ndate: x\r\nserver: uvicorn\r\ncontent-length: 11\r\ncontent-type: application/json\r\n\r\n"
    b'{"id":"12"}',
    b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\n",            # more after the answer
    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    b"HTTP/1.0 404 Not Found\r\nContent-Length: 2\r\n\r\nno",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 101 Switching\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 304 Not Modified\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4;x=1\r\nabcd\r\n0\r\nT: 1\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
    b"HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nContent-Length: 0012\r\n\r\n0123456789ab",
    b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\ncut short",
    b"HTTP/1.1 200 OK\r\n\r\nuntil the end",
    b"HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx",
    b"SPDY/3 200 OK\r\n\r\n",
    b"HTTP/1.1 2000 OK\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    b"HTTP/1.1 200 OK\r\n Folded: x\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * (MAX_HEAD + 10) + b"\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Len",
    b"",
]


@pytest.mark.parametrize("method", ["POST", "HEAD"])
@pytest.mark.parametrize("answer", ANSWERS, ids=range(len(ANSWERS)))
def test_one_pass_reads_every_answer_as_head_then_body_do(answer: bytes, method: str) -> None:
    cuts = sorted({0, 1, 2, len(answer) // 3, len(answer) // 2, len(answer) - 3, len(answer) - 1, len(answer)}
                  | set(range(0, min(len(answer), 120), 7)))
    schedules = [[answer]] + [[answer[:cut], answer[cut:]] for cut in cuts if 0 < cut < len(answer)]
    schedules.append([answer[n:n + 1] for n in range(min(len(answer), 200))] + [answer[200:]])
    for pieces in schedules:
        one_pass, general = _read("one pass", pieces, method), _read("general", pieces, method)
        # the same answer (or error), the same bytes left in the buffer and on the way
        assert one_pass[:-2] + one_pass[-1:] == general[:-2] + general[-1:], pieces
        assert one_pass[-2] <= general[-2]   # woken no more often (once for a body, however it is cut)
