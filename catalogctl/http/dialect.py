"""A store API's dialect: where its credentials go and how its answers say "failed".

The generic client (`HttpClient`) knows retries, pacing and redaction; a provider hands it one
Dialect that knows the rest. GrooveKart puts credentials in the JSON body and reports errors in
several body shapes even with HTTP 200; Shoprocket sends a `sr_auth` header and errs by status;
Shoplazza sends `access-token` and tags every answer with a `Request-Id` header.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class StoreFailure:
    """The store's own words for a failed call, and whether it refused the credentials."""

    message: str
    auth: bool = False


class Dialect(ABC):
    """One store API's conventions; stateless apart from the credentials it carries."""

    vendor: ClassVar[str]
    """The store's name in messages: "GrooveKart call products.json failed ..."."""
    secret_fields: ClassVar[frozenset[str]] = frozenset()
    """Body and answer keys whose values are masked wherever they show (besides the secrets' values)."""
    request_id_header: ClassVar[str | None] = None
    """A response header that identifies the request to the store's support: kept in errors."""
    auth_hint: ClassVar[str] = "Check the target's credential environment variables."

    @property
    @abstractmethod
    def secrets(self) -> tuple[str, ...]:
        """Credential values: masked in every log line, error and dump."""

    def headers(self) -> dict[str, str]:
        """Headers every request carries (credentials, when the API takes them in a header)."""
        return {}

    def body(self, body: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """The JSON body as sent (credentials added, when the API takes them in the body)."""
        return body

    @abstractmethod
    def failure(self, status: int, data: Any) -> StoreFailure | None:
        """The failure a parsed answer reports (any status), or None when it is a success."""
