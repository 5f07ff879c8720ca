"""Shoplazza's dialect of HTTP: `access-token` and `Content-Type` headers on every request, errors
in either documented shape (`{"error": "..."}` or `{"errors": [...]}`), and a `Request-Id` header
on every answer, kept in error messages for Shoplazza's support."""

from __future__ import annotations

from typing import Any, ClassVar

from catalogctl.http.dialect import Dialect, StoreFailure

MEANINGS: dict[int, str] = {  # the document's error table
    400: "Bad Request: the request is malformed or contains invalid parameters",
    401: "UnauthorizedError: missing or invalid authentication credentials",
    404: "store is not active: the requested store is inactive or unavailable",
    429: "too many requests: Shoplazza allows 2 requests per second per app and store",
    500: "Response message parsing error: internal server error",
    520: "No context: the request lacks sufficient context to process successfully",
}


class ShoplazzaDialect(Dialect):
    """`access-token: <token>`; an error status or an error field in the body is a failure."""

    vendor: ClassVar[str] = "Shoplazza"
    secret_fields: ClassVar[frozenset[str]] = frozenset({"access-token", "access_token"})
    request_id_header: ClassVar[str | None] = "Request-Id"
    auth_hint: ClassVar[str] = ("Check the environment variable named by the target's access_token_env "
                                "(sent as access-token; the app needs the read_shop scope).")

    def __init__(self, access_token: str) -> None:
        self._token = access_token

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self._token,)

    def headers(self) -> dict[str, str]:
        # The document marks Content-Type required even on this GET: sent, as the strict reading asks.
        return {"access-token": self._token, "Content-Type": "application/json"}

    def failure(self, status: int, data: Any) -> StoreFailure | None:
        said = error_text(data)
        if status < 400 and said is None:
            return None
        meaning = MEANINGS.get(status, f"HTTP {status}")
        message = meaning if said is None or meaning.startswith(said) else f"{meaning} (the store says: {said})"
        return StoreFailure(message, auth=status == 401)


def error_text(data: Any) -> str | None:
    """The store's words from `{"error": "..."}` or `{"errors": [...]}`; None when there are none."""
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    if isinstance(error, str) and error:
        return error
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        return "; ".join(str(item) for item in errors)
    if isinstance(errors, str) and errors:
        return errors
    return None
