"""Whatever a state file holds under `uncertain:` keys (hand-edited, from another version, torn by a
merge): reading it never raises, a record that parses round-trips exactly, damaged ones are dropped
by the next apply, and the wait before a read is never longer than one settle window."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.core import LiveState
from catalogctl.core.uncertain import UncertainCreate, record_keys, records, wait_needed
from catalogctl.state.file import State
from catalogctl.state.uncertain import resolve

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)
FIELD_NAMES = st.sampled_from(["address", "key", "call", "lost_at", "settle_s", "detail", "facts", "before"]) | st.text(
    max_size=8)
RECORDS = st.builds(
    UncertainCreate, st.text(min_size=1, max_size=20), st.text(max_size=20), st.text(max_size=20),
    st.floats(min_value=0, max_value=4e9), st.floats(min_value=0, max_value=3600), st.text(max_size=30),
    st.dictionaries(st.text(max_size=10), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
                    max_size=2),
    st.none() | st.text(max_size=6),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(FIELD_NAMES, JSON | st.sampled_from(["nan", "inf", "-1", "1e400", "7"]), max_size=8))
def test_any_fact_under_the_prefix_reads_without_error(fields: dict[str, Any]) -> None:
    found = records({"uncertain:x": fields, "image:1": {"src": "a"}})
    assert len(found) <= 1
    if found:
        assert UncertainCreate.from_fact(found[0].to_fact()) == found[0]
        assert 0 <= wait_needed(found) <= 3600


@settings(max_examples=200, deadline=None)
@given(RECORDS)
def test_a_record_round_trips_and_waits_at_most_its_window(record: UncertainCreate) -> None:
    assert UncertainCreate.from_fact(record.to_fact()) == record
    assert wait_needed([record]) <= record.settle_s


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=10), JSON, max_size=4), max_size=4))
def test_an_apply_after_every_window_drops_every_record_damaged_or_not(facts: list[dict[str, Any]]) -> None:
    state = State(Path("/nonexistent/state.json"), "t", {f"uncertain:{n}": f for n, f in enumerate(facts)})
    now = time.time()
    settled_later = [r for r in records(state.facts) if r.settled_at > now]
    resolve(state, LiveState({}), now)
    assert len(record_keys(state.facts)) == len(settled_later)
