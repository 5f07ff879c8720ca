"""Reading a request body defensively: a size cap checked before and while reading, and JSON parsed
with a nesting cap, so a malformed request gets a 4xx with a clear body and never an HTTP 500.

The limits are PHP's defaults, which a PHP store such as GrooveKart runs under: `post_max_size`
8 MiB and `json_decode`'s depth of 512. One is the sandbox's own: at most MAX_JSON_VALUES values in
a body, counted before it is parsed as its `[`, `{` and `,` outside strings (every value but the
first opens a container or follows a comma, so the count bounds the values), because a body under 8 MiB of `[],[],...`
parses into millions of Python objects (a 4 x 8 MiB burst took the server to 1 GB); PHP would stop
at its `memory_limit` with a fatal error instead. `NaN` and `Infinity` are not JSON (PHP's
`json_decode` refuses the whole body), though Python's `json` takes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec
from starlette.requests import ClientDisconnect, Request

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_JSON_DEPTH = 512
MAX_JSON_VALUES = 250_000  # far above any request a client sends; 4 bodies at the cap parse in ~100 MiB
_CONTAINERS = (dict, list)  # a tuple: `dict | list` in the loop made a new union per value
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


class Malformed(Exception):
    """The body cannot be read as a request; `status` is the HTTP status to answer (400, 408 or 413)."""

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
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large()
            chunks.append(chunk)
    except ClientDisconnect as exc:  # gone, or cut off by the request deadline: the answer goes nowhere
        raise Malformed("The connection closed before the whole body arrived.", 408) from exc
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


def _nesting(value: Any) -> int:
    """depth() for a body whose strings cannot hold a surrogate: only lists and objects are looked at,
    a level at a time."""
    deepest, level = 0, [value]
    while containers := [node for node in level if isinstance(node, _CONTAINERS)]:
        deepest += 1
        level = [child for node in containers for child in (node.values() if isinstance(node, dict) else node)]
    return deepest


def _surrogate_free(raw: bytes) -> bool:
    """No string json.loads makes of `raw` can hold a surrogate: no NUL (so it is read as UTF-8, not
    UTF-16/32), strict UTF-8 (no encoded surrogate), no `\\u` escape. Then the per-string check of
    depth() (a third of the sandbox's CPU per create_product request) has nothing to find."""
    if b"\x00" in raw or b"\\u" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _structural(raw: bytes) -> int:
    return raw.count(b"[") + raw.count(b"{") + raw.count(b",")


def value_count_over_cap(raw: bytes, cap: int = MAX_JSON_VALUES) -> bool:
    """Whether the body holds more than `cap` `[`, `{` and `,` outside strings, judged without parsing.

    The cheap count over all bytes settles almost every body. Each string is a key (after `{` or `,`)
    or a value (after `[`, `,` or a key), so a body of more than 2 * cap + 1 strings is over the cap
    without a closer look; that bounds the exact scan, which skips strings, to ~0.4 s."""
    if _structural(raw) <= cap:
        return False
    if (raw.count(b'"') - raw.count(b'\\"')) // 2 > 2 * cap + 1:  # a lower bound on its strings
        return True
    return _structural(_STRING.sub(b"", raw)) > cap


def _not_json(literal: str) -> Any:
    raise Malformed(f"The request body is not valid JSON: {literal} is not a JSON value.")


_DECIMAL_DECODER = msgspec.json.Decoder(float_hook=Decimal)


def _decoded(raw: bytes, parse_float: Callable[[str], Any]) -> Any:
    """json.loads(raw, parse_float=...), or what it raises; msgspec first (~3x faster on a create_product
    body). Where the two differ msgspec refuses (invalid or BOM-led UTF-8, lone surrogates, NaN, UTF-16),
    so any refusal of msgspec's is handed to json, whose answer or message stays the sandbox's."""
    if parse_float is Decimal:
        try:
            return _DECIMAL_DECODER.decode(raw)
        except Exception:  # json decides, with its own message
            pass
    return json.loads(raw, parse_float=parse_float, parse_constant=_not_json)


def parse_object(raw: bytes, parse_float: Callable[[str], Any] = Decimal) -> dict[str, Any]:
    """A JSON object (numbers with a fraction as Decimal); an empty body is an empty object, as PHP reads it."""
    if not raw.strip():
        return {}
    if value_count_over_cap(raw):
        raise Malformed(f"The request body holds more than {MAX_JSON_VALUES:,} JSON values (counted as its "
                        "brackets, braces and commas outside strings), the sandbox's limit.", 413)
    try:
        body = _decoded(raw, parse_float)
    except RecursionError as exc:
        raise Malformed(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed(f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise Malformed("The request body must be a JSON object of named parameters.")
    surrogate_free = _surrogate_free(raw)
    if surrogate_free and raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return body  # each level opens with its own bracket or brace: too few of them to nest too deep
    levels = _nesting(body) if surrogate_free else depth(body)
    if levels < 0:
        raise Malformed("The request body holds an unpaired UTF-16 surrogate (\\ud800-\\udfff), which is no text.")
    if levels > MAX_JSON_DEPTH:
        raise Malformed(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.")
    return body
