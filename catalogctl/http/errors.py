"""Typed errors of a store call: what was called, what the store said, and never a secret."""

from __future__ import annotations

import json
from typing import Any

from catalogctl.errors import CatalogError

_REQUEST_PREVIEW = 240


class ProviderError(CatalogError):
    """A store call failed. `request` is the request body with its secrets already masked.

    `vendor` names the store ("GrooveKart"); the provider fills it in at its boundary when the
    raiser did not know it. `request_id` is the store's id of the request, for its support.
    """

    default_retryable = False

    def __init__(
        self,
        call: str,
        store_message: str,
        *,
        status: int | None = None,
        request: Any = None,
        retryable: bool | None = None,
        attempts: int = 1,
        unsent: bool = False,
        hint: str | None = None,
        vendor: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.call = call
        self.store_message = store_message
        self.status = status
        self.request = request
        self.retryable = self.default_retryable if retryable is None else retryable
        self.attempts = attempts
        self.vendor = vendor
        self.request_id = request_id
        self.unsent = unsent  # the store certainly did not act on it: safe to resend even a create
        super().__init__(self._compose(), hint=hint)

    def _compose(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        request_id = f" [Request-Id {self.request_id}]" if self.request_id else ""
        text = f"{self.vendor or 'store'} call {self.call} failed{status}{tries}{request_id}: {self.store_message}"
        if self.request is not None:
            text += f". Request: {preview(self.request)}"
        return text

    def with_attempts(self, attempts: int) -> ProviderError:
        """The same error, noting how many times the call was tried."""
        self.attempts = attempts
        return self._recompose()

    def from_vendor(self, vendor: str) -> ProviderError:
        """The same error, naming the store unless the raiser already did."""
        if self.vendor is None:
            self.vendor = vendor
            self._recompose()
        return self

    def _recompose(self) -> ProviderError:
        self.message = self._compose()
        self.args = (self.message,)
        return self


class AuthError(ProviderError):
    """The store refused the credentials (`{"Error": ...}` or HTTP 401/403)."""

    def __init__(self, call: str, store_message: str, **kwargs: Any) -> None:
        kwargs.setdefault("hint", "Check the target's credential environment variables.")
        super().__init__(call, store_message, **kwargs)


class TransportError(ProviderError):
    """The request did not complete: connect failure, timeout, dropped connection."""

    default_retryable = True


class RateLimited(ProviderError):
    """HTTP 429; `retry_after` is the wait the store asked for, in seconds."""

    default_retryable = True

    def __init__(self, call: str, store_message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(call, store_message, **kwargs)


class BadResponse(ProviderError):
    """The answer is not usable JSON: an HTML error page, an empty or truncated body, an unknown shape."""


def preview(request: Any) -> str:
    """A short one-line rendering of a (redacted) request body."""
    text = request if isinstance(request, str) else json.dumps(request, ensure_ascii=False, default=str)
    return text if len(text) <= _REQUEST_PREVIEW else text[: _REQUEST_PREVIEW - 1] + "…"
