"""Who holds a target's apply lock: the record every backend stores, and the message a second
apply (or `state show`) prints from it."""

from __future__ import annotations

import getpass
import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry (containers): the uid is still a name of sorts
        return f"uid{os.getuid()}"


def ci_run_url(environ: dict[str, str] | None = None) -> str | None:
    """The CI job that runs this apply (GitHub Actions or GitLab CI), so a holder can be looked up."""
    env = os.environ if environ is None else environ
    if env.get("GITHUB_RUN_ID") and env.get("GITHUB_REPOSITORY"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
    return env.get("CI_JOB_URL") or None


@dataclass(frozen=True)
class LockHolder:
    """The apply that took the lock. `id` tells our own lock from one that replaced it."""

    pid: int
    hostname: str
    time: str
    user: str = ""
    ci_url: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def me(cls) -> LockHolder:
        return cls(os.getpid(), socket.gethostname(), _now(), _user(), ci_run_url())

    @classmethod
    def from_json(cls, text: str) -> LockHolder | None:
        """The holder recorded in a lock file; None when it is not readable (a torn or foreign file)."""
        try:
            data: Any = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
            return None
        return cls(data["pid"], str(data.get("hostname", "?")), str(data.get("time", "?")),
                   str(data.get("user", "")), data.get("ci_url"), str(data.get("id", "")))

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True) + "\n"

    def age(self, now: datetime | None = None) -> str:
        """`3 min ago`, `2 h 5 min ago`; `age unknown` for an unreadable time."""
        try:
            since = datetime.fromisoformat(self.time)
        except ValueError:
            return "age unknown"
        seconds = max(0, int(((now or datetime.now(UTC)) - since).total_seconds()))
        if seconds < 120:
            return f"{seconds} s ago"
        minutes = seconds // 60
        if minutes < 120:
            return f"{minutes} min ago"
        if minutes < 48 * 60:
            return f"{minutes // 60} h {minutes % 60} min ago"
        return f"{minutes // (24 * 60)} days ago"

    def describe(self) -> str:
        """`alice on runner-7 (pid 4242), since 2024-05-01T10:00:00+00:00 (3 min ago), CI run URL`."""
        who = f"{self.user} on {self.hostname}" if self.user else self.hostname
        text = f"{who} (pid {self.pid}), since {self.time} ({self.age()})"
        return text + (f", CI run {self.ci_url}" if self.ci_url else "")


def held_message(target: str, holder: LockHolder | None, where: str) -> str:
    """What the second apply prints: who holds the lock, for how long, and how to break it."""
    who = holder.describe() if holder else "an apply whose details cannot be read"
    return (f"target {target!r} is locked by another apply: {who}; only one apply may run at a time "
            f"(the lock is {where}).\n"
            f"If that apply is still running, wait for it. If it crashed or was cancelled, break the lock "
            f"with `catalogctl state unlock {target}` (it shows the holder and asks first).")
