"""Fault injection: each kind, set through the admin endpoint, over real HTTP (and one in-process)."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import httpx
import pytest
from sandbox_helpers import AUTH, Sandbox, create_doc_product, new_product

from catalogctl.sandbox import FaultConfig, create_app


def _titles(sandbox: Sandbox) -> list[str]:
    answer = sandbox.post("list_categories").json()
    return [c["title"] for c in answer.get("categories", [])]


def test_faults_are_off_by_default_and_can_be_read(sandbox: Sandbox) -> None:
    config = sandbox.http.get(f"{sandbox.url}/__sandbox/faults").json()
    assert config == FaultConfig().model_dump()


def test_invalid_fault_config_is_refused(sandbox: Sandbox) -> None:
    assert sandbox.set_faults(error_rate=2).status_code == 422
    assert sandbox.set_faults(no_such_fault=1).status_code == 422


def test_fixed_latency(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=150)
    started = time.perf_counter()
    sandbox.call("list_categories")
    assert time.perf_counter() - started >= 0.15


def test_latency_jitter_follows_the_seed(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_jitter_ms=300, seed=3)
    expected_s = random.Random(3).uniform(0, 300) / 1000  # the injector's first draw
    started = time.perf_counter()
    sandbox.call("list_categories")
    assert expected_s > 0.05 and time.perf_counter() - started >= expected_s


def test_error_rate_answers_500_with_an_error_body(sandbox: Sandbox) -> None:
    sandbox.set_faults(error_rate=1.0)
    response = sandbox.post("create_categories", category={"title": "Lost"})
    assert response.status_code == 500 and "error" in response.json()
    sandbox.set_faults()  # {} clears every fault
    assert _titles(sandbox) == []


def test_error_rate_is_reproducible_with_a_seed(sandbox: Sandbox) -> None:
    def pattern() -> list[int]:
        sandbox.set_faults(error_rate=0.5, seed=7)
        return [sandbox.post("list_categories").status_code for _ in range(12)]

    first = pattern()
    assert first == pattern() and 500 in first and 200 in first


def test_rate_limit_every_nth_request_gets_429_with_retry_after(sandbox: Sandbox) -> None:
    sandbox.set_faults(rate_limit=3, retry_after_s=2)
    codes = [sandbox.post("list_categories") for _ in range(6)]
    assert [r.status_code for r in codes] == [200, 200, 429, 200, 200, 429]
    assert codes[2].headers["Retry-After"] == "2"


def test_rate_limit_per_second(sandbox: Sandbox) -> None:
    sandbox.set_faults(rate_limit_rps=2)
    codes = [sandbox.post("list_categories").status_code for _ in range(5)]
    assert codes[:2] == [200, 200] and 429 in codes


def test_drop_closes_the_connection_without_an_answer(sandbox: Sandbox) -> None:
    sandbox.set_faults(drop_rate=1.0)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        sandbox.post("create_categories", category={"title": "Dropped"})
    sandbox.set_faults()
    assert _titles(sandbox) == []


def test_fail_nth_mutating_fails_before_writing(sandbox: Sandbox) -> None:
    sandbox.set_faults(fail_nth_mutating=2)
    assert sandbox.post("create_categories", category={"title": "One"}).status_code == 200
    sandbox.call("list_categories")  # reads do not count
    assert sandbox.post("create_categories", category={"title": "Two"}).status_code == 500
    assert sandbox.post("create_categories", category={"title": "Three"}).status_code == 200
    assert _titles(sandbox) == ["One", "Three"]


def test_fail_after_commit_drops_the_answer_but_keeps_the_write(sandbox: Sandbox) -> None:
    sandbox.set_faults(fail_after_commit_nth=1)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        sandbox.post("products", product=new_product("Timed out", sku="T-1"))
    found = sandbox.call("search_products", keyword="T-1")["products"]
    assert found["products_count"] == 1 and found["0"]["product_title"] == "Timed out"


def test_fail_after_commit_as_error(sandbox: Sandbox) -> None:
    sandbox.set_faults(fail_after_commit_nth=1, after_commit="error")
    assert sandbox.post("create_categories", category={"title": "Saved"}).status_code == 500
    assert _titles(sandbox) == ["Saved"]


@pytest.mark.parametrize(("faults", "written"), [
    (FaultConfig(drop_rate=1.0), []),
    (FaultConfig(fail_after_commit_nth=1), [{"id": "3", "title": "Kept"}]),
])
def test_drop_in_process_raises_what_httpx_raises(tmp_path: Path, faults: FaultConfig, written: list) -> None:
    app = create_app(tmp_path / "store.db", faults=faults)

    async def post(endpoint: str, **fields: object) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
            return await client.post(f"/api/{endpoint}.json", json={**AUTH, **fields})

    with pytest.raises(httpx.RemoteProtocolError):
        asyncio.run(post("create_categories", category={"title": "Kept"}))
    app.faults.configure(FaultConfig())  # type: ignore[attr-defined]
    assert asyncio.run(post("list_categories")).json().get("categories", []) == written


def test_vary_image_version_gives_image_urls_a_new_cache_buster_on_every_read(sandbox: Sandbox) -> None:
    created = create_doc_product(sandbox)
    product_id = created.get("id_product") or created["product"]["id_product"]

    def urls() -> list[str]:
        answer = sandbox.call("search_products", ids=str(product_id), limit=0, offset=0)
        return [image["url"] for image in answer["products"]["0"]["images"]]

    steady = urls()
    assert steady == urls() and all("?v=" in url for url in steady)
    sandbox.set_faults(vary_image_version=True)
    first, second = urls(), urls()
    assert first != second and len(first) == len(second) == len(steady)
    assert [url.split("?v=")[0] for url in second] == [url.split("?v=")[0] for url in steady]
