"""bench/walk_timeline.py: a request's stamps on both sides of real HTTP put together per connection."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bench.walk_timeline import (
    Event,
    Phases,
    Trip,
    _stamped_protocol,
    in_flight,
    phase_lines,
    phases_of,
    report,
    timeline,
    timeline_lines,
    trips,
)
from catalogctl.sandbox import create_app, serve_in_thread
from catalogctl.sandbox.serve import sandbox_protocol


def test_each_connection_s_stamps_make_its_requests_in_order() -> None:
    events = [
        (5001, 1.000, "send", 300), (5001, 1.001, "arrive", 200), (5001, 1.0015, "arrive", 100),  # two chunks
        (5001, 1.052, "write", 90),
        (5001, 1.052, "write", 0),   # an answer's empty last write: not an answer
        (5002, 1.010, "send", 300), (5001, 1.053, "read", 90), (5002, 1.012, "arrive", 300),
        (5001, 1.054, "send", 300), (5002, 1.063, "write", 90), (5001, 1.055, "arrive", 300),
        (5002, 1.064, "read", 90), (5001, 1.106, "write", 90), (5001, 1.107, "read", 90),
        (5002, 1.070, "send", 300),   # no answer yet (the apply ended): left out, but the one before's next
        (6001, 1.080, "arrive", 80), (6001, 1.081, "write", 70),   # a request the client did not stamp
    ]
    found, partial = trips(events)
    assert found == [Trip(1.000, 1.001, 1.052, 1.053, 1.054), Trip(1.010, 1.012, 1.063, 1.064, 1.070),
                     Trip(1.054, 1.055, 1.106, 1.107, None)]
    assert partial == [1.070]


def test_time_in_flight_adds_up_to_the_walk() -> None:
    walk = [Trip(0.0, 0.0, 0.0, 2.0, None), Trip(1.0, 1.0, 1.0, 3.0, None)]
    assert in_flight(walk) == {0: 0.0, 1: 2.0, 2: 1.0}


def test_the_process_s_phases_add_up_to_its_wall_time() -> None:
    moments = {"spawned": 10.0, "started": 10.05, "imported": 10.3, "walk": 13.0, "walked": 80.5, "ended": 80.7,
               "written": 80.72, "exited": 80.75}
    events = [(0, at, what, 0) for what, at in moments.items()] + [(5001, 11.0, "send", 300)]
    phases = phases_of(events)
    assert phases == Phases(**moments)
    walk = [Trip(13.1, 13.1, 13.2, 13.2, 13.3), Trip(13.3, 13.3, 80.4, 80.45, None)]
    lines = phase_lines(phases, walk, 10_000, 0.05, 8)
    assert lines[0] == ("the apply's process, from its spawn to its exit: 70.75 s; the concurrency bound (10000 "
                        "requests x 50 ms / 8 in flight) 62.50 s is 88.3% of it")
    seconds = _part_seconds(lines[1:])
    assert seconds == [0.05, 0.25, 2.7, 67.45, 0.05, 0.2, 0.02, 0.03]
    assert sum(seconds) == pytest.approx(70.75)


def _part_seconds(lines: list[str]) -> list[float]:
    """The seconds of each part line ("  name   12.34 s")."""
    return [float(line.rsplit(maxsplit=2)[-2]) for line in lines]


def test_a_moment_stamped_twice_counts_from_its_first() -> None:
    moments = {"spawned": 1.0, "started": 1.1, "imported": 1.2, "walk": 2.0, "walked": 3.0, "ended": 3.1,
               "written": 3.2, "exited": 3.3}
    events = [(0, at, what, 0) for what, at in moments.items()] + [(0, 2.5, "walk", 0)]
    assert phases_of(events).walk == 2.0


def test_an_unstamped_phase_is_named() -> None:
    events = [(0, 1.0, "spawned", 0), (0, 2.0, "walk", 0)]
    with pytest.raises(SystemExit, match="not stamped at: started, imported, walked, ended, written, exited"):
        phases_of(events)


def test_an_empty_walk_is_said_not_crashed_on() -> None:
    with pytest.raises(SystemExit, match="no request of the walk"):
        report([], [], 0.05, 8)
    with pytest.raises(SystemExit, match="no request of the walk"):
        phase_lines(Phases(*range(8)), [], 7, 0.05, 8)


@pytest.mark.parametrize("includes_work", [True, False])
def test_an_apply_s_requests_are_stamped_on_both_sides(tmp_path: Path, includes_work: bool) -> None:
    found = timeline(tmp_path, 40, 20, includes_work=includes_work)
    walk = found.walk
    assert len(walk) >= 40 and found.served >= len(walk) and found.partial == 0   # every create, and the lookups
    # one clock for both processes: no stamp comes before the one it follows
    assert all(t.sent <= t.arrived <= t.answered <= t.read for t in walk)
    assert all(t.read <= t.next_sent for t in walk if t.next_sent is not None)
    assert all(t.read - t.sent >= 0.020 for t in walk)   # each held at least its latency
    assert len(found.handled) == len(walk)
    assert all(start <= lat <= woke <= end for start, lat, woke, end, _ in found.handled)
    assert all(woke - lat >= asked for _, lat, woke, _, asked in found.handled)   # a wait never ends early
    assert all(woke - start >= 0.020 for start, _, woke, _, _ in found.handled)   # nor the latency
    # the latency as a round trip: what the store's work took is not waited again
    assert all((asked < 0.020) is includes_work for _, _, _, _, asked in found.handled)
    phases = found.phases   # the process's moments, in order, around the walk's requests
    assert phases.spawned < phases.started < phases.imported < phases.walk
    assert max(t.read for t in walk) <= phases.walked <= phases.ended <= phases.written < phases.exited
    lines = timeline_lines(found, 0.020, 8)
    assert lines[0].startswith("the apply's process, from its spawn to its exit")
    assert f"({found.served} requests x 20 ms / 8 in flight)" in lines[0]   # every request, the read's too
    assert found.served > len(walk)
    seconds = _part_seconds(lines[1:9])
    assert sum(seconds) == pytest.approx(phases.exited - phases.spawned, abs=0.045)   # 8 parts, each to 0.005 s
    lines = lines[9:]
    assert lines[0].startswith(f"{len(walk)} requests from the first to the last answer")
    assert any(line.startswith("  handler: wait past asked") for line in lines)


def test_a_sandbox_that_cannot_start_is_said_not_waited_for(tmp_path: Path) -> None:
    (tmp_path / "store.sqlite").mkdir()   # the store cannot be opened: the sandbox process ends at once
    with pytest.raises(SystemExit, match="the sandbox process stopped answering"):
        timeline(tmp_path, 5, 0)


def test_a_connection_handed_over_to_h11_is_still_stamped(tmp_path: Path) -> None:
    # a chunked body is h11's to read (the sandbox's own protocol takes plain ones): the requests after it
    # on the same connection are read by h11's protocol, and must still be stamped
    events: list[Event] = []
    app = create_app(str(tmp_path / "store.sqlite"))
    with serve_in_thread(app, port=0, protocol=_stamped_protocol(sandbox_protocol, events)) as url:
        host, port = url.removeprefix("http://").split(":")
        asyncio.run(_plain_chunked_plain(host, int(port)))
        time.sleep(0.2)   # the server's loop stamps its last write
    kinds = [what for _, _, what, size in events if size]
    assert kinds.count("arrive") >= 3 and kinds.count("write") >= 3, kinds


async def _plain_chunked_plain(host: str, port: int) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    plain = b"GET /__sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n"
    chunked = (b"POST /__sandbox/stats/reset HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"2\r\n{}\r\n0\r\n\r\n")
    for request in (plain, chunked, plain):
        writer.write(request)
        await writer.drain()
        await _answer(reader)
    writer.close()


async def _answer(reader: asyncio.StreamReader) -> None:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    fields = (line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
    length = next(int(value) for name, value in fields if name.strip().lower() == b"content-length")
    await reader.readexactly(length)

