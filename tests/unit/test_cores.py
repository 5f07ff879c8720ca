"""A command's threads on one core while the catalog loads beside the read (cores.py): every thread of
the process is moved, not only the caller (Linux sets one thread's cores at a time), and each gets its
own cores back afterwards (tests run many commands in one process)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from catalogctl import cores
from catalogctl.cores import one_core, own_cpu_s

CORES = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
pytestmark = pytest.mark.skipif(len(CORES) < 2, reason="needs Linux and two cores (CI has both)")


@pytest.fixture(autouse=True)
def _own_cores_back() -> Iterator[None]:
    before = os.sched_getaffinity(0)
    yield
    os.sched_setaffinity(0, before)


class _Thread:
    """A thread that runs `ask` when told and hands back the answer (sched_getaffinity(0) is per thread)."""

    def __init__(self, first: Callable[[], None] = lambda: None) -> None:
        self._asked: list[Callable[[], object]] = []
        self._answers: list[object] = []
        self._go, self._done = threading.Semaphore(0), threading.Semaphore(0)
        self._thread = threading.Thread(target=self._serve, args=(first,), daemon=True)
        self._thread.start()
        self._done.acquire()

    def _serve(self, first: Callable[[], None]) -> None:
        first()
        self._done.release()
        while True:
            self._go.acquire()
            ask = self._asked.pop()
            if ask is None:
                return
            self._answers.append(ask())
            self._done.release()

    def ask(self, question: Callable[[], object]) -> object:
        self._asked.append(question)
        self._go.release()
        self._done.acquire()
        return self._answers.pop()

    def stop(self) -> None:
        self._asked.append(None)  # type: ignore[arg-type]
        self._go.release()
        self._thread.join(5)


def _cores() -> set[int]:
    return os.sched_getaffinity(0)


def test_every_thread_on_the_callers_core_then_its_own_cores_back() -> None:
    last = {CORES[-1]}
    loader = _Thread(first=lambda: os.sched_setaffinity(0, last))  # started before, with cores of its own
    try:
        with one_core():
            mine = _cores()
            assert len(mine) == 1
            assert loader.ask(_cores) == mine   # the thread started earlier was moved too
        assert _cores() == set(CORES)
        assert loader.ask(_cores) == last       # its own cores, not the caller's
    finally:
        loader.stop()


def test_a_thread_started_inside_gets_the_callers_cores_after() -> None:
    with one_core() as pinned:
        inside = _Thread()
        assert len(inside.ask(_cores)) == 1      # it inherits the one core
        pinned.release()
    try:
        assert inside.ask(_cores) == set(CORES)
        assert _cores() == set(CORES)
    finally:
        inside.stop()


def test_release_is_once_and_the_block_end_then_changes_nothing() -> None:
    with one_core() as pinned:
        pinned.release()
        assert _cores() == set(CORES)
        os.sched_setaffinity(0, {CORES[0]})   # what the caller does after release is its own
    assert _cores() == {CORES[0]}


def test_a_process_already_on_one_core_is_left_there() -> None:
    os.sched_setaffinity(0, {CORES[-1]})
    with one_core():
        assert _cores() == {CORES[-1]}
    assert _cores() == {CORES[-1]}


def test_the_cores_come_back_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), one_core():
        assert len(_cores()) == 1
        raise RuntimeError("the read failed")
    assert _cores() == set(CORES)


def test_holds_overlapping_in_two_threads_leave_no_thread_pinned() -> None:
    """The first hold pins and the last one released restores, whichever threads they are in (a second
    hold that read the cores while the first had pinned them used to "restore" one core for good)."""
    both = threading.Barrier(2)

    def hold(rounds: int) -> None:
        for _ in range(rounds):
            both.wait(5)
            with one_core():
                time.sleep(0.001)

    other = threading.Thread(target=hold, args=(50,), daemon=True)
    other.start()
    hold(50)
    other.join(5)
    left = {task: os.sched_getaffinity(int(task)) for task in os.listdir("/proc/self/task")}
    assert all(cores == set(CORES) for cores in left.values()), left


def test_a_program_busy_on_the_pinned_core_gets_the_cores_back() -> None:
    """Pinned, the process could not move off a core another program keeps busy: the watch on the
    event loop sees the core used by others and gives every thread its cores back."""

    async def pinned_beside_a_busy_program() -> tuple[int, float]:
        with one_core():
            (core,) = _cores()
            hog = f"import os\nos.sched_setaffinity(0, {{{core}}})\nwhile 1: pass"
            busy = subprocess.Popen([sys.executable, "-c", hog])
            try:
                started = time.monotonic()
                while len(_cores()) == 1 and time.monotonic() - started < 10:
                    await asyncio.sleep(0.02)
                return len(_cores()), time.monotonic() - started
            finally:
                busy.kill()
                busy.wait()

    cores, after_s = asyncio.run(pinned_beside_a_busy_program())
    assert cores == len(CORES)
    assert after_s < 3


def test_the_own_cpu_time_counts_threads_started_and_ended_between_two_looks() -> None:
    """The watch takes the pinned core's busy time less this process's own: a thread of ours that started
    and ended between two looks is ours (counted as another program's, it gave the cores back)."""
    burned: list[float] = []

    def burn() -> None:
        started = time.thread_time()
        sum(i * i for i in range(3_000_000))
        burned.append(time.thread_time() - started)

    before = own_cpu_s()
    burner = threading.Thread(target=burn)
    burner.start()
    burner.join()
    assert burned[0] > 0.02                          # the thread did work, and has ended
    assert own_cpu_s() - before >= 0.9 * burned[0]   # all of it counted as this process's own


def test_a_stopped_watch_cannot_give_a_later_pin_back() -> None:
    """A look of the first pin's watch that runs after its release (it was already due) finds the pin
    it watched gone, and leaves the next pin alone."""

    async def two_pins() -> int:
        with one_core():
            first_watch = cores._PIN._watch
        assert first_watch is not None
        with one_core():
            cores._PIN.busy(first_watch)
            return len(_cores())

    assert asyncio.run(two_pins()) == 1
    assert _cores() == set(CORES)
