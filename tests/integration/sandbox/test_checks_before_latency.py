"""A store request's body is checked before the sandbox's latency and written after it (app._checked):
the answers, their precedence and the moment a write lands are what they were when all ran after it."""

from __future__ import annotations

import json
import sqlite3
import threading
import time

import httpx
import pytest
from sandbox_helpers import AUTH, JSON_HEADERS, Sandbox, encode, new_product

from catalogctl.sandbox.groovekart import calls, contract
from catalogctl.sandbox.groovekart.endpoints import products

BAD_IMAGE = {"src": "not a url", "position": 0}
CREATE_FAILED = products.CREATE_FAILED


def _products(sandbox: Sandbox) -> int:
    with sqlite3.connect(sandbox.db_path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM product").fetchone()[0])


def test_a_create_writes_after_the_latency_not_when_it_is_checked(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=600)
    answers: list[dict] = []
    sending = threading.Thread(target=lambda: answers.append(sandbox.call("products", product=new_product("Late"))))
    started = time.perf_counter()
    sending.start()
    time.sleep(0.3)  # the request has long been read and checked; its latency has 300 ms to go
    assert _products(sandbox) == 0
    sending.join(10)
    assert time.perf_counter() - started >= 0.6
    assert answers and answers[0]["id_product"] == "1"
    assert _products(sandbox) == 1


@pytest.mark.parametrize(("category_id", "image", "error"), [
    (999, BAD_IMAGE, CREATE_FAILED),  # no such category: said before the image, as the store does
    (0, BAD_IMAGE, "Image uploading failed."),
    (999, None, CREATE_FAILED),
])
def test_a_create_refuses_in_the_stores_order(sandbox: Sandbox, category_id: int, image: dict | None,
                                              error: str) -> None:
    fields = {"category_id": category_id, **({"image": image} if image else {})}
    sandbox.set_faults(latency_ms=20)
    assert sandbox.call("products", product=new_product("Refused", **fields)) == {"error": error}
    assert _products(sandbox) == 0


def test_a_body_that_fails_its_contract_is_still_answered_after_the_latency(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=250)
    started = time.perf_counter()
    assert sandbox.call("products", product={"title": "", "price": "x"}) == {"error": CREATE_FAILED}
    assert time.perf_counter() - started >= 0.25


def test_a_create_that_fails_its_own_checks_is_still_answered_after_the_latency(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=250)
    started = time.perf_counter()
    assert sandbox.call("products", product=new_product("Nowhere", category_id=999)) == {"error": CREATE_FAILED}
    assert time.perf_counter() - started >= 0.25


def test_a_fault_still_comes_before_a_refusal(sandbox: Sandbox) -> None:
    sandbox.set_faults(rate_limit=1)
    answer = sandbox.post("products", product={"title": ""})
    assert answer.status_code == 429


def test_a_refused_create_still_takes_the_nth_mutating_fault(sandbox: Sandbox) -> None:
    sandbox.set_faults(fail_nth_mutating=1)
    answer = sandbox.post("products", product=new_product("Nowhere", category_id=999))
    assert answer.status_code == 500 and answer.json() == {"error": "Internal Server Error"}
    assert sandbox.call("products", product=new_product("Nowhere", category_id=999)) == {"error": CREATE_FAILED}


def test_a_late_commit_of_a_refused_create_lands_and_writes_nothing(sandbox: Sandbox) -> None:
    sandbox.set_faults(late_commit_nth=1, late_commit_ms=50)
    with pytest.raises(httpx.RemoteProtocolError):
        sandbox.post("products", product=new_product("Nowhere", category_id=999))
    deadline = time.monotonic() + 5
    while sandbox.http.get(f"{sandbox.url}/__sandbox/late_commits").json() != {"pending": 0, "landed": 1}:
        assert time.monotonic() < deadline, "the late commit never landed"
        time.sleep(0.02)
    assert _products(sandbox) == 0


def test_create_answers_as_the_document_says(sandbox: Sandbox) -> None:
    body = {"product": new_product("Same", 5, sku="0123", tags="a,b")}
    with sqlite3.connect(sandbox.db_path, isolation_level=None) as conn:
        reply = products.prepare_create(body)(conn, "u")
    assert reply.status_code == 200
    assert json.loads(reply.payload.data) == {
        "product_url": "https://sandbox.groovekart.test/administration/v2/index.php/product/form/1",
        "id_product": "1", "image_id": None, "variants": [], "tags": {"1": ["a", "b"]},
    }


@pytest.mark.parametrize("includes_work", [False, True])
def test_a_bug_in_a_refusal_check_is_a_500_after_the_latency_that_takes_no_fault(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, includes_work: bool) -> None:
    """As before the checks moved: the request fails before any mutation fault is counted."""
    refusal = contract.refusal

    def broken(rows: object, body: dict) -> object:
        if isinstance(body.get("product"), dict) and body["product"].get("title") == "boom":
            raise ZeroDivisionError("a check's bug")
        return refusal(rows, body)  # type: ignore[arg-type]

    monkeypatch.setattr(contract, "refusal", broken)
    sandbox.set_faults(latency_ms=200, fail_nth_mutating=1, latency_includes_work=includes_work)
    started = time.perf_counter()
    assert _broken(sandbox) == "Internal Server Error"
    assert time.perf_counter() - started >= 0.2
    taken = sandbox.post("products", product=new_product("Next"))
    assert taken.status_code == 500 and taken.json() == {"error": "Internal Server Error"}


@pytest.mark.parametrize("includes_work", [False, True])
def test_a_bug_in_a_creates_own_checks_is_a_500_from_the_write(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, includes_work: bool) -> None:
    def broken(body: dict) -> products.NewProduct | None:
        raise ZeroDivisionError("a check's bug")

    monkeypatch.setattr(products, "parse_create", broken)
    sandbox.set_faults(latency_ms=200, latency_includes_work=includes_work)
    started = time.perf_counter()
    assert _broken(sandbox) == "Internal Server Error"
    assert time.perf_counter() - started >= 0.2
    assert _products(sandbox) == 0
    sandbox.set_faults(fail_nth_mutating=1)  # the fault is counted first, so the bug is never reached
    faulted = sandbox.post("products", product=new_product("boom"))
    assert faulted.status_code == 500 and faulted.json() == {"error": "Internal Server Error"}


def test_only_the_create_is_split() -> None:
    create = calls.resolve("products", {"product": {"title": "x"}})
    details = calls.resolve("products", {"product": {"id": 1}})
    assert create is not None and create.prepare is products.prepare_create
    assert details is not None and details.prepare is None


def _broken(sandbox: Sandbox) -> str:
    """What a request that hits a bug gets: uvicorn's plain 500, or the connection it closes after it
    (then reset, when the close wins the race with the client's read). Its own client: the connection
    is not left in the fixture's pool."""
    body = encode({**AUTH, "product": new_product("boom")})
    try:
        with httpx.Client() as client:
            answer = client.post(f"{sandbox.url}/api/products.json", content=body, headers=JSON_HEADERS)
    except httpx.ReadError:
        return "Internal Server Error"
    assert answer.status_code == 500
    return answer.text
