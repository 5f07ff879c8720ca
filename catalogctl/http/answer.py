"""An HTTP/1.1 answer read off a loopback connection (http/loopback.py): its head parsed, its body framed
(one Content-Length, chunked, or up to the connection's end), and the answer as the client reads it.

Failures are the httpx exceptions httpcore raises in the same cases, so the client's retry rules see no
difference.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from catalogctl.http.loopback import Connection

MAX_HEAD = 64 * 1024       # bytes of status line and headers


class Answer:
    __slots__ = ("body", "fields", "headers", "keep_alive", "reason", "status", "version")

    def __init__(self, version: bytes, status: int, reason: bytes, headers: list[tuple[bytes, bytes]]) -> None:
        self.version, self.status, self.reason, self.headers = version, status, reason, headers
        self.body = b""
        fields: dict[bytes, list[bytes]] = {}   # by lower-case name: each is looked for once, not per header
        for key, value in headers:
            fields.setdefault(key.lower(), []).append(value)
        self.fields = fields
        self.keep_alive = version == b"HTTP/1.1" and b"close" not in tokens(fields.get(b"connection"))

    def response(self) -> httpx.Response:
        """As httpx hands it over: the body still to be read (and decoded, if the server encoded it)."""
        return httpx.Response(self.status, headers=self.headers, stream=httpx.ByteStream(self.body),
                              extensions={"http_version": self.version, "reason_phrase": self.reason})


class LeanResponse:
    """An answer as the client reads it (status, body, headers) without httpx's response model and
    streamed body, which cost more CPU than the rest of reading it (issue 13); built only for answers
    without a Content-Encoding (httpx decodes those: they get its Response). Headers and text are
    httpx's own, made from the same answer when first asked for (errors, 429s, the debug log)."""

    __slots__ = ("_answer", "_full", "content", "status_code")

    def __init__(self, answer: Answer) -> None:
        self._answer, self._full = answer, None
        self.status_code, self.content = answer.status, answer.body

    @property
    def headers(self) -> httpx.Headers:
        return self._response().headers

    @property
    def text(self) -> str:
        return self._response().text

    def _response(self) -> httpx.Response:
        if self._full is None:
            self._full = self._answer.response()
            self._full.read()
        return self._full


def tokens(values: Iterable[bytes] | None) -> set[bytes]:
    """The comma-separated tokens of a header's values, lower-case."""
    return {token.strip().lower() for value in values or () for token in value.split(b",")}


async def read_head(conn: Connection, timeout: float | None, request: httpx.Request | None) -> Answer:
    while True:   # 1xx interim answers (100 Continue) come before the real one
        head = await conn.through(b"\r\n\r\n", "the answer's headers are too long", timeout, request)
        answer = parse_head(head, request)
        if not 100 <= answer.status < 200 or answer.status == 101:
            return answer


def parse_head(head: bytes, request: httpx.Request | None) -> Answer:
    """The status line and headers of one answer (interim or final); RemoteProtocolError when malformed."""
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit() or len(parts[1]) != 3:
        raise httpx.RemoteProtocolError(f"not an HTTP/1.1 answer: {lines[0][:80]!r}", request=request)
    headers = []
    for line in lines[1:]:
        key, colon, value = line.partition(b":")
        if not colon or not key or key != key.strip():
            raise httpx.RemoteProtocolError(f"a malformed header line: {line[:80]!r}", request=request)
        headers.append((key, value.strip()))
    return Answer(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else b"", headers)


async def read_answer(conn: Connection, method: str, timeout: float | None,
                       request: httpx.Request | None) -> Answer:
    """read_head then read_body. An answer with one Content-Length (nearly every answer) is taken in one
    pass, its body waited for by `until` (issue 13: three coroutines, two sets and a copy of the body per
    request, and a wake per write of the server); any other goes their way, from the same bytes, so it
    reads and fails the same."""
    buffer = conn.buffer
    while (end := buffer.find(b"\r\n\r\n")) < 0 and len(buffer) <= MAX_HEAD:
        await conn.more(timeout, request)   # as read_head waits
    if end >= 0:
        answer = parse_head(bytes(buffer[:end]), request)   # what read_head would make of it, or raise
        status = answer.status
        lengths = answer.fields.get(b"content-length")
        if (status >= 200 and status not in (204, 304) and method != "HEAD" and lengths is not None
                and len(lengths) == 1 and lengths[0].isdigit() and b"transfer-encoding" not in answer.fields):
            start = end + 4
            stop = start + int(lengths[0])
            await conn.until(stop, timeout, request)   # the body, as read_body's `exactly` waits for it
            answer.body = bytes(buffer[start:stop])
            del buffer[:stop]
            return answer
    answer = await read_head(conn, timeout, request)
    await read_body(conn, answer, method, timeout, request)
    return answer


async def read_body(conn: Connection, answer: Answer, method: str, timeout: float | None,
                     request: httpx.Request | None) -> None:
    if method == "HEAD" or answer.status in (101, 204, 304):
        return
    fields = answer.fields
    if b"transfer-encoding" in fields and b"chunked" in tokens(fields[b"transfer-encoding"]):
        answer.body = await read_chunked(conn, timeout, request)
        return
    lengths = set(fields.get(b"content-length", ()))
    if len(lengths) > 1 or (lengths and not next(iter(lengths)).isdigit()):
        raise httpx.RemoteProtocolError(f"a bad Content-Length: {sorted(lengths)!r}", request=request)
    if lengths:
        answer.body = await conn.exactly(int(next(iter(lengths))), timeout, request)
        return
    answer.keep_alive = False   # the body ends where the connection does
    while not conn.ended:
        await conn.more(timeout, request)
    answer.body = bytes(conn.buffer)
    conn.buffer.clear()


async def read_chunked(conn: Connection, timeout: float | None, request: httpx.Request | None) -> bytes:
    body = bytearray()
    while True:
        size_text = (await conn.line(timeout, request)).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise httpx.RemoteProtocolError(f"a bad chunk size: {size_text[:20]!r}", request=request) from None
        if size == 0:
            while await conn.line(timeout, request):   # trailers, up to the empty line
                pass
            return bytes(body)
        body += await conn.exactly(size, timeout, request)
        if await conn.exactly(2, timeout, request) != b"\r\n":
            raise httpx.RemoteProtocolError("a chunk does not end with CRLF", request=request)
