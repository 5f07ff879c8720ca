"""Requests in flight are spread over the round trip (pacing.py, issue 13): against a served sandbox with
latency, the creates of a full window leave a gap apart rather than together, and all land once."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3

from provider_helpers import Store, tee

from catalogctl.http.pacing import SPREAD, SPREAD_SLACK, Pacer
from catalogctl.providers.groovekart import GrooveKartProvider
from catalogctl.providers.groovekart import actions as a

LATENCY_MS = 100   # the least gap is then 6.25 ms: far from how close 8 unspread starts come, even on a busy machine
LATENCY_S = LATENCY_MS / 1000


def _recording(pacer: Pacer) -> list[tuple[float, float]]:
    """Each start the pacer gives, with the gap it held then (its own wait runs unchanged)."""
    starts: list[tuple[float, float]] = []
    wait = pacer.wait

    async def recorded() -> float:
        started = await wait()
        starts.append((started, pacer.gap))
        return started

    pacer.wait = recorded  # type: ignore[method-assign]
    return starts


async def _window(provider: GrooveKartProvider, skus: range) -> None:
    """One create to measure a round trip, then 16 at once through the provider's 8 slots."""
    await provider.execute(a.CreateProduct(product=tee(f"P-{skus[0]:03}", options=())), {})
    await asyncio.gather(*(provider.execute(a.CreateProduct(product=tee(f"P-{n:03}", options=())), {})
                           for n in skus[1:]))


def _window_starts(served: Store, *, spread: bool) -> tuple[list[tuple[float, float]], float | None]:
    """The starts (and gaps) of a 17-create window at LATENCY_MS, 8 in flight, and the pacer's round trip."""
    async def main() -> tuple[list[tuple[float, float]], float | None]:
        await served.faults(latency_ms=LATENCY_MS)
        async with served.provider(concurrency=8) as provider:
            pacer = provider.client.http.pacer
            if not spread:
                pacer.spread_over = 0
            starts = _recording(pacer)
            await _window(provider, range(17))
            return starts, pacer.round_trip

    return asyncio.run(main())


def test_a_full_window_of_creates_leaves_spread_over_the_round_trip(served: Store) -> None:
    starts, round_trip = _window_starts(served, spread=True)
    assert round_trip is not None and round_trip >= LATENCY_S
    burst = starts[1:]
    assert len(burst) == 16
    for (before, _), (start, gap) in itertools.pairwise(burst):
        assert gap >= SPREAD * LATENCY_S / 8
        assert start - before >= gap - SPREAD_SLACK - 1e-9
    with sqlite3.connect(served.db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM product").fetchone()[0] == 17


def test_without_spreading_the_same_window_leaves_together(served: Store) -> None:
    """What the spreading changes: told not to spread, the pacer lets the first 8 go closer together than
    the least span spreading allows them (7 gaps of at least 6.25 ms less the slack: 36.75 ms)."""
    starts, _ = _window_starts(served, spread=False)
    first_eight = [start for start, _ in starts[1:9]]
    assert max(first_eight) - min(first_eight) < 7 * (SPREAD * LATENCY_S / 8 - SPREAD_SLACK)
