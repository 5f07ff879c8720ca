"""auth_shape passes a body whose three credentials are non-empty strs without walking the auth rows
(issue 13); every body must get the verdict the rows' walk before it gives (test_contract_fast's oracle),
and a refused credential the same 401 answer over HTTP."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_helpers import Sandbox, encode
from test_contract_fast import _old_first_broken

from catalogctl.sandbox.groovekart import auth_shape, contract, contract_table
from catalogctl.sandbox.groovekart.credentials import DEFAULT_CREDENTIALS

_NAMES = ("auth_token", "api_key", "api_user")
_CREDENTIAL = st.sampled_from([None, "", " ", "x", "gk-sandbox", 0, 1, True, False, [], {}, ["x"], {"a": "b"},
                               Decimal("1")])
_TABLES = [contract_table.ANY_CALL_AUTH, *contract_table.AUTH_ROWS.values()]


@settings(max_examples=500, deadline=None, database=None)
@given(given_=st.dictionaries(st.sampled_from(_NAMES), _CREDENTIAL), table=st.sampled_from(_TABLES))
def test_every_credential_set_gets_the_rows_verdict(given_: dict[str, Any], table: tuple[Any, ...]) -> None:
    body = {**given_, "product": {"title": "x"}}
    if auth_shape.takes(body):
        assert _old_first_broken(table, body) is None
    assert contract.first_broken(table, body) == _old_first_broken(table, body)


def test_good_credentials_take_the_shortcut() -> None:
    body = {"auth_token": DEFAULT_CREDENTIALS.auth_token, "api_key": DEFAULT_CREDENTIALS.api_key,
            "api_user": DEFAULT_CREDENTIALS.api_user}
    assert auth_shape.takes(body) and all(id(table) in contract._SHORTCUTS for table in _TABLES)


def test_a_refused_credential_answers_as_its_row_says(sandbox: Sandbox) -> None:
    good = {"auth_token": DEFAULT_CREDENTIALS.auth_token, "api_key": DEFAULT_CREDENTIALS.api_key,
            "api_user": DEFAULT_CREDENTIALS.api_user, "product": {"id": 1}}
    for name in _NAMES:
        for value in (None, "", 7, ["x"]):
            body = {**good, name: value}
            row = _old_first_broken(contract_table.AUTH_ROWS["products.json:details"], body)
            assert row is not None
            answer = sandbox.http.post(f"{sandbox.url}/api/products.json", content=encode(body),
                                       headers={"content-type": "application/json"})
            assert (answer.status_code, answer.json()) == (row.status, row.failure)
