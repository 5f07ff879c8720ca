"""Shoplazza's rate limit: 2 requests per second per app and store, as a leaky bucket (HTTP 429 beyond)."""

from __future__ import annotations

import threading
import time


class LeakyBucket:
    """Each request adds one drop; the bucket drains `rate` drops per second and holds `capacity`."""

    def __init__(self, rate: float = 2.0, capacity: int = 2) -> None:
        self.rate = rate
        self.capacity = capacity
        self._lock = threading.Lock()
        self._levels: dict[str, tuple[float, float]] = {}  # key -> (level, when)

    def admit(self, key: str) -> bool:
        """True when the request fits in the bucket of `key` (and is counted); False means 429."""
        with self._lock:
            now = time.monotonic()
            level, when = self._levels.get(key, (0.0, now))
            level = max(0.0, level - (now - when) * self.rate)
            if level + 1 > self.capacity:
                self._levels[key] = (level, now)
                return False
            self._levels[key] = (level + 1, now)
            return True
