"""Secret redaction for everything a provider may print: logs, exceptions, debug dumps."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypeVar

MASK = "***"
SECRET_KEYS = frozenset({"auth_token", "api_key", "access_token", "password", "secret_key"})
"""Keys masked by default; a dialect adds its own (`Dialect.secret_fields`)."""
T = TypeVar("T")


def redact(obj: T, secrets: Iterable[str], keys: Collection[str] = SECRET_KEYS) -> T:
    """A copy of `obj` (text, mapping, list) with secret values and secret-named fields masked."""
    needles = sorted({s for s in secrets if s}, key=len, reverse=True)
    return _redact(obj, needles, frozenset(keys))


def _redact(obj: Any, needles: list[str], keys: frozenset[str]) -> Any:
    if isinstance(obj, str):
        for needle in needles:
            obj = obj.replace(needle, MASK)
        return obj
    if isinstance(obj, Mapping):
        return {
            key: MASK if key in keys and obj[key] not in (None, "") else _redact(value, needles, keys)
            for key, value in obj.items()
        }
    if isinstance(obj, list | tuple):
        return type(obj)(_redact(item, needles, keys) for item in obj)
    if isinstance(obj, bytes):
        return _redact(obj.decode("utf-8", "replace"), needles, keys)
    return obj


class RedactingFilter(logging.Filter):
    """A logging filter that renders the record's message and masks the secrets in it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message, self._secrets)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        return True
