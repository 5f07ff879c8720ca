"""The garbage collector around the big heap of a large plan (issue 13).

Loading a 10,000-product catalog, reading its store and planning allocate millions of long-lived,
acyclic objects; the collector walks them again and again and finds nothing to free. So while
a command builds its plan, the cyclic collector is off: reference counting frees everything as
usual, only cycles wait for the end of the block. A long phase after the plan (an apply's walk of
10,000 requests) turns it back on, rarely, with what was built moved out of its sight (`gc.freeze`).

Measured at 10,000 products (no-op plan, 2 cores): with collections every 50,000 allocations the
collector took ~1 s of the plan's ~6.5 s of CPU (49 young, 4 middle and 1 full collection); off,
the peak RSS stayed the same (317 MB against 317-323 MB).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# While collecting() is on: gen0 every 50,000 net allocations (default 700); gen1 and the full
# collection as rarely.
_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def big_heap() -> Iterator[None]:
    """No cyclic collection during the block; after it the collector's thresholds and on/off are as they were, and
    what was built (or frozen) waits in the oldest generation."""
    was_enabled = gc.isenabled()
    before = gc.get_threshold()
    gc.disable()
    gc.set_threshold(*_THRESHOLDS)
    try:
        yield
    finally:
        _age_without_walking()
        gc.set_threshold(*before)
        if was_enabled:
            gc.enable()


# Young objects past which leaving big_heap splices them into the oldest generation instead of letting
# the next young collection walk them (~30 ms per 100,000 on a slow 2-core host).
_SPLICE_AT = 100_000


def _age_without_walking() -> None:
    """Move what the block built to the oldest generation without walking it, when it is a big heap.

    With the collector off, everything the block allocated piles up in the youngest generation, so
    the first allocation after `gc.enable()` walked all of it (millions of objects, 0.3-0.5 s of a
    10,000-product validate or plan, to find nothing). freeze() + unfreeze() splice the lists instead.
    Only for a big heap: freeze() also zeroes the allocation counts, so the spliced garbage cycles are
    found only by a full collection, and a process that runs many small commands (a test suite, a
    long-lived caller) would never reach one (~125 objects a `validate` of an example, kept for good).
    Frozen objects (settled(), collecting()) are given back to the oldest generation either way."""
    if gc.get_count()[0] > _SPLICE_AT:
        gc.freeze()
    gc.unfreeze()


# While collecting() is on: a young collection every 500,000 net allocations. A 10,000-product apply's
# walk keeps ~150,000 of the containers it allocates (each step's outcome, ids, journal entries) and makes
# no cyclic garbage, not even when requests fail, drop or are rate-limited (measured with the collector off
# at 300-3,000 products: 0 unreachable objects at the end). At 50,000 its three young collections each
# walked 50,000 survivors, a ~45 ms pause every ~20 s with 8 answers waiting behind it; now none run at
# 10,000 products. A longer walk still collects: as many objects walked in all, in fewer pauses, and the
# garbage cycles of a fault no measurement met wait at most that long.
_WALK_THRESHOLDS = (500_000, _THRESHOLDS[1], _THRESHOLDS[2])


@contextmanager
def collecting() -> Iterator[None]:
    """Inside big_heap: collect again (rarely) for a long phase; what exists now is frozen first."""
    was_enabled = gc.isenabled()
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*_WALK_THRESHOLDS)
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if not was_enabled:
            gc.disable()


@contextmanager
def importing() -> Iterator[None]:
    """No cyclic collection while a command's modules are imported; afterwards what they built waits in the
    oldest generation, put there without a walk (modules, classes and pydantic's schemas live as long as
    the process). Importing `plan`'s modules allocates ~70,000 containers: with the collector on, its young
    and full collections walked them again and again (the import's CPU 0.44 -> 0.37 s, 10 alternated pairs)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()    # a splice of every generation into the permanent one, and back into the oldest: no walk
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def settled() -> None:
    """What exists now lives until the command ends: keep the collector from walking it again (a big
    heap only: see _age_without_walking; a small one costs a young collection nothing to speak of)."""
    if gc.get_count()[0] > _SPLICE_AT:
        gc.freeze()
