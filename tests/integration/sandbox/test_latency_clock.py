"""The injected latency's clock (sandbox/latency.py): never early, in deadline order, for any loop."""

from __future__ import annotations

import asyncio
import multiprocessing
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest
import uvloop

from catalogctl.sandbox import latency
from catalogctl.sandbox.latency import inject_latency


@pytest.mark.parametrize("make_loop", [asyncio.new_event_loop, uvloop.new_event_loop], ids=["asyncio", "uvloop"])
def test_a_delay_is_never_cut_short(make_loop: Callable[[], asyncio.AbstractEventLoop]) -> None:
    # delays off the millisecond grid: uvloop's own timers (the served sandbox's loop) ended such sleeps up
    # to half a millisecond early
    delays = [0.0021 + n * 0.00037 for n in range(16)]

    async def waited(delay: float) -> float:
        started = time.monotonic()
        await inject_latency(delay)
        return time.monotonic() - started

    async def every() -> list[float]:
        return [await waited(delay) for delay in delays]

    with asyncio.Runner(loop_factory=make_loop) as runner:
        took = runner.run(every())
    for delay, waited_s in zip(delays, took, strict=True):
        assert waited_s >= delay


def test_waits_end_in_deadline_order_not_in_the_order_they_began() -> None:
    ended: list[int] = []

    async def wait(n: int, delay: float) -> None:
        await inject_latency(delay)
        ended.append(n)

    async def together() -> None:
        await asyncio.gather(wait(0, 0.09), wait(1, 0.03), wait(2, 0.06), wait(3, 0.0))

    asyncio.run(together())
    assert ended == [3, 1, 2, 0]


def test_loops_in_several_threads_share_the_clock() -> None:
    took: dict[int, float] = {}

    def serve(n: int) -> None:
        started = time.monotonic()
        asyncio.run(inject_latency(0.02 * (n + 1)))
        took[n] = time.monotonic() - started

    threads = [threading.Thread(target=serve, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(took) == [0, 1, 2]
    assert all(took[n] >= 0.02 * (n + 1) for n in took)


def test_a_cancelled_wait_and_a_closed_loop_leave_the_clock_running() -> None:
    async def cancelled() -> None:
        task = asyncio.ensure_future(inject_latency(0.05))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    async def abandoned() -> asyncio.Future[None]:   # its loop closes before the delay ends: the clock lives on
        return asyncio.ensure_future(inject_latency(0.03))

    asyncio.run(cancelled())
    asyncio.run(abandoned())
    time.sleep(0.06)   # both entries have come due on the clock's thread
    started = time.monotonic()
    asyncio.run(asyncio.wait_for(inject_latency(0.01), timeout=5))
    assert time.monotonic() - started >= 0.01


def test_a_delay_too_long_to_wait_for_stops_no_other_delay() -> None:
    # latency_ms has no upper bound; a timed wait has one (threading.TIMEOUT_MAX, ~292 years)
    async def scenario() -> float:
        forever = asyncio.ensure_future(inject_latency(9.3e12))
        await asyncio.sleep(0.05)   # the clock's thread now waits for that one
        started = time.monotonic()
        await asyncio.wait_for(inject_latency(0.01), timeout=5)
        forever.cancel()
        return time.monotonic() - started

    assert asyncio.run(scenario()) >= 0.01
    assert latency._clock is not None and latency._clock.thread.is_alive()


def _sleep_in_child() -> None:
    asyncio.run(asyncio.wait_for(inject_latency(0.01), timeout=5))


def test_a_forked_child_gets_its_own_clock() -> None:
    asyncio.run(inject_latency(0.001))   # this process's clock exists before the fork
    assert latency._clock is not None
    child = multiprocessing.get_context("fork").Process(target=_sleep_in_child)
    child.start()
    child.join(10)
    assert child.exitcode == 0   # the child's wait ended: it did not wait on a thread it does not have


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="timer slack is Linux's (prctl)")
def test_the_clock_thread_asks_linux_for_a_fine_timer_slack() -> None:
    # the kernel's default slack (50 us) may end each wait that much late; the clock thread's waits end
    # requests' latencies, so it reads back the 1 us it asked for. The slack is per thread: the thread that
    # made the clock (a worker here, as a server's loop thread would be) keeps its own.
    made: list[tuple[latency._Clock, int, int]] = []

    def make() -> None:
        before = _slack_of_this_thread()
        clock = latency._Clock()
        made.append((clock, before, _slack_of_this_thread()))

    maker = threading.Thread(target=make)
    maker.start()
    maker.join()
    clock, before, after = made[0]
    deadline = time.monotonic() + 5
    while clock.slack_ns is None and time.monotonic() < deadline:   # set by the thread as it starts
        time.sleep(0.01)
    assert clock.slack_ns == 1000
    assert after == before


def test_a_clock_runs_where_the_slack_cannot_be_set() -> None:
    # a Python built without ctypes: the clock thread still ends every delay (it used to die before its loop)
    program = (
        "import asyncio, sys\n"
        "sys.modules['ctypes'] = None\n"
        "from catalogctl.sandbox import latency\n"
        "asyncio.run(asyncio.wait_for(latency.inject_latency(0.01), 5))\n"
        "print(latency._the_clock().slack_ns, latency._the_clock().thread.is_alive())\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout.split()) == (0, ["None", "True"]), done.stderr


def _slack_of_this_thread() -> int:
    import ctypes

    prctl = ctypes.CDLL(None).prctl
    return int(prctl(30, ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)))
