"""The git backend: `<target>.json` (the state) and `<target>.lock` (the holder) on a branch of
the catalog's own remote, so every machine that applies (laptops, CI runners) shares them.

Taking the lock is a commit adding `<target>.lock`, pushed as a fast-forward: of two runners
that read "unlocked" at once, only one push lands; the other re-reads, sees the lock and fails
at once naming the holder. State writes during apply are commits too, paced by
`WRITE_INTERVAL`, and they merge the facts already on the branch, so no writer loses another's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from catalogctl.core.uncertain import PREFIX as UNCERTAIN
from catalogctl.errors import StateError
from catalogctl.state.backend import BackendPlace
from catalogctl.state.file import State, parse_facts
from catalogctl.state.gitstore import Changes, GitBranch, Snapshot
from catalogctl.state.holder import LockHolder, held_message
from catalogctl.state.settings import GitState

WRITE_INTERVAL = 2.0   # seconds between state pushes during an apply (plus one at the end)


class GitBackend:
    def __init__(self, settings: GitState, place: BackendPlace) -> None:
        self.target = place.target
        self.branch = GitBranch(place.catalog_dir, settings.remote, settings.branch)
        self.state_file = f"{place.target}.json"
        self.lock_file = f"{place.target}.lock"

    @property
    def location(self) -> str:
        return f"{self.state_file} on {self.branch.location}"

    def load(self) -> State:
        snap = self.branch.fetch()
        text = self.branch.read(self.state_file, snap)
        facts = {} if text is None else parse_facts(text, self.location)
        return State(Path(self.state_file), self.target, facts, sink=self._write, write_interval=WRITE_INTERVAL)

    def _write(self, text: str) -> None:
        def decide(snap: Snapshot) -> Changes:
            on_branch = self.branch.read(self.state_file, snap)
            return {self.state_file: _merged(text, on_branch)}

        self.branch.update(decide, f"state of {self.target}: {_fact_count(text)} facts")

    @contextmanager
    def lock(self) -> Iterator[LockHolder]:
        me = LockHolder.me()
        self._acquire(me)
        try:
            yield me
        finally:
            self._release(me)

    def _acquire(self, me: LockHolder) -> None:
        def decide(snap: Snapshot) -> Changes:
            text = self.branch.read(self.lock_file, snap)
            if text is not None:
                raise StateError(held_message(self.target, LockHolder.from_json(text), self.location_of_lock))
            return {self.lock_file: me.to_json()}

        self.branch.update(decide, f"lock {self.target}: {me.describe()}", fresh=True)

    def _release(self, me: LockHolder) -> None:
        def decide(snap: Snapshot) -> Changes | None:
            text = self.branch.read(self.lock_file, snap)
            holder = LockHolder.from_json(text) if text is not None else None
            # Someone broke our lock (and may hold it now): theirs is not ours to remove.
            return {self.lock_file: None} if holder is not None and holder.id == me.id else None

        self.branch.update(decide, f"unlock {self.target}")

    @property
    def location_of_lock(self) -> str:
        return f"{self.lock_file} on {self.branch.location}"

    def holder(self) -> LockHolder | None:
        text = self.branch.read(self.lock_file, self.branch.fetch())
        if text is None:
            return None
        return LockHolder.from_json(text) or LockHolder(0, "?", "?", "(unreadable lock file)")

    def unlock(self) -> LockHolder | None:
        broken: list[LockHolder | None] = [None]

        def decide(snap: Snapshot) -> Changes | None:
            text = self.branch.read(self.lock_file, snap)
            if text is None:
                return None
            broken[0] = LockHolder.from_json(text) or LockHolder(0, "?", "?", "(unreadable lock file)")
            return {self.lock_file: None}

        self.branch.update(decide, f"break the lock of {self.target}", fresh=True)
        return broken[0]


def _merged(ours: str, on_branch: str | None) -> str:
    """Our state document with the facts only the branch knows added (state only adds knowledge,
    except the uncertain-create records an apply resolves)."""
    if on_branch is None:
        return ours
    try:
        theirs = json.loads(on_branch).get("facts", {})
    except (ValueError, AttributeError):
        return ours   # a damaged file on the branch is replaced by ours, which is whole
    document: dict[str, Any] = json.loads(ours)
    facts = document["facts"]
    # Uncertain-create records are ours alone to drop (we hold the lock and loaded them): one we
    # resolved must not come back from the branch.
    merged = {key: {**values, **facts.get(key, {})} for key, values in theirs.items()
              if isinstance(values, dict) and not key.startswith(UNCERTAIN)}
    if all(facts.get(key) == values for key, values in merged.items()):
        return ours
    facts.update(merged)
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _fact_count(text: str) -> int:
    try:
        return len(json.loads(text)["facts"])
    except (ValueError, KeyError, TypeError):
        return 0
