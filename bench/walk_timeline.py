"""Where each request of a from-scratch apply spends its round trip, on both sides (issue 13).

`python bench/walk_timeline.py [--products 3000] [--latency-ms 50] [--latency-before-work]` applies a
generated catalog (as bench/scale.py makes it) with the real CLI in a fresh process against a sandbox in its
own process, and stamps every request on both sides with the same monotonic clock: when the client sends it,
when the sandbox reads it, where the sandbox's handler spends its time (before its wait: the checks, and with
the latency as a round trip, bench/scale.py's default, the store's work; the wait's lateness; after it: the
answer, and with the latency before the work, the write), when the sandbox writes the answer, when the client
reads it, and when the client sends its next request on that connection. The shares say what a client can
still win against the concurrency bound (requests x latency / concurrency) and what is the store's own time.
Before them, the apply's process from its spawn to its exit in its phases: start-up and imports, the
catalog's load with the store's read and the plan, the walk, and what comes after its last answer.

The stamps are taken by wrapping the client's loopback connection and the sandbox's HTTP protocol,
its latency and its request accounting in the measured processes only; they cost a few microseconds a
request. Nothing is printed until the apply has ended.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

try:
    from bench.plan_apply import KEY_ENV, TOKEN_ENV, write_catalog
    from bench.scale import fresh_clone, latency_model, set_latency
except ModuleNotFoundError:  # run as `python bench/<name>.py`: bench/ itself is on sys.path
    from plan_apply import KEY_ENV, TOKEN_ENV, write_catalog
    from scale import fresh_clone, latency_model, set_latency

Event = tuple[int, float, str, int]   # (client port, perf_counter, what, bytes)
_NO_WALK = "no request of the walk was stamped on both sides"

# The apply, as bench/scale.py runs it (the command's modules imported as the program imports them, then the
# client's connection and the walk wrapped to stamp them), and its end as the program's. The events go to
# argv[1] as one JSON line, then a line with when that write ended: the tool's own write is not the program's.
_CLIENT = """
import json, sys, time
events = [(0, time.perf_counter(), "started", 0)]
from catalogctl.cli import main
main._load_asked_for(sys.argv[2:])
events.append((0, time.perf_counter(), "imported", 0))
from catalogctl.http import loopback   # both imported by the apply command already: no import time after the stamp
from catalogctl.apply import run
made, received, send = loopback.Connection.connection_made, loopback.Connection.data_received, loopback.Connection.send
def connection_made(self, transport):
    self._stamp_port = transport.get_extra_info("sockname")[1]
    return made(self, transport)
def data_received(self, data):
    events.append((self._stamp_port, time.perf_counter(), "read", len(data)))
    return received(self, data)
async def stamped_send(self, data, timeout, request):
    events.append((self._stamp_port, time.perf_counter(), "send", len(data)))
    return await send(self, data, timeout, request)
loopback.Connection.connection_made, loopback.Connection.data_received = connection_made, data_received
loopback.Connection.send = stamped_send
walk = run.walk
async def stamped_walk(*args, **kwargs):
    events.append((0, time.perf_counter(), "walk", 0))
    try:
        return await walk(*args, **kwargs)
    finally:
        events.append((0, time.perf_counter(), "walked", 0))
run.walk = stamped_walk
try:
    code = main.cli.main(args=sys.argv[2:], prog_name="catalogctl", standalone_mode=False)
except SystemExit as exc:
    code = exc.code
events.append((0, time.perf_counter(), "ended", 0))
with open(sys.argv[1], "w") as out:
    out.write(json.dumps({"code": code or 0, "events": events}) + "\\n")
    out.flush()
    out.write(json.dumps({"written": time.perf_counter()}) + "\\n")
from catalogctl.cli.process_end import end_process
end_process(code or 0, sys._getframe())   # the program's own end (cli/main.py's run()), as bench/scale.py's is
"""


class _StampedWrites:
    """A transport whose writes are stamped; everything else is the transport's own."""

    def __init__(self, transport: Any, port: int, events: list[Event]) -> None:
        self._transport, self._port, self._events = transport, port, events

    def write(self, data: bytes) -> None:
        self._events.append((self._port, time.perf_counter(), "write", len(data)))
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def _stamping(protocol: type, events: list[Event]) -> type:
    """`protocol`, its reads stamped and its transport's writes (a transport already stamping, handed over
    by the sandbox's own protocol to h11's, is kept as it is)."""
    class Stamped(protocol):  # type: ignore[misc, valid-type]
        def connection_made(self, transport: Any) -> None:
            if not isinstance(transport, _StampedWrites):
                transport = _StampedWrites(transport, transport.get_extra_info("peername")[1], events)
            super().connection_made(transport)

        def data_received(self, data: bytes) -> None:
            events.append((self.transport._port, time.perf_counter(), "arrive", len(data)))
            super().data_received(data)

    return Stamped


def _stamped_protocol(make: Callable[[float], type], events: list[Event]) -> Callable[[float], type]:
    """serve_in_thread's protocol factory, each connection's reads and writes stamped, also after the
    sandbox's own protocol hands the connection over to h11's (its `fallback`)."""
    def stamped(request_timeout_s: float) -> type:
        base = make(request_timeout_s)
        protocol = _stamping(base, events)
        if hasattr(base, "fallback"):
            protocol.fallback = _stamping(base.fallback, events)
        return protocol
    return stamped


Handled = tuple[float, float, float, float, float]   # a request's (start, wait start, wait end, end, wait asked)


def _stamp_handler(handled: list[Handled]) -> None:
    """Each GrooveKart request's (start, wait start, wait end, end, seconds asked), from its latency's wait
    (before or after the store's work) and its hold."""
    import asyncio

    from catalogctl.sandbox import shared
    from catalogctl.sandbox.stats import Stats

    waits: dict[Any, tuple[float, float, float]] = {}
    wait, hold = shared.inject_latency, Stats.hold

    async def stamped_wait(seconds: float) -> None:
        started = time.perf_counter()
        await wait(seconds)
        waits[asyncio.current_task()] = (started, time.perf_counter(), max(seconds, 0.0))

    def stamped_hold(self: Stats, seconds: float) -> None:
        ended = time.perf_counter()
        waited = waits.pop(asyncio.current_task(), None)
        if waited is not None:
            started, woke, asked = waited
            handled.append((ended - seconds, started, woke, ended, asked))
        hold(self, seconds)

    shared.inject_latency, Stats.hold = stamped_wait, stamped_hold  # type: ignore[method-assign]


def _serve(db_path: str, pipe: Connection) -> None:
    """The sandbox, stamped; its stamps go back through `pipe` when asked for."""
    from catalogctl.sandbox import create_app, serve_in_thread
    from catalogctl.sandbox.serve import sandbox_protocol

    events: list[Event] = []
    handled: list[Handled] = []
    _stamp_handler(handled)
    with serve_in_thread(create_app(db_path), port=0, protocol=_stamped_protocol(sandbox_protocol, events)) as url:
        pipe.send(url)
        pipe.recv()
        pipe.send((events, handled))
        pipe.recv()


@dataclass(frozen=True)
class Trip:
    """One request on one connection: the client's send, the sandbox's read and answer, the client's read,
    and the client's next send on that connection (None for its last)."""

    sent: float
    arrived: float
    answered: float
    read: float
    next_sent: float | None


def trips(events: Sequence[Event]) -> tuple[list[Trip], list[float]]:
    """The requests stamped on both sides, each from its connection's stamps in time order, and when each
    request without all four stamps was sent (not answered when the apply ended, say): left out, their send
    still the next one of the request before them. A request's arrival is its first chunk read by the sandbox,
    its answer the first write that is not empty, its read the client's first chunk of it. Connections are
    told apart by the client's port: one the kernel gives again within the apply would join two."""
    by_port: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for port, at, what, size in events:
        if size:
            by_port[port].append((at, what))
    found: list[Trip] = []
    partial: list[float] = []
    for stamps in by_port.values():
        stamps.sort()
        open_trips: list[dict[str, float]] = []
        for at, what in stamps:
            if what == "send":
                open_trips.append({"send": at})
            elif open_trips and what not in open_trips[-1]:
                open_trips[-1][what] = at
        sends = [*(trip["send"] for trip in open_trips[1:]), None] if open_trips else []   # the admin calls: none
        found += [Trip(trip["send"], trip["arrive"], trip["write"], trip["read"], next_sent)
                  for trip, next_sent in zip(open_trips, sends, strict=True) if len(trip) == 4]
        partial += [trip["send"] for trip in open_trips if len(trip) != 4]
    return sorted(found, key=lambda trip: trip.sent), partial


def _spread(values: Sequence[float]) -> str:
    ordered = sorted(values)
    if not ordered:
        return "-"
    mean = sum(ordered) / len(ordered)
    shares = [ordered[min(len(ordered) - 1, int(share * len(ordered)))] for share in (0.5, 0.9, 0.99)]
    return " ".join(f"{1000 * value:7.3f}" for value in (mean, *shares))


def in_flight(walk: Sequence[Trip]) -> Counter[int]:
    """Seconds spent with each number of requests in flight, from the first send to the last answer read."""
    changes = sorted([(t.sent, 1) for t in walk] + [(t.read, -1) for t in walk])
    spent: Counter[int] = Counter()
    count, last = 0, changes[0][0] if changes else 0.0
    for at, step in changes:
        spent[count] += at - last
        count, last = count + step, at
    return spent


def report(walk: Sequence[Trip], handled: Sequence[Handled], latency_s: float,
           concurrency: int) -> list[str]:
    """The timeline's lines: each part of a round trip (mean, median, p90, p99 in ms) and the walk's span."""
    if not walk:
        raise SystemExit(_NO_WALK)
    span = max(t.read for t in walk) - walk[0].sent
    ideal = len(walk) * latency_s / concurrency
    rows = [
        ("client sent -> sandbox read it", [t.arrived - t.sent for t in walk]),
        ("sandbox read -> answer written", [t.answered - t.arrived for t in walk]),
        ("  handler: before its wait", [lat - start for start, lat, _, _, _ in handled]),
        ("  handler: wait past asked", [woke - lat - asked for _, lat, woke, _, asked in handled]),
        ("  handler: after its wait", [end - woke for _, _, woke, end, _ in handled]),
        ("answer written -> client read it", [t.read - t.answered for t in walk]),
        ("client read -> its next request", [t.next_sent - t.read for t in walk if t.next_sent is not None]),
        ("round trip at the client", [t.read - t.sent for t in walk]),
    ]
    lines = [f"{len(walk)} requests from the first to the last answer: {span:.2f} s; {concurrency} in flight at "
             f"{1000 * latency_s:.0f} ms would take {ideal:.2f} s ({100 * ideal / span:.1f}% of it)",
             f"{'part of a round trip (ms)':36} {'mean':>7} {'median':>7} {'p90':>7} {'p99':>7}"]
    lines += [f"{name:36} {_spread(values)}" for name, values in rows]
    spent = in_flight(walk)
    lines.append("seconds with N in flight: " + ", ".join(f"{n}: {spent[n]:.2f}" for n in sorted(spent)))
    return lines


@dataclass(frozen=True)
class Phases:
    """When the apply's process was spawned and exited (stamped by this one), and when, inside it, the
    script started, the command's modules were imported, the walk began and returned, the command ended and
    the script's stamps were written."""

    spawned: float
    started: float
    imported: float
    walk: float
    walked: float
    ended: float
    written: float
    exited: float


def phases_of(events: Sequence[Event]) -> Phases:
    """The apply's moments from its stamps on no connection (port 0, no bytes); the first of each, as
    `timeline` takes the walk's start."""
    moments: dict[str, float] = {}
    for port, at, what, size in events:
        if port == 0 and size == 0:
            moments.setdefault(what, at)
    names = [field.name for field in fields(Phases)]
    missing = [name for name in names if name not in moments]
    if missing:
        raise SystemExit(f"the apply's process was not stamped at: {', '.join(missing)}")
    return Phases(**{name: moments[name] for name in names})


def phase_lines(phases: Phases, walk: Sequence[Trip], served: int, latency_s: float, concurrency: int) -> list[str]:
    """Where the apply's process spent its wall time, in order (the parts add up to the whole), against the
    concurrency bound of every request it made (served x latency / concurrency), as bench/scale.py's row."""
    if not walk:
        raise SystemExit(_NO_WALK)
    last_answer = max(t.read for t in walk)
    whole, bound = phases.exited - phases.spawned, served * latency_s / concurrency
    parts = [
        ("interpreter start", phases.spawned, phases.started),
        ("the command's imports", phases.started, phases.imported),
        ("catalog load, store read and plan", phases.imported, phases.walk),
        ("the walk, to its last answer", phases.walk, last_answer),
        ("its last answers settled, the walk's return", last_answer, phases.walked),
        ("after the walk (state, summary, freeing)", phases.walked, phases.ended),
        ("this tool's stamps written (not the program's)", phases.ended, phases.written),
        ("the program's end", phases.written, phases.exited),
    ]
    lines = [f"the apply's process, from its spawn to its exit: {whole:.2f} s; the concurrency bound ({served} "
             f"requests x {1000 * latency_s:.0f} ms / {concurrency} in flight) {bound:.2f} s is "
             f"{100 * bound / whole:.1f}% of it"]
    lines += [f"  {name:48} {end - start:7.2f} s" for name, start, end in parts]
    return lines


def _apply(clone: Path, url: str) -> list[Event]:
    from catalogctl.sandbox import DEFAULT_CREDENTIALS

    env = {**os.environ, TOKEN_ENV: DEFAULT_CREDENTIALS.auth_token, KEY_ENV: DEFAULT_CREDENTIALS.api_key}
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        spawned = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _CLIENT, out.name, "apply", "--target", "bench", "--auto-approve"],
                              cwd=clone, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        exited = time.perf_counter()
        try:
            stamped, ending = Path(out.name).read_text().splitlines()
            result, written = json.loads(stamped), json.loads(ending)["written"]
        except (ValueError, KeyError):   # no file written, or cut short
            raise SystemExit(f"the apply crashed:\n{done.stderr[-3000:]}") from None
    if result["code"] != 0:
        raise SystemExit(f"the apply exited {result['code']}:\n{done.stderr[-3000:]}")
    return [(0, spawned, "spawned", 0), *((port, at, what, size) for port, at, what, size in result["events"]),
            (0, written, "written", 0), (0, exited, "exited", 0)]


@dataclass(frozen=True)
class Timeline:
    walk: list[Trip]          # the walk's requests stamped on both sides (the store's read before it left out)
    partial: int              # the walk's requests sent without all four stamps
    handled: list[Handled]    # the handler's stamps of the walk's requests
    served: int               # every request the sandbox served, the read before the walk's included
    phases: Phases            # the apply process's moments, from its spawn to its exit


def timeline(workdir: Path, products: int, latency_ms: int, *, includes_work: bool = True) -> Timeline:
    """Apply `products` with the stamps on (the latency a round trip with the store's work in it, or before it)."""
    write_catalog(workdir / "catalog", products, 5)
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=_serve, args=(str(workdir / "store.sqlite"), theirs), daemon=True)
    server.start()
    theirs.close()   # the child's end: its exit is then an EOF here, not a wait for ever
    try:
        url = _received(ours, server)
        set_latency(url, latency_ms, includes_work=includes_work)
        client_events = _apply(fresh_clone(workdir / "catalog", url), url)
        served = int(httpx.get(f"{url}/__sandbox/stats").json()["total"])
        ours.send("stamps")
        server_events, handled = _received(ours, server)
        ours.send("done")
    finally:
        server.terminate()
        server.join(5)
    started = next((at for _, at, what, _ in client_events if what == "walk"), None)
    if started is None:
        raise SystemExit("the apply did not walk a plan: nothing to time")
    found, partial = trips([*client_events, *server_events])
    return Timeline([t for t in found if t.sent >= started], sum(sent >= started for sent in partial),
                    [h for h in handled if h[0] >= started], served, phases_of(client_events))


def _received(pipe: Connection, server: multiprocessing.process.BaseProcess) -> Any:
    """The sandbox process's next message, or SystemExit if it ended or said nothing for a minute."""
    try:
        if pipe.poll(60):
            return pipe.recv()
    except EOFError:
        pass
    server.join(1)
    raise SystemExit(f"the sandbox process stopped answering (exit code {server.exitcode})")


def timeline_lines(found: Timeline, latency_s: float, concurrency: int) -> list[str]:
    """What main prints after its first line: the process's parts, then the round trip's."""
    return [*phase_lines(found.phases, found.walk, found.served, latency_s, concurrency),
            *report(found.walk, found.handled, latency_s, concurrency)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=3000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8, help="the target's (catalogctl's default: 8)")
    parser.add_argument("--latency-before-work", action="store_true",
                        help="inject the latency before the store's work (round trip = latency + the sandbox's work)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        found = timeline(Path(workdir), args.products, args.latency_ms, includes_work=not args.latency_before_work)
    model = latency_model(not args.latency_before_work)
    print(f"{args.products} products, {args.latency_ms} ms injected ({model}); {found.served} requests served, "
          f"{len(found.walk)} in the walk stamped on both sides ({found.partial} without all four stamps)")
    for line in timeline_lines(found, args.latency_ms / 1000, args.concurrency):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
