"""Plain HTTP/1.1 heads for the sandbox's lean protocol (fast_http.py): a request head read, and an answer
head written, exactly as h11 does, or None where h11 would do more (refuse it, frame it otherwise).

What counts as plain is described in fast_http.py; the rules are h11's own expressions (`request_line_re`,
`header_field_re`, its field name and value grammar), so a head this module takes parses as h11 parses it.
"""

from __future__ import annotations

import re
from typing import Any

from h11._abnf import field_name, field_value
from h11._readers import header_field_re, request_line_re
from uvicorn.protocols.http.h11_impl import STATUS_PHRASES

MAX_PLAIN_HEAD = 8 * 1024  # below h11's 16 KiB, so h11 alone decides about a head near its limit
_FIELD_NAME = re.compile(field_name.encode("ascii"))
_FIELD_VALUE = re.compile(field_value.encode("ascii"))
_DIGITS = re.compile(rb"[0-9]{1,20}")
_REFUSED_METHODS = (b"HEAD", b"CONNECT")
_NOT_PLAIN_HEADERS = frozenset((b"transfer-encoding", b"expect", b"upgrade"))
_NO_BODY_STATUS = (204, 304)
_STATUS_LINES = {status: b"HTTP/1.1 %d %s\r\n" % (status, phrase) for status, phrase in STATUS_PHRASES.items()}


class PlainRequest:
    """A plain request head, parsed as h11 parses it."""

    __slots__ = ("headers", "length", "method", "target")

    def __init__(self, method: bytes, target: bytes, headers: list[tuple[bytes, bytes]], length: int) -> None:
        self.method, self.target, self.headers, self.length = method, target, headers, length


# Header lines repeat from request to request (a client sends the same Host, Accept, User-Agent...), and
# so do an answer's (Server, Content-Type): each is parsed or checked once, while the tables are small.
_UNSEEN = object()
_MEMO_LINES = 512  # entries a table holds before it starts again
_MEMO_LINE_BYTES = 256  # a longer line is parsed each time
_REQUEST_FIELDS: dict[bytes, tuple[bytes, bytes] | None] = {}
_ANSWER_FIELDS: dict[tuple[bytes, bytes], tuple[bytes, bytes] | None] = {}


def _request_field(line: bytes) -> tuple[bytes, bytes] | None:
    """A request header line's lower-cased name and value as h11 reads them, or None for a line h11 reads
    otherwise or refuses (a bare LF, a line folded onto the one before, a bad name or value)."""
    field = None if b"\n" in line else header_field_re.fullmatch(line)
    parsed = None if field is None else (field["field_name"].lower(), field["field_value"])
    if len(line) <= _MEMO_LINE_BYTES:
        if len(_REQUEST_FIELDS) >= _MEMO_LINES:
            _REQUEST_FIELDS.clear()
        _REQUEST_FIELDS[line] = parsed
    return parsed


def _answer_field(name: bytes, value: bytes) -> tuple[bytes, bytes] | None:
    """An answer header's line as h11 writes it and its lower-cased name, or None when h11 refuses it."""
    if _FIELD_NAME.fullmatch(name) is None or _FIELD_VALUE.fullmatch(value) is None:
        checked = None
    else:
        checked = (b"%s: %s\r\n" % (name, value), name.lower())
    if len(name) + len(value) <= _MEMO_LINE_BYTES:
        if len(_ANSWER_FIELDS) >= _MEMO_LINES:
            _ANSWER_FIELDS.clear()
        _ANSWER_FIELDS[(name, value)] = checked
    return checked


def plain_request(head: bytes) -> PlainRequest | None:
    """The request of `head` (up to and without its blank line) if it is plain, else None."""
    lines = head.split(b"\r\n")
    match = request_line_re.fullmatch(lines[0])
    if match is None or match["http_version"] != b"1.1" or match["method"] in _REFUSED_METHODS:
        return None
    headers = []
    hosts = 0
    length = None
    for line in lines[1:]:
        field = _REQUEST_FIELDS.get(line, _UNSEEN)
        if field is _UNSEEN:
            field = _request_field(line)
        if field is None:
            return None
        name, value = field
        if name == b"host":
            hosts += 1
        elif name == b"content-length":
            if length is not None or _DIGITS.fullmatch(value) is None:
                return None
            length = int(value)
        elif name in _NOT_PLAIN_HEADERS or (name == b"connection" and value.lower() != b"keep-alive"):
            return None
        headers.append((name, value))
    if hosts != 1:
        return None
    return PlainRequest(match["method"], match["target"], headers, length or 0)


def plain_head(status: Any, headers: list[tuple[Any, Any]]) -> tuple[bytes, int, bool] | None:
    """An answer's head as h11 writes it, its Content-Length and whether it closes the connection; None
    when h11 would do more than write it (frame it otherwise, refuse it, reorder it)."""
    if type(status) is not int or not 200 <= status <= 599 or status in _NO_BODY_STATUS:
        return None
    lines = [_STATUS_LINES[status]]
    length = None
    close = False
    for name, value in headers:
        if type(name) is not bytes or type(value) is not bytes:
            return None
        field = _ANSWER_FIELDS.get((name, value), _UNSEEN)
        if field is _UNSEEN:
            field = _answer_field(name, value)
        if field is None:
            return None
        line, lowered = field
        if lowered == b"content-length":
            if length is not None or _DIGITS.fullmatch(value) is None:
                return None
            length = int(value)
        elif lowered == b"connection":
            if value != b"close" or close:
                return None
            close = True
        elif lowered in (b"transfer-encoding", b"host"):
            return None
        lines.append(line)
    if length is None:
        return None
    lines.append(b"\r\n")
    return b"".join(lines), length, close
