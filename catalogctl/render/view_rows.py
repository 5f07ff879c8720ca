"""The rows of the plan view: one resource's change (or a group of them) as formatted lines.
Values are already text here; renderers only add layout and markup."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from catalogctl.core.kinds import KINDS
from catalogctl.model.address import Kind
from catalogctl.plan.model import Change, ChangeAction

# Attributes whose plan JSON strings are numbers, shown unquoted.
DECIMAL_FIELDS = frozenset({"price", "compare_at_price", "weight"})
MONEY_FIELDS = frozenset({"price", "compare_at_price"})
# The natural key is already in the address: a created resource does not repeat it.
KEY_FIELDS = {kind: info.key for kind, info in KINDS.items()}


class ViewMode(StrEnum):
    """A plan says what a store will do; a diff (`catalogctl diff`) what the catalog says."""

    PLAN = "plan"
    DIFF = "diff"


@dataclass(frozen=True)
class FieldLine:
    """One attribute: `old` is None for a created resource's value; `reason` for replace/unsupported."""

    name: str
    old: str | None
    new: str
    percent: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Row:
    action: ChangeAction
    symbol: str
    address: str
    verb: str           # "will be created", "must be replaced (blocked)", ...
    fields: tuple[FieldLine, ...]
    note: str | None
    blocked: bool
    members: tuple[str, ...] = ()   # a grouped row: the addresses of the changes it stands for
    renamed_from: str | None = None  # a product renamed in place: the sku it has in the store

    @property
    def renamed(self) -> str:
        """` (renamed from "OLD")` after the address of a renamed product, else ""."""
        if self.renamed_from is None:
            return ""
        return f" (renamed from {json.dumps(self.renamed_from, ensure_ascii=False)})"

    @property
    def size(self) -> int:
        """How many changes the row stands for."""
        return len(self.members) or 1


def row_for(change: Change, mode: ViewMode = ViewMode.PLAN) -> Row:
    """One change as one row (the full-detail form)."""
    verb = _diff_verb(change) if mode is ViewMode.DIFF else _verb(change)
    return Row(change.action, change.action.symbol, change.address, verb, _fields(change), change.note,
               change.blocked, renamed_from=change.renamed_from)


def _diff_verb(change: Change) -> str:
    match change.action:
        case ChangeAction.CREATE:
            return "added"
        case ChangeAction.DELETE:
            return "removed"
        case _:
            return "changed"


def _verb(change: Change) -> str:
    match change.action:
        case ChangeAction.CREATE:
            return "will be created"
        case ChangeAction.UPDATE:
            return "will be updated in place"
        case ChangeAction.REPLACE:
            return "must be replaced (blocked: needs --allow-replace)" if change.blocked else "will be replaced"
        case ChangeAction.DELETE:
            return "will be deactivated" if change.kind is Kind.PRODUCT else "will be deleted"
        case ChangeAction.UNSUPPORTED:
            return "cannot be deleted" if change.after is None else "cannot be changed as asked"


def _fields(change: Change) -> tuple[FieldLine, ...]:
    if change.after is None:  # delete: the reason (if any) is the only line
        reason = change.reasons.get("delete")
        return () if reason is None else (FieldLine("delete", None, "unsupported", reason=reason),)
    if change.before is None:  # create: every value worth showing
        key = KEY_FIELDS[change.kind]
        return tuple(FieldLine(name, None, format_value(name, value)) for name, value in change.after.items()
                     if name != key and not empty_value(name, value))
    return tuple(
        FieldLine(name, format_value(name, change.before.get(name)), format_value(name, new),
                  percent_change(change.before.get(name), new) if name in MONEY_FIELDS else None,
                  change.reasons.get(name))
        for name, new in change.after.items()
    )


def empty_value(name: str, value: Any) -> bool:
    """Defaults a created resource need not list: null, "", [], and zero amounts."""
    return value is None or value == "" or value == [] or (name in DECIMAL_FIELDS and value == "0")


def format_value(name: str, value: Any) -> str:
    """`"Tee"`, `24.99`, `true`, `null`, `["a", "b"]`, variant values as `Color=Blue,Size=L`."""
    if isinstance(value, str):
        if name in MONEY_FIELDS:
            return _money(value)
        # json.dumps(text, ensure_ascii=False) is exactly this, without building an encoder per call
        # (a 10,000-product plan formats ~500,000 values: 1.6 s of json.dumps).
        return value if name in DECIMAL_FIELDS else encode_basestring(value)
    if name == "values" and isinstance(value, list):
        return ",".join(f"{group}={val}" for group, val in value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if type(value) is list and all(type(item) is str for item in value):
        return "[" + ", ".join(map(encode_basestring, value)) + "]"
    return json.dumps(value, ensure_ascii=False)


_CONSTANTS = {None: "null", True: "true", False: "false"}


@lru_cache(maxsize=4096)   # a catalog has few distinct prices, shown on every variant
def _money(text: str) -> str:
    """At least two decimals for people: 26.5 -> 26.50, 30 -> 30.00, 0.125 stays."""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return text
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        amount = amount.quantize(Decimal("0.01"))
    return format(amount, "f")


def percent_change(old: Any, new: Any) -> str | None:
    """`+12.0%` for 24.99 -> 27.99; None when either side is not a positive number."""
    if old is None or new is None:
        return None
    try:
        before, after = Decimal(str(old)), Decimal(str(new))
    except InvalidOperation:
        return None
    if before <= 0:
        return None
    percent = (after - before) / before * 100
    return f"{percent:+.1f}%"
