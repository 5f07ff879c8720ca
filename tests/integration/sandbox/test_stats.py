"""Request accounting: GET /__sandbox/stats counts per call key; POST /__sandbox/stats/reset clears."""

from __future__ import annotations

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
    assert reset == {"total": 0, "mutating": 0, "by_call": {}}
    assert sandbox.stats()["total"] == 0


def test_faulted_requests_are_counted(sandbox: Sandbox) -> None:
    sandbox.set_faults(error_rate=1.0)
    sandbox.post("list_categories")
    assert sandbox.stats()["by_call"] == {"list_categories.json": 1}
