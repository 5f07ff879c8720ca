"""Reading a request body defensively: a size cap checked before and while reading, and JSON parsed
with a nesting cap, so a malformed request gets a 4xx with a clear body and never an HTTP 500.

The limits are PHP's defaults, which a PHP store such as GrooveKart runs under: `post_max_size`
8 MiB and `json_decode`'s depth of 512.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from starlette.requests import Request

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_JSON_DEPTH = 512


class Malformed(Exception):
    """The body cannot be read as a request; `status` is the HTTP status to answer (400 or 413)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _too_large() -> Malformed:
    return Malformed(f"The request body is larger than {MAX_BODY_BYTES} bytes (8 MiB), the store's limit.", 413)


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, refused early: by its Content-Length before reading, else by counting while reading."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Malformed("The Content-Length header is not a number.")
        if int(declared) > limit:
            raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _unpaired_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def depth(value: Any) -> int:
    """How deeply lists and objects nest (a scalar is 0), without recursion; -1 when a string holds an
    unpaired UTF-16 surrogate (valid JSON escapes, not text: PHP's json_decode refuses them too)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, str):
            if _unpaired_surrogate(node):
                return -1
            continue
        if isinstance(node, dict):
            children = [*node.keys(), *node.values()]
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_object(raw: bytes) -> dict[str, Any]:
    """A JSON object (numbers with a fraction as Decimal); an empty body is an empty object, as PHP reads it."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_float=Decimal)
    except RecursionError as exc:
        raise Malformed(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed(f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise Malformed("The request body must be a JSON object of named parameters.")
    levels = depth(body)
    if levels < 0:
        raise Malformed("The request body holds an unpaired UTF-16 surrogate (\\ud800-\\udfff), which is no text.")
    if levels > MAX_JSON_DEPTH:
        raise Malformed(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.")
    return body
