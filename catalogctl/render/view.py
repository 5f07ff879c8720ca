"""The one view model of a Plan that every human renderer formats (DESIGN.md: no renderer walks
the plan itself). Values are already formatted as text; renderers only add layout and markup."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from catalogctl.core.kinds import KINDS
from catalogctl.model.address import Kind
from catalogctl.plan.model import Change, ChangeAction, Plan

SECTION_TITLES = {kind: info.title for kind, info in KINDS.items()}  # in plan order
# Attributes whose plan JSON strings are numbers, shown unquoted.
DECIMAL_FIELDS = frozenset({"price", "compare_at_price", "weight"})
MONEY_FIELDS = frozenset({"price", "compare_at_price"})
# The natural key is already in the address: a created resource does not repeat it.
_KEY_FIELDS = {kind: info.key for kind, info in KINDS.items()}


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


@dataclass(frozen=True)
class Section:
    """One resource kind. Rows are formatted on demand: a budgeted renderer stops early."""

    kind: Kind
    title: str
    changes: tuple[Change, ...]

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def rows(self) -> Iterator[Row]:
        return (_row(change) for change in self.changes)

    @property
    def counts(self) -> dict[ChangeAction, int]:
        """Changes per action, in first-seen order."""
        counts: dict[ChangeAction, int] = {}
        for change in self.changes:
            counts[change.action] = counts.get(change.action, 0) + 1
        return counts


@dataclass(frozen=True)
class PlanView:
    target: str
    sections: tuple[Section, ...]
    counts: dict[ChangeAction, int]
    blocked: int
    warnings: tuple[str, ...]
    unmanaged: tuple[str, ...]
    safety_note: str | None
    summary_line: str
    notes: tuple[str, ...] = ()

    @property
    def has_changes(self) -> bool:
        return any(self.counts.values())


def build_view(plan: Plan) -> PlanView:
    """Sections in resource-kind order, rows in plan order."""
    by_kind: dict[Kind, list[Change]] = {kind: [] for kind in SECTION_TITLES}
    for change in plan.changes:
        by_kind[change.kind].append(change)
    sections = tuple(Section(kind, SECTION_TITLES[kind], tuple(changes))
                     for kind, changes in by_kind.items() if changes)
    counts = {action: plan.summary.get(action, 0) for action in ChangeAction}
    blocked = sum(1 for c in plan.changes if c.blocked)
    safety = plan.safety
    safety_note = None
    if safety.exceeded:
        safety_note = (f"{safety.destructive} destructive changes exceed {safety.max_share:.0%} of the "
                       f"{safety.managed_live} managed live products: apply refuses without --force")
    return PlanView(plan.target, sections, counts, blocked, plan.warnings, plan.unmanaged, safety_note,
                    summary_line(counts, blocked), plan.notes)


def summary_line(counts: dict[ChangeAction, int], blocked: int = 0) -> str:
    if not any(counts.values()):
        return "No changes. The store matches the catalog."
    replace = f"{counts[ChangeAction.REPLACE]} to replace" + (f" ({blocked} blocked)" if blocked else "")
    return (f"Plan: {counts[ChangeAction.CREATE]} to create, {counts[ChangeAction.UPDATE]} to update, {replace}, "
            f"{counts[ChangeAction.DELETE]} to delete, {counts[ChangeAction.UNSUPPORTED]} unsupported.")


def row_for(change: Change) -> Row:
    """The row of one change, for renderers that group changes their own way (HTML cards)."""
    return _row(change)


def _row(change: Change) -> Row:
    return Row(change.action, change.action.symbol, change.address, _verb(change), _fields(change),
               change.note, change.blocked)


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
        return tuple(FieldLine(name, None, format_value(name, value)) for name, value in change.after.items()
                     if name != _KEY_FIELDS[change.kind] and not _empty(name, value))
    return tuple(
        FieldLine(name, format_value(name, change.before.get(name)), format_value(name, new),
                  percent_change(change.before.get(name), new) if name in MONEY_FIELDS else None,
                  change.reasons.get(name))
        for name, new in change.after.items()
    )


def _empty(name: str, value: Any) -> bool:
    """Defaults a created resource need not list: null, "", [], and zero amounts."""
    return value is None or value == "" or value == [] or (name in DECIMAL_FIELDS and value == "0")


def format_value(name: str, value: Any) -> str:
    """`"Tee"`, `24.99`, `true`, `null`, `["a", "b"]`, variant values as `Color=Blue,Size=L`."""
    if name in MONEY_FIELDS and isinstance(value, str):
        return _money(value)
    if name in DECIMAL_FIELDS and isinstance(value, str):
        return value
    if name == "values" and isinstance(value, list):
        return ",".join(f"{group}={val}" for group, val in value)
    return json.dumps(value, ensure_ascii=False)


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
