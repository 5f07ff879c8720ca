"""A step's log line (state/log.py line_of): msgspec's fast spelling is json's own, byte for byte."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.state.log import line_of


def _json_line(facts: Any) -> bytes:
    """The definition: the line as json writes it."""
    text = json.dumps({"facts": facts}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


_scalars = st.one_of(st.text(), st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True))
_values = st.one_of(_scalars, st.lists(_scalars, max_size=4),
                    st.dictionaries(st.text(max_size=5), _scalars, max_size=3))
_facts = st.dictionaries(st.text(max_size=12), st.dictionaries(st.text(max_size=12), _values, max_size=4), max_size=4)


@settings(max_examples=400, deadline=None)
@given(_facts)
def test_every_line_is_jsons_own(facts: dict[str, dict[str, Any]]) -> None:
    try:
        expected = _json_line(facts)
    except (UnicodeEncodeError, ValueError, TypeError) as exc:   # lone surrogates: the same error
        with pytest.raises(type(exc)):
            line_of(facts)
        return
    assert line_of(facts) == expected


@pytest.mark.parametrize("facts", [
    {"image:1": {"src": "https://img.example/1.png"}, "product:2": {"short_description": None, "options": ["A", "B"]}},
    {"product:1": {"short_description": "".join(map(chr, range(0x300))) + "\u2028\u2029\ufeff😀\"\\/"}},
    {"Z": {"b": 1, "a": True, "é": False, "B": -(2**63)}, "a": {}, "é": {"x": 2**63 - 1}},
    {"big": {"n": 2**63}, "neg": {"n": -(2**63) - 1}, "huge": {"n": 10**40}},   # past msgspec's int64: json's
    {"f": {"x": 1e-05, "y": 1.0, "z": float("inf")}},                            # floats: json's spelling
    {"nested": {"record": {"at": 1.5, "detail": "lost", "known": {"a": {"src": "u"}}}}},
])
def test_the_values_a_state_holds_and_the_ones_json_spells_its_own_way(facts: dict[str, dict[str, Any]]) -> None:
    assert line_of(facts) == _json_line(facts)


def test_what_json_refuses_is_refused_the_same_way() -> None:
    for facts in ({"p": {"price": Decimal("1.5")}}, {"p": {"s": {1, 2}}}, {"p": {"s": "\ud800"}}):
        with pytest.raises(Exception) as expected:
            _json_line(facts)
        with pytest.raises(type(expected.value)):
            line_of(facts)


def test_a_bool_or_int_subclass_or_a_dict_subclass_is_left_to_json() -> None:
    from collections import OrderedDict
    from enum import IntEnum

    class Level(IntEnum):
        ONE = 1

    for facts in ({"p": {"n": Level.ONE}}, OrderedDict(p={"b": 2, "a": 1}), {"p": OrderedDict(b=2, a=1)}):
        assert line_of(facts) == _json_line(facts)   # type: ignore[arg-type]


@pytest.mark.parametrize("facts", [
    {f"product:{n}": {"short_description": "é\n", "options": ["Color", "Size"]} for n in range(50)}
    | {f"image:{n}": {"src": f"https://img.example/{n}.png"} for n in range(50)},
    {"image:1": {"src": "u", "w": 1.5}},                   # a float: json's spelling
    {"uncertain:x": {"record": {"at": 1.0, "known": {}}}},  # nested: json's
    {},
])
def test_the_state_document_is_jsons_own(tmp_path: Path, facts: dict[str, dict[str, Any]]) -> None:
    from catalogctl.state.file import State

    for target in ("prod", "ünï"):
        expected = json.dumps({"format_version": 1, "target": target, "facts": facts}, ensure_ascii=False,
                              sort_keys=True, separators=(",", ":")) + "\n"
        assert State(tmp_path / "s.json", target, facts).to_json() == expected
