"""The append-only log beside a local state file: what each apply step taught, one JSON line per step.

Rewriting the whole state after each step made a large first apply quadratic (a 10,000-product
state is 1.3 MB: ~20 ms to encode, every write). A step's facts are appended here instead (a few
hundred bytes) and the file is folded into the state document by the next full save, which then
removes the log. Whoever loads the state replays the log, so a crashed apply loses nothing that
reached the log; a line torn by the crash is skipped (state is never the source of identity: a
lost fact costs at most an image replaced in place again).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import msgspec

from catalogctl.core import Facts


def log_path(state_path: Path) -> Path:
    """`prod.json` -> `prod.json.log`, beside it."""
    return state_path.with_name(state_path.name + ".log")


def replay(path: Path) -> Iterator[dict[str, dict[str, Any]]]:
    """The facts of each whole line of the log at `path`, in order; nothing when there is no log."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    for line in data.split(b"\n"):
        try:
            entry = json.loads(line)
        except ValueError:
            continue   # torn by a crash (or empty)
        facts = entry.get("facts") if isinstance(entry, dict) else None
        if isinstance(facts, dict):
            yield {key: value for key, value in facts.items() if isinstance(value, dict)}


_LINE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
"""A log line's JSON: json.dumps with these options, without a new encoder per line."""
FAST_JSON = msgspec.json.Encoder(order="sorted").encode
_INT64 = (-(2**63), 2**63)


def line_of(facts: Facts) -> bytes:
    """A step's log line, UTF-8: `_LINE.encode({"facts": facts}) + "\n"`, byte for byte.

    msgspec writes it ~10x faster than json (issue 13: one line per step) when every value is one whose
    spelling the two share: str (escapes and all, tests/unit/state/test_log.py), None, bool, an int within
    64 bits, or a list of those, under str keys; anything else (nested objects, floats, other types, a
    dict subclass) is encoded by json itself, with json's errors."""
    if plain_facts(facts):
        return FAST_JSON({"facts": facts}) + b"\n"
    return (_LINE.encode({"facts": facts}) + "\n").encode("utf-8")


def plain_facts(facts: Facts) -> bool:
    """Whether msgspec (FAST_JSON) spells these facts as json does (sort_keys, ensure_ascii=False, compact)."""
    if type(facts) is not dict:
        return False
    for key, fields in facts.items():
        if type(key) is not str or type(fields) is not dict:
            return False
        for name, value in fields.items():
            if type(name) is not str:
                return False
            if type(value) is list:
                if not all(map(_plain_value, value)):
                    return False
            elif not _plain_value(value):
                return False
    return True


def _plain_value(value: Any) -> bool:
    kind = type(value)
    return kind is str or value is None or kind is bool or (kind is int and _INT64[0] <= value < _INT64[1])


class FactLog:
    """The open log of one state file; opened on the first append."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._syncer: ThreadPoolExecutor | None = None
        self._sync: Future[None] | None = None

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def append(self, facts: Facts) -> None:
        """One line, one write (appends of a few hundred bytes are whole or torn at the end, never mixed)."""
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.write(self._fd, line_of(facts))

    def sync(self) -> None:
        """Make what was appended survive a power cut, not only a crash of this process.

        In a thread of its own (issue 13): an fsync takes milliseconds, and the apply's event loop,
        every answer in flight, waited for it four times a second. A sync asked for while another is
        still queued is that one (it starts later, so it covers these appends too); a failed one is
        raised here, at the next sync."""
        if self._fd is None:
            return
        pending = self._sync
        if pending is not None and pending.done() and pending.exception() is not None:
            self._sync = None
            raise pending.exception()  # type: ignore[misc]
        if pending is not None and not pending.running() and not pending.done():
            return
        if self._syncer is None:
            self._syncer = ThreadPoolExecutor(1, thread_name_prefix="catalogctl-fsync")
        self._sync = self._syncer.submit(os.fsync, self._fd)

    def remove(self) -> None:
        """The state file now holds everything the log did: drop it (a failed sync of the log no longer matters)."""
        self.close(reporting=False)
        self.path.unlink(missing_ok=True)

    def close(self, *, reporting: bool = True) -> None:
        """Wait for the last sync and close; a sync that failed is raised here, as it was where it ran
        before syncs moved to their own thread (a failure is never lost at the end of an apply)."""
        last = None
        if self._syncer is not None:   # the descriptor is never closed under an fsync
            self._syncer.shutdown(wait=True)
            last, self._syncer, self._sync = self._sync, None, None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        failed = last.exception() if last is not None else None
        if failed is not None and reporting:
            raise failed
