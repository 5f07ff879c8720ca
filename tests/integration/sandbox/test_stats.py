"""Request accounting: GET /__sandbox/stats counts per call key; POST /__sandbox/stats/reset clears."""

from __future__ import annotations

import time

from sandbox_helpers import Sandbox, create_doc_product


def test_stats_count_per_call(sandbox: Sandbox) -> None:
    create_doc_product(sandbox)
    sandbox.call("list_products", limit=50)
    sandbox.call("products", product={"id": 1})
    sandbox.call("products", product={"action": "update_product", "id": 1, "price": 3})
    sandbox.call("variants", variants=[1], image_id=[111111])
    sandbox.call("webhooks", action="list")
    sandbox.post("list_categories", api_key="wrong")  # refused requests count too
    stats = sandbox.stats()
    assert stats["by_call"] == {
        "create_categories.json": 1,
        "list_categories.json": 1,
        "list_products.json": 1,
        "products.json:create": 1,
        "products.json:details": 1,
        "products.json:update_product": 1,
        "variants.json:assign_image": 1,
        "webhooks.json:list": 1,
    }
    assert stats["total"] == 8 and stats["mutating"] == 4


def test_stats_reset(sandbox: Sandbox) -> None:
    sandbox.call("list_categories")
    reset = sandbox.http.post(f"{sandbox.url}/__sandbox/stats/reset").json()
    assert reset == {"total": 0, "mutating": 0, "by_call": {}, "held_s": 0.0}
    assert sandbox.stats()["total"] == 0


def test_faulted_requests_are_counted(sandbox: Sandbox) -> None:
    sandbox.set_faults(error_rate=1.0)
    sandbox.post("list_categories")
    assert sandbox.stats()["by_call"] == {"list_categories.json": 1}


def test_held_time_counts_each_answer_with_its_latency(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=40)
    sandbox.call("list_categories")
    sandbox.post("list_categories", api_key="wrong")  # a refused request waits out the latency too
    sandbox.http.get(f"{sandbox.url}/__sandbox/faults")  # an admin route is not the store's: not held
    held = sandbox.stats()["held_s"]
    assert 0.08 <= held < 0.08 + 2.0   # at least both latencies; bounded by a slow machine's hold, not 0.04 each


def test_held_time_is_the_handler_s_not_the_client_s(sandbox: Sandbox) -> None:
    """A client that waits between its requests does not add to the store's hold."""
    sandbox.call("list_categories")
    time.sleep(0.3)
    sandbox.call("list_categories")
    assert 0 < sandbox.stats()["held_s"] < 0.3
