"""bench/walk_timeline.py: a request's stamps on both sides of real HTTP put together per connection."""

from __future__ import annotations

from pathlib import Path

from bench.walk_timeline import Trip, in_flight, report, timeline, trips


def test_each_connection_s_stamps_make_its_requests_in_order() -> None:
    events = [
        (5001, 1.000, "send", 300), (5001, 1.001, "arrive", 300), (5001, 1.052, "write", 90),
        (5001, 1.052, "write", 0),   # an answer's empty last write: not an answer
        (5002, 1.010, "send", 300), (5001, 1.053, "read", 90), (5002, 1.012, "arrive", 300),
        (5001, 1.054, "send", 300), (5002, 1.063, "write", 90), (5001, 1.055, "arrive", 300),
        (5002, 1.064, "read", 90), (5001, 1.106, "write", 90), (5001, 1.107, "read", 90),
        (5002, 1.070, "send", 300),   # no answer yet (the apply ended): left out, but the one before's next
    ]
    assert trips(events) == [Trip(1.000, 1.001, 1.052, 1.053, 1.054), Trip(1.010, 1.012, 1.063, 1.064, 1.070),
                             Trip(1.054, 1.055, 1.106, 1.107, None)]


def test_time_in_flight_adds_up_to_the_walk() -> None:
    walk = [Trip(0.0, 0.0, 0.0, 2.0, None), Trip(1.0, 1.0, 1.0, 3.0, None)]
    assert in_flight(walk) == {0: 0.0, 1: 2.0, 2: 1.0}


def test_an_apply_s_requests_are_stamped_on_both_sides(tmp_path: Path) -> None:
    walk, handled, served = timeline(tmp_path, 40, 20)
    assert len(walk) >= 40 and served >= len(walk)   # every create, and the walk's lookups
    # one clock for both processes: no stamp comes before the one it follows
    assert all(t.sent <= t.arrived <= t.answered <= t.read for t in walk)
    assert all(t.read <= t.next_sent for t in walk if t.next_sent is not None)
    assert all(t.read - t.sent >= 0.020 for t in walk)   # each held at least its latency
    assert len(handled) == served and all(start <= lat <= woke <= end for start, lat, woke, end in handled)
    assert all(woke - lat >= 0.020 for _, lat, woke, _ in handled)   # the latency never ends early
    lines = report(walk, handled, 0.020, 8)
    assert lines[0].startswith(f"{len(walk)} requests from the first to the last answer")
    assert any(line.startswith("  handler: latency past asked") for line in lines)
