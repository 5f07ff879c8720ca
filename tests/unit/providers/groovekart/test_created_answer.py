"""The create answer's ids read straight from plain answers are exactly what wire.CreatedProduct makes of
them, and every other answer still goes through the model (the same result, or the same error)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from catalogctl.model.address import variant_key
from catalogctl.providers.groovekart import wire
from catalogctl.providers.groovekart.dialect import error_of
from catalogctl.providers.groovekart.execute.created import decode_created
from catalogctl.providers.groovekart.execute.products import _created, _plain_created, _variant_ident


def _by_model(data: Any) -> tuple[Any, ...]:
    answer = wire.CreatedProduct.model_validate(data)
    return answer.id, answer.image_id, {frozenset((g, v.name) for g, v in created.values.items()): created.variant_id
                                        for created in answer.variants}


def _outcome(read: Any, data: Any) -> tuple[str, Any]:
    try:
        return "ok", read(data)
    except ValidationError as exc:
        return "error", str(exc)


SIZES = ["S", "M", "L"]
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**12), st.floats(allow_nan=False),
                     st.text(max_size=4), st.sampled_from(["7", "", "0012"]))
_ids = st.one_of(st.integers(1, 10**9), st.sampled_from(["41", "0041", ""]), _scalars)
_value = st.fixed_dictionaries(
    {"variant_name": st.one_of(st.sampled_from(SIZES), _scalars)},
    optional={"variant_group_type": st.one_of(st.sampled_from(["select", "color"]), _scalars),
              "color": st.one_of(st.sampled_from(["#FF0000"]), _scalars), "name": st.just("x"), "extra": _scalars})
_variant = st.one_of(
    st.fixed_dictionaries({"variant_id": _ids, "variant_values": st.dictionaries(st.sampled_from(["Size", "Color"]),
                                                                                  _value, max_size=2)},
                          optional={"id": _ids, "values": st.just({})}),
    st.fixed_dictionaries({"values": st.just({}), "variant_id": _ids}),
    _scalars)
_plain_ids = st.one_of(st.integers(1, 10**9), st.sampled_from(["41", "0041", ""]))
_plain_value = st.fixed_dictionaries(
    {"variant_name": st.sampled_from([*SIZES, ""])},
    optional={"variant_group_type": st.sampled_from(["select", "color"]), "color": st.sampled_from(["#FF0000", None])})
_plain_variant = st.fixed_dictionaries(
    {"variant_id": _plain_ids, "variant_values": st.dictionaries(st.sampled_from(["Size", "Color"]), _plain_value,
                                                                 max_size=2)})
_plain_answer = st.fixed_dictionaries({"id_product": _plain_ids},
                                      optional={"image_id": st.one_of(st.none(), _plain_ids),
                                                "variants": st.lists(_plain_variant, max_size=4)})
_answer = st.one_of(
    _plain_answer, _plain_answer,   # every variant of it read directly, each odd value below read by the model
    st.fixed_dictionaries({"id_product": _ids},
                          optional={"image_id": _ids, "variants": st.one_of(st.lists(_variant, max_size=4), _scalars),
                                    "id": _ids, "other": _scalars}),
    st.fixed_dictionaries({"id": _ids}),
    _scalars, st.lists(_scalars, max_size=2))


@settings(max_examples=600, deadline=None)
@given(_answer)
def test_any_answer_reads_as_the_model_reads_it(data: Any) -> None:
    assert _outcome(_created, data) == _outcome(_by_model, data)


def test_a_plain_answer_takes_the_direct_path_and_an_odd_one_the_model() -> None:
    plain = {"id_product": 41, "image_id": "7", "variants": [
        {"variant_id": 90, "variant_values": {"Size": {"variant_group_type": "select", "variant_name": "S"},
                                              "Color": {"variant_group_type": "color", "variant_name": "Red",
                                                        "color": "#FF0000"}}}]}
    expected = ("41", "7", {frozenset({("Size", "S"), ("Color", "Red")}): "90"})
    assert _plain_created(plain) == expected == _by_model(plain)
    odd = {"id_product": 41, "variants": [{"variant_id": 90, "variant_values": {"Size": {"variant_name": 5}}}]}
    assert _plain_created(odd) is None and _created(odd) == ("41", None, {frozenset({("Size", "5")}): "90"})
    with pytest.raises(ValidationError):
        _created({"id_product": None})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Color", "Size", "É"]), st.text(max_size=4)), max_size=3).map(tuple))
def test_a_variants_cached_identity_is_its_values_set_and_address_key(values: tuple[tuple[str, str], ...]) -> None:
    for _ in range(2):   # computed, then from the cache
        assert _variant_ident(values) == (frozenset(values), variant_key(values))


# ---- the answer read from its bytes (created.py) ------------------------------------------------------

_failures = st.fixed_dictionaries({}, optional={"Error": _scalars, "error": _scalars, "status": st.one_of(
    st.sampled_from(["error", "Failed", "FAILURE", "success", "ok"]), _scalars), "message": _scalars})
_any_answer = st.one_of(
    _answer, st.tuples(_plain_answer, _failures).map(lambda t: {**t[0], **t[1]}),
    st.tuples(_answer, _failures).map(lambda t: {**t[0], **t[1]} if isinstance(t[0], dict) else t[0]))


def _generic(data: Any) -> tuple[str, Any]:
    """What the create made of an answer before: a failure of the dialect's, or _created's result or error."""
    message, _ = error_of(data)
    return ("failure", message) if message is not None else _outcome(_created, data)


@settings(max_examples=800, deadline=None)
@given(_any_answer, st.sampled_from([None, 2]))
def test_an_answer_read_from_its_bytes_is_what_the_generic_read_makes_of_it(data: Any, indent: int | None) -> None:
    read = decode_created(json.dumps(data, indent=indent).encode())
    if read is not None:   # else the client parses it and the create reads it as before: nothing to compare
        assert ("ok", read) == _generic(data)


@settings(max_examples=300, deadline=None)
@given(_plain_answer)
def test_a_plain_answer_is_read_from_its_bytes(data: dict[str, Any]) -> None:
    assert decode_created(json.dumps(data).encode()) == _created(data)


@pytest.mark.parametrize("body", [
    b'{"id_product": 1, "id_product": "2", "variants": []}',            # the last one wins, as json.loads has it
    b'{"id_product": 1, "variants": [{"variant_id": 3, "variant_id": 4, "variant_values": {}}]}',
    b'{"id_product": 1, "variants": [{"variant_id": 3, "variant_values": {"S": {"variant_name": "a"}, '
    b'"S": {"variant_name": "b"}}}]}',
    b'{"id_product": 18446744073709551616, "image_id": -0}', b' \n{"id_product": "7"}\r\n',
])
def test_repeated_keys_and_big_numbers_read_as_json_loads_reads_them(body: bytes) -> None:
    read = decode_created(body)
    assert read is None or read == _created(json.loads(body))


@pytest.mark.parametrize("body", [
    b'{"id_product": 1, "Error": "Invalid token"}', b'{"id_product": 1, "status": "error", "message": "no"}',
    b'{"id_product": 1, "error": 0}', b'{"id_product": 1, "status": "ok"}', b'{"id_product": true}',
    b'{"id_product": 1.0}', b'{"id_product": 1, "image_id": false}', b'{"id_product": 1, "variants": null}',
    b'{"id_product": 1, "variants": [{"variant_id": 3, "variant_values": {"S": {"variant_name": 5}}}]}',
    b'{"id_product": 1, "variants": [{"variant_id": 3, "variant_values": {"S": {"variant_name": "a", '
    b'"color": 1}}}]}',
    b'{"id_product": "\\ud800"}', b'{"id_product": "\xff"}',
    b'\xef\xbb\xbf{"id_product": 1}', b'[{"id_product": 1}]', b'{"id_product": 1', b'', b'null',
    b'{"id_product": 1, "x": NaN}',
])
def test_anything_but_a_plain_answer_is_left_to_the_generic_read(body: bytes) -> None:
    assert decode_created(body) is None


# A field the structs do not name is skipped by msgspec unread; what json would refuse in it (bytes that
# are not UTF-8, an integer over sys.get_int_max_str_digits) must still send the answer the generic way,
# where it fails as before (the vendor document's own create answer carries such fields: tags, product_url).
_PLAIN = b'"id_product": "8", "image_id": "111118", "variants": [{"variant_id": 26, "variant_values": ' \
         b'{"Color": {"variant_name": "Blue"%s}}%s}]'
_HOSTILE = [b'"caf\xe9"', b'"\xff"', b'"\xc0\x80"', b"1" + b"0" * 5000, b'["\xff"]',
            b'{"\xff": 1}', b"-" + b"9" * 4301]


@pytest.mark.parametrize("value", _HOSTILE)
@pytest.mark.parametrize("where", ["top", "variant", "value"])
def test_what_json_refuses_in_a_skipped_field_leaves_the_answer_to_the_generic_read(value: bytes, where: str) -> None:
    extra = {"top": (b"", b""), "variant": (b"", b', "x": ' + value), "value": (b', "x": ' + value, b"")}[where]
    body = b"{" + (_PLAIN % extra) + (b', "tags": {"1": [' + value + b"]}}" if where == "top" else b"}")
    _refused_by_json_and_left_to_it(body)


def test_a_skipped_key_that_is_not_utf8_leaves_the_answer_to_the_generic_read() -> None:
    _refused_by_json_and_left_to_it(b"{" + (_PLAIN % (b"", b"")) + b', "\xff": 1}')


def _refused_by_json_and_left_to_it(body: bytes) -> None:
    with pytest.raises((ValueError, UnicodeDecodeError)):   # what the generic read (json) makes of it
        json.loads(body)
    assert decode_created(body) is None


def test_the_same_answer_without_the_hostile_field_is_still_read_from_its_bytes() -> None:
    body = b"{" + (_PLAIN % (b"", b"")) + b', "tags": {"1": ["caf\xc3\xa9", "\xed\xa0\x80"]}, "product_url": "x", ' \
        b'"n": ' + b"1" * 4300 + b"}"   # an encoded surrogate: json.loads of bytes reads it (surrogatepass)
    assert decode_created(body) == ("8", "111118", {frozenset({("Color", "Blue")}): "26"}) \
        == _created(json.loads(body))
