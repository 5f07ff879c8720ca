"""The applier's journal: facts from each step go into the state and onto disk at once.

Each write is the whole file, atomically. For a small state that is every step; a large one
(a 10,000-product first apply) is written at most every `min_interval` seconds plus once at
the end, because rewriting a megabyte per step would dominate the run. A crash then loses at
most that fraction of a second of facts: those images are replaced in place again on the next
apply, never duplicated (DESIGN.md: state is never the source of identity).

A backend whose every write is slow (the git backend: a commit and a push) sets
`State.write_interval`; then every write, small state or large, is paced by it.
"""

from __future__ import annotations

import time

from catalogctl.core import Facts
from catalogctl.state.file import State

LARGE_STATE = 200   # facts; beyond this, writes are paced


class StateJournal:
    def __init__(self, state: State, *, min_interval: float = 0.25) -> None:
        self.state = state
        self.min_interval = min_interval
        self._last_write = 0.0
        self.writes = 0

    def record(self, facts: Facts) -> None:
        """Merge a step's facts; write the file now unless a large state was written very recently."""
        if not self.state.merge(facts):
            return
        now = time.monotonic()
        paced = self.state.write_interval
        if paced is not None:
            if now - self._last_write >= paced:
                self._write(now)
        elif len(self.state.facts) < LARGE_STATE or now - self._last_write >= self.min_interval:
            self._write(now)

    def flush(self) -> None:
        if self.state.dirty:
            self._write(time.monotonic())

    def _write(self, now: float) -> None:
        self.state.save()
        self._last_write = now
        self.writes += 1
