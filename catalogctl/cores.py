"""A command's threads on one core while they take turns at the interpreter lock (issue 13).

A plan loads the catalog in a thread while the event loop reads the store (config/background.py):
two threads of Python, of which only one runs at a time. Spread over two cores by the scheduler,
every hand-over of the lock wakes the other core and each thread finds its caches cold: at 10,000
products the load thread used 2.1-2.8 s of CPU beside the read, for 1.9 s alone. Kept on one core
while the store is read, a no-op plan took 3.92-5.64 s against 4.82-6.29 s (a 2-vCPU VM in a slow
spell, 4 alternated pairs; in its fast minutes the two were alike).

So while the store is read, every thread of the process keeps to the core the caller runs on, and
afterwards each gets back the cores it had (the plan itself is built by one thread: it gains nothing
there). A pinned process cannot move away from a core another program makes busy (a review measured
+2 s for such a plan): a watch on the running event loop looks every 0.2 s at how much of the pinned
core others used (the core's busy time in /proc/stat, less this process's own CPU time) and gives the
cores back after two looks over 30%. Where the system cannot say or set any of it (not Linux, one
core), nothing changes.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

_WATCH_EVERY_S = 0.2
# The share of a look's wall time that others used the pinned core, past which the look counts as busy
# (quiet looks measured -0.04..+0.18 on a 2-vCPU VM, /proc/stat counts in ticks; a busy program 0.43-0.47);
# that many busy looks in a row give the cores back.
_OTHERS_SHARE = 0.3
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
        self._callers_cores: set[int] = set()
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

    def busy(self, watch: _Watch) -> None:
        """`watch` found the core busy: if it still watches this pin, every thread gets its cores back now
        (the holds stay)."""
        with self._lock:
            if watch is self._watch:
                self._unpin()

    def _pin(self) -> None:
        me = threading.get_native_id()
        cores = _affinity(me)
        current = _current_cpu()
        if cores is None or current is None or current not in cores or len(cores) < 2:
            return
        self._before = {task: _affinity(task) or cores for task in {me, *_tasks()}}
        self._callers_cores = cores
        try:
            if all(_set_affinity(task, {current}) for task in self._before):
                self._watch = _Watch.start(self, current)
            else:
                self._unpin()
        except BaseException:
            self._unpin()
            raise

    def _unpin(self) -> None:
        before, self._before = self._before, None
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()
        if before is not None:
            for task in set(before) | set(_tasks()):
                _set_affinity(task, before.get(task, self._callers_cores))


class _Watch:
    """Every _WATCH_EVERY_S on the running event loop: how much of the pinned core other programs used."""

    def __init__(self, pin: _Pin, loop: asyncio.AbstractEventLoop, core: int) -> None:
        self._pin, self._loop, self._core = pin, loop, core
        self._handle: asyncio.TimerHandle | None = None
        self._stopped = False
        self._busy_looks = 0
        self._last = self._now()

    def _now(self) -> tuple[float, float, float | None]:
        return time.monotonic(), own_cpu_s(), _core_busy_s(self._core)

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
        if self._stopped:
            return
        (then, own_then, core_then), now = self._last, self._now()
        self._last = now
        wall, own, core = now[0] - then, now[1], now[2]
        if core is not None and core_then is not None and wall > 0:
            others = (core - core_then - (own - own_then)) / wall
            self._busy_looks = self._busy_looks + 1 if others > _OTHERS_SHARE else 0
            if self._busy_looks >= _BUSY_LOOKS:
                self._pin.busy(self)
                return
        self._next()

    def stop(self) -> None:
        """No more looks (from any thread: the loop is told to cancel the next one)."""
        self._stopped = True
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            handle.cancel()
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(handle.cancel)


def own_cpu_s() -> float:
    """The CPU time of this process's threads, those that have ended included (all are on the pinned core)."""
    return time.process_time()


def _core_busy_s(core: int) -> float | None:
    """Seconds `core` has run anything (its line of /proc/stat), None if unknown. Time the hypervisor stole
    is left out: it is taken from every core alike, and this process's own CPU time does not count it."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            for line in stat:
                if line.startswith(f"cpu{core} "):
                    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in line.split()[1:8])
                    return (user + nice + system + irq + softirq) / _TICKS
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
