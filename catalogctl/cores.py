"""A command's threads on one core while they take turns at the interpreter lock (issue 13).

A plan loads the catalog in a thread while the event loop reads the store (config/background.py):
two threads of Python, of which only one runs at a time. Spread over two cores by the scheduler,
every hand-over of the lock wakes the other core and each thread finds its caches cold: at 10,000
products the load thread used 2.1-2.8 s of CPU beside the read, for 1.9 s alone. Kept on one core,
a no-op plan took 4.03-4.67 s against 4.71-5.22 s (2-core host, alternated runs).

So while the store is read and the plan is made, every thread of the process keeps to the core the
caller runs on, and afterwards each gets back the cores it had. A pinned process cannot move away
from a core that another program makes busy (the review measured +2 s for such a plan): a watch on
the running event loop reads how long the threads waited to run (/proc/self/task/*/schedstat) and
gives the cores back for good once they wait more than a third of the time. Where the system
cannot say or set any of it (not Linux, one core), nothing changes.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

_WATCH_EVERY_S = 0.2
# The share of the pinned core that other programs used in a look, past which it counts as busy; that
# many busy looks in a row give the cores back.
_BUSY_CORE = 0.3
_BUSY_LOOKS = 2
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class OneCore:
    """A hold on the process's threads being on one core (see one_core). Holds nest, across threads too:
    the first one pins, the last one released gives each thread its cores back."""

    def __init__(self) -> None:
        self._held = False

    def __enter__(self) -> OneCore:
        return self.take()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def take(self) -> OneCore:
        if not self._held:
            _PIN.hold()
            self._held = True
        return self

    def release(self) -> None:
        """Let go of this hold (once); the last one gives each thread its cores back."""
        if self._held:
            self._held = False
            _PIN.let_go()


def one_core() -> OneCore:
    """`with one_core():` the process's threads on the core this one runs on, until the block ends (or its
    `release()`); then each thread's cores as they were (a thread started meanwhile: the caller's)."""
    return OneCore()


class _Pin:
    """The process's one pin: how many hold it, each pinned thread's cores before, the watch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holds = 0
        self._before: dict[int, set[int]] | None = None
        self._mine: set[int] = set()
        self._watch: _Watch | None = None

    def hold(self) -> None:
        with self._lock:
            if self._holds == 0:
                self._pin()   # if this raises, nothing is held
            self._holds += 1

    def let_go(self) -> None:
        with self._lock:
            self._holds -= 1
            if self._holds == 0:
                self._unpin()

    def busy(self) -> None:
        """The watch found the core busy: every thread gets its cores back now, and the holds stay."""
        with self._lock:
            self._unpin()

    def _pin(self) -> None:
        me = threading.get_native_id()
        mine = _affinity(me)
        current = _current_cpu()
        if mine is None or current is None or current not in mine or len(mine) < 2:
            return
        before = {task: _affinity(task) or mine for task in {me, *_tasks()}}
        self._before, self._mine = before, mine
        try:
            pinned = all(_set_affinity(task, {current}) for task in before)
        except BaseException:
            self._unpin()
            raise
        if not pinned:
            self._unpin()
            return
        self._watch = _Watch.start(self, current)

    def _unpin(self) -> None:
        before, self._before = self._before, None
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()
        if before is not None:
            for task in set(before) | set(_tasks()):
                _set_affinity(task, before.get(task, self._mine))


class _Watch:
    """Every _WATCH_EVERY_S on the running event loop: how much of the pinned core other programs used."""

    def __init__(self, pin: _Pin, loop: asyncio.AbstractEventLoop, core: int) -> None:
        self._pin, self._loop, self._core = pin, loop, core
        self._handle: asyncio.TimerHandle | None = None
        self._busy_looks = 0
        self._last = self._now()

    def _now(self) -> tuple[float, dict[int, int], float | None]:
        return time.monotonic(), _threads_cpu_ns(), _core_busy_s(self._core)

    @classmethod
    def start(cls, pin: _Pin, core: int) -> _Watch | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None   # no loop to watch from: the pin lasts the block (callers outside a command)
        watch = cls(pin, loop, core)
        watch._next()
        return watch

    def _next(self) -> None:
        self._handle = self._loop.call_later(_WATCH_EVERY_S, self._look)

    def _look(self) -> None:
        (then, ours_then, core_then), now = self._last, self._now()
        self._last = now
        wall, ours, core = now[0] - then, now[1], now[2]
        if core is None or core_then is None or wall <= 0:
            self._next()
            return
        mine = sum(ours[task] - ours_then[task] for task in ours.keys() & ours_then.keys()) / 1e9
        others = (core - core_then - mine) / wall
        self._busy_looks = self._busy_looks + 1 if others > _BUSY_CORE else 0
        if self._busy_looks >= _BUSY_LOOKS:
            self._handle = None
            self._pin.busy()
            return
        self._next()

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


def _threads_cpu_ns() -> dict[int, int]:
    """Each thread's time on a CPU so far (first field of its schedstat), in nanoseconds."""
    spent = {}
    for task in _tasks():
        try:
            spent[task] = int(Path(f"/proc/self/task/{task}/schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return spent


def _core_busy_s(core: int) -> float | None:
    """Seconds `core` has spent on anything but idling (its line of /proc/stat), None if unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            for line in stat:
                if line.startswith(f"cpu{core} "):
                    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in line.split()[1:9])
                    return (user + nice + system + irq + softirq + steal) / _TICKS
    except (OSError, ValueError):
        return None
    return None


def _tasks() -> list[int]:
    """The ids of this process's threads (Linux: sched_setaffinity sets one thread's cores, not the process's)."""
    try:
        return [int(name) for name in os.listdir("/proc/self/task")]
    except (OSError, ValueError):
        return []


def _affinity(task: int) -> set[int] | None:
    try:
        return set(os.sched_getaffinity(task))
    except (AttributeError, OSError):
        return None


def _set_affinity(task: int, cpus: set[int]) -> bool:
    try:
        os.sched_setaffinity(task, cpus)
    except ProcessLookupError:
        return True    # the thread has ended meanwhile
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _current_cpu() -> int | None:
    """The core this thread last ran on (field 39 of /proc/thread-self/stat), None if unknown."""
    try:
        stat = Path("/proc/thread-self/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[36])
    except (OSError, ValueError, IndexError):
        return None


_PIN = _Pin()
