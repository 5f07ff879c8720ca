"""The collector around a command's big heap: off while the plan is built, on again for a long walk,
and the process's own settings back afterwards (tests run many commands in one process)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from catalogctl.heap import big_heap, collecting, settled


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


def _collections_during_allocations() -> int:
    """How many collections ran while 200,000 containers were allocated and kept."""
    before = sum(stats["collections"] for stats in gc.get_stats())
    kept = [[] for _ in range(200_000)]
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
            assert gc.get_threshold()[0] >= 10_000   # rare young collections, not the default 700
            assert 1 <= _collections_during_allocations() <= 10   # 200,000 allocations: a few, not hundreds
        assert not gc.isenabled()
    assert gc.isenabled()


def test_frozen_objects_are_given_back_and_a_disabled_collector_stays_off() -> None:
    gc.disable()
    with big_heap():
        settled()
        assert gc.get_freeze_count() > 0
        with collecting():
            pass
    assert gc.get_freeze_count() == 0
    assert not gc.isenabled()


def test_an_error_inside_restores_the_collector() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), big_heap():
        raise RuntimeError("boom")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_what_the_block_built_is_not_walked_when_the_collector_comes_back() -> None:
    """Leaving big_heap must not walk what the block built: everything goes to the oldest generation
    (the first young collection after it walked all of it: 0.3-0.5 s of a 10,000-product validate)."""
    gc.enable()
    gc.set_threshold(700, 10, 10)
    with big_heap():
        built = [[index] for index in range(50_000)]
        assert gc.get_count()[0] > 50_000   # all of it young while the collector is off
    assert gc.get_count()[0] < 700
    before = [stats["collected"] + stats["collections"] for stats in gc.get_stats()[:2]]
    assert gc.is_tracked(built[-1])
    young = {id(item) for item in gc.get_objects(generation=0)}
    assert id(built) not in young and id(built[-1]) not in young
    assert any(item is built for item in gc.get_objects(generation=2))
    assert [stats["collected"] + stats["collections"] for stats in gc.get_stats()[:2]] == before


def test_garbage_cycles_made_inside_are_still_collected_later() -> None:
    """Aged, not leaked: a cycle the block dropped is freed by the next full collection."""
    import weakref

    class Node:
        pass

    gc.enable()
    with big_heap():
        node = Node()
        node.me = node   # type: ignore[attr-defined]
        alive = weakref.ref(node)
        del node
    assert alive() is not None   # no collection ran on the way out
    gc.collect()
    assert alive() is None
