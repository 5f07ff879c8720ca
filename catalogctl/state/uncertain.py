"""Uncertain creates in state (core/uncertain.py says what they are): written at once when a step
loses a create's answer, resolved by the next read, which waits out their settle window first."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from catalogctl.core import Facts, LiveState
from catalogctl.core.uncertain import UncertainCreate, fact_key, record_keys, records, wait_needed
from catalogctl.model.address import Address
from catalogctl.state.file import State
from catalogctl.state.journal import StateJournal

log = logging.getLogger("catalogctl.state")


class UncertainJournal:
    """The apply's UncertainLog: a lost answer is in the state file before the step looks it up."""

    def __init__(self, state: State, journal: StateJournal) -> None:
        self.state = state
        self.journal = journal
        # Records get into state only through `lost` (or were there before): without any, every create's
        # `settled` has nothing to drop, and need not spell its addresses' keys (issue 13).
        self._holds = bool(record_keys(state.facts))

    def lost(self, found: Sequence[UncertainCreate]) -> None:
        self._holds = True
        self.state.merge({record.fact_key: record.to_fact() for record in found})
        self.journal.flush()   # not paced like other facts: a crash in the next second must not lose it

    def settled(self, addresses: Sequence[Address]) -> None:
        if self._holds:
            self.state.forget(fact_key(address) for address in addresses)

    def resolve(self, live: LiveState, now: float | None = None) -> int:
        return resolve(self.state, live, now)


def resolve(state: State, live: LiveState, now: float | None = None) -> int:
    """Settle the records whose window ended before this apply read the store as `live` (that read saw
    whatever landed): what landed keeps the facts its create would have taught (its cover's source,
    say) under its live id, as if the answer had come; then every such record is dropped, damaged
    ones too (what did not land is planned as a create again). The number dropped."""
    now = time.time() if now is None else now
    ids = {str(address): (address, resource.live_id) for address, resource in live.resources.items()}
    settled = [r for r in records(state.facts) if r.settled_at <= now]
    for record in settled:
        if not record.landed_as(ids.get(record.address, (None, None))[1]):
            continue
        for text, fields in record.facts.items():
            address, live_id = ids.get(text, (None, None))
            if address is not None and live_id:
                state.merge({f"{address.kind.value}:{live_id}": fields})
    keep = {r.fact_key for r in records(state.facts) if r.settled_at > now}
    gone = [key for key in record_keys(state.facts) if key not in keep]
    state.forget(gone)
    return len(gone)


async def read_settled(read: Callable[[], Awaitable[LiveState]], facts: Facts) -> LiveState:
    """`read()` once every recorded uncertain create has had its settle window to land; the live state
    then notes, per record, whether its object landed (adopted) or not (planned as a create again)."""
    found = records(facts)
    wait = wait_needed(found)
    if wait > 0:
        log.warning("waiting %.1f s before reading the store: %d create(s) lost their answer less than their "
                    "settle window ago and may still land (%s)", wait, len(found),
                    ", ".join(r.address for r in found[:3]) + (", ..." if len(found) > 3 else ""))
        await asyncio.sleep(wait)
    live = await read()
    if not found:
        return live
    return replace(live, notes=(*live.notes, *resolution_notes(found, live)))


def resolution_notes(found: Sequence[UncertainCreate], live: LiveState) -> list[str]:
    """One plan note per record: adopted (it is live) or to be created again."""
    live_ids = {str(address): resource.live_id for address, resource in live.resources.items()}
    notes = []
    for record in found:
        live_id = live_ids.get(record.address)
        if record.landed_as(live_id):
            notes.append(f"the create of {record.address} that lost its answer at {record.when()} had landed: "
                         f"adopted (id {live_id})")
        elif record.before is not None and live_id == record.before:
            notes.append(f"the replacement of {record.address} (live id {record.before}) lost its answer at "
                         f"{record.when()}: a replacement planned again adopts the new product if it landed, "
                         f"else creates it")
        else:
            notes.append(f"the create of {record.address} that lost its answer at {record.when()} had not landed "
                         f"{record.settle_s:.0f} s later: planned as a create again (if the catalog still has it)")
    return notes
