"""A request body is decoded by msgspec before json, a value of a variant is remembered by its fields,
and a plain string field skips the type checks (issue 13: the sandbox's CPU per create_product).
Each must answer exactly as before, refusals and their messages included: the previous code is
kept here as the oracle."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.sandbox import limits
from catalogctl.sandbox.groovekart import payload, variant_input
from catalogctl.sandbox.groovekart.payload import Invalid
from catalogctl.sandbox.limits import MAX_JSON_DEPTH, MAX_JSON_VALUES, Malformed


def _old_parse_object(raw: bytes, parse_float: Any = Decimal) -> dict[str, Any]:
    if not raw.strip():
        return {}
    if limits.value_count_over_cap(raw):
        raise Malformed(f"The request body holds more than {MAX_JSON_VALUES:,} JSON values (counted as its "
                        "brackets, braces and commas outside strings), the sandbox's limit.", 413)
    try:
        body = json.loads(raw, parse_float=parse_float, parse_constant=limits._not_json)
    except RecursionError as exc:
        raise Malformed(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed(f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise Malformed("The request body must be a JSON object of named parameters.")
    levels = limits._nesting(body) if limits._surrogate_free(raw) else limits.depth(body)
    if levels < 0:
        raise Malformed("The request body holds an unpaired UTF-16 surrogate (\\ud800-\\udfff), which is no text.")
    if levels > MAX_JSON_DEPTH:
        raise Malformed(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.")
    return body


def _verdict(parse: Any, raw: bytes, parse_float: Any = Decimal) -> tuple[str, Any]:
    try:
        return "ok", repr(parse(raw, parse_float))
    except Malformed as exc:
        return "refused", (exc.status, str(exc))
    except Exception as exc:  # whatever escaped before must escape the same way
        return "raised", type(exc).__name__


TEXT = st.text(max_size=6)  # surrogates included
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT
    | st.decimals(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=10)
ODD = st.sampled_from([
    b"", b"  ", b"[]", b"1", b'"x"', b"{}", b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}', b'{"a":1}x',
    b"\xef\xbb\xbf{}", b'{"a": "\xff"}', b'"\xed\xa0\x80"', b'{"a": "\\ud800"}', b'{"a": "\xed\xa0\x80"}',
    b'{"a": 1' + b"0" * 5000 + b"}", b'{"a": 1.5e999}', b'{"a":1,"a":2}', b"\x00{\x00}", b'{"a": "\x01"}',
    b'{"a": ' + b"[" * 600 + b"]" * 600 + b"}", b'{"a": ' + b"[" * 1200 + b"]" * 1200 + b"}", b'{"a": 00}',
    '{"a": "Grün", "b": [[{}]]}'.encode(), '{"a": 1}'.encode("utf-16"), b'{"a": 1e99999999999999999999}',
])


def _encodings(value: Any) -> list[bytes]:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return [text.encode("utf-8", "surrogatepass"), json.dumps(value, default=str).encode()]


@settings(max_examples=400, deadline=None, database=None)
@given(value=st.dictionaries(TEXT, JSONISH, max_size=4) | JSONISH, odd=ODD, cut=st.integers(0, 40))
def test_a_body_is_read_or_refused_as_before(value: Any, odd: bytes, cut: int) -> None:
    for raw in (*_encodings(value), odd, odd[:cut], _encodings(value)[0][:cut]):
        assert _verdict(limits.parse_object, raw) == _verdict(_old_parse_object, raw)
        assert _verdict(limits.parse_object, raw, float) == _verdict(_old_parse_object, raw, float)


def test_the_odd_bodies_are_still_refused_with_json_s_message() -> None:
    with pytest.raises(Malformed, match="not a JSON value"):
        limits.parse_object(b'{"a": NaN}')
    with pytest.raises(Malformed, match="unpaired UTF-16 surrogate"):
        limits.parse_object(b'{"a": "\\ud800"}')
    with pytest.raises(Malformed, match="Exceeds the limit"):
        limits.parse_object(b'{"a": 1' + b"0" * 5000 + b"}")
    with pytest.raises(Malformed, match="nests deeper than 512"):
        limits.parse_object(b'{"a": ' + b"[" * 600 + b"]" * 600 + b"}")
    assert limits.parse_object(b'{"p": 1.50, "q": [1, {"r": null}]}') == {"p": Decimal("1.50"), "q": [1, {"r": None}]}


def _old_as_str(value: Any, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise Invalid(f"{field} must be a string")
    if isinstance(value, str | int | Decimal):
        return str(value).strip()
    raise Invalid(f"{field} must be a string")


def _answer(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", repr(fn(*args))
    except Invalid as exc:
        return "refused", str(exc)


class _Text(str):
    def __str__(self) -> str:
        return "told"


@given(st.none() | st.booleans() | st.integers() | st.text() | st.decimals() | st.floats() | st.lists(st.text()))
@settings(max_examples=300, deadline=None)
def test_as_str_answers_as_before(value: Any) -> None:
    assert _answer(payload.as_str, value, "f") == _answer(_old_as_str, value, "f")
    assert _answer(payload.as_str, _Text(" x "), "f") == _answer(_old_as_str, _Text(" x "), "f")


FIELDS = st.sampled_from(["variant_group_type", "variant_name", "color", "texture", "extra"])
FIELD_VALUES = st.sampled_from(["select", "color", "radio", "Blue", " Blue ", "#0000FF", "#00f", "", "x" * 70,
                                "https://a/t.png", "ftp://t", "<b>"]) | st.none() | st.integers(0, 2) \
    | st.sampled_from([Decimal("1.0"), Decimal("1.00"), True, 1.5])


@given(group=st.sampled_from(["Color", "Size", " ", "a<b", "x" * 70]),
       raw=st.dictionaries(FIELDS, FIELD_VALUES, max_size=5) | st.none() | st.text(max_size=3))
@settings(max_examples=500, deadline=None)
def test_a_remembered_value_is_what_the_checks_give(group: str, raw: Any) -> None:
    for _ in range(2):  # the second time from memory
        assert _answer(variant_input.parse_value, group, raw) == _answer(variant_input._parse_value, group, raw)


def test_equal_but_differently_spelled_fields_are_not_mixed_up() -> None:
    first = variant_input.parse_value("Size", {"variant_group_type": "select", "variant_name": Decimal("1.0")})
    second = variant_input.parse_value("Size", {"variant_group_type": "select", "variant_name": Decimal("1.00")})
    assert (first.name, second.name) == ("1.0", "1.00")
    with pytest.raises(Invalid):
        variant_input.parse_value("Size", {"variant_group_type": "select", "variant_name": True})
