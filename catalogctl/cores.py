"""A command's threads on one core while they take turns at the interpreter lock (issue 13).

A plan loads the catalog in a thread while the event loop reads the store (config/background.py):
two threads of Python, of which only one runs at a time. Spread over two cores by the scheduler,
every hand-over of the lock wakes the other core and each thread finds its caches cold: a
10,000-product no-op plan on a 2-core host spent 3.6-4.1 s of CPU in that phase for 3.1 s of work
done one after the other (the load alone 1.9 s, 2.3-2.5 s beside the read). On one core the same
phase took 3.0-3.5 s of CPU and the whole plan 4.3-4.7 s of wall instead of 5.0-5.6 s.

So for that phase the process keeps to the core it is running on, and afterwards gets back the
cores it had. Where the system cannot say or set it (not Linux), nothing changes.
"""

from __future__ import annotations

import os
from pathlib import Path


class OneCore:
    """While held, the process's threads run on the core this one ran on when it was taken (see one_core)."""

    def __init__(self) -> None:
        self._before: dict[int, set[int]] | None = None
        self._mine: set[int] = set()

    def take(self) -> OneCore:
        mine = _affinity(0)
        current = _current_cpu()
        if mine is None or current is None or current not in mine or len(mine) < 2:
            return self
        before = {task: _affinity(task) or mine for task in _tasks()}
        self._before, self._mine = before, mine
        if not all(_set_affinity(task, {current}) for task in before):
            self.release()
        return self

    def release(self) -> None:
        """Each thread's cores as they were (a thread started meanwhile: those of the taker); once."""
        before, self._before = self._before, None
        if before is not None:
            for task in _tasks():
                _set_affinity(task, before.get(task, self._mine))

    def __enter__(self) -> OneCore:
        return self.take()

    def __exit__(self, *exc: object) -> None:
        self.release()


def one_core() -> OneCore:
    """`with one_core():` the process's threads on the core this one runs on, until the block ends or
    `release()` is called; then each thread's cores as they were. Nothing happens where that cannot be done."""
    return OneCore()


def _tasks() -> list[int]:
    """The ids of this process's threads (Linux: sched_setaffinity sets one thread's cores, not the process's)."""
    try:
        return [int(name) for name in os.listdir("/proc/self/task")]
    except (OSError, ValueError):
        return [0]


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
