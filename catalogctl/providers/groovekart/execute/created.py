"""The product create answer read straight from its bytes into typed structs (issue 13).

Parsing the answer into dicts, checking it for the store's failure shapes and then picking the ids
out of the dicts cost ~20 us of CPU per create of the walk; msgspec reads the same ids from the bytes
in a few. Only a plain answer is read here: valid JSON msgspec reads as json does, an object with
`id_product`, no failure field (`Error`, `error`, `status`), str or int ids, variants whose values
name a str. Anything else is None, and the client then parses and checks it as every other answer
(HttpClient.send's `decode`), so the same answers fail with the same words.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import msgspec

Created = tuple[str, str | None, dict[frozenset[tuple[str, str]], str]]
"""(product id, cover image id, variant id per set of (group, value) pairs)."""


class _Value(msgspec.Struct, gc=False):
    variant_name: str
    variant_group_type: str = ""
    color: str | None = None


class _Variant(msgspec.Struct, gc=False):
    variant_id: str | int
    variant_values: dict[str, _Value]


class _Answer(msgspec.Struct, gc=False):
    id_product: str | int
    image_id: str | int | None = None
    variants: list[_Variant] = []
    # The dialect's failure shapes (dialect.error_of): present and not null, the answer is read the generic way.
    Error: Any = None
    error: Any = None
    status: Any = None


_DECODER = msgspec.json.Decoder(_Answer)

# msgspec skips a field the structs do not name without reading it as text or number: bytes that are
# not UTF-8, or an integer longer than json reads (sys.get_int_max_str_digits), pass unnoticed there,
# while the generic read refuses the whole answer. Such an answer is left to it (a digit run that long
# inside a string sends a plain answer the generic way too: the same result, slower).
_DIGITS_LIMIT = sys.get_int_max_str_digits()
_TOO_LONG = re.compile(rb"\d{%d}" % (_DIGITS_LIMIT + 1)) if _DIGITS_LIMIT else None


def _readable_as_json_reads(body: bytes) -> bool:
    """Whether nothing in `body` that msgspec would skip could make json refuse it."""
    if not body.isascii():
        try:
            body.decode("utf-8", "surrogatepass")   # as the generic read decodes it (json.loads of bytes)
        except UnicodeDecodeError:
            return False
    return _TOO_LONG is None or _TOO_LONG.search(body) is None


def decode_created(body: bytes) -> Created | None:
    """The ids of a plain create answer, as execute.products._created reads them from its parsed data;
    None for any other body (not JSON, a failure, another shape)."""
    if not _readable_as_json_reads(body):
        return None
    try:
        answer = _DECODER.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return None
    if answer.Error is not None or answer.error is not None or answer.status is not None:
        return None
    image = answer.image_id
    by_values = {frozenset([(group, value.variant_name) for group, value in variant.variant_values.items()]):
                 str(variant.variant_id) for variant in answer.variants}
    return str(answer.id_product), None if image is None else str(image), by_values
