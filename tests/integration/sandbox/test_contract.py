"""One test per row of the contract table (catalogctl/sandbox/groovekart/contract_table.py).

Each test sends a complete valid request of the row's call with only that row broken (the field
removed, or given a value of the wrong type or outside the documented options) and asserts the
call's documented failure body. A second set sends each complete request and asserts success.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from contract_requests import COMPLETE, Ids, prepare
from sandbox_helpers import AUTH, Sandbox

from catalogctl.sandbox import create_app
from catalogctl.sandbox.groovekart import contract_table
from catalogctl.sandbox.groovekart.app import REFUSED_HEADER
from catalogctl.sandbox.groovekart.contract import Check, Row, applies, places

# A value of the wrong type (or outside the options) for each check; "12" tests that a digit string is no int.
WRONG: dict[Check, Any] = {
    Check.INT: "12", Check.NUMBER: "twelve", Check.BOOL: "yes", Check.TEXT: 12, Check.TEXT_OR_INT: [1],
    Check.ONE_OF: "bogus", Check.OBJECT: "text", Check.OBJECTS: ["text"], Check.ID_LIST: ["7"],
    Check.ID_TEXT: "1;2", Check.TRUE_FALSE: 1,
}


def _endpoint(call: str) -> str:
    return call.split(":")[0].removesuffix(".json")


def _endpoint_body(call: str, ids: Ids) -> dict[str, Any]:
    return {**AUTH, **COMPLETE[call](ids)}


def break_row(body: dict[str, Any], row: Row) -> dict[str, Any]:
    """A copy of `body` with `row` broken at the last place the row's path reaches."""
    broken = copy.deepcopy(body)
    targets = [(parent, key) for parent, key in places(broken, row.path)
               if isinstance(parent, dict) and applies(parent, row.when)]
    assert targets, f"the complete request of {row.call} does not exercise {row.path}"
    parent, key = targets[-1]
    match row.check:
        case Check.REQUIRED:
            for option in key.split("|"):
                parent.pop(option, None)
        case Check.ONE_DEFAULT:
            for item in parent[key]:
                item["default_on"] = 1
        case _:
            parent[key] = WRONG[row.check]
    return broken


@pytest.fixture(scope="module")
def _prepared(tmp_path_factory: pytest.TempPathFactory, _server: Any) -> Iterator[tuple[Any, Path, Ids]]:
    """One prepared store for every refusal: a refused request writes nothing, so they can share it."""
    current, url = _server
    db_path: Path = tmp_path_factory.mktemp("contract") / "store.db"
    app = create_app(db_path)
    current.app = app
    with httpx.Client(timeout=10) as http:
        ids = prepare(Sandbox(url, http, db_path))
    current.app = None
    yield app, db_path, ids


@pytest.fixture
def shared_store(_prepared: tuple[Any, Path, Ids], _server: Any) -> Iterator[tuple[Sandbox, Ids]]:
    current, url = _server
    app, db_path, ids = _prepared
    current.app = app
    with httpx.Client(timeout=10) as http:
        yield Sandbox(url, http, db_path), ids
    current.app = None


@pytest.mark.parametrize("row", contract_table.TABLE, ids=lambda row: row.key)
def test_each_row_is_refused_with_the_documented_body(shared_store: tuple[Sandbox, Ids], row: Row) -> None:
    sandbox, ids = shared_store
    body = break_row(_endpoint_body(row.call, ids), row)
    response = sandbox.http.post(f"{sandbox.url}/api/{_endpoint(row.call)}.json", json=body)
    assert (response.status_code, response.json()) == (row.status, row.failure)
    if row.path != "action":  # without its action the request is dispatched as another call
        assert response.headers[REFUSED_HEADER] == row.key


@pytest.mark.parametrize("call", contract_table.CALLS)
def test_the_complete_request_succeeds(sandbox: Sandbox, call: str) -> None:
    ids = prepare(sandbox)
    response = sandbox.http.post(f"{sandbox.url}/api/{_endpoint(call)}.json", json=_endpoint_body(call, ids))
    assert response.status_code == 200 and REFUSED_HEADER not in response.headers, response.text
    answer = response.json()
    failed = isinstance(answer, dict) and ("error" in answer or answer.get("status") in ("error", "failed"))
    assert not failed, answer


def test_every_call_of_the_table_has_a_complete_request() -> None:
    assert set(COMPLETE) == set(contract_table.CALLS)
    assert len(contract_table.CALLS) == 23


def test_missing_update_fields_are_refused_on_every_row_not_just_the_first(shared_store: tuple[Sandbox, Ids]) -> None:
    sandbox, ids = shared_store
    body = _endpoint_body("variants.json:update", ids)
    body["variants"][0].pop("price")  # only the FIRST row lacks it (break_row takes the last)
    answer = sandbox.http.post(f"{sandbox.url}/api/variants.json", json=body).json()
    assert answer == {"status": "error", "message": "Failed to update variants."}
