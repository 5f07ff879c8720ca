"""The injected latency (faults' `latency_ms`), served on time.

The event loop's own timers are kept in whole milliseconds (uvloop's libuv clock; asyncio's select
timeout is rounded up to one): a 50 ms sleep woke anywhere from half a millisecond early to a
millisecond late, and sleeps that fell in the same millisecond woke together, so their requests
queued behind each other's writes on the sandbox's one loop. A client measured against the
sandbox paid for that (issue 13, a 10,000-product apply at 50 ms, 8 in flight: round trip 53.41 ->
52.56 ms, and 53.14 -> 52.41 ms in another pair of runs).

One daemon thread per process holds every pending delay in a heap and wakes each waiting request's
loop when, and not before, its delay has passed (a condition variable's timed wait: microseconds).
A timerfd per loop, watched by the loop itself, was tried too: more exact with one request in flight,
but 1-3 ms slower a round trip with 8 (arrivals waited behind wakes that came exactly in turn).

On Linux the thread asks for a timer slack of 1 us: by default the kernel may end any timed wait up to
50 us late to group wake-ups, and each of this thread's waits ends a request's latency (8 waiters on one
uvloop, each doing 0.2 ms of work between waits: lateness 0.43 -> 0.37 ms mean, median 0.42 -> 0.36).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import os
import sys
import threading
import time

_Due = tuple[float, int, asyncio.AbstractEventLoop, "asyncio.Future[None]"]


class _Clock:
    """The process's timer thread and its heap of (deadline, order, loop, future)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._due: list[_Due] = []
        self._order = itertools.count()
        self.slack_ns: int | None = None   # the thread's timer slack as the kernel reports it (None: not set)
        self.thread = threading.Thread(target=self._run, name="sandbox-latency", daemon=True)
        self.thread.start()

    def after(self, seconds: float) -> asyncio.Future[None]:
        """A future of the running loop, resolved once `seconds` have passed."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        deadline = time.monotonic() + seconds
        with self._changed:
            # The thread waits for the earliest deadline: it is woken only when this one comes before it
            # (each wake-up is a hand-over of the GIL between two threads).
            earliest = not self._due or deadline < self._due[0][0]
            heapq.heappush(self._due, (deadline, next(self._order), loop, done))
            if earliest:
                self._changed.notify()
        return done

    def _run(self) -> None:
        self.slack_ns = _fine_timer_slack()
        with self._changed:
            while True:
                if not self._due:
                    self._changed.wait()
                    continue
                wait = self._due[0][0] - time.monotonic()
                if wait > 0:   # at most an hour at a time: latency_ms has no upper bound, a timed wait has
                    self._changed.wait(min(wait, _LONGEST_WAIT_S))
                    continue
                _, _, loop, done = heapq.heappop(self._due)
                with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits for it any more
                    loop.call_soon_threadsafe(_resolve, done)


def _fine_timer_slack() -> int | None:
    """Set the calling thread's timer slack to _SLACK_NS (Linux's prctl) and return what the kernel now
    reports; None where that cannot be done (not Linux, no ctypes, no prctl, refused): the waits then end
    as the system groups them, and the clock runs all the same."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes  # only where a latency is injected: the sandbox's other processes never load it

        prctl = ctypes.CDLL(None).prctl
        prctl.restype = ctypes.c_int
        zero = ctypes.c_ulong(0)
        if prctl(_PR_SET_TIMERSLACK, ctypes.c_ulong(_SLACK_NS), zero, zero, zero) != 0:
            return None
        reported = int(prctl(_PR_GET_TIMERSLACK, zero, zero, zero, zero))
    except Exception:   # a Python without _ctypes, a libc without prctl: the clock thread must not die of it
        return None
    return reported if reported >= 0 else None


_PR_SET_TIMERSLACK, _PR_GET_TIMERSLACK = 29, 30   # <linux/prctl.h>
_SLACK_NS = 1000


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():  # a cancelled wait (the server shutting down) leaves its entry to expire
        done.set_result(None)


_LONGEST_WAIT_S = 3600.0
_clock: _Clock | None = None
_starting = threading.Lock()


def _the_clock() -> _Clock:
    global _clock
    clock = _clock
    if clock is None or not clock.thread.is_alive():
        with _starting:
            if _clock is None or not _clock.thread.is_alive():
                _clock = _Clock()
            clock = _clock
    return clock


def _forget_in_child() -> None:
    """A forked child has none of its parent's threads, and maybe a lock taken by one of them."""
    global _clock, _starting
    _clock, _starting = None, threading.Lock()


if hasattr(os, "register_at_fork"):   # not on Windows (no fork there)
    os.register_at_fork(after_in_child=_forget_in_child)


async def inject_latency(seconds: float) -> None:
    """Wait `seconds`, never less, before the request goes on (on an idle loop, a fraction of a millisecond more)."""
    if seconds > 0:
        await _the_clock().after(seconds)
