"""A store request's body is checked before the sandbox's latency and written after it (app._checked):
the answers, their precedence and the moment a write lands are what they were when all ran after it."""

from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest
from sandbox_helpers import Sandbox, new_product

from catalogctl.sandbox.groovekart import app as groovekart_app
from catalogctl.sandbox.groovekart import calls
from catalogctl.sandbox.groovekart.credentials import DEFAULT_CREDENTIALS
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


def test_a_body_that_fails_its_checks_is_still_answered_after_the_latency(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=250)
    started = time.perf_counter()
    assert sandbox.call("products", product={"title": "", "price": "x"}) == {"error": CREATE_FAILED}
    assert time.perf_counter() - started >= 0.25


def test_a_fault_still_comes_before_a_refusal(sandbox: Sandbox) -> None:
    sandbox.set_faults(rate_limit=1)
    answer = sandbox.post("products", product={"title": ""})
    assert answer.status_code == 429


def test_prepare_and_create_agree(sandbox: Sandbox) -> None:
    """`create` (one step) and `prepare_create` (checks, then the write) are the same call."""
    body = {"product": new_product("Same", 5, sku="0123", tags="a,b")}
    with sqlite3.connect(sandbox.db_path, isolation_level=None) as conn:
        one = products.create(conn, body, "u")
        two = products.prepare_create(body)(conn, "u")
    assert one.status_code == two.status_code == 200
    first, second = json.loads(one.payload.data), json.loads(two.payload.data)
    assert (first["id_product"], second["id_product"]) == ("1", "2")
    for answer in (first, second):
        del answer["id_product"], answer["product_url"], answer["image_id"]
    assert first == second and first["tags"] == {"1": ["a", "b"]}


def test_an_unexpected_error_in_the_checks_is_raised_by_the_work_not_before_it() -> None:
    """A bug in a check surfaces where a write's bug always did (an HTTP 500 after the latency)."""
    def broken(body: dict) -> calls.Work:
        raise ZeroDivisionError("a check's bug")

    call = calls.Call("products.json:create", products.create, True, broken)
    refused, work = groovekart_app._checked(call, {"product": new_product("x"), **_auth()}, DEFAULT_CREDENTIALS)
    assert refused is None
    with pytest.raises(ZeroDivisionError, match="a check's bug"):
        work(None, "u")  # type: ignore[arg-type]


def test_only_the_create_is_split() -> None:
    create = calls.resolve("products", {"product": {"title": "x"}})
    details = calls.resolve("products", {"product": {"id": 1}})
    assert create is not None and create.prepare is products.prepare_create
    assert details is not None and details.prepare is None


def _auth() -> dict[str, str]:
    creds = DEFAULT_CREDENTIALS
    return {"auth_token": creds.auth_token, "api_key": creds.api_key, "api_user": creds.api_user}
