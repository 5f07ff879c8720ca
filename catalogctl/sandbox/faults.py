"""Fault injection: latency, 500s, 429s, dropped connections, and failing the Nth mutating request.

Off by default. Faults are decided before a request touches the store, except the explicit
after-commit fault, which lets the write commit and then loses the answer (a timeout on a
create that did succeed), and the late-commit fault, which loses a create's answer first and
commits its write later (a store that was still working when the client gave up).
Randomness comes from `seed`, so a run can be replayed.
"""

from __future__ import annotations

import math
import random
import re
import threading
import time
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_VERSION = re.compile(rb"\?v=(\d+)")


class FaultConfig(BaseModel):
    """What to inject; every field off by default. Counters restart whenever faults are set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    latency_ms: int = Field(0, ge=0, description="fixed delay before every store request (with "
                            "latency_includes_work: its round trip)")
    latency_jitter_ms: int = Field(0, ge=0, description="random extra delay, 0..N ms")
    latency_includes_work: bool = Field(False, description="the latency counts from when the store's handler "
                                        "takes the request up and covers its own work: a request that reaches "
                                        "the store is answered latency_ms after that (when the work takes less), "
                                        "as by a store whose round trip is latency_ms; faults are answered as "
                                        "without it")
    error_rate: float = Field(0.0, ge=0, le=1, description="share of requests answered HTTP 500")
    rate_limit: int | None = Field(None, ge=1, description="every Nth request is answered 429")
    rate_limit_rps: float | None = Field(None, gt=0, description="requests beyond this rate are answered 429")
    retry_after_s: int = Field(1, ge=0, description="Retry-After seconds sent with a 429")
    drop_rate: float = Field(0.0, ge=0, le=1, description="share of requests whose connection is dropped")
    fail_nth_mutating: int | None = Field(None, ge=1, description="the Nth mutating request fails before writing")
    fail_after_commit_nth: int | None = Field(None, ge=1, description="the Nth mutating request commits, then fails")
    after_commit: Literal["drop", "error"] = Field("drop", description="how the after-commit fault fails")
    seed: int | None = Field(None, description="seed for the random faults")
    vary_image_version: bool = Field(False, description="each read answer gives every image url a new ?v= "
                                     "cache-buster, as a store's CDN may between two reads")
    late_commit_nth: int | None = Field(None, ge=1, description="the Nth create loses its answer (the connection "
                                        "is dropped) and its write lands late_commit_ms later")
    late_commit_rate: float = Field(0.0, ge=0, le=1, description="share of creates whose answer is lost and whose "
                                    "write lands late_commit_ms later")
    late_commit_ms: int = Field(500, ge=0, description="how long after the lost answer a late create is committed")

    def active(self) -> bool:
        return self != FaultConfig()


class Outcome(Enum):
    PROCEED = "proceed"
    DROP = "drop"
    RATE_LIMITED = "rate_limited"
    ERROR = "error"
    FAIL_BEFORE_WRITE = "fail_before_write"
    FAIL_AFTER_COMMIT = "fail_after_commit"
    LATE_COMMIT = "late_commit"  # the answer is lost first; the write lands late_commit_ms later


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    delay_s: float = 0.0
    retry_after_s: int = 0
    after_work: bool = False   # the delay is waited out after the store's work, not before it (latency_includes_work)


class FaultInjector:
    """The live fault state of one app: the config, its random stream and its counters."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
            self._requests = 0
            self._mutating = 0
            self._creates = 0
            self._reads = 0
            self._tokens = config.rate_limit_rps or 0.0
            self._refilled = time.monotonic()

    def before_request(self) -> Decision:
        """Latency plus the request-level faults, decided in a fixed order: drop, 429, 500."""
        with self._lock:
            cfg = self.config
            self._requests += 1
            delay = cfg.latency_ms / 1000
            if cfg.latency_jitter_ms:
                delay += self._rng.uniform(0, cfg.latency_jitter_ms) / 1000
            if cfg.drop_rate and self._rng.random() < cfg.drop_rate:
                return Decision(Outcome.DROP, delay)
            if cfg.rate_limit and self._requests % cfg.rate_limit == 0:
                return Decision(Outcome.RATE_LIMITED, delay, cfg.retry_after_s)
            wait = self._take_token()
            if wait is not None:
                return Decision(Outcome.RATE_LIMITED, delay, max(cfg.retry_after_s, math.ceil(wait)))
            if cfg.error_rate and self._rng.random() < cfg.error_rate:
                return Decision(Outcome.ERROR, delay)
            return Decision(Outcome.PROCEED, delay, after_work=cfg.latency_includes_work)

    def _take_token(self) -> float | None:
        """Token bucket for rate_limit_rps: None when a token was taken, else seconds until the next one."""
        rate = self.config.rate_limit_rps
        if not rate:
            return None
        now = time.monotonic()
        self._tokens = min(max(rate, 1.0), self._tokens + (now - self._refilled) * rate)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return None
        return (1 - self._tokens) / rate

    def cache_busters(self, body: bytes) -> bytes:
        """A read answer with each image url's ?v= moved on by the number of reads so far (vary_image_version)."""
        if not self.config.vary_image_version:
            return body
        with self._lock:
            self._reads += 1
            step = self._reads
        return _VERSION.sub(lambda m: b"?v=%d" % (int(m.group(1)) + step), body)

    def late_commit(self) -> bool:
        """Count a create that passed every check and say whether its answer is lost and its write delayed."""
        with self._lock:
            cfg = self.config
            self._creates += 1
            if self._creates == cfg.late_commit_nth:
                return True
            return bool(cfg.late_commit_rate) and self._rng.random() < cfg.late_commit_rate

    def before_mutation(self) -> Outcome:
        """Count an authenticated mutating request and say whether it must fail, and when."""
        with self._lock:
            self._mutating += 1
            if self._mutating == self.config.fail_nth_mutating:
                return Outcome.FAIL_BEFORE_WRITE
            if self._mutating == self.config.fail_after_commit_nth:
                return Outcome.FAIL_AFTER_COMMIT
            return Outcome.PROCEED
