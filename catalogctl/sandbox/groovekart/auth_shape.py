"""The auth rows of every call as one test: three credentials given as non-empty strs break none of them.

Issue 13: every request walked its six auth rows (REQUIRED, then TEXT, per credential) in Python
before its own. A body this test refuses is walked by the rows as before (its refusal is theirs).
"""

from __future__ import annotations

from typing import Any

from catalogctl.sandbox.groovekart import contract, contract_table
from catalogctl.sandbox.groovekart.contract import Check

_NAMES = tuple(contract_table.AUTH_FAILURES)
_STR = {str}


def takes(body: Any) -> bool:
    """Whether every credential is a str, none empty (REQUIRED: not missing; TEXT: a str)."""
    if body.__class__ is not dict:
        return False
    given = [*map(body.get, _NAMES)]
    return {*map(type, given)} == _STR and all(given)


for _rows in (*contract_table.AUTH_ROWS.values(), contract_table.ANY_CALL_AUTH):
    assert {(row.path, row.check) for row in _rows} == {
        (name, check) for name in _NAMES for check in (Check.REQUIRED, Check.TEXT)}, "the rows takes() covers"
    contract.shortcut(_rows, takes, ())
