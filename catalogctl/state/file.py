"""The per-target state file: only the facts the store cannot return (DESIGN.md "State").

`.catalogctl/state/<target>.json` maps "image:<live id>" -> {"src": url} and
"product:<live id>" -> {"short_description": ...}. It is never the source of identity: losing
it only means the planner cannot compare write-only attributes, so images are at worst
replaced in place again. Every write is atomic (temp file in the same directory, fsync,
os.replace), so a crash mid-write leaves the previous file whole. The directory is not
fsynced: after a power cut the rename may be lost, which costs at most an image re-replaced.
During an apply each step's facts are appended to a log beside the file (state/log.py) instead
of rewriting it; loading replays the log, and the next full save folds it in and removes it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from catalogctl.core import Facts
from catalogctl.errors import StateError
from catalogctl.state.log import FAST_JSON, FactLog, log_path, plain_facts, replay

STATE_FORMAT = 1


class State:
    """The facts of one target, in memory, with `save()` to write them back atomically.

    `sink` is where `save()` writes the document (a backend's write: a file, a commit pushed to a
    branch); by default the file at `path`, and then facts can also be appended to its log
    (`append`). `write_interval` paces the apply journal's writes (None: the journal's own pacing).
    """

    def __init__(self, path: Path, target: str, facts: Mapping[str, Mapping[str, Any]] | None = None, *,
                 sink: Callable[[str], None] | None = None, write_interval: float | None = None) -> None:
        self.path = path
        self.target = target
        self._facts: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (facts or {}).items()}
        self.dirty = False
        self._sink = sink
        self.write_interval = write_interval
        self._log = FactLog(log_path(path)) if sink is None else None
        self._log_checked = False

    @property
    def facts(self) -> Facts:
        return self._facts

    def merge(self, facts: Facts) -> bool:
        """Remember these facts (a fact's fields are merged); True when anything changed."""
        changed = False
        for key, values in facts.items():
            current = self._facts.setdefault(key, {})
            for field, value in values.items():
                if current.get(field, _MISSING) != value:
                    current[field] = value
                    changed = True
        self.dirty = self.dirty or changed
        return changed

    def forget(self, keys: Iterable[str]) -> bool:
        """Drop these facts (resolved records: see core/uncertain.py); True when any was there."""
        changed = False
        for key in keys:
            if self._facts.pop(key, None) is not None:
                changed = True
        self.dirty = self.dirty or changed
        return changed

    @property
    def appends(self) -> bool:
        """Facts can go to a log (`append`) instead of a rewrite of the whole document (a local file)."""
        return self._log is not None

    def append(self, facts: Facts) -> None:
        """Log facts already merged, so a crash keeps them (`load_state` replays the log); O(their size)."""
        assert self._log is not None, "only a state kept in a local file has a log"
        if not self._log_checked:
            self._log_checked = True
            if self._log.exists:   # left by a crashed apply and replayed into these facts: fold it in first
                self._write()
        self._log.append(facts)
        self.dirty = True   # the file does not hold it yet: the next save folds the log in

    def sync(self) -> None:
        """What was appended survives a power cut too (not only a crash of this process)."""
        if self._log is not None:
            self._log.sync()

    def to_json(self) -> str:
        document = {"format_version": STATE_FORMAT, "target": self.target, "facts": self._facts}
        if type(self.target) is str and plain_facts(self._facts):
            # msgspec, where it writes json's bytes (state/log.py): ~10x faster than json for the 1.3 MB
            # of a 10,000-product state, written at the end of every apply (issue 13)
            return (FAST_JSON(document) + b"\n").decode("utf-8")
        # Compact and sorted: json's C encoder (indent would use the pure-Python one) keeps a
        # rewrite of a 10,000-product state to milliseconds.
        return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

    def save(self) -> None:
        """Write the whole file atomically; a no-op when nothing changed since the last save."""
        if not self.dirty and (self._sink is not None or self.path.exists()):
            return
        self._write()

    def _write(self) -> None:
        if self._sink is not None:
            self._sink(self.to_json())
        else:
            atomic_write(self.path, self.to_json())
        if self._log is not None:
            self._log.remove()   # the file holds all it said
        self.dirty = False


_MISSING = object()


def load_state(path: Path, target: str) -> State:
    """The state at `path` with what its log adds (an apply that crashed), or an empty one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        state = State(path, target)
    except OSError as exc:
        raise StateError(f"cannot read the state file {path}: {exc.strerror}") from None
    else:
        state = State(path, target, parse_facts(text, str(path)))
    for facts in replay(log_path(path)):
        state.merge(facts)   # marks the state dirty if the log said anything new: the next save writes it
    return state


def parse_facts(text: str, where: str) -> dict[str, dict[str, Any]]:
    """The facts of a state document; StateError (saying deleting it is safe) when it is damaged."""
    try:
        document = json.loads(text)
        facts = document["facts"]
        if document.get("format_version") != STATE_FORMAT or not isinstance(facts, dict):
            raise ValueError("unexpected format_version or facts")
        if not all(isinstance(v, dict) for v in facts.values()):
            raise ValueError("every fact must be an object")
    except (ValueError, KeyError, TypeError) as exc:
        raise StateError(
            f"the state file {where} is damaged ({exc})",
            hint="It only remembers image source urls and similar facts: deleting it is safe "
                 "(plans then cannot see a change to an image url or short description alone).",
        ) from None
    return facts


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

