"""The contract every state backend keeps (local files, a git branch; an object store later).

A backend stores one target's state document and its apply lock. The planner and applier see
only `State` (facts, `save()`) and the lock's context manager, so a new backend is a new class
here plus a case in `open_backend`, nothing else.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from catalogctl.state.file import State
from catalogctl.state.holder import LockHolder
from catalogctl.state.settings import GitState, LocalState


class StateBackend(Protocol):
    """Where a target's state and lock live."""

    target: str

    @property
    def location(self) -> str:
        """Where, for people: `the file .catalogctl/state/prod.json`, `branch catalogctl-state of origin`."""
        ...

    def load(self) -> State:
        """The current state (empty when there is none yet); its `save()` writes back here."""
        ...

    def lock(self) -> AbstractContextManager[object]:
        """Hold the apply lock for the `with` block; StateError at once, naming the holder, if it is held."""
        ...

    def holder(self) -> LockHolder | None:
        """Who holds the lock now (None: nobody); unreadable details come back as a placeholder holder."""
        ...

    def unlock(self) -> LockHolder | None:
        """Break the lock, whoever holds it; the holder it had (None: it was not locked)."""
        ...


@dataclass(frozen=True)
class BackendPlace:
    """What a backend needs to know about the target: its name, the catalog and its .catalogctl/ dir."""

    target: str
    catalog_dir: Path
    state_dir: Path


def open_backend(settings: LocalState | GitState | None, place: BackendPlace) -> StateBackend:
    """The backend the `state:` setting names (None: local files)."""
    match settings:
        case GitState():
            from catalogctl.state.git import GitBackend

            return GitBackend(settings, place)
        case LocalState() | None:
            from catalogctl.state.local import LocalBackend

            return LocalBackend(place)
