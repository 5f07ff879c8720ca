"""Shoplazza's documented errors (both shapes, with Request-Id), its rate limit, faults and admin routes."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from shoplazza_kit import HEADERS, Shoplazza

from catalogctl.sandbox.shoplazza import ERRORS


def test_the_error_table_is_the_documents() -> None:
    assert sorted(ERRORS) == [400, 401, 404, 429, 500, 520]
    assert ERRORS[400] == {"errors": ["Bad Request"]} and ERRORS[401] == {"error": "UnauthorizedError"}
    assert ERRORS[500] == {"errors": ["Response message parsing error"]}


@pytest.mark.parametrize("token", [None, "", "WPMSdB6M8Cpum4X1GoMYOKZpiESd8d2x7dZW8d79ZeQ"])
def test_a_missing_or_wrong_token_is_401(shoplazza: Shoplazza, token: str | None) -> None:
    headers = {k: v for k, v in HEADERS.items() if k != "access-token"}
    if token is not None:
        headers["access-token"] = token
    response = shoplazza.get("id", headers=headers)
    assert response.status_code == 401 and response.json() == {"error": "UnauthorizedError"}
    assert response.headers["request-id"]


@pytest.mark.parametrize("fields", ["bogus", "id,,name", "id,bogus", "", "id, name;drop"])
def test_malformed_fields_are_400(unlimited: Shoplazza, fields: str) -> None:
    response = unlimited.get(fields)
    assert response.status_code == 400 and response.json() == {"errors": ["Bad Request"]}


def test_a_wrong_content_type_is_400(shoplazza: Shoplazza) -> None:
    response = shoplazza.get("id", headers={**HEADERS, "content-type": "text/plain"})
    assert response.status_code == 400


@pytest.mark.parametrize("status", [500, 520, 400, 401, 404])
def test_a_queued_documented_status_comes_with_its_documented_body(shoplazza: Shoplazza, status: int) -> None:
    shoplazza.force(status)
    response = shoplazza.get("id")
    assert response.status_code == status and response.json() == ERRORS[status]
    assert len(response.headers["request-id"]) >= 16


def test_request_ids_differ_per_answer(unlimited: Shoplazza) -> None:
    ids = {unlimited.get("id").headers["request-id"] for _ in range(5)}
    assert len(ids) == 5


def test_more_than_two_requests_a_second_are_429_then_the_bucket_drains(shoplazza: Shoplazza) -> None:
    statuses = [shoplazza.get("id").status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and 429 in statuses[2:]
    limited = shoplazza.get("id")
    assert limited.status_code == 429 and limited.headers["request-id"]
    time.sleep(0.6)  # one drop drains every 0.5 s
    assert shoplazza.get("id").status_code == 200


def test_paced_requests_at_two_per_second_are_never_limited(shoplazza: Shoplazza) -> None:
    statuses = []
    for _ in range(5):
        statuses.append(shoplazza.get("id").status_code)
        time.sleep(0.5)
    assert statuses == [200] * 5


def test_other_paths_and_methods(unlimited: Shoplazza) -> None:
    assert unlimited.http.get(f"{unlimited.url}/openapi/2022-01/products", headers=HEADERS).status_code == 404
    assert unlimited.http.post(f"{unlimited.url}/openapi/2022-01/shop", headers=HEADERS).status_code == 405


def test_fault_injection_error_and_drop(unlimited: Shoplazza) -> None:
    unlimited.set_faults(error_rate=1.0)
    response = unlimited.get("id")
    assert response.status_code == 500 and response.json() == ERRORS[500]
    unlimited.set_faults(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        unlimited.get("id")
    unlimited.set_faults()
    assert unlimited.get("id").status_code == 200


def test_shop_facts_can_be_changed_through_the_admin_route_only_with_documented_fields(unlimited: Shoplazza) -> None:
    assert unlimited.set_shop(currency="EUR", timezone="+0100").json()["currency"] == "EUR"
    assert unlimited.get("currency,timezone").json() == {"shop": {"currency": "EUR", "timezone": "+0100"}}
    refused = unlimited.set_shop(plan="pro")
    assert refused.status_code == 422 and "plan" in refused.json()["error"]


def test_stats_count_shop_reads(unlimited: Shoplazza) -> None:
    unlimited.get("id")
    unlimited.get("name")
    assert unlimited.http.get(f"{unlimited.url}/__sandbox/stats").json()["by_call"] == {"shop.get": 2}


@pytest.mark.parametrize("includes_work", [False, True])
def test_stats_hold_each_shop_read_for_its_latency(unlimited: Shoplazza, includes_work: bool) -> None:
    unlimited.set_faults(latency_ms=40, latency_includes_work=includes_work)   # with it: the rest after the read
    started = time.perf_counter()
    assert unlimited.get("id").status_code == 200
    assert time.perf_counter() - started >= 0.04
    assert 0.04 <= unlimited.http.get(f"{unlimited.url}/__sandbox/stats").json()["held_s"] < 2.04


@pytest.mark.parametrize("includes_work", [True, False])
def test_a_read_sees_the_shop_as_it_was_before_or_after_its_latency(unlimited: Shoplazza, includes_work: bool) -> None:
    unlimited.set_faults(latency_ms=600, latency_includes_work=includes_work)
    names: list[str] = []
    reading = threading.Thread(target=lambda: names.append(unlimited.get("name").json()["shop"]["name"]))
    started = time.perf_counter()
    reading.start()
    time.sleep(0.2)
    assert unlimited.set_shop(name="Renamed").status_code == 200 and not names
    reading.join(10)
    assert time.perf_counter() - started >= 0.6
    assert names and (names[0] != "Renamed") is includes_work   # the round trip: read when taken up
