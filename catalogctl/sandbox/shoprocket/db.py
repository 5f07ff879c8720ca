"""SQLite storage for the Shoprocket and Shoplazza sandboxes: JSON records in keyed tables.

Writes are serialized by a lock plus `BEGIN IMMEDIATE`, so two concurrent creates of the same
subdomain or email can never both succeed (the uniqueness the real API promises).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class RecordStore:
    """One SQLite file holding tables of JSON records, each unique by one case-insensitive key."""

    def __init__(self, path: str | Path, tables: tuple[str, ...]) -> None:
        self.path = Path(path).resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            for table in tables:
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    " natural_key TEXT NOT NULL UNIQUE COLLATE NOCASE, record TEXT NOT NULL)"
                )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            yield conn
        finally:
            conn.close()

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` in one write transaction, committed when it returns and rolled back when it raises."""
        with self._lock, self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

    def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        with self._connect() as conn:
            return fn(conn)


def find(conn: sqlite3.Connection, table: str, key: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT record FROM {table} WHERE natural_key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


def insert(conn: sqlite3.Connection, table: str, key: str, build: Callable[[int], dict[str, Any]]) -> dict[str, Any]:
    """Insert a record whose content depends on its new id (`build(id)`), and return it."""
    cursor = conn.execute(f"INSERT INTO {table} (natural_key, record) VALUES (?, '{{}}')", (key,))
    new_id = cursor.lastrowid
    assert new_id is not None
    record = build(new_id)
    conn.execute(f"UPDATE {table} SET record = ? WHERE id = ?", (json.dumps(record), new_id))
    return record


def replace(conn: sqlite3.Connection, table: str, key: str, record: dict[str, Any]) -> None:
    conn.execute(
        f"INSERT INTO {table} (natural_key, record) VALUES (?, ?)"
        " ON CONFLICT(natural_key) DO UPDATE SET record = excluded.record",
        (key, json.dumps(record)),
    )


def count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
