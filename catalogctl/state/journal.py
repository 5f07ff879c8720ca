"""The applier's journal: facts from each step go into the state and onto disk at once.

A state in a local file appends each step's facts to its log (state/log.py: one line, at once;
fsync'ed at most every `min_interval` seconds) and is written whole once, at the end: so each
step costs the same however large the state (rewriting a 1.3 MB state took ~20 ms of CPU, and
was a twentieth of a 10,000-product apply even when paced). A crash of the process loses nothing
that was appended; a power cut at most `min_interval` of facts: those images are replaced in
place again on the next apply, never duplicated (DESIGN.md: state is never the source of identity).

A state with another sink (the git backend) is written whole. For a small state that is every
step; a large one at most every `min_interval` seconds, and never more often than keeps the
writing under 1/`BUDGET` of the run, plus once at the end. A backend whose every write is slow
(a commit and a push) sets `State.write_interval`; then every write is paced by it.
"""

from __future__ import annotations

import time

from catalogctl.core import Facts
from catalogctl.state.file import State

LARGE_STATE = 200   # facts; beyond this, writes are paced
BUDGET = 20         # a large state's writes take at most 1/BUDGET of the apply's time


class StateJournal:
    def __init__(self, state: State, *, min_interval: float = 0.25) -> None:
        self.state = state
        self.min_interval = min_interval
        self._last_write = 0.0
        self._last_took = 0.0
        self._last_sync = time.monotonic()
        self.writes = 0

    def record(self, facts: Facts) -> None:
        """Merge a step's facts; append them to the log, or write the file unless a large state was
        written very recently."""
        if not self.state.merge(facts):
            return
        now = time.monotonic()
        if self.state.appends:
            self.state.append(facts)
            self.writes += 1
            if now - self._last_sync >= self.min_interval:
                self.state.sync()
                self._last_sync = now
            return
        paced = self.state.write_interval
        if paced is not None:
            if now - self._last_write >= paced:
                self._write(now)
        elif len(self.state.facts) < LARGE_STATE or now - self._last_write >= self.interval():
            self._write(now)

    def interval(self) -> float:
        """Seconds between two writes of a large state: `min_interval`, or longer when writes are slow."""
        return max(self.min_interval, BUDGET * self._last_took)

    def flush(self) -> None:
        if self.state.dirty:
            self._write(time.monotonic())

    def _write(self, now: float) -> None:
        self.state.save()
        self._last_write = time.monotonic()
        self._last_took = self._last_write - now
        self.writes += 1
