"""The benchmark of issue 13 in its counts-only mode: the real CLI in fresh processes against a
sandbox in another process, 200 products. Counts only (they are stable; times are not)."""

from __future__ import annotations

from pathlib import Path

from bench.scale import apply_requests, count_rows, measure_store, noop_plan_requests


def test_noop_plan_and_apply_cost_exactly_their_requests(tmp_path: Path) -> None:
    store = measure_store(tmp_path, 200, 2, latency_ms=0, counts_only=True)
    assert store.plan.code == 0 and store.apply.code == 0 and store.validate.code == 0
    assert noop_plan_requests(200) == 4 + 3  # 200 is four full pages: the last full page ends the read
    assert store.plan.requests == noop_plan_requests(200)
    assert store.apply.requests == apply_requests(200) == 207
    assert store.validate.requests == 0
    assert all(met for _, _, _, met in count_rows(store))
