"""Creates whose answer was lost after the request was sent: the store may or may not have made
the object, and may still make it later (a write still in progress when the connection dropped).

Such a create is never sent again by the apply that lost it. A record of it goes into state at
once (fact `uncertain:<address>`), and the next plan or apply waits until the record's settle
window has passed before it reads the store: what landed by then is found by its natural key
and adopted, what did not is planned as a create again. The window is the client's request
timeout (how long the store was given to work on a request): a write landing later than that
can still be duplicated, and no client can prevent it without an idempotency key the API lacks.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from catalogctl.core.live import Facts
from catalogctl.errors import CatalogError
from catalogctl.model.address import Address

PREFIX = "uncertain:"
MAX_SETTLE_S = 3600.0   # a record asking for a longer wait is damaged (the window is a request timeout)
LATEST = 1e10           # epoch seconds (year 2286): a later loss time is damaged, and not printable


@dataclass(frozen=True)
class UncertainCreate:
    """One create whose answer was lost: what, by which natural key, which call, since and until when."""

    address: str        # Address text, e.g. product["TS-1"]
    key: str            # the natural key the lookup uses, e.g. sku=TS-1, src=https://..., title=Shirts
    call: str           # the store call, e.g. products.json
    lost_at: float      # epoch seconds when the answer was lost
    settle_s: float     # how long after that the write may still land
    detail: str = ""    # how the answer was lost (the transport's or the store's message)
    # What state would have learnt had the answer come (address text -> fact fields, e.g. the cover's
    # src): kept under the live id once the object is adopted, as if this create had answered.
    facts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # The live id the address had before (the product a replacement supersedes): seeing it is not
    # seeing ours.
    before: str | None = None

    def landed_as(self, live_id: str | None) -> bool:
        """Whether `live_id`, read at this address, is the object this create made."""
        return live_id is not None and live_id != self.before

    @property
    def fact_key(self) -> str:
        return fact_key(self.address)

    @property
    def settled_at(self) -> float:
        return self.lost_at + self.settle_s

    def when(self) -> str:
        return datetime.fromtimestamp(self.lost_at, UTC).isoformat(timespec="seconds")

    def to_fact(self) -> dict[str, Any]:
        fact: dict[str, Any] = {"address": self.address, "key": self.key, "call": self.call,
                                "lost_at": self.lost_at, "since": self.when(), "settle_s": self.settle_s,
                                "detail": self.detail}
        if self.facts:
            fact["facts"] = {address: dict(fields) for address, fields in self.facts.items()}
        if self.before is not None:
            fact["before"] = self.before
        return fact

    @classmethod
    def from_fact(cls, fact: Any) -> UncertainCreate | None:
        """The record of a state fact; None for a damaged one (it is then dropped, never trusted)."""
        try:
            facts = fact.get("facts") or {}
            if not all(isinstance(fields, dict) for fields in facts.values()):
                facts = {}   # damaged: adopt without them, as a fresh clone would
            lost_at, settle_s = float(fact["lost_at"]), float(fact.get("settle_s", 0))
            if not (0 <= lost_at <= LATEST and 0 <= settle_s <= MAX_SETTLE_S):   # NaN fails both too
                return None   # a hand-edited or torn value must never make a read wait for ever
            return cls(str(fact["address"]), str(fact.get("key", "")), str(fact.get("call", "")),
                       lost_at, settle_s, str(fact.get("detail", "")),
                       {str(address): dict(fields) for address, fields in facts.items()},
                       None if fact.get("before") is None else str(fact["before"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def fact_key(address: Address | str) -> str:
    return f"{PREFIX}{address}"


def records(facts: Facts) -> list[UncertainCreate]:
    """The uncertain creates recorded in a state's facts, oldest first."""
    found = [UncertainCreate.from_fact(value) for key, value in facts.items() if key.startswith(PREFIX)]
    return sorted((r for r in found if r is not None), key=lambda r: (r.lost_at, r.address))


def record_keys(facts: Facts) -> list[str]:
    """Every state key that holds an uncertain-create record (damaged ones included)."""
    return [key for key in facts if key.startswith(PREFIX)]


def wait_needed(found: Sequence[UncertainCreate], now: float | None = None) -> float:
    """Seconds until every record's write has had its settle window to land (0: none pending)."""
    now = time.time() if now is None else now
    # Never longer than a window: a record from a machine whose clock runs ahead must not stall us.
    return max([0.0, *(min(r.settled_at - now, r.settle_s) for r in found)])


class UncertainLog(Protocol):
    """Where a step reports uncertain creates (the apply's state journal, written at once)."""

    def lost(self, found: Sequence[UncertainCreate]) -> None: ...

    def settled(self, addresses: Sequence[Address]) -> None: ...


class _Nowhere:
    def lost(self, found: Sequence[UncertainCreate]) -> None:
        pass

    def settled(self, addresses: Sequence[Address]) -> None:
        pass


_LOG: ContextVar[UncertainLog | None] = ContextVar("catalogctl_uncertain_log", default=None)
_NOWHERE = _Nowhere()


def current_log() -> UncertainLog:
    """The log of the apply this code runs in (a no-op outside an apply, e.g. in a unit test)."""
    return _LOG.get() or _NOWHERE


@contextmanager
def logging_to(log: UncertainLog) -> Iterator[None]:
    """Steps started inside this block (asyncio tasks copy the context) report to `log`."""
    token = _LOG.set(log)
    try:
        yield
    finally:
        _LOG.reset(token)


class UncertainCreateError(CatalogError):
    """A create was sent and its answer lost, and the object is not (yet) in the store."""

    def __init__(self, what: str, lost: Sequence[UncertainCreate]) -> None:
        self.lost = tuple(lost)
        detail = lost[0].detail if lost else ""
        window = lost[0].settle_s if lost else 0
        super().__init__(
            f"{what}: the answer was lost ({detail}) and it is not in the store yet. The store may still "
            f"make it, so it is not sent again in this apply (that could duplicate it). Recorded in state: "
            f"the next plan or apply reads the store no sooner than {window:g} s after the loss, then adopts "
            f"it if it landed or creates it again if not.",
        )
