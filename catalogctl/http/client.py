"""The generic store client: retries, 429/Retry-After, pacing, concurrency and redaction.

A provider configures one HttpClient with its Dialect (where credentials go, which answers are
failures). Every failure becomes one typed ProviderError; what is safe to retry is retried
with backoff and jitter (reads, idempotent writes, and any request the store certainly never
acted on).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time as clock
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from time import time
from types import MappingProxyType
from typing import Any

import httpx
import msgspec

from catalogctl.http.answer import LeanResponse
from catalogctl.http.body import encode_body
from catalogctl.http.dialect import Dialect
from catalogctl.http.errors import AuthError, BadResponse, ProviderError, RateLimited, TransportError
from catalogctl.http.loopback import LeanCalls, LoopbackTransport, transport_for
from catalogctl.http.pacing import DEADLINE, Pacer, StoreRefusing
from catalogctl.http.redact import SECRET_KEYS, RedactingFilter, check_secrets, redact
from catalogctl.http.url import check_base_url

EMPTY = None
"""What `send` returns when a call answers with one of its documented "nothing found" errors."""

Decode = Callable[[bytes], Any]
"""A caller's typed decoding of a success body (see `HttpClient.send`): its value, or None to have the
body parsed and checked as any other."""
Answer = httpx.Response | LeanResponse
"""An answer as `_once` reads it: status_code, content, headers, text."""


@dataclass(frozen=True)
class HttpSettings:
    """How hard to push one target: the per-target knobs of catalogctl.yaml plus retry tuning."""

    concurrency: int = 8
    requests_per_second: float | None = None
    timeout: float = 30.0
    insecure: bool = False
    max_retries: int = 4
    backoff: float = 0.2
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    max_rate_limited: int = 30   # 429s one call may meet (the pacer slows the target meanwhile)
    rate_limit_deadline: float = DEADLINE   # seconds of nothing but 429 before the whole target gives up


class HttpClient:
    """One store: an httpx.AsyncClient plus the rules above. Use as an async context manager."""

    def __init__(
        self,
        base_url: str,
        dialect: Dialect,
        settings: HttpSettings | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        settings = settings or HttpSettings()
        # Only transports that never leave the process may carry credentials to an http:// name.
        in_process = isinstance(transport, httpx.ASGITransport | httpx.MockTransport)
        check_base_url(base_url, insecure=settings.insecure, in_process=in_process)
        check_secrets(dialect.secrets, hint=dialect.auth_hint)
        transport = transport or transport_for(base_url)
        self.dialect = dialect
        self.settings = settings
        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=httpx.Timeout(settings.timeout), transport=transport,
            headers={"Accept": "application/json", **dialect.headers()},
        )
        # Calls without query parameters to the loopback transport skip httpx's models (loopback.py).
        self._lean = LeanCalls(transport, self._http) if isinstance(transport, LoopbackTransport) else None
        self._slots = asyncio.Semaphore(max(1, settings.concurrency))
        self.pacer = Pacer(settings.requests_per_second, deadline=settings.rate_limit_deadline,
                           spread_over=max(1, settings.concurrency))
        self._warned = False   # the first 429 is said once on stderr, without --debug too
        self._keys = SECRET_KEYS | dialect.secret_fields
        self.log = log or logging.getLogger("catalogctl.http")
        self._filter = RedactingFilter(dialect.secrets)
        self.log.addFilter(self._filter)
        self.requests = 0
        self.by_call: Counter[str] = Counter()

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self.log.removeFilter(self._filter)
        await self._http.aclose()

    def redact(self, obj: Any) -> Any:
        """`obj` with the credentials and every secret-named field masked."""
        return redact(obj, self.dialect.secrets, self._keys)

    async def send(
        self,
        method: str,
        path: str,
        *,
        label: str,
        idempotent: bool,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        empty: Collection[str] = (),
        decode: Decode | None = None,
        content: bytes | None = None,
    ) -> Any:
        """Send one call; returns the parsed answer, or EMPTY when the store says "none found".

        Retries with backoff when the failure is transient and repeating the call is safe:
        always for `idempotent` calls, otherwise only when the store never saw the request.
        `decode` (the body's bytes of an HTTP status below 400 -> a value, or None) may answer instead
        of the JSON parse: it must return None for every body the generic path would not return as
        parsed data unchanged (not JSON, a failure shape of the dialect), so errors stay the same.
        `content`: `encode(body)`, made ahead by the caller (sent as it is, on every attempt).
        """
        attempt = limited = 0
        while True:
            attempt += 1
            try:
                return await self._once(method, path, label, body, params, empty, decode, content)
            except RateLimited as exc:
                # Not a failure of this call: the pacer already holds the whole target back for
                # the Retry-After and slowed it down; only an endless 429 gives up.
                exc.from_vendor(self.dialect.vendor)
                limited += 1
                if limited > self.settings.max_rate_limited:
                    raise exc.with_attempts(attempt) from None
                self._rate_limited(label, exc.retry_after)
            except StoreRefusing as exc:   # the target's deadline passed: nothing more is sent
                raise RateLimited(label, str(exc), status=429, retryable=False, unsent=True,
                                  vendor=self.dialect.vendor, attempts=attempt - 1) from None
            except ProviderError as exc:
                exc.from_vendor(self.dialect.vendor)
                retries = self.settings.max_retries
                if not exc.retryable or attempt - limited > retries or not (idempotent or exc.unsent):
                    raise exc.with_attempts(attempt) from None
                delay = self._delay(attempt - limited)
                self.log.info("retrying %s in %.2fs after: %s", label, delay, exc.store_message)
                await asyncio.sleep(delay)

    def encode(self, body: Mapping[str, Any] | None) -> bytes | None:
        """The bytes `send` puts on the wire for `body`: the dialect's body (credentials) as JSON."""
        sent = self.dialect.body(body)
        return None if sent is None else encode_body(sent)

    async def _once(self, method: str, path: str, label: str, body: Mapping[str, Any] | None,
                    params: Mapping[str, str] | None, empty: Collection[str], decode: Decode | None = None,
                    content: bytes | None = None) -> Any:
        # The redacted request goes into the debug log and into errors only: built when one needs it
        # (redacting every body of a 10,000-product apply cost half a millisecond a request), and so is
        # the _Shown that builds it (an object a request, issue 13): the answer of nearly every call is
        # a success, read before any error could ask for it.
        if content is None:
            content = self.encode(body)
        headers = _JSON_HEADERS if content is not None else _NO_HEADERS
        async with self._slots:   # a concurrency slot, then the pacer's go
            started = await self.pacer.wait()
            self.requests += 1
            self.by_call[label] += 1
            if self.log.isEnabledFor(logging.DEBUG):
                self.log.debug("%s %s %s", method, label, excerpt(_Shown(self, body)()) if body is not None else "")
            try:
                if self._lean is not None and params is None:
                    response = await self._lean.request(method, path, content, headers)
                else:
                    response = await self._http.request(method, path, content=content, params=params,
                                                        headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                detail = f"could not connect: {_describe(exc)}"
                raise TransportError(label, detail, request=_Shown(self, body)(), unsent=True) from None
            except httpx.TimeoutException as exc:
                raise TransportError(label, f"no answer in time: {_describe(exc)}",
                                     request=_Shown(self, body)()) from None
            except httpx.TransportError as exc:
                raise TransportError(label, f"connection lost: {_describe(exc)}",
                                     request=_Shown(self, body)()) from None
        if response.status_code == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            self.pacer.throttled(started, None if wait is None else min(wait, self.settings.max_retry_after))
        else:
            self.pacer.answered(started)
        if self.log.isEnabledFor(logging.DEBUG):
            self._log_answer(method, label, response, clock.monotonic() - started)
        if decode is not None and response.status_code < 400:
            typed = decode(response.content)   # a large page typed at once, not parsed to dicts first
            if typed is not None:
                return typed
        return self._interpret(response, label, body, empty)

    def _log_answer(self, method: str, label: str, response: Answer, seconds: float) -> None:
        data, problem = _parse(response.content)
        shown = self.redact(data) if problem is None else self.redact(response.text)
        self.log.debug("%s %s -> HTTP %d in %.0f ms, %d bytes: %s", method, label, response.status_code,
                       seconds * 1000, len(response.content), excerpt(shown))

    def _rate_limited(self, label: str, retry_after: float | None) -> None:
        if not self._warned:
            self._warned = True
            self.log.warning("the store is rate limiting (HTTP 429): slowing to %s", self._pace())
        cap = self.settings.max_retry_after
        capped = f"; its Retry-After of {retry_after:.0f} s is capped at {cap:.0f} s (max_retry_after)" \
            if retry_after is not None and retry_after > cap else ""
        self.log.info("rate limited on %s: the target now paces at %s%s", label, self._pace(), capped)

    def _pace(self) -> str:
        rate = self.pacer.rate
        return "no limit" if rate is None else f"{rate:.1f} requests/s"

    def _interpret(self, response: Answer, label: str, body: Mapping[str, Any] | None, empty: Collection[str]) -> Any:
        status = response.status_code
        data, problem = _parse(response.content)
        failure = self.dialect.failure(status, data) if problem is None else None
        if failure is None and problem is None and status < 400:
            return data
        shown = _Shown(self, body)
        header = self.dialect.request_id_header
        extra: dict[str, Any] = {"status": status, "request": shown(), "vendor": self.dialect.vendor,
                                 "request_id": response.headers.get(header) if header else None}
        message = None if failure is None else self.redact(failure.message)  # stores echo a bad token back
        if status == 429:
            raise RateLimited(label, message or "too many requests", unsent=True,
                              retry_after=retry_after_seconds(response.headers.get("Retry-After")), **extra)
        if problem is not None:
            # masked before it is cut: a secret across the cut would no longer match and its head would show
            snippet = self.redact(response.text[:65536]).strip()[:120]
            detail = f"{problem}" + (f" (starts with {snippet!r})" if snippet else "")
            raise BadResponse(label, detail, retryable=status >= 500 or problem != "the answer is not JSON", **extra)
        if (failure is not None and failure.auth) or status in (401, 403):
            raise AuthError(label, message or f"HTTP {status}", hint=self.dialect.auth_hint, **extra)
        if message is not None:
            if message in empty:
                return EMPTY
            raise ProviderError(label, message, retryable=status >= 500, **extra)
        if status >= 400:
            raise ProviderError(label, f"HTTP {status} without an error message", retryable=status >= 500, **extra)
        return data

    def _delay(self, attempt: int) -> float:
        ceiling = min(self.settings.max_backoff, self.settings.backoff * 2 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class _Shown:
    """The request body as errors and the debug log show it (redacted), built once when first asked."""

    __slots__ = ("_body", "_client", "_done", "_value")

    def __init__(self, client: HttpClient, body: Mapping[str, Any] | None) -> None:
        self._client, self._body, self._value, self._done = client, body, None, body is None

    def __call__(self) -> Any:
        if not self._done:
            self._value, self._done = self._client.redact(dict(self._body or {})), True
        return self._value


def excerpt(shown: Any, limit: int = 300) -> str:
    """A one-line rendering of an (already redacted) body for the debug log."""
    text = shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse(content: bytes) -> tuple[Any, str | None]:
    """(data, None) or (None, what is wrong with the body)."""
    text = content.strip() if not content or content[0] in _SPACE or content[-1] in _SPACE else content
    if not text:
        return None, "the answer is empty"
    try:
        if text[0] in _OPENERS and (len(text) < 2 or text[1]):
            try:   # msgspec reads an answer ~3x faster than json (issue 13), and what it reads json reads alike
                return _DECODE(text), None
            except (msgspec.DecodeError, RecursionError):   # json's reading of the rest (NaN, lone surrogates)
                pass
            # What json.loads(bytes) does with a body starting so: its encoding detection says UTF-8
            return json.loads(text.decode("utf-8", "surrogatepass")), None
        return json.loads(text), None
    except ValueError:
        if text[:1] in (b"{", b"["):
            return None, "the answer is truncated or malformed JSON"
        return None, "the answer is not JSON"


_JSON_HEADERS: Mapping[str, str] = MappingProxyType({"Content-Type": "application/json"})
_NO_HEADERS: Mapping[str, str] = MappingProxyType({})
"""A request's own headers, the same every time: read, never changed (a dict per request before issue 13)."""
_SPACE = frozenset(b" \t\n\r\x0b\x0c")   # what bytes.strip() strips: the copy only when there is some
_OPENERS = frozenset(b"{[")
_DECODE = msgspec.json.Decoder().decode


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time())
    except (TypeError, ValueError):
        return None


def _describe(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
