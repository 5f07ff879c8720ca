"""The garbage collector around the big heap of a large plan (issue 13).

Loading a 10,000-product catalog and reading its store allocate millions of long-lived,
acyclic objects; with the default thresholds the collector walks them again and again and
roughly doubles every phase. So while a command works, young collections are rare, and what
is loaded is moved out of the collector's sight (`gc.freeze`) once it is built. Reference
counting still frees everything as usual; only cycles wait for the end of the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# gen0 every 50,000 net allocations (default 700); gen1 and the full collection as rarely.
_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def big_heap() -> Iterator[None]:
    """Collect rarely during the block; the thresholds and frozen objects are restored after it."""
    before = gc.get_threshold()
    gc.set_threshold(*_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def settled() -> None:
    """What exists now lives until the command ends: keep the collector from walking it again."""
    gc.freeze()
