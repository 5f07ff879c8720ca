"""Request accounting per call key (see calls.py), read by tests and benchmarks via /__sandbox/stats."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    """Counts every request that reached a store endpoint, faulted or refused ones included."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_call: Counter[str] = Counter()
        self._mutating = 0

    def record(self, key: str, mutating: bool) -> None:
        with self._lock:
            self._by_call[key] += 1
            self._mutating += int(mutating)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self._by_call.values()),
                "mutating": self._mutating,
                "by_call": dict(sorted(self._by_call.items())),
            }

    def reset(self) -> None:
        with self._lock:
            self._by_call.clear()
            self._mutating = 0
