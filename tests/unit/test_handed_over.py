"""session.HandedOver: a catalog's products are let go one by one while its desired resources are built."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from catalogctl.config.catalog import load_catalog
from catalogctl.model.from_catalog import desired_resources
from catalogctl.session import HandedOver

ROOT = Path(__file__).resolve().parents[2]


class _Item:
    pass


def test_each_item_is_let_go_as_the_next_is_handed_out() -> None:
    items = [_Item() for _ in range(5)]
    refs = [weakref.ref(item) for item in items]
    handed = HandedOver(items)
    del items
    seen: list[int] = []
    for item in handed:  # (enumerate would keep the last item in the tuple it reuses)
        index = len(seen)
        seen.append(refs.index(weakref.ref(item)))
        del item
        gc.collect()
        assert all(ref() is None for ref in refs[:index + 1])  # handed out and dropped: freed
        assert all(ref() is not None for ref in refs[index + 1:])  # not yet handed out: kept
    assert seen == [0, 1, 2, 3, 4] and handed == []


def test_desired_resources_of_a_handed_over_catalog_are_the_same() -> None:
    catalog = load_catalog(ROOT / "examples" / "pod-store")
    expected = desired_resources(catalog)
    handed = catalog.model_copy(update={"products": HandedOver(catalog.products)})
    got = desired_resources(handed)
    assert list(got) == list(expected) and got == expected
    assert handed.products == [] and catalog.products  # only the handed-over list was consumed
