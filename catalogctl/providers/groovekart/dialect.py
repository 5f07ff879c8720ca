"""GrooveKart's dialect of HTTP, and the client the reader and the executor call.

Every call is `POST <store>/api/<endpoint>.json` with a JSON body that starts with the three
credential fields. The store reports failures in several body shapes, with or without an HTTP
error status: `{"error"}`, `{"Error"}` (auth), `{"status": "error"|"failed", ...}`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Collection, Mapping
from typing import Any, ClassVar

import httpx

from catalogctl.http.client import EMPTY, Decode, HttpClient, HttpSettings
from catalogctl.http.dialect import Dialect, StoreFailure
from catalogctl.providers.groovekart.credentials import GrooveKartCredentials

__all__ = ["EMPTY", "GrooveKartClient", "GrooveKartDialect", "call_label", "error_of"]

log = logging.getLogger("catalogctl.providers.groovekart")


class GrooveKartDialect(Dialect):
    """Credentials in every body; errors in the body whatever the status."""

    vendor: ClassVar[str] = "GrooveKart"
    secret_fields: ClassVar[frozenset[str]] = frozenset({"auth_token", "api_key"})
    auth_hint: ClassVar[str] = "Check the target's auth_token / api_key environment variables and api_user."

    def __init__(self, credentials: GrooveKartCredentials) -> None:
        self._credentials = credentials
        self._auth = credentials.body()   # built once, only ever copied into bodies (issue 13: a dict per request)

    @property
    def secrets(self) -> tuple[str, ...]:
        return self._credentials.secrets

    def body(self, body: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        return {**self._auth, **(body or {})}

    def failure(self, status: int, data: Any) -> StoreFailure | None:
        message, auth = error_of(data)
        return None if message is None else StoreFailure(message, auth)


class GrooveKartClient:
    """The generic HttpClient speaking GrooveKart: `call(endpoint, body)`."""

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
        max_rate_limited: int = 30,
        rate_limit_deadline: float = 120.0,
    ) -> None:
        settings = HttpSettings(
            concurrency=concurrency, requests_per_second=requests_per_second, timeout=timeout, insecure=insecure,
            max_retries=max_retries, backoff=backoff, max_backoff=max_backoff, max_retry_after=max_retry_after,
            max_rate_limited=max_rate_limited, rate_limit_deadline=rate_limit_deadline,
        )
        self.http = HttpClient(base_url.rstrip("/") + "/api/", GrooveKartDialect(credentials), settings,
                               transport=transport, log=log)

    @property
    def requests(self) -> int:
        return self.http.requests

    @property
    def by_call(self) -> Counter[str]:
        return self.http.by_call

    async def aclose(self) -> None:
        await self.http.aclose()

    def redact(self, obj: Any) -> Any:
        return self.http.redact(obj)

    def call(self, endpoint: str, body: dict[str, Any], *, idempotent: bool,
             empty: Collection[str] = (), decode: Decode | None = None,
             content: bytes | None = None) -> Awaitable[Any]:
        """POST one call; returns the parsed answer (or what `decode` made of it: see HttpClient.send),
        or EMPTY when the store says "none found". The send itself, not a coroutine around it: each level
        of coroutines is passed through again whenever an answer wakes the request (issue 13).
        `content`: the body's bytes made ahead (HttpClient.encode)."""
        return self.http.send("POST", f"{endpoint}.json", label=call_label(endpoint, body), body=body,
                              idempotent=idempotent, empty=empty, decode=decode, content=content)


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
