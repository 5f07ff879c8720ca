"""format_value's shortcuts (issue 13: a 10,000-product plan formats ~500,000 values) must write
exactly what json.dumps wrote, for every JSON value a plan holds."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.render.view_rows import _money, format_value

_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text()
                     | st.floats(allow_nan=False, allow_infinity=False),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                     max_leaves=10)


@settings(max_examples=500, deadline=None, database=None)
@given(name=st.sampled_from(["title", "tags", "options", "active", "src", "type", "color", "sku", "position"]),
       value=_JSON | st.lists(st.text(), max_size=5))
def test_any_value_is_written_as_json_dumps_wrote_it(name: str, value: Any) -> None:
    assert format_value(name, value) == json.dumps(value, ensure_ascii=False)


@settings(deadline=None)   # a pure function, but the suite shares the cores with other workers
@given(text=st.text() | st.decimals(allow_nan=False, allow_infinity=False).map(str))
def test_money_text_is_the_same_when_cached(text: str) -> None:
    def outcome(fn: Any) -> Any:
        try:
            return fn(text)
        except ArithmeticError as exc:   # as before: a 27-digit amount cannot be shown to the cent
            return type(exc)

    assert outcome(lambda t: format_value("price", t)) == outcome(_money.__wrapped__) == outcome(_money)


def test_the_shapes_a_plan_shows() -> None:
    assert format_value("title", 'Tee "Grün"\n') == '"Tee \\"Grün\\"\\n"'
    assert format_value("tags", ["a", "b"]) == '["a", "b"]'
    assert format_value("active", True) == "true" and format_value("color", None) == "null"
    assert format_value("price", "26.5") == "26.50" and format_value("weight", "0.5") == "0.5"
    assert format_value("values", [["Color", "Blue"], ["Size", "L"]]) == "Color=Blue,Size=L"
