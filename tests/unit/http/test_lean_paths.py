"""The client's fast paths (issue 13) against the code they replace, kept here as oracles: the lean answer
against httpx's Response of the same bytes, the body parse against json.loads of the stripped body, and
the pacer's unpaced shortcut against the locked loop."""

from __future__ import annotations

import asyncio
import gzip
import json
from typing import Any

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from catalogctl.http.answer import Answer as _Answer
from catalogctl.http.answer import LeanResponse
from catalogctl.http.client import _parse
from catalogctl.http.loopback import LeanCalls, LoopbackTransport
from catalogctl.http.pacing import Pacer

# ---- the lean answer ---------------------------------------------------------------------------------

_NAMES = st.sampled_from([b"Content-Type", b"content-type", b"Retry-After", b"X-Request-Id", b"Request-Id",
                          b"Connection", b"Set-Cookie", b"Date"])
_VALUES = st.sampled_from([b"application/json", b"application/json; charset=latin-1", b"text/html; charset=utf-16",
                           b"text/plain; charset=nonsense", b"5", b"Wed, 21 Oct 2015 07:28:00 GMT", b"abc-123",
                           b"keep-alive", b"close", b""])


@settings(max_examples=300, deadline=None)
@given(status=st.sampled_from([200, 201, 204, 400, 401, 404, 429, 500, 503]),
       headers=st.lists(st.tuples(_NAMES, _VALUES), max_size=6),
       body=st.one_of(st.binary(max_size=200), st.text(max_size=80).map(lambda t: t.encode("utf-8")),
                      st.text(max_size=40).map(lambda t: t.encode("utf-16"))))
def test_a_lean_answer_reads_as_httpx_response_of_the_same_bytes(status: int, headers: list[tuple[bytes, bytes]],
                                                                 body: bytes) -> None:
    answer = _Answer(b"HTTP/1.1", status, b"OK", headers)
    answer.body = body
    full = answer.response()
    full.read()
    lean = LeanResponse(answer)
    assert (lean.status_code, lean.content) == (full.status_code, full.content)
    assert _outcome(lambda: lean.text) == _outcome(lambda: full.text)   # httpx may fail to decode: so does it
    assert lean.headers.raw == full.headers.raw
    for name in ("Retry-After", "retry-after", "X-Request-Id", "Request-Id", "Content-Type"):
        assert lean.headers.get(name) == full.headers.get(name)


def _outcome(read: Any) -> Any:
    try:
        return read()
    except Exception as exc:   # the same failure is the point
        return type(exc), str(exc)


def test_an_encoded_answer_still_goes_through_httpx_and_is_decoded() -> None:
    """The lean answer is for bodies sent as they are: a gzip'ed one (the client says it accepts gzip)
    gets httpx's Response, decoded as before."""
    plain = json.dumps({"id_product": "7", "note": "é" * 50}).encode()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for encoded in (True, False):
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            body = gzip.compress(plain) if encoded else plain
            extra = b"Content-Encoding: gzip\r\n" if encoded else b""
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body))
            await writer.drain()
        writer.close()

    async def main() -> list[Any]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/api/"
        transport = LoopbackTransport()
        async with server, httpx.AsyncClient(base_url=url, transport=transport) as client:
            lean = LeanCalls(transport, client)
            json_type = {"Content-Type": "application/json"}
            return [await lean.request("POST", "products.json", b"{}", json_type) for _ in range(2)]

    encoded, plain_answer = asyncio.run(main())
    assert isinstance(encoded, httpx.Response) and encoded.content == plain
    assert isinstance(plain_answer, LeanResponse) and plain_answer.content == plain


# ---- the body parse ----------------------------------------------------------------------------------


def _parse_before(content: bytes) -> tuple[Any, str | None]:
    """client._parse as it was before its fast path."""
    text = content.strip()
    if not text:
        return None, "the answer is empty"
    try:
        return json.loads(text), None
    except ValueError:
        if text[:1] in (b"{", b"["):
            return None, "the answer is truncated or malformed JSON"
        return None, "the answer is not JSON"


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                 max_size=3),
                     max_leaves=8)
_SPACES = st.text(alphabet=" \t\n\r\x0b\x0c", max_size=3)


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.binary(max_size=40),
    st.tuples(_SPACES, _JSON, _SPACES, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32", "utf-8-sig"]),
              st.booleans()).map(
        lambda t: (t[0] + json.dumps(t[1], ensure_ascii=t[4]) + t[2]).encode(t[3], "surrogatepass")),
    st.tuples(st.sampled_from([b"{", b"[", b" {", b"[\x00", b"{\x00\x00"]), st.binary(max_size=12)).map(b"".join),
))
@example(b'{"a": "\xff"}')               # not UTF-8: malformed, not replaced
@example(b'["\xed\xa0\x80"]')            # a lone surrogate, as json.loads(bytes) lets through
@example(b'\xef\xbb\xbf{"a": 1}')         # a UTF-8 BOM
@example(b'{\x00"\x00}\x00')              # UTF-16-LE, starting with a brace
@example(b' \n{"a": [1, 2]}\r\n')
@example(b'[1E400, -1e400, 1.5e-324, 2.2250738585072011e-308, -0, 0.1e1]')   # msgspec refuses the first two
@example(b'[123456789012345678901234567890, -18446744073709551617]')
@example(b'{"a": 1, "a": 2}')             # the last one wins, both ways
@example(b'[NaN, Infinity]')
@example(b'["\\ud800", "\\u0000"]')
@example(b'[' * 5000 + b']' * 5000)         # deeper than either reader goes
def test_the_body_parse_is_the_stripped_json_loads_it_replaced(content: bytes) -> None:
    try:
        before = _parse_before(content)
    except RecursionError:
        with pytest.raises(RecursionError):
            _parse(content)
        return
    assert repr(_parse(content)) == repr(before)   # repr: a NaN is not equal to itself


@settings(max_examples=500, deadline=None)
@given(st.recursive(st.floats() | st.integers() | st.text(max_size=6),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
                    max_leaves=10).map(lambda value: json.dumps(value).encode()))
def test_numbers_parse_as_json_loads_reads_them(content: bytes) -> None:
    # msgspec reads what json does (after issue 13's fast path); json reads what msgspec refuses (NaN).
    assert repr(_parse(content)) == repr(_parse_before(content))


@settings(max_examples=1000, deadline=None)
@given(st.from_regex(rb"\A\[-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?\]\Z"))
@example(b"[0.1000000000000000055511151231257827]")
@example(b"[2.4703282292062328e-324]")   # half the smallest subnormal, rounded up
@example(b"[1.7976931348623159e308]")    # rounds to infinity: msgspec refuses it, json reads inf
def test_any_numeral_parses_as_json_loads_reads_it(content: bytes) -> None:
    assert repr(_parse(content)) == repr(_parse_before(content))


# ---- the pacer's shortcut ----------------------------------------------------------------------------


class _LockedPacer(Pacer):
    """Every wait through the lock, as before the shortcut."""

    async def wait(self) -> float:
        return await self._paced()


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        # Time moves on a little even for a sleep of nothing, as real time does: the pacer wakes at its
        # deadline (refusing_since + deadline) and finds `now - refusing_since` a rounding short of it.
        self.now += max(1e-6, seconds)
        await asyncio.sleep(0)


_EVENTS = st.lists(st.one_of(
    st.tuples(st.just("wait"), st.integers(1, 4)),                      # that many requests at once
    st.tuples(st.just("answered"), st.integers(0, 3)),                  # the n-th latest start answered
    st.tuples(st.just("throttled"), st.sampled_from([None, 0.0, 0.5, 2.0])),
    st.tuples(st.just("advance"), st.sampled_from([0.01, 0.3, 1.5, 200.0])),
), max_size=25)


def _run(pacer: Pacer, clock: _Clock, events: list[tuple[str, Any]]) -> list[Any]:
    seen: list[Any] = []
    starts: list[float] = []

    async def main() -> None:
        for kind, arg in events:
            if kind == "wait":
                results = await asyncio.gather(*(pacer.wait() for _ in range(arg)), return_exceptions=True)
                for result in results:
                    if isinstance(result, float):
                        starts.append(result)
                    seen.append(result if isinstance(result, float) else type(result).__name__)
            elif kind == "answered":
                pacer.answered(starts[-1 - arg] if len(starts) > arg else None)
            elif kind == "throttled":
                seen.append(pacer.throttled(starts[-1] if starts else clock.now, arg))
            else:
                clock.now += arg
            seen.append((clock.now, pacer.rate, pacer.ceiling, pacer.gave_up, pacer._last_start,
                         pacer._measuring_since, pacer._hold_until))

    asyncio.run(main())
    return seen


@settings(max_examples=200, deadline=None)
@given(events=_EVENTS, limit=st.sampled_from([None, 5.0]), adaptive=st.booleans())
# a Retry-After still in force after the 429's request was answered: unpaced (not adaptive), not refusing
@example(events=[("wait", 1), ("throttled", 2.0), ("answered", 0), ("advance", 1.5), ("wait", 2)], limit=None,
         adaptive=False)
def test_the_unpaced_shortcut_waits_exactly_as_the_locked_loop(events: list[tuple[str, Any]],
                                                                limit: float | None, adaptive: bool) -> None:
    results = []
    for kind in (Pacer, _LockedPacer):
        clock = _Clock()
        pacer = kind(limit, adaptive=adaptive, deadline=30.0, clock=clock, sleep=clock.sleep)
        results.append(_run(pacer, clock, events))
    assert results[0] == results[1]
