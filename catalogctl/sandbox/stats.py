"""Request accounting per call key (see calls.py), read by tests and benchmarks via /__sandbox/stats.

`held_s` is the time the store's API handler held its requests, from its start to its answer: the
injected latency, the store's work and its wait behind the other requests in flight (so it grows with
the concurrency), what a client waits for and cannot make shorter at that concurrency. A lower bound
of the store's time: uvicorn's parse of the request before the handler and the answer's send after it
are not in it. It covers every request the handler answered, also those `total` does not count (a
body that is not JSON, an unknown endpoint), and a request is counted when it starts and held when it
ends: read the figures with nothing in flight. A benchmark
divides it by the requests for the store's own round trip (issue 13: at 50 ms injected, a
10,000-product apply's requests were held 52.6-53.0 ms each on the 2-core host)."""

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
        self._held_s = 0.0

    def record(self, key: str, mutating: bool) -> None:
        with self._lock:
            self._by_call[key] += 1
            self._mutating += int(mutating)

    def hold(self, seconds: float) -> None:
        """Add one answered request's time in the handler."""
        with self._lock:
            self._held_s += seconds

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self._by_call.values()),
                "mutating": self._mutating,
                "by_call": dict(sorted(self._by_call.items())),
                "held_s": self._held_s,
            }

    def reset(self) -> None:
        with self._lock:
            self._by_call.clear()
            self._mutating = 0
            self._held_s = 0.0
