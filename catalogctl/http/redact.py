"""Secret redaction for everything a provider may print: logs, exceptions, debug dumps.

A store that echoes a request back shows a secret in whatever encoding its answer uses, and our
own messages add another (an error quotes the answer with repr, a report is JSON). So each secret
is masked in every spelling it can take: raw, JSON-escaped (ASCII-only or not, `\\u` hex in
either case, `/` escaped as PHP's json_encode does), URL-encoded (%XX in either case, + or %20
for a space), HTML-escaped, Python repr, and each of these nested
once more (a JSON answer quoted inside a JSON string). Credentials shorter than MIN_SECRET_LENGTH
are refused where a client is made (`check_secrets`): masking `t` would turn `Too many requests`
into `***oo many requests`, and no real store issues a token that short.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

from catalogctl.errors import TargetError

MASK = "***"
MIN_SECRET_LENGTH = 8
SECRET_KEYS = frozenset({"auth_token", "api_key", "access_token", "password", "secret_key"})
"""Keys masked by default; a dialect adds its own (`Dialect.secret_fields`)."""
T = TypeVar("T")


def _lower_escapes(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), text)


def _upper_escapes(text: str) -> str:
    return re.sub(r"\\u[0-9a-f]{4}", lambda m: "\\u" + m.group()[2:].upper(), text)


def _php_json(text: str) -> str:
    """PHP's json_encode (GrooveKart runs PHP) also escapes `/` as `\\/`: base64 tokens hold slashes."""
    return text.replace("/", "\\/")


_ENCODINGS: tuple[Callable[[str], str], ...] = (
    lambda s: json.dumps(s)[1:-1],                       # "t\u00f6k\"" : JSON, ASCII only
    lambda s: json.dumps(s, ensure_ascii=False)[1:-1],   # "tök\""      : JSON, UTF-8
    lambda s: _php_json(json.dumps(s)[1:-1]),            # "a\/b"       : PHP's json_encode
    lambda s: _php_json(json.dumps(s, ensure_ascii=False)[1:-1]),
    lambda s: _upper_escapes(json.dumps(s)[1:-1]),       # "t\u00F6k"   : upper-case hex (Java, .NET)
    lambda s: _php_json(_upper_escapes(json.dumps(s)[1:-1])),
    lambda s: quote(s, safe=""),                          # t%C3%B6k%22
    lambda s: quote(s),                                   # ... with / left as it is
    lambda s: quote_plus(s, safe=""),
    lambda s: quote_plus(s),
    lambda s: _lower_escapes(quote(s, safe="")),
    lambda s: html.escape(s, quote=True),                 # &lt;&amp;&gt;
    lambda s: html.escape(s, quote=False),
    lambda s: repr(s)[1:-1],                              # 'sec\\x'     : Python repr
    lambda s: repr("\"'" + s)[4:-1],                       # ... inside a repr that holds both quotes
    lambda s: ascii(s)[1:-1],
)


def secret_forms(secret: str) -> frozenset[str]:
    """Every spelling of `secret` that output may carry (the secret itself included)."""
    forms = {secret}
    for _ in range(2):   # nested once: a JSON answer quoted in an error, quoted in a JSON report
        forms |= {_spelled(encode, form) for form in list(forms) for encode in _ENCODINGS}
    return frozenset(form for form in forms if form)


def _spelled(encode: Callable[[str], str], text: str) -> str:
    try:
        return encode(text)
    except UnicodeError:   # a lone surrogate (an environment variable that was not UTF-8) has no %XX form
        return ""


@lru_cache(maxsize=64)
def _pattern(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    forms = {form for secret in secrets for form in secret_forms(secret)}
    if not forms:
        return None
    # Longest first, so a JSON-escaped spelling is masked whole rather than around its raw core.
    return re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)))


def check_secrets(secrets: Iterable[str], *, hint: str | None = None) -> None:
    """Refuse a credential too short to be real (and to mask without garbling ordinary words)."""
    for secret in secrets:
        if secret and len(secret) < MIN_SECRET_LENGTH:
            raise TargetError(
                f"a credential of this target is only {len(secret)} character{'s' if len(secret) > 1 else ''} "
                "long; real store tokens "
                f"and keys are much longer, and catalogctl needs at least {MIN_SECRET_LENGTH} to keep it "
                "out of its output without masking ordinary words", hint=hint)


def redact(obj: T, secrets: Iterable[str], keys: Collection[str] = SECRET_KEYS) -> T:
    """A copy of `obj` (text, mapping, list) with secret values and secret-named fields masked."""
    return _redact(obj, _pattern(tuple(sorted({s for s in secrets if s}))), frozenset(keys))


def _redact(obj: Any, pattern: re.Pattern[str] | None, keys: frozenset[str]) -> Any:
    if isinstance(obj, str):
        return obj if pattern is None else pattern.sub(MASK, obj)
    if isinstance(obj, Mapping):
        return {
            key: MASK if key in keys and obj[key] not in (None, "") else _redact(value, pattern, keys)
            for key, value in obj.items()
        }
    if isinstance(obj, list | tuple):
        return type(obj)(_redact(item, pattern, keys) for item in obj)
    if isinstance(obj, bytes):
        return _redact(obj.decode("utf-8", "replace"), pattern, keys)
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
