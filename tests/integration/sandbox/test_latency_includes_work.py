"""`latency_includes_work`: the store's work first, then the rest of the latency before the answer (a store whose
round trip is `latency_ms`); faults keep their latency and a late commit still lands after the lost answer."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sandbox_helpers import Sandbox, new_product

from catalogctl.sandbox.groovekart.endpoints import products
from catalogctl.sandbox.groovekart.endpoints.products import CREATE_FAILED

LATENCY_S = 0.6


def _products(sandbox: Sandbox) -> int:
    with sqlite3.connect(sandbox.db_path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM product").fetchone()[0])


def _in_background(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """`call` started in a thread; its result lands in the list (nothing does if it raised)."""
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(call()))
    thread.start()
    return thread, out


def test_a_create_is_written_first_and_answered_when_the_latency_is_over(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=int(LATENCY_S * 1000), latency_includes_work=True)
    started = time.perf_counter()
    sending, answers = _in_background(lambda: sandbox.call("products", product=new_product("Early")))
    time.sleep(LATENCY_S / 2)  # the write is in; the answer has half the latency to go
    assert _products(sandbox) == 1 and not answers
    sending.join(10)
    assert time.perf_counter() - started >= LATENCY_S
    assert answers and answers[0]["id_product"] == "1"
    assert sandbox.stats()["held_s"] >= LATENCY_S   # the store held the request for its whole round trip


def test_a_read_sees_the_store_as_it_came(sandbox: Sandbox) -> None:
    assert sandbox.post("create_categories", category={"title": "Before"}).status_code == 200
    sandbox.set_faults(latency_ms=int(LATENCY_S * 1000), latency_includes_work=True)
    started = time.perf_counter()
    reading, lists = _in_background(lambda: sandbox.call("list_categories"))
    time.sleep(LATENCY_S / 3)
    sandbox.set_faults()   # the read's answer is due at the latency it came with
    assert sandbox.post("create_categories", category={"title": "After"}).status_code == 200
    reading.join(10)
    assert time.perf_counter() - started >= LATENCY_S
    assert lists and [c["title"] for c in lists[0]["categories"]] == ["Before"]


@pytest.mark.parametrize("includes_work", [True, False])
def test_the_round_trip_is_the_latency_not_the_latency_and_the_work(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, includes_work: bool) -> None:
    parse, slowed = products.parse_create, []

    def slow(body: dict) -> products.NewProduct | None:   # the create's own checks, made to take 0.3 s once
        if not slowed:
            slowed.append(time.sleep(0.3))
        return parse(body)

    monkeypatch.setattr(products, "parse_create", slow)
    sandbox.set_faults(latency_ms=int(LATENCY_S * 1000), latency_includes_work=includes_work)
    started = time.perf_counter()
    assert sandbox.call("products", product=new_product("Slow"))["id_product"] == "1"
    took = time.perf_counter() - started
    assert slowed and took >= LATENCY_S
    if includes_work:
        assert took < LATENCY_S + 0.25   # the 0.3 s of work inside the latency
    else:
        assert took >= LATENCY_S + 0.3


@pytest.mark.parametrize("faults", [
    {"drop_rate": 1.0},
    {"fail_after_commit_nth": 1},
    {"late_commit_nth": 1, "late_commit_ms": 300},
])
def test_a_lost_answer_is_lost_when_the_latency_is_over(sandbox: Sandbox, faults: dict[str, Any]) -> None:
    sandbox.set_faults(latency_ms=int(LATENCY_S * 1000), latency_includes_work=True, **faults)
    started = time.perf_counter()
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        sandbox.post("products", product=new_product("Lost", sku="L-1"))
    assert time.perf_counter() - started >= LATENCY_S
    landed = 1 if "fail_after_commit_nth" in faults else 0   # the late commit's write comes after the loss
    assert _products(sandbox) == landed


def test_a_late_commit_lands_its_delay_after_the_lost_answer(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=int(LATENCY_S * 1000), latency_includes_work=True, late_commit_nth=1,
                      late_commit_ms=200)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        sandbox.post("products", product=new_product("Late", sku="L-2"))
    lost = time.perf_counter()
    assert sandbox.http.get(f"{sandbox.url}/__sandbox/late_commits").json() == {"pending": 1, "landed": 0}
    deadline = time.monotonic() + 5
    while sandbox.http.get(f"{sandbox.url}/__sandbox/late_commits").json() != {"pending": 0, "landed": 1}:
        assert time.monotonic() < deadline, "the late commit never landed"
        time.sleep(0.01)
    assert time.perf_counter() - lost >= 0.15 and _products(sandbox) == 1


def test_a_late_commit_keeps_the_delay_it_was_decided_with(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=int(LATENCY_S * 1000), latency_includes_work=True, late_commit_nth=1,
                      late_commit_ms=1500)
    def lose() -> str:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            sandbox.post("products", product=new_product("Late", sku="L-3"))
        return "lost"

    losing, lost = _in_background(lose)
    time.sleep(LATENCY_S / 3)
    sandbox.set_faults()   # late_commit_ms back to 500 while the create waits out its latency
    deadline = time.monotonic() + 5
    while not _late(sandbox)["pending"]:
        assert time.monotonic() < deadline, "the create was never held back"
        time.sleep(0.01)
    held_back = time.perf_counter()
    time.sleep(0.9)
    assert _late(sandbox) == {"pending": 1, "landed": 0} and _products(sandbox) == 0
    while _late(sandbox) != {"pending": 0, "landed": 1}:
        assert time.monotonic() < deadline, "the late commit never landed"
        time.sleep(0.01)
    assert time.perf_counter() - held_back >= 1.4 and _products(sandbox) == 1
    losing.join(10)
    assert lost == ["lost"]


def _late(sandbox: Sandbox) -> dict[str, int]:
    return sandbox.http.get(f"{sandbox.url}/__sandbox/late_commits").json()


def test_a_refusal_and_a_fault_before_the_store_keep_the_latency(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=300, latency_includes_work=True)
    started = time.perf_counter()
    assert sandbox.call("products", product=new_product("Nowhere", category_id=999)) == {"error": CREATE_FAILED}
    assert time.perf_counter() - started >= 0.3
    sandbox.set_faults(latency_ms=300, latency_includes_work=True, rate_limit=1)
    started = time.perf_counter()
    assert sandbox.post("list_categories").status_code == 429
    assert time.perf_counter() - started >= 0.3
