"""The local backend: `.catalogctl/state/<target>.json` and `<target>.lock` beside the catalog."""

from __future__ import annotations

from pathlib import Path

from catalogctl.state.backend import BackendPlace
from catalogctl.state.file import State, load_state
from catalogctl.state.holder import LockHolder
from catalogctl.state.lock import TargetLock, read_holder


class LocalBackend:
    """State in a file written atomically; the lock is a file only this machine sees."""

    def __init__(self, place: BackendPlace) -> None:
        self.target = place.target
        self.path: Path = place.state_dir / "state" / f"{place.target}.json"
        self.lock_path: Path = place.state_dir / "state" / f"{place.target}.lock"

    @property
    def location(self) -> str:
        return f"the file {self.path}"

    def load(self) -> State:
        return load_state(self.path, self.target)

    def lock(self) -> TargetLock:
        return TargetLock(self.lock_path, self.target)

    def holder(self) -> LockHolder | None:
        if not self.lock_path.exists():
            return None
        return read_holder(self.lock_path) or LockHolder(0, "?", "?", "(unreadable lock file)")

    def unlock(self) -> LockHolder | None:
        holder = self.holder()
        self.lock_path.unlink(missing_ok=True)
        return holder
