"""The GrooveKart HTTP client: auth, error shapes, retries, concurrency and pacing.

Every call is `POST <store>/api/<endpoint>.json` with a JSON body. The store reports failures
in several shapes, with or without an HTTP error status; this module turns each into one typed
ProviderError, and retries what is safe to retry (reads, idempotent writes, and any request
the store certainly never acted on).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import random
from collections import Counter
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from decimal import Decimal
from email.utils import parsedate_to_datetime
from time import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from catalogctl.errors import TargetError
from catalogctl.providers.errors import (
    AuthError,
    BadResponse,
    ProviderError,
    RateLimited,
    TransportError,
)
from catalogctl.providers.groovekart.credentials import GrooveKartCredentials
from catalogctl.providers.redact import RedactingFilter, redact

log = logging.getLogger("catalogctl.providers.groovekart")

EMPTY = None
"""What `call` returns when a list call answers with its documented "nothing found" error."""


class GrooveKartClient:
    """One store: an httpx.AsyncClient plus the rules above. Use as an async context manager."""

    def __init__(
        self,
        base_url: str,
        credentials: GrooveKartCredentials,
        *,
        concurrency: int = 8,
        requests_per_second: float | None = None,
        timeout: float = 30.0,
        insecure: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        max_retries: int = 4,
        backoff: float = 0.2,
        max_backoff: float = 8.0,
        max_retry_after: float = 60.0,
    ) -> None:
        # Only transports that never leave the process may carry credentials to an http:// name.
        in_process = isinstance(transport, httpx.ASGITransport | httpx.MockTransport)
        check_base_url(base_url, insecure=insecure, in_process=in_process)
        self._credentials = credentials
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/",
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"Accept": "application/json"},
        )
        self._slots = asyncio.Semaphore(max(1, concurrency))
        self._pacer = _Pacer(requests_per_second) if requests_per_second else None
        self._max_retries = max_retries
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._max_retry_after = max_retry_after
        self._filter = RedactingFilter(credentials.secrets)
        log.addFilter(self._filter)
        self.requests = 0
        self.by_call: Counter[str] = Counter()

    async def aclose(self) -> None:
        log.removeFilter(self._filter)
        await self._http.aclose()

    def redact(self, obj: Any) -> Any:
        return redact(obj, self._credentials.secrets)

    async def call(
        self,
        endpoint: str,
        body: dict[str, Any],
        *,
        idempotent: bool,
        empty: Collection[str] = (),
    ) -> Any:
        """POST one call; returns the parsed answer, or EMPTY when the store says "none found".

        Retries with backoff when the failure is transient and repeating the call is safe:
        always for `idempotent` calls, otherwise only when the store never saw the request.
        """
        label = call_label(endpoint, body)
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._once(endpoint, label, body, empty)
            except ProviderError as exc:
                if not exc.retryable or attempt > self._max_retries or not (idempotent or exc.unsent):
                    raise exc.with_attempts(attempt) from None
                delay = self._delay(exc, attempt)
                log.info("retrying %s in %.2fs after: %s", label, delay, exc.store_message)
                await asyncio.sleep(delay)

    async def _once(self, endpoint: str, label: str, body: dict[str, Any], empty: Collection[str]) -> Any:
        shown = self.redact(body)
        content = json.dumps({**self._credentials.body(), **body}, default=_json_default)
        async with self._slot():
            self.requests += 1
            self.by_call[label] += 1
            log.debug("POST %s %s", label, shown)
            try:
                response = await self._http.post(
                    f"{endpoint}.json", content=content, headers={"Content-Type": "application/json"}
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                detail = f"could not connect: {_describe(exc)}"
                raise TransportError(label, detail, request=shown, unsent=True) from None
            except httpx.TimeoutException as exc:
                raise TransportError(label, f"no answer in time: {_describe(exc)}", request=shown) from None
            except httpx.TransportError as exc:
                raise TransportError(label, f"connection lost: {_describe(exc)}", request=shown) from None
        return self._interpret(response, label, shown, empty)

    def _interpret(self, response: httpx.Response, label: str, shown: Any, empty: Collection[str]) -> Any:
        status = response.status_code
        data, problem = _parse(response.content)
        message, is_auth = error_of(data)
        message = None if message is None else self.redact(message)  # stores echo a bad token back
        if status == 429:
            raise RateLimited(
                label, message or "too many requests", status=status, request=shown,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")), unsent=True,
            )
        if problem is not None:
            snippet = self.redact(response.text[:120].strip())
            detail = f"{problem}" + (f" (starts with {snippet!r})" if snippet else "")
            raise BadResponse(label, detail, status=status, request=shown,
                              retryable=status >= 500 or problem != "the answer is not JSON")
        if is_auth or status in (401, 403):
            raise AuthError(label, message or f"HTTP {status}", status=status, request=shown)
        if message is not None:
            if message in empty:
                return EMPTY
            raise ProviderError(label, message, status=status, request=shown, retryable=status >= 500)
        if status >= 400:
            raise ProviderError(label, f"HTTP {status} without an error message", status=status,
                                request=shown, retryable=status >= 500)
        return data

    def _delay(self, exc: ProviderError, attempt: int) -> float:
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            return min(exc.retry_after, self._max_retry_after)
        ceiling = min(self._max_backoff, self._backoff * 2 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        async with self._slots:
            if self._pacer is not None:
                await self._pacer.wait()
            yield


class _Pacer:
    """Spaces request starts at least 1/rps seconds apart (a per-target requests-per-second cap)."""

    def __init__(self, requests_per_second: float) -> None:
        self._interval = 1.0 / requests_per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = asyncio.get_running_loop().time()
            wait = self._next - now
            self._next = max(now, self._next) + self._interval
        if wait > 0:
            await asyncio.sleep(wait)


def check_base_url(base_url: str, *, insecure: bool, in_process: bool) -> None:
    """Refuse plain http to anything but loopback, unless in-process or the target says insecure."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetError(f"store url {base_url!r} is not an http(s) url")
    if parts.scheme == "http" and not (insecure or in_process or is_loopback(parts.hostname)):
        raise TargetError(
            f"refusing plain http to {parts.hostname}: credentials would travel unencrypted",
            hint="Use https, or set `insecure: true` on the target if you really mean it.",
        )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def call_label(endpoint: str, body: dict[str, Any]) -> str:
    """`products.json action=update_product`: the endpoint plus the action wherever the body puts it."""
    action = body.get("action")
    inner = body.get("product")
    if action is None and isinstance(inner, dict):
        action = inner.get("action")
    return f"{endpoint}.json" + (f" action={action}" if action else "")


def error_of(data: Any) -> tuple[str | None, bool]:
    """(the store's error message or None, whether it is an auth failure) for any documented shape."""
    if not isinstance(data, dict):
        return None, False
    if data.get("Error"):
        return str(data["Error"]), True
    status = data.get("status")
    if isinstance(status, str) and status.lower() in ("error", "failed", "failure"):
        text = data.get("message") or data.get("error") or data.get("statusTxt") or status
        return str(text), False
    if data.get("error") not in (None, "", False):
        return str(data["error"]), False
    return None, False


def _parse(content: bytes) -> tuple[Any, str | None]:
    """(data, None) or (None, what is wrong with the body)."""
    text = content.strip()
    if not text:
        return None, "the answer is empty"
    try:
        return json.loads(text), None
    except ValueError:
        if text[:1] in (b"{", b"["):
            return None, "the answer is truncated or malformed JSON"
        return None, "the answer is not JSON"


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


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
