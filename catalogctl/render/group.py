"""Grouping for people: a product's variants that change the same way are one row, and a
variant-set rebuild is one block naming what is removed and added. The JSON plan and
`--detail full` keep one row per resource; this only shapes what a reviewer reads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import Any

from catalogctl.plan.model import Change, ChangeAction
from catalogctl.plan.safety import is_rebuild
from catalogctl.render.view_rows import FieldLine, Row, ViewMode, format_value, percent_change, row_for

MIN_GROUP = 2        # two variants changing the same way are already worth one line
_LISTED = 6          # member names shown in a group's note before "… and N more"
DELTA_FIELDS = frozenset({"price", "compare_at_price", "weight"})


@dataclass(frozen=True)
class _Entry:
    change: Change
    product: str
    label: str          # the variant's own key, e.g. Color=Blue,Size=L


def grouped_rows(changes: Sequence[Change], mode: ViewMode = ViewMode.PLAN) -> Iterator[Row]:
    """The variant section's rows: rebuild blocks, groups, and single rows, in first-seen order."""
    for item in grouped_items(changes, mode):
        yield row_for(item, mode) if isinstance(item, Change) else item


def grouped_items(changes: Sequence[Change], mode: ViewMode = ViewMode.PLAN) -> Iterator[Row | Change]:
    """grouped_rows, a change that is a row of its own given as the change (row_for makes its row)."""
    if _each_alone(changes):
        return iter(changes)
    return _grouped_items(changes, mode)


def _each_alone(changes: Sequence[Change]) -> bool:
    """No change is grouped nor part of a rebuild, and no two share an address: each is a row of its own,
    in order (what _grouped_items then finds, told without its table of 100,000 one-change groups: a
    10,000-product create plan's variants)."""
    # Told in C when every change is a create without a note (what a create plan's are): a Python step per
    # change was ~8% of its text's CPU (py-spy, 10,000 products). Else each change is looked at, as before.
    if not set(map(_NOTE_AND_ACTION, changes)) <= _PLAIN_CREATE:
        update = ChangeAction.UPDATE
        for change in changes:
            if change.note is not None or (change.action is update and not change.blocked and not change.reasons):
                return False
    return len(set(map(_ADDRESS, changes))) == len(changes)


_NOTE_AND_ACTION, _ADDRESS = attrgetter("note", "action"), attrgetter("address")
_PLAIN_CREATE = frozenset({(None, ChangeAction.CREATE)})


def _grouped_items(changes: Sequence[Change], mode: ViewMode) -> Iterator[Row | Change]:
    rebuilt = {_entry(change).product for change in changes if change.note is not None and is_rebuild(change)}
    groups: dict[tuple[Any, ...], list[Any]] = {}   # ("single", address): the changes; else their entries
    order: list[tuple[Any, ...]] = []
    update = ChangeAction.UPDATE
    for change in changes:
        if change.action is not update or change.blocked or change.reasons or change.note:
            # a row of its own (_same_way's "single") unless its product is rebuilt: no entry made for it
            # (a 10,000-product create plan's 100,000 variants)
            entry = _entry(change) if rebuilt else None
            if entry is not None and entry.product in rebuilt:
                key, member = ("rebuild", entry.product), entry
            else:
                key, member = ("single", change.address), change
        else:
            entry = _entry(change)
            key = ("rebuild", entry.product) if entry.product in rebuilt else _same_way(entry)
            member = entry
        members = groups.get(key)
        if members is None:
            members = groups[key] = []
            order.append(key)
        members.append(member)
    for key in order:
        members = groups[key]
        if key[0] == "rebuild":
            yield _rebuild_row(key[1], members, mode)
        elif key[0] == "single":
            yield from members   # changes, not entries
        elif len(members) < MIN_GROUP:
            yield from (e.change for e in members)
        else:
            yield _group_row(members, mode)


def _entry(change: Change) -> _Entry:
    product, _, rest = change.address.partition(".variant[")
    label = rest[1:-2] if rest.startswith('"') else rest.rstrip("]")
    return _Entry(change, product, label)


def _same_way(entry: _Entry) -> tuple[Any, ...]:
    """Two variants of one product change the same way when every changed field moves alike:
    amounts by the same difference, anything else from the same value to the same value."""
    change = entry.change
    if change.action is not ChangeAction.UPDATE or change.blocked or change.reasons or change.note:
        return ("single", change.address)
    before, after = change.before or {}, change.after or {}
    moves = []
    for name in sorted(after):
        delta = _delta(before.get(name), after[name]) if name in DELTA_FIELDS else None
        moves.append((name, ("by", delta) if delta is not None else ("to", repr(before.get(name)),
                                                                        repr(after[name]))))
    return ("update", entry.product, tuple(moves))


def _delta(old: Any, new: Any) -> Decimal | None:
    try:
        return Decimal(str(new)) - Decimal(str(old)) if old is not None and new is not None else None
    except InvalidOperation:
        return None


def _group_row(members: list[_Entry], mode: ViewMode) -> Row:
    first = members[0].change
    fields = tuple(_group_field(name, [m.change for m in members]) for name in (first.after or {}))
    verb = "changed" if mode is ViewMode.DIFF else "will be updated in place"
    return Row(ChangeAction.UPDATE, ChangeAction.UPDATE.symbol, members[0].product,
               f"{len(members)} variants {verb}", fields, _names(members), False,
               members=tuple(m.change.address for m in members))


def _group_field(name: str, changes: Iterable[Change]) -> FieldLine:
    changes = list(changes)
    first_old, first_new = (changes[0].before or {}).get(name), (changes[0].after or {})[name]
    delta = _delta(first_old, first_new) if name in DELTA_FIELDS else None
    if delta is None:
        return FieldLine(name, format_value(name, first_old), format_value(name, first_new))
    percents = sorted({p for c in changes
                       if (p := percent_change((c.before or {}).get(name), (c.after or {})[name])) is not None},
                      key=lambda text: Decimal(text.rstrip("%")))
    spread = None if not percents else percents[0] if len(percents) == 1 else f"{percents[0]} to {percents[-1]}"
    amount = format_value(name, str(abs(delta)))
    return FieldLine(name, None, f"{'+' if delta >= 0 else '-'}{amount}", spread)


def _rebuild_row(product: str, members: list[_Entry], mode: ViewMode) -> Row:
    added = [m for m in members if m.change.action is ChangeAction.CREATE]
    removed = [m for m in members if m.change.action is ChangeAction.DELETE]
    changed = [m for m in members if m.change.action not in (ChangeAction.CREATE, ChangeAction.DELETE)]
    fields = [FieldLine(label, None, _listing(group, None, with_changes=label == "changed"))
              for label, group in (("removed", removed), ("added", added), ("changed", changed)) if group]
    verb = ("variant set is rebuilt: every variant is recreated and all variant ids change" if mode is ViewMode.DIFF
            else "variant set will be rebuilt: every variant is recreated and all variant ids change")
    return Row(ChangeAction.REPLACE, ChangeAction.REPLACE.symbol, product, verb,
               tuple(fields), None, False, members=tuple(m.change.address for m in members))


def _names(members: list[_Entry]) -> str:
    return "variants: " + _listing(members, _LISTED)


def _listing(members: list[_Entry], limit: int | None, *, with_changes: bool = False) -> str:
    shown = members if limit is None else members[:limit]
    text = "; ".join(m.label + (_what_changes(m.change) if with_changes else "") for m in shown)
    return text + (f"; … and {len(members) - len(shown)} more" if len(members) > len(shown) else "")


def _what_changes(change: Change) -> str:
    """` (color: null -> "#FF0000")`: what a variant carried through a rebuild changes."""
    before, after = change.before or {}, change.after or {}
    parts = [f"{name}: {format_value(name, before.get(name))} -> {format_value(name, value)}"
             for name, value in after.items()]
    return f" ({', '.join(parts)})" if parts else ""
