"""The collector around a command's big heap: off while the plan is built, on again for a long walk,
and the process's own settings back afterwards (tests run many commands in one process)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from catalogctl.heap import big_heap, collecting, importing, settled


@pytest.fixture(autouse=True)
def _restore_collector() -> Iterator[None]:
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def _collections_during_allocations(count: int = 200_000) -> int:
    """How many collections ran while `count` containers were allocated and kept."""
    before = sum(stats["collections"] for stats in gc.get_stats())
    kept = [[] for _ in range(count)]
    after = sum(stats["collections"] for stats in gc.get_stats())
    del kept
    return after - before


def test_no_collection_inside_big_heap_and_settings_restored() -> None:
    gc.enable()
    gc.set_threshold(700, 10, 10)
    with big_heap():
        assert not gc.isenabled()
        assert _collections_during_allocations() == 0
    assert gc.isenabled()
    assert gc.get_threshold() == (700, 10, 10)


def test_collecting_turns_the_collector_on_rarely_and_off_again() -> None:
    gc.enable()
    with big_heap():
        with collecting():
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0   # what the plan built is out of the collector's sight
            assert gc.get_threshold()[0] >= 100_000   # rare young collections, not the default 700
            # a 10,000-product walk keeps ~150,000 containers: no pause for them, and a longer walk still collects
            assert _collections_during_allocations(200_000) == 0
            assert 1 <= _collections_during_allocations(1_200_000) <= 5
        assert not gc.isenabled()
        assert gc.get_threshold()[0] < 100_000   # big_heap's own thresholds again
    assert gc.isenabled()


def test_frozen_objects_are_given_back_and_a_disabled_collector_stays_off() -> None:
    gc.disable()
    with big_heap():
        built = [[index] for index in range(_BIG)]   # a big heap: settled() hides it from the collector
        settled()
        assert gc.get_freeze_count() > 0
        with collecting():
            pass
    assert gc.get_freeze_count() == 0
    assert not gc.isenabled()
    assert len(built) == _BIG


def test_a_small_heap_is_not_frozen_by_settled() -> None:
    gc.enable()
    with big_heap():
        settled()
        assert gc.get_freeze_count() == 0


def test_an_error_inside_restores_the_collector() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), big_heap():
        raise RuntimeError("boom")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_big_heap_is_not_walked_when_the_collector_comes_back() -> None:
    """Leaving big_heap must not walk a big heap the block built: it goes to the oldest generation
    (the first young collection after it walked all of it: 0.3-0.5 s of a 10,000-product validate)."""
    gc.enable()
    gc.set_threshold(700, 10, 10)
    with big_heap():
        built = [[index] for index in range(_BIG)]
    # Walked by a young collection, `built` would have moved up one generation, not to the oldest.
    assert any(item is built for item in gc.get_objects(generation=2))
    assert gc.get_count()[0] < 700


def test_a_small_heap_is_collected_as_usual_on_the_way_out() -> None:
    """A small block's garbage cycles are found by the next young collection, as without big_heap:
    spliced into the oldest generation they would wait for a full collection, which a process running
    many small commands (the suite, through CliRunner) never reached (the review's finding)."""
    import weakref

    class Node:
        pass

    gc.enable()
    gc.set_threshold(700, 10, 10)
    with big_heap():
        node = Node()
        node.me = node   # type: ignore[attr-defined]
        alive = weakref.ref(node)
        del node
        kept = [[index] for index in range(5_000)]
        assert alive() is not None   # the collector is off inside
    more = [[] for _ in range(2_000)]   # a young collection comes due, and finds the cycle
    assert alive() is None
    assert len(kept) + len(more) == 7_000


_BIG = 150_000   # young objects: past heap._SPLICE_AT


def test_importing_collects_nothing_and_leaves_what_it_built_in_the_oldest_generation() -> None:
    gc.enable()
    with importing():
        assert not gc.isenabled()
        assert _collections_during_allocations() == 0
        built = [[index] for index in range(1_000)]   # a module's objects, say
        assert gc.get_count()[0] >= 1_000
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0   # spliced back: nothing stays out of the collector's sight
    assert gc.get_count()[0] < 700      # no young generation left for the next collection to walk
    oldest = {id(thing) for thing in gc.get_objects(generation=2)}
    assert id(built) in oldest and id(built[-1]) in oldest


def test_importing_keeps_a_disabled_collector_off_and_restores_it_after_an_error() -> None:
    gc.disable()
    with importing():
        pass
    assert not gc.isenabled()
    gc.enable()
    with pytest.raises(KeyboardInterrupt), importing():
        raise KeyboardInterrupt
    assert gc.isenabled()
