"""wire.six and wire.now_text remember their answers (issue 13: a create_product prices 10 variants
with the same few values, and dates its rows within one second); they must answer as they computed."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from catalogctl.sandbox.groovekart import wire

VALUES = ["0", "-0", "0E+5", "-0E-3", "0.0000000", "19.5", "19.50", "19.500000", "1.0000005", "-1.0000005",
          "1E+3", "1000", "0.1234565", "99999999999999.999999", "-2.5E-7", "2.5E-7", "7"]


def _computed(value: Decimal) -> str:
    return str(value.quantize(wire.SIX, rounding=ROUND_HALF_UP))


def test_six_answers_what_it_computes_whatever_was_asked_before() -> None:
    for order in (VALUES, VALUES[::-1]):  # -0 after 0 and 0 after -0: equal, hashed alike, spelled apart
        wire._six.cache_clear()
        for text in order * 2:
            value = Decimal(text)
            assert wire.six(value) == _computed(value), text
    assert wire.six(Decimal("-0")) == "-0.000000" and wire.six(Decimal("0")) == "0.000000"


def test_now_text_is_the_clock_s_second() -> None:
    for _ in range(2000):
        before = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        text = wire.now_text()
        after = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        assert before <= text <= after
