"""Every status in the document's error table, each answered with the documented meaning."""

from __future__ import annotations

import sqlite3
import threading
import time

import httpx
import pytest
from shoprocket_kit import Shoprocket, doc_store

from catalogctl.sandbox.shoprocket import MEANINGS


def _count_stores(shoprocket: Shoprocket) -> int:
    from catalogctl.sandbox.shoprocket import db

    return db.RecordStore(shoprocket.db_path, ("store", "user")).read(lambda conn: db.count(conn, "store"))


def test_the_error_table_is_the_documents() -> None:
    assert sorted(MEANINGS) == [400, 401, 403, 404, 405, 406, 410, 429, 500, 503]


@pytest.mark.parametrize("key", [None, "", "sr_test_pk_24dccd18653374dddc6237547dfbae9dccf"])
def test_a_missing_or_wrong_key_is_401_and_writes_nothing(shoprocket: Shoprocket, key: str | None) -> None:
    headers = {} if key is None else {"sr_auth": key}
    response = shoprocket.http.post(f"{shoprocket.url}/v1/stores", json=doc_store(), headers=headers)
    assert response.status_code == 401
    assert response.json() == {"status": 401, "message": MEANINGS[401], "data": None}
    assert _count_stores(shoprocket) == 0


def test_an_unknown_path_is_404(shoprocket: Shoprocket) -> None:
    response = shoprocket.post("/v1/products", {})
    assert response.status_code == 404 and response.json()["message"] == MEANINGS[404]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_another_method_is_405(shoprocket: Shoprocket, method: str) -> None:
    response = shoprocket.http.request(method, f"{shoprocket.url}/v1/stores", headers={"sr_auth": "x"})
    assert response.status_code == 405 and response.json()["message"] == MEANINGS[405]


def test_asking_for_another_format_than_json_is_406(shoprocket: Shoprocket) -> None:
    response = shoprocket.post("/v1/stores", doc_store(), headers={"accept": "text/html"})
    assert response.status_code == 406 and response.json()["message"] == MEANINGS[406]
    assert _count_stores(shoprocket) == 0


@pytest.mark.parametrize(("content", "kind"), [(b"{not json", "application/json"), (b"[1, 2]", "application/json"),
                                               (b"store_name=x", "text/plain")])
def test_an_unreadable_body_is_400(shoprocket: Shoprocket, content: bytes, kind: str) -> None:
    response = shoprocket.http.post(f"{shoprocket.url}/v1/stores", content=content,
                                    headers={"sr_auth": "sandbox-api-key", "content-type": kind})
    assert response.status_code == 400 and response.json()["status"] == 400


@pytest.mark.parametrize("status", [403, 410, 503, 500, 429])
def test_a_queued_documented_status_is_answered_once(shoprocket: Shoprocket, status: int) -> None:
    assert shoprocket.force(status).status_code == 200
    response = shoprocket.create_store()
    assert response.status_code == status
    assert response.json() == {"status": status, "message": MEANINGS[status], "data": None}
    assert _count_stores(shoprocket) == 0
    assert shoprocket.create_store().status_code == 200


def test_only_documented_statuses_can_be_queued(shoprocket: Shoprocket) -> None:
    refused = shoprocket.force(418)
    assert refused.status_code == 422 and 503 in refused.json()["documented"]
    assert shoprocket.http.post(f"{shoprocket.url}/__sandbox/answers", json={"status": 400, "x": 1}).status_code == 422


def test_fault_error_rate_answers_500_and_writes_nothing(shoprocket: Shoprocket) -> None:
    shoprocket.set_faults(error_rate=1.0)
    assert shoprocket.create_store().status_code == 500
    shoprocket.set_faults()
    assert _count_stores(shoprocket) == 0


def test_fault_rate_limit_answers_429_with_retry_after(shoprocket: Shoprocket) -> None:
    shoprocket.set_faults(rate_limit=1)
    response = shoprocket.create_store()
    assert response.status_code == 429 and response.headers["retry-after"] == "1"


def test_an_answer_lost_after_commit_leaves_the_store_created(shoprocket: Shoprocket) -> None:
    """The case a client must never repeat blindly: the store exists though no answer came back."""
    shoprocket.set_faults(fail_after_commit_nth=1)
    with pytest.raises(httpx.RemoteProtocolError):
        shoprocket.create_store(subdomain="lost-answer")
    again = shoprocket.create_store(subdomain="lost-answer")
    assert again.status_code == 400 and "subdomain" in again.json()["errors"]
    assert _count_stores(shoprocket) == 1


def test_fail_nth_mutating_fails_before_writing(shoprocket: Shoprocket) -> None:
    shoprocket.set_faults(fail_nth_mutating=1)
    assert shoprocket.create_user().status_code == 500
    assert shoprocket.create_user().status_code == 200


def test_stats_count_each_call(shoprocket: Shoprocket) -> None:
    shoprocket.create_store()
    shoprocket.create_user()
    shoprocket.create_user()
    stats = shoprocket.stats()
    assert stats["by_call"] == {"stores.create": 1, "user.create": 2} and stats["mutating"] == 3


@pytest.mark.parametrize("includes_work", [False, True])
def test_stats_hold_each_call_for_its_latency(shoprocket: Shoprocket, includes_work: bool) -> None:
    shoprocket.set_faults(latency_ms=40, latency_includes_work=includes_work)   # with it: the rest after the write
    started = time.perf_counter()
    assert shoprocket.create_user().status_code == 200
    assert time.perf_counter() - started >= 0.04
    assert 0.04 <= shoprocket.stats()["held_s"] < 2.04


@pytest.mark.parametrize("includes_work", [True, False])
def test_a_create_is_written_before_or_after_its_latency(shoprocket: Shoprocket, includes_work: bool) -> None:
    shoprocket.set_faults(latency_ms=600, latency_includes_work=includes_work)
    answers: list[int] = []
    sending = threading.Thread(target=lambda: answers.append(shoprocket.create_user().status_code))
    started = time.perf_counter()
    sending.start()
    time.sleep(0.3)
    with sqlite3.connect(shoprocket.db_path) as conn:
        users = conn.execute("SELECT COUNT(*) FROM user").fetchone()[0]
    assert users == (1 if includes_work else 0) and not answers   # the round trip: written at once
    sending.join(10)
    assert answers == [200] and time.perf_counter() - started >= 0.6
