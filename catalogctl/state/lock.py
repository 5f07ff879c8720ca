"""One apply per target at a time: a lock file created with O_CREAT|O_EXCL.

The file holds who took it (pid, hostname, time) so that the second apply can say so, and so
that a lock left by a process that died on this host is recognised as stale and taken over.
A lock from another host is never broken automatically.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from catalogctl.errors import StateError


class TargetLock:
    """Context manager: `with TargetLock(path): ...` or raise StateError at once if it is held."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._held = False

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):  # a stale lock removed by us may be retaken by someone else in between
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = _read_owner(self.path)
                if owner is None or _is_stale(self.path, owner):
                    self.path.unlink(missing_ok=True)
                    continue
                raise StateError(_held_message(self.path, owner)) from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(_me(), handle)
            self._held = True
            return
        raise StateError(_held_message(self.path, _read_owner(self.path) or {}))

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


def _me() -> dict[str, Any]:
    return {"pid": os.getpid(), "hostname": socket.gethostname(),
            "time": datetime.now(UTC).isoformat(timespec="seconds")}


def _read_owner(path: Path) -> dict[str, Any] | None:
    """Who holds the lock; {} when unreadable; None when the file is already gone."""
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


def _is_stale(path: Path, owner: dict[str, Any]) -> bool:
    """Held by a process of this host that no longer exists, or unreadable for over a minute
    (the owner writes its details right after creating the file)."""
    if not owner:
        try:
            return time.time() - path.stat().st_mtime > 60
        except FileNotFoundError:
            return True
    pid = owner.get("pid")
    if owner.get("hostname") != socket.gethostname() or not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.ESRCH
    return False


def _held_message(path: Path, owner: dict[str, Any] | None) -> str:
    who = "another catalogctl apply"
    if owner:
        who += f" (pid {owner.get('pid')} on {owner.get('hostname')}, since {owner.get('time')})"
    return (f"{who} holds the lock {path} on this target; only one apply may run at a time. "
            "If no apply is running, delete that file.")
