"""The local backend's lock: one apply per target on this machine, a file created with O_CREAT|O_EXCL.

The file holds who took it (LockHolder) so that the second apply can say so, and so that a lock
left by a process that died on this host is recognised as stale and taken over. A lock from
another host is never broken automatically: `catalogctl state unlock TARGET` does that.
"""

from __future__ import annotations

import errno
import os
import socket
import time
from pathlib import Path
from types import TracebackType

from catalogctl.errors import StateError
from catalogctl.state.holder import LockHolder, held_message


class TargetLock:
    """Context manager: `with TargetLock(path): ...` or raise StateError at once if it is held."""

    def __init__(self, path: Path, target: str | None = None) -> None:
        self.path = path
        self.target = target or path.stem
        self._held = False

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):  # a stale lock removed by us may be retaken by someone else in between
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if _is_stale(self.path, read_holder(self.path)):
                    self.path.unlink(missing_ok=True)
                    continue
                raise StateError(self._held_message()) from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(LockHolder.me().to_json())
            self._held = True
            return
        raise StateError(self._held_message())

    def _held_message(self) -> str:
        return held_message(self.target, read_holder(self.path), f"the file {self.path}")

    def release(self) -> None:
        if self._held:
            self.path.unlink(missing_ok=True)
            self._held = False

    def __enter__(self) -> TargetLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def read_holder(path: Path) -> LockHolder | None:
    """Who holds the lock at `path`; None when there is no file or it cannot be read."""
    try:
        return LockHolder.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _is_stale(path: Path, holder: LockHolder | None) -> bool:
    """Held by a process of this host that no longer exists, or unreadable for over a minute
    (the owner writes its details right after creating the file)."""
    if holder is None:
        try:
            return time.time() - path.stat().st_mtime > 60
        except FileNotFoundError:
            return True
    if holder.hostname != socket.gethostname():
        return False
    try:
        os.kill(holder.pid, 0)
    except OSError as exc:
        return exc.errno == errno.ESRCH
    return False
