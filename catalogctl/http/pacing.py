"""Pacing one target's requests: the configured cap, and slowing down when the store says 429.

Every request to a target starts through its one Pacer. Until the first 429 it only enforces
`requests_per_second`, when the target sets one. A 429 means the store's own limit was passed:
- no request to the target starts before the Retry-After the store asked for (the store counts
  all our requests, so all of them wait, not only the refused one);
- the pace drops to 0.9 x the rate the store was accepting just before (answers per second since
  the last pause), once per pause however many requests of that burst were refused;
- then, with no 429, the pace closes the gap to that measured ceiling within a second or two and
  probes above it, slowly at first and faster as time passes without a 429 (+3 % after 1 s, +75 %
  after 5 s), so it finds the limit again, and recovers when it lifts.
A token-bucket limit refills during the pause, so near its limit an apply runs at close to the
allowed rate; before this, steps failed with `(HTTP 429) after 5 attempts`.
A store that refuses everything is given up on: once `deadline` seconds pass from the first 429
without any accepted answer, the request waiting fails, and so does every later one at once
(StoreRefusing), so a plan or an apply ends within about the deadline whatever its size.

With `spread_over` (the target's concurrency), requests are also spread over the round trip: one
starts no sooner than SPREAD x (the shortest of the last TRIPS round trips / spread_over) after the
one before. With N in flight, a slot's next request goes when its answer is in, so requests that once
left together (the first N, or answers held up together by a pause of either side) came back together
on every round trip for the rest of the walk; a store that answers one request at a time (the
sandbox's one event loop, a small shop's few PHP workers) then made each of them wait for the others.
Issue 13, 3,000 creates at 50 ms, 8 in flight: a quarter of the arrivals came within 1 ms of the one
before, and each such neighbour cost ~0.9 ms of the sandbox's wake-up. The gap is half the even
share, so it never caps the rate a full window of answers allows; it is taken from the shortest
recent round trip, so one slow answer (a timeout, a long page) does not hold back the requests after
it; and it only delays a request that would start too close to the one before (a start within
SPREAD_SLACK of its turn goes at once: the loop's timers keep whole milliseconds).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

WINDOW = 10.0         # seconds of answers (since the last pause) the accepted rate is measured over
MIN_SPAN = 1.0        # a burst faster than this is counted over a whole second
DECREASE = 0.9        # the pace after a 429, as a share of the measured accepted rate
CLOSE = 1.5           # per second: how fast the pace closes the gap to the measured ceiling
PROBE = 0.03          # the pace reaches (1 + PROBE t^2) x the ceiling t seconds after a pause
SLOW_PROBE_BELOW = 5.0  # requests per second: under this the probe counts requests, not seconds
MIN_RATE = 0.1        # requests per second: never slower than this
DEFAULT_PAUSE = 1.0   # seconds, for a 429 without a usable Retry-After
DEADLINE = 120.0      # seconds of nothing but 429 after which the target is given up on
SPREAD = 0.5          # the least gap between two starts, as a share of (round trip / requests in flight)
SPREAD_SLACK = 0.001  # seconds: a start this close to its turn goes at once (uvloop's timers keep ms)
TRIPS = 16            # the round trips whose shortest sets the gap


class StoreRefusing(Exception):
    """The store refused every request for `seconds`: nothing more is sent to this target."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the store refused every request for {seconds:.0f} s (HTTP 429, rate limited); "
                         "nothing was sent after that: try later or lower concurrency / set requests_per_second")


class Pacer:
    """Spaces request starts (1/rate apart) and pauses them all after a 429; one per target."""

    def __init__(self, requests_per_second: float | None = None, *, adaptive: bool = True,
                 deadline: float = DEADLINE, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, spread_over: int = 0) -> None:
        self.limit = requests_per_second
        self.spread_over = spread_over   # requests in flight to spread over the round trip (0: not spread)
        self._trips: deque[float] = deque(maxlen=TRIPS)   # the last round trips (started -> answered), s
        self.gap = 0.0              # the least time between two starts, from the round trip
        self.rate: float | None = requests_per_second   # None: unpaced
        self.ceiling: float | None = None
        self.adaptive = adaptive
        self.throttles = 0          # pauses the store caused
        self.paused = 0.0           # seconds paused in all
        self._clock, self._sleep = clock, sleep
        self._lock = asyncio.Lock()
        self._queued = 0            # requests in wait() past the fast path (holding or waiting for the lock)
        self._last_start: float | None = None
        self._hold_until = 0.0      # no request starts before this (Retry-After)
        self._answers: deque[float] = deque()
        self._measuring_since: float | None = None
        self._start_rate = 0.0      # the pace right after the last slow-down
        self._burst: tuple[int, float, float | None] | None = None   # what the last slow-down measured
        self.deadline = deadline
        self.refusing_since: float | None = None   # the first 429 since the last accepted answer
        self.gave_up = False

    async def wait(self) -> float:
        """Wait for this request's turn; returns when it started (pass it to `throttled`).

        Waiters go one at a time (the lock is fair), and each re-reads the pace and the pause after
        every sleep: a 429 that arrives meanwhile holds back everyone still waiting."""
        if self.rate is None and self.refusing_since is None and not self.gave_up and not self._queued:
            # Unpaced, never refused, nobody waiting: the loop below would return at once (issue 13)
            now, last = self._clock(), self._last_start
            if now >= self._hold_until and (last is None or now >= last + self.gap - SPREAD_SLACK):
                self._last_start = now
                if self._measuring_since is None:
                    self._measuring_since = now
                return now
        self._queued += 1
        try:
            return await self._paced()
        finally:
            self._queued -= 1

    async def _paced(self) -> float:
        async with self._lock:
            while True:
                self._check_deadline()
                now = self._clock()
                start = max(now, self._hold_until)
                if self.rate and self._last_start is not None:
                    start = max(start, self._last_start + 1.0 / self.rate)
                if self._last_start is not None and now < self._last_start + self.gap - SPREAD_SLACK:
                    start = max(start, self._last_start + self.gap)
                if start <= now:
                    break
                if self.refusing_since is not None:   # wake at the deadline, not after it
                    start = min(start, self.refusing_since + self.deadline)
                await self._sleep(max(0.0, start - now))
            self._last_start = now
        if self._measuring_since is None:
            self._measuring_since = now
        return now

    def answered(self, started: float | None = None) -> None:
        """The store took a request (any answer but 429): measure it, and let the pace grow."""
        now = self._clock()
        self.refusing_since = None
        if started is not None and self.spread_over:
            self._spread(now - started)
        if started is not None and started < self._measuring_since_or(now) and self._burst is not None:
            self._late_answer()   # sent in the burst before the pause, answered after it
            return
        self._answers.append(now)
        while self._answers[0] < now - WINDOW:
            self._answers.popleft()
        self._grow(now)

    def _spread(self, trip: float) -> None:
        self._trips.append(trip)
        self.gap = SPREAD * min(self._trips) / self.spread_over

    @property
    def round_trip(self) -> float | None:
        """The shortest of the last TRIPS round trips (None before the first answer, or unspread)."""
        return min(self._trips) if self._trips else None

    def throttled(self, started: float, retry_after: float | None) -> float:
        """A 429 for the request started at `started`: pause the target and, once per pause, lower
        the pace. Returns the seconds until any request may start again."""
        now = self._clock()
        if self.refusing_since is None:
            self.refusing_since = now
        pause = DEFAULT_PAUSE if retry_after is None else retry_after
        same_burst = started < self._hold_until   # sent before the last pause ended: already counted
        self._hold_until = max(self._hold_until, now + pause)
        if not same_burst:
            self.throttles += 1
            self.paused += self._hold_until - now
            if self.adaptive:
                self._decrease(now)
        self._answers.clear()
        self._measuring_since = self._hold_until
        return self._hold_until - now

    def _check_deadline(self) -> None:
        """StoreRefusing once the store has refused everything for `deadline` seconds (then for good)."""
        if not self.gave_up and self.refusing_since is not None:
            self.gave_up = self._clock() - self.refusing_since >= self.deadline
        if self.gave_up:
            raise StoreRefusing(self.deadline)

    def _decrease(self, now: float) -> None:
        since = max(now - WINDOW, self._measuring_since if self._measuring_since is not None else now)
        accepted = [t for t in self._answers if t >= since]
        if accepted or self.rate is None:
            self._burst = (len(accepted), max(MIN_SPAN, now - since), self.rate)
            self._measure(*self._burst)
        else:   # nothing got through since the last pause: back off further from the pace that failed
            self._burst = None
            self.ceiling = min(self.ceiling or self.rate, self.rate)
            self.rate *= 0.7
        self.rate = max(MIN_RATE, self.rate if self.limit is None else min(self.rate, self.limit))
        self._start_rate = self.rate

    def _measure(self, accepted: int, span: float, rate: float | None) -> None:
        measured = max(1, accepted) / span
        self.ceiling = measured
        self.rate = DECREASE * (measured if rate is None else min(rate, measured))
        self.rate = max(MIN_RATE, self.rate if self.limit is None else min(self.rate, self.limit))
        self._start_rate = self.rate

    def _late_answer(self) -> None:
        """The store took one more request of the burst it then refused: it accepts more than measured."""
        assert self._burst is not None
        accepted, span, rate = self._burst
        self._burst = (accepted + 1, span, rate)
        self._measure(*self._burst)

    def _measuring_since_or(self, now: float) -> float:
        return self._measuring_since if self._measuring_since is not None else now

    def _grow(self, now: float) -> None:
        """The pace as a function of the time since the pause: from the lowered pace it closes in on
        the measured ceiling (e-folding in 1/CLOSE s), then rises above it ever faster (CUBIC-like),
        so a limit that was measured low or has lifted is found again in seconds."""
        if not self.adaptive or self.ceiling is None or now < self._hold_until:
            return
        t = now - self._hold_until
        x = t * min(1.0, self.ceiling / SLOW_PROBE_BELOW)   # below a few per second, probe per request
        rate = self.ceiling * (1 + PROBE * x * x) - (self.ceiling - self._start_rate) * math.exp(-CLOSE * t)
        self.rate = max(MIN_RATE, rate if self.limit is None else min(rate, self.limit))
