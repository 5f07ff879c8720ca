"""A request's JSON body as sent: compact JSON, ASCII only (json.dumps with separators (",", ":")).

The walk of a from-scratch apply encodes a ~3 KB create_product body per request: json's encoder
(with its default ", " and ": ", as the client sent until issue 13) took ~31 us of CPU for it, more
when the caches are cold between answers; msgspec takes ~6 us, and writes compact JSON. Its bytes
are taken when they are ASCII without DEL: then they are json's compact ones byte for byte
(tests/unit/http/test_body.py), except that a float is spelled the shortest way (1e-05 as
0.00001, NaN as null): no body holds one (money is a Decimal, sent as a string). Anything else
(non-ASCII text, which json escapes; a value msgspec refuses) is encoded by json itself. Types
json refuses but msgspec writes (set, date, UUID, bytes, dataclasses, plain Enum) would be sent
instead of raising TypeError, and a circular body raises RecursionError instead of ValueError:
bodies are built from str, int, bool, None, Decimal, lists and str-keyed dicts only (the 177
request bodies of applying both examples are json's compact bytes exactly; review of be326e8).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import msgspec


def encode_body(body: Mapping[str, Any]) -> bytes:
    """`json.dumps(body, separators=(",", ":"), default=<Decimal as str>)` as bytes (ASCII), for the
    value types request bodies hold (see the module's docstring)."""
    try:
        data = _FAST.encode(body)
    except (TypeError, ValueError, OverflowError):   # json raises for these too, or spells them its way
        return _JSON.encode(body).encode()
    if data.isascii() and b"\x7f" not in data:   # what json escapes and msgspec writes as is
        return data
    return _JSON.encode(body).encode()


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_FAST = msgspec.json.Encoder(decimal_format="string")   # a Decimal as str(value), as _json_default spells it
_JSON = json.JSONEncoder(default=_json_default, separators=(",", ":"))
"""The definition (and the encoder of what msgspec would spell otherwise), without a new encoder per request."""
