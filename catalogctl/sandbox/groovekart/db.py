"""One SQLite file per store: a small connection pool, snapshot reads and serialized writes.

Writes take a process-wide lock per file and `BEGIN IMMEDIATE` (which also serializes other
processes), so concurrent writers never lose writes or see duplicate ids. Each request's writes
are one transaction: a failed or refused request leaves nothing half-written.

The write-ahead log is copied back into the database file by a short-lived thread every
_CHECKPOINT_EVERY writes, not by SQLite's automatic checkpoint: that one runs inside the COMMIT that
passes 1,000 log pages, and a write runs on the server's one event loop, which it held ~4.5 ms every
~0.4 s of a 10,000-product apply (every answer due meanwhile then waited, and left together: issue 13,
3,000 creates at 50 ms, 8 in flight: the handler's p99 after the latency 5.3-5.6 -> 2.0-2.3 ms).
sqlite3 lets go of the GIL while the checkpoint copies pages, and a PASSIVE checkpoint never blocks a writer.
But only a write that begins with the whole log copied back starts the log over, and with writes closer
together than a checkpoint lasts (its fsync: 10-17 ms) that never came: the log grew without end (455 MB
after 5,000 back-to-back writes). So once a checkpoint finds the log past _LOG_FRAMES_LIMIT, the next one
runs inside a write, where no other write runs beside it, as SQLite's own did: one such pause per ~64 MiB
of log, and the log file is cut back to 64 MiB when it starts over (journal_size_limit). Writes much faster
than a checkpoint (back to back, ~0.25 ms each, against 10-100 ms) wait for it after _CHECKPOINT_BACKLOG:
without that a slow checkpoint let the log pass its limit many times over (56 MB for an 8 MB limit in CI).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from catalogctl.sandbox.groovekart.reply import Reply
from catalogctl.sandbox.groovekart.schema import migrate

T = TypeVar("T")

_FILE_LOCKS: dict[str, threading.Lock] = {}
_FILE_LOCKS_GUARD = threading.Lock()
_IDLE_CONNECTIONS = 8
_CHECKPOINT_JOIN_S = 30.0   # what close() waits for a checkpoint under way
_CHECKPOINT_EVERY = 64   # writes: ~1,000 log pages of 10-variant creates, where SQLite's own would run
_CHECKPOINT_BACKLOG = 1_024   # writes while one checkpoint runs, past which the next write waits for it
_LOG_FRAMES_LIMIT = 16_384   # log pages (~64 MiB): past this the next checkpoint runs inside a write
_LOG_BYTES_KEPT = 64 * 1024 * 1024   # journal_size_limit: what the log file is cut back to when it starts over


def _lock_for(path: Path) -> threading.Lock:
    with _FILE_LOCKS_GUARD:
        return _FILE_LOCKS.setdefault(str(path), threading.Lock())


class Store:
    """The storage of one sandbox store (thread-safe; share one per app)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = _lock_for(self.path)
        # Idle connections, the last released on top. A list: its append and pop are atomic, which is all
        # queue.LifoQueue's locks and condition gave the pool (issue 13).
        self._idle: list[sqlite3.Connection] = []
        self._writes = 0   # since the last checkpoint began
        self._checkpoint: threading.Thread | None = None
        self._log_frames = 0   # the log's length in pages when the last checkpoint ran
        conn = self._connect()
        conn.execute("PRAGMA journal_mode=WAL")
        migrate(conn)
        self._release(conn)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")   # see the module's docstring
        conn.execute(f"PRAGMA journal_size_limit = {_LOG_BYTES_KEPT}")
        return conn

    def _acquire(self) -> sqlite3.Connection:
        try:
            return self._idle.pop()
        except IndexError:
            return self._connect()

    def _release(self, conn: sqlite3.Connection) -> None:
        if len(self._idle) < _IDLE_CONNECTIONS:
            self._idle.append(conn)
        else:
            conn.close()

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn = self._acquire()
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._release(conn)

    def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` inside one read transaction (one consistent snapshot for all its queries)."""
        with self.connection() as conn:
            conn.execute("BEGIN")
            return fn(conn)

    def write(self, fn: Callable[[sqlite3.Connection], Reply]) -> Reply:
        """Run `fn` in one write transaction; commit only when its reply says so. (connection()'s work
        written out: its generator and context manager, with the pool's queue, cost ~30,000 instructions
        a write; issue 13.)"""
        with self._write_lock:
            conn = self._acquire()
            try:
                conn.execute("BEGIN IMMEDIATE")
                reply = fn(conn)
                conn.execute("COMMIT" if reply.commit else "ROLLBACK")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self._release(conn)
            self._writes += 1
            if self._writes >= _CHECKPOINT_EVERY:
                self._start_checkpoint()
            return reply

    @contextmanager
    def bulk(self) -> Iterator[sqlite3.Connection]:
        """A write transaction for seeding (benchmarks, fixtures): commits when the block ends."""
        with self._write_lock, self.connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
            self._start_checkpoint()

    def _start_checkpoint(self) -> None:
        """Copy the log back in a thread of its own (under the write lock: one at a time per store)."""
        running = self._checkpoint
        if running is not None and running.is_alive():
            if self._writes < _CHECKPOINT_BACKLOG:
                return
            running.join()   # writes far faster than a checkpoint (a seeding loop): the log must not outrun it
        self._writes = 0
        if self._log_frames > _LOG_FRAMES_LIMIT:
            self._copy_log_back_here()
            return
        self._checkpoint = threading.Thread(target=self._copy_log_back, name="sandbox-checkpoint", daemon=True)
        self._checkpoint.start()

    def _copy_log_back(self) -> None:
        try:
            # mode=rw: a store whose file was removed meanwhile (a test's directory) is not made again, empty
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=rw", uri=True, isolation_level=None, timeout=30)
            try:
                self._log_frames = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
            finally:
                conn.close()
        except sqlite3.Error:   # the file went away, say: the next checkpoint tries again, the log grows meanwhile
            pass

    def _copy_log_back_here(self) -> None:
        """The whole log copied back with no write beside it (the caller holds the write lock): the next write
        starts the log over, unless a read still uses it (then the next checkpoint tries again)."""
        conn = self._acquire()
        try:
            busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self._log_frames = 0 if not busy and frames == copied else frames
        except sqlite3.Error:
            pass
        finally:
            self._release(conn)

    def close(self) -> None:
        running = self._checkpoint
        if running is not None:
            running.join(_CHECKPOINT_JOIN_S)
        while True:
            try:
                self._idle.pop().close()
            except IndexError:
                return
