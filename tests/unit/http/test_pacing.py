"""The adaptive pacer in virtual time: a token-bucket store (as real stores and the sandbox limit)
is driven by the pacer, and an apply must get close to the allowed rate without hammering it."""

from __future__ import annotations

import asyncio
import itertools
import math
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.http.pacing import SPREAD, SPREAD_SLACK, TRIPS, Pacer, StoreRefusing


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass
class Bucket:
    """The sandbox's limiter: `rate` tokens a second, as many at most; a 429 says when to come back."""

    rate: float
    tokens: float = 0.0
    at: float = 0.0

    def __post_init__(self) -> None:
        self.tokens = max(self.rate, 1.0)

    def take(self, now: float) -> int | None:
        self.tokens = min(max(self.rate, 1.0), self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return None
        return max(1, math.ceil((1 - self.tokens) / self.rate))   # Retry-After, whole seconds


def drive(pacer: Pacer, time: VirtualTime, bucket: Bucket, seconds: float, latency: float = 0.01) -> tuple[int, int]:
    """One request after another for `seconds` of virtual time: (accepted, refused)."""
    accepted = refused = 0

    async def main() -> None:
        nonlocal accepted, refused
        while time.now < seconds:
            started = await pacer.wait()
            time.now += latency
            retry_after = bucket.take(started)
            if retry_after is None:
                pacer.answered()
                accepted += 1
            else:
                pacer.throttled(started, retry_after)
                refused += 1

    asyncio.run(main())
    return accepted, refused


def paced(limit: float | None = None) -> tuple[Pacer, VirtualTime]:
    time = VirtualTime()
    return Pacer(limit, clock=time.clock, sleep=time.sleep), time


def test_without_a_limit_or_a_429_nothing_waits() -> None:
    pacer, time = paced()

    async def main() -> None:
        for _ in range(100):
            await pacer.wait()
            pacer.answered()

    asyncio.run(main())
    assert time.now == 0.0 and pacer.rate is None and pacer.throttles == 0


def test_a_configured_rate_spaces_the_starts() -> None:
    pacer, _ = paced(4.0)

    async def main() -> list[float]:
        return [await pacer.wait() for _ in range(9)]

    starts = asyncio.run(main())
    assert starts == [n * 0.25 for n in range(9)]


def test_a_429_holds_every_request_for_retry_after_and_lowers_the_pace_once_per_burst() -> None:
    pacer, time = paced()

    async def main() -> float:
        starts = []
        for _ in range(20):   # 20 answers in one second
            starts.append(await pacer.wait())
            time.now += 0.05
            pacer.answered()
        for started in starts[-3:]:   # three requests of one burst refused
            pacer.throttled(started, 2.0)
        return await pacer.wait()

    resumed = asyncio.run(main())
    assert resumed >= 1.0 + 2.0            # nobody starts before the Retry-After
    assert pacer.throttles == 1             # one burst, one slow-down
    assert pacer.ceiling == pytest.approx(20.0) and pacer.rate == pytest.approx(18.0)


def test_the_pace_closes_the_gap_then_probes_above_the_ceiling() -> None:
    pacer, time = paced()
    rates = []

    async def main() -> None:
        for _ in range(10):
            started = await pacer.wait()
            time.now += 0.1
            pacer.answered()
        pacer.throttled(started, 1.0)
        for _ in range(200):
            await pacer.wait()
            pacer.answered()
            rates.append(pacer.rate)

    asyncio.run(main())
    ceiling = pacer.ceiling
    assert ceiling is not None and rates[0] is not None and rates[0] < ceiling
    assert max(r for r in rates if r is not None) > ceiling   # it looks for more when nothing refuses


def test_a_configured_limit_is_never_passed_while_recovering() -> None:
    pacer, time = paced(5.0)
    accepted, refused = drive(pacer, time, Bucket(50.0), 20)
    assert refused == 0 and accepted <= 5 * 20 + 1


@settings(max_examples=40, deadline=None)
@given(limit=st.floats(min_value=1.0, max_value=80.0), latency=st.sampled_from([0.001, 0.01, 0.05]))
def test_at_a_store_limit_the_pace_gets_close_to_it_and_refusals_stay_rare(limit: float, latency: float) -> None:
    pacer, time = paced()
    seconds = 60.0
    accepted, refused = drive(pacer, time, Bucket(limit), seconds, latency)
    capacity = min(limit, 1 / latency)   # one request at a time cannot beat its own latency
    assert accepted >= 0.8 * capacity * seconds
    assert refused <= seconds / 2 + 3     # a refusal now and then to find the limit, not a flood


# The deadline: a store answering nothing but 429 is given up on once `deadline` seconds pass after
# the first 429 without an accepted answer, for every later request too.
def refusing_store(deadline: float, retry_after: float | None) -> tuple[Pacer, VirtualTime, int]:
    time = VirtualTime()
    pacer = Pacer(None, deadline=deadline, clock=time.clock, sleep=time.sleep)
    sent = 0

    async def main() -> None:
        nonlocal sent
        while True:
            started = await pacer.wait()
            sent += 1
            time.now += 0.01
            pacer.throttled(started, retry_after)

    with pytest.raises(StoreRefusing) as caught:
        asyncio.run(main())
    assert "the store refused every request for" in str(caught.value)
    return pacer, time, sent


@pytest.mark.parametrize("retry_after", [None, 1.0, 7.0, 60.0])
def test_a_store_refusing_everything_is_given_up_on_at_the_deadline(retry_after: float | None) -> None:
    pacer, time, sent = refusing_store(30.0, retry_after)
    assert 30.0 <= time.now <= 30.0 + 0.02   # not a Retry-After or a 0.1 req/s start later
    assert sent >= (1 if retry_after == 60.0 else 2) and pacer.gave_up

    async def later() -> None:
        await pacer.wait()

    before = time.now
    with pytest.raises(StoreRefusing):   # every later request fails at once
        asyncio.run(later())
    assert time.now == before


def test_an_accepted_answer_starts_the_deadline_again() -> None:
    time = VirtualTime()
    pacer = Pacer(None, deadline=10.0, clock=time.clock, sleep=time.sleep)
    for _ in range(5):   # 8 s of 429s, then one accepted answer, five times over: 40 s in all
        pacer.throttled(time.now, 0.0)
        time.now += 8.0
        pacer.answered()

    async def one() -> float:
        return await pacer.wait()

    asyncio.run(one())
    assert not pacer.gave_up
    pacer.throttled(time.now, 0.0)
    time.now += 10.0
    with pytest.raises(StoreRefusing):
        asyncio.run(one())


def spread(over: int = 8) -> tuple[Pacer, VirtualTime]:
    time = VirtualTime()
    return Pacer(None, clock=time.clock, sleep=time.sleep, spread_over=over), time


def test_after_a_round_trip_requests_start_half_an_even_share_apart() -> None:
    pacer, time = spread(8)

    async def main() -> list[float]:
        started = await pacer.wait()
        time.now += 0.08   # one round trip of 80 ms: the gap is 0.5 x 80 / 8 = 5 ms
        pacer.answered(started)
        return [await pacer.wait() for _ in range(4)]   # four ready at once

    starts = asyncio.run(main())
    assert pacer.gap == pytest.approx(SPREAD * 0.08 / 8)
    assert starts == pytest.approx([0.08, 0.085, 0.09, 0.095])


def test_nothing_is_spread_before_a_round_trip_is_known_or_without_spread_over() -> None:
    for pacer, time in (spread(8), spread(0)):
        async def main(pacer: Pacer = pacer, time: VirtualTime = time) -> list[float]:
            if pacer.spread_over == 0:
                started = await pacer.wait()
                time.now += 0.08
                pacer.answered(started)
            return [await pacer.wait() for _ in range(5)]

        starts = asyncio.run(main())
        assert len(set(starts)) == 1 and pacer.gap == 0.0


def test_a_start_within_the_slack_of_its_turn_goes_at_once_and_one_past_its_turn_never_waits() -> None:
    pacer, time = spread(4)

    async def main() -> tuple[float, float, float]:
        started = await pacer.wait()
        time.now += 0.08   # gap 10 ms
        pacer.answered(started)
        first = await pacer.wait()
        time.now += pacer.gap - SPREAD_SLACK / 2
        close = await pacer.wait()   # half the slack early: not held for it
        time.now += pacer.gap + 0.003
        late = await pacer.wait()
        return first, close, late

    first, close, late = asyncio.run(main())
    assert close == pytest.approx(first + 0.01 - SPREAD_SLACK / 2)
    assert late == pytest.approx(close + 0.013)


def test_the_gap_is_set_by_the_shortest_recent_round_trip() -> None:
    pacer, time = spread(10)
    gaps: list[float] = []

    async def main() -> None:
        for trip in [0.5] + [0.05] * 3 + [10.0] + [0.05] * 11 + [0.2] * (TRIPS + 1):
            started = await pacer.wait()
            time.now += trip
            pacer.answered(started)
            gaps.append(pacer.gap)

    asyncio.run(main())
    assert gaps[0] == pytest.approx(SPREAD * 0.5 / 10)
    assert gaps[1:16] == pytest.approx([SPREAD * 0.05 / 10] * 15)   # a 10 s answer among them changes nothing
    assert gaps[-1] == pytest.approx(SPREAD * 0.2 / 10) and pacer.round_trip == pytest.approx(0.2)


@settings(max_examples=60, deadline=None)
@given(trips=st.lists(st.floats(0.001, 2.0), min_size=1, max_size=20),
       arrivals=st.lists(st.floats(0.0, 0.05), min_size=1, max_size=40), over=st.integers(1, 16))
def test_spread_starts_are_never_closer_than_the_gap_less_the_slack_nor_later_than_needed(
        trips: list[float], arrivals: list[float], over: int) -> None:
    pacer, time = spread(over)

    async def main() -> list[tuple[float, float, float]]:
        for trip in trips:
            started = await pacer.wait()
            time.now += trip
            pacer.answered(started)
        seen = []
        for pause in arrivals:   # a request becomes ready `pause` after the one before started
            time.now += pause
            ready = time.now
            seen.append((ready, await pacer.wait(), pacer.gap))
        return seen

    seen = asyncio.run(main())
    for (_, before, _), (ready, start, gap) in itertools.pairwise(seen):
        assert start - before >= gap - SPREAD_SLACK - 1e-12
        assert start == ready or start == pytest.approx(before + gap)   # waits only for its turn
