"""Shoprocket's dialect of HTTP: the API key in an `sr_auth` header, failures by HTTP status.

The document lists error codes with their meanings but no error body; whatever message and
per-field errors the body holds are added to the documented meaning, so a refusal reads
"Bad Request -- Your request is invalid.: The subdomain has already been taken.".
"""

from __future__ import annotations

from typing import Any, ClassVar

from catalogctl.http.dialect import Dialect, StoreFailure

MEANINGS: dict[int, str] = {  # the document's error table
    400: "Bad Request -- Your request is invalid.",
    401: "Unauthorised -- Your API key is wrong.",
    403: "Forbidden -- The object requested is hidden for administrators only.",
    404: "Not Found -- The specified object could not be found.",
    405: "Method Not Allowed -- You tried to access a object with an invalid method.",
    406: "Not Acceptable -- You requested a format that isn't json.",
    410: "Gone -- The object requested has been removed from our servers.",
    429: "Too Many Requests -- You're requesting too many objects",
    500: "Internal Server Error -- We had a problem with our server. Try again later.",
    503: "Service Unavailable -- We're temporarily offline for maintenance. Please try again later.",
}
SECRET_FIELDS = frozenset({
    "test_publishable_key", "live_publishable_key", "test_secret_key", "live_secret_key", "taxjar_api_key",
    "password", "client_id", "password_token", "sr_auth",
})
"""Answer and body keys whose values never show: the create-store answer's keys, a user's credentials."""


class ShoprocketDialect(Dialect):
    """`sr_auth: <key>` on every request; an HTTP status of 400 or more is a failure."""

    vendor: ClassVar[str] = "Shoprocket"
    secret_fields: ClassVar[frozenset[str]] = SECRET_FIELDS
    auth_hint: ClassVar[str] = "Check the environment variable named by the target's api_key_env (sent as sr_auth)."

    def __init__(self, api_key: str) -> None:
        self._api_key = api_key
        self._more: list[str] = []  # staff passwords read during an apply: masked like the key

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self._api_key, *self._more)

    def add_secret(self, value: str) -> None:
        """Mask `value` (a password about to be sent) in every message from now on."""
        if value and value not in self._more:
            self._more.append(value)

    def headers(self) -> dict[str, str]:
        return {"sr_auth": self._api_key}

    def failure(self, status: int, data: Any) -> StoreFailure | None:
        if status < 400:
            return None
        message = describe(status, data)
        if status == 401:  # the walker shows one line per failed step: say there what to check
            message += " Check the variable named by the target's api_key_env (sent as sr_auth)."
        return StoreFailure(message, auth=status == 401)


def describe(status: int, data: Any) -> str:
    """The documented meaning of `status` plus what the body says (message, errors per field)."""
    meaning = MEANINGS.get(status, f"HTTP {status}")
    said = [*_message(data), *field_errors(data).values()]
    said = [text for text in said if text and text != meaning]
    return meaning if not said else f"{meaning}: {' '.join(said)}"


def _message(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return []
    message = data.get("message") or data.get("error")
    return [str(message)] if message else []


def field_errors(data: Any) -> dict[str, str]:
    """`{"errors": {"subdomain": ["The subdomain has already been taken."]}}` as {field: text}."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, dict):
        return {}
    found: dict[str, str] = {}
    for name, texts in errors.items():
        items = texts if isinstance(texts, list) else [texts]
        found[str(name)] = " ".join(str(text) for text in items)
    return found
