"""Terminal text, terraform-like: `+ create`, `~ update`, `-/+ replace`, `- delete`, `! unsupported`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any

from catalogctl.plan.model import Change, ChangeAction, Plan
from catalogctl.render.view import Detail, FieldLine, PlanView, Row, ViewMode, build_view
from catalogctl.render.view_rows import (
    DECIMAL_FIELDS,
    KEY_FIELDS,
    MONEY_FIELDS,
    _money,
    empty_value,
    format_value,
    row_for,
)

_COLORS = {
    ChangeAction.CREATE: "\033[32m",       # green
    ChangeAction.UPDATE: "\033[33m",       # yellow
    ChangeAction.REPLACE: "\033[35m",      # magenta
    ChangeAction.DELETE: "\033[31m",       # red
    ChangeAction.UNSUPPORTED: "\033[1;31m",  # bold red
}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def render_text(plan: Plan, *, color: bool = False, detail: Detail = Detail.GROUPED) -> str:
    """The whole plan for a terminal; ANSI colors only when `color` (the CLI decides: TTY and no --no-color)."""
    return format_text(build_view(plan, detail), color=color)


def text_chunks(plan: Plan, *, color: bool = False, detail: Detail = Detail.GROUPED,
                lines: int = 4096) -> Iterator[str]:
    """render_text's text in pieces of about `lines` lines (a piece ends after the first change that
    reaches them), each ending in a newline: to write as it is made (a 10,000-product create plan is
    600,000 lines; held whole, with its lines, ~80 MB at once)."""
    for batch in _batches(build_view(plan, detail), color, lines):
        yield "\n".join(batch) + "\n"


def format_text(view: PlanView, *, color: bool = False) -> str:
    return "\n".join(text_lines(view, color=color)) + "\n"


def text_lines(view: PlanView, *, color: bool = False) -> Iterator[str]:
    """The text's lines, without their newline."""
    for batch in _batches(view, color, sys.maxsize):
        yield from batch


def _batches(view: PlanView, color: bool, size: int) -> Iterator[list[str]]:
    """The text's lines in lists, each but the last ended after the first change (or other line) that brings
    it to `size` lines or more. A created resource's lines go straight into the list, joined once with the
    whole list (not once per resource, and then again: 120,000 joins fewer at 10,000 products)."""
    paint = _Painter(color)
    out: list[str] = []
    for line in _head_lines(view, paint):
        out.append(line)
        if len(out) >= size:
            yield out
            out = []
    create = ChangeAction.CREATE
    for section in view.sections:
        out.append(paint.bold(section.title))
        if len(out) >= size:
            yield out
            out = []
        mode = section.mode
        head, tail = _create_affixes(paint, mode)
        for item in section.items:
            if isinstance(item, Row):
                out.extend(_row_lines(item, paint))
            else:
                # the change's fields read from its __dict__, got once: a Change is a pydantic model, whose
                # __getattr__ makes each attribute read a slot_tp_getattr_hook call (eight per created resource)
                own = item.__dict__ if type(item) is Change else _fields_of(item)
                if own["action"] is create and own["before"] is None and own["after"] is not None \
                        and own["renamed_from"] is None:
                    _created(own, head, tail, paint, out)
                else:
                    out.extend(_row_lines(row_for(item, mode), paint))
            if len(out) >= size:
                yield out
                out = []
        out.append("")
        if len(out) >= size:
            yield out
            out = []
    for line in _tail_lines(view, paint):
        out.append(line)
        if len(out) >= size:
            yield out
            out = []
    if out:
        yield out


def _head_lines(view: PlanView, paint: _Painter) -> Iterator[str]:
    yield from (view.heading, "")
    if view.scope_note:
        yield from (paint.bold(view.scope_note), "")
    if policy := view.policy_lines:
        yield from (paint.bold(policy[0]), *(f"  ✗ {line}" for line in policy[1:]), "")


def _tail_lines(view: PlanView, paint: _Painter) -> Iterator[str]:
    if view.unmanaged:
        yield paint.bold("Unmanaged (in the store, not in the catalog; left alone):")
        yield from (f"  {address}" for address in view.unmanaged)
        yield ""
    if view.warnings or view.safety_note:
        yield paint.bold("Warnings:")
        yield from (f"  - {warning}" for warning in view.warnings)
        if view.safety_note:
            yield f"  - {view.safety_note}"
        yield ""
    if view.notes:
        yield from (paint.dim(f"Note: {note}") for note in view.notes)
        yield ""
    yield paint.bold(view.summary_line)


def _row_lines(row: Row, paint: _Painter) -> list[str]:
    head = f"  {paint.action(row.action, row.symbol)} {row.address}{row.renamed}{':' if row.members else ''} {row.verb}"
    lines = [head]
    for line in row.fields:
        lines.append("      " + _field_text(line, paint))
    if row.note:
        lines.append("      " + paint.dim(f"# {row.note}"))
    return lines


def _create_lines(change: Change, paint: _Painter, mode: ViewMode) -> tuple[str, int]:
    """_row_lines(row_for(change, mode)) of a created resource joined, and their number, made without the
    row and its field lines (a 10,000-product create plan shows 120,000 of them; a test holds the two to
    the same text). empty_value and format_value are inline for the plain types a change holds."""
    lines: list[str] = []
    _created(_fields_of(change), *_create_affixes(paint, mode), paint, lines)
    return "\n".join(lines), len(lines)


def _fields_of(change: Change) -> dict[str, Any]:
    """The change's fields by name, read as attributes: what a Change's __dict__ holds (_pieces reads that)."""
    return {name: getattr(change, name) for name in _CHANGE_FIELDS}


_CHANGE_FIELDS = tuple(Change.model_fields)


def _create_affixes(paint: _Painter, mode: ViewMode) -> tuple[str, str]:
    """What comes before and after the address on a created resource's first line (the same for a section)."""
    verb = "added" if mode is ViewMode.DIFF else "will be created"
    return f"  {paint.action(ChangeAction.CREATE, '+')} ", f" {verb}"


def _created(change: dict[str, Any], head: str, tail: str, paint: _Painter, lines: list[str]) -> None:
    """_create_lines of a change given by its fields (a Change's __dict__), its lines appended to `lines`, the
    first line's affixes given (_batches makes them once per section)."""
    lines.append(f"{head}{change['address']}{tail}")
    key = KEY_FIELDS[change["kind"]]
    after = change["after"]
    assert after is not None
    shown, unseen = _SHOWN, _UNSEEN
    for name, value in after.items():
        if value is None or name == key:
            continue
        kind = type(value)
        if kind is str and name not in DECIMAL_FIELDS:
            if value:
                lines.append(f"      {name}: {encode_basestring(value)}")
            continue
        if kind is str or kind is bool:   # an amount or a flag: a plan shows the same few by the thousand
            by_value = shown.get(name)
            line = unseen if by_value is None else by_value.get(value, unseen)
            if line is unseen:
                line = _shown_line(name, value)
            if line is not None:
                lines.append(line)
        elif not empty_value(name, value):
            lines.append(f"      {name}: {format_value(name, value)}")
    if note := change["note"]:
        lines.append("      " + paint.dim(f"# {note}"))


_UNSEEN = object()
# name -> an amount's text or a flag -> its line, None when a created resource does not show it: by name, then
# by value, not by a (name, value) tuple, which was made and hashed per field (callgrind: -2% of the text)
_SHOWN: dict[str, dict[str | bool, str | None]] = {}


def _shown_line(name: str, value: str | bool) -> str | None:
    """The line of an amount (a str of a DECIMAL_FIELDS field) or a flag, kept in _SHOWN (a few thousand)."""
    if type(value) is bool:
        line: str | None = f"      {name}: {'true' if value else 'false'}"
    elif not value or value == "0":
        line = None
    else:
        line = f"      {name}: {_money(value) if name in MONEY_FIELDS else value}"
    by_value = _SHOWN.get(name)
    if by_value is None and len(_SHOWN) < 256:
        by_value = _SHOWN[name] = {}
    if by_value is not None and len(by_value) < 4096:
        by_value[value] = line
    return line


def _field_text(line: FieldLine, paint: _Painter) -> str:
    if line.name == "delete" and line.reason:
        return paint.dim(f"# {line.reason}")
    text = f"{line.name}: {line.new}" if line.old is None and line.reason is None else (
        f"{line.name}: {line.old if line.old is not None else 'null'} -> {line.new}")
    if line.percent:
        text += f" ({line.percent})"
    if line.reason:
        text += "  " + paint.dim(f"# {line.reason}")
    return text


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.enabled else text

    def action(self, action: ChangeAction, text: str) -> str:
        return self._wrap(_COLORS[action], text)

    def bold(self, text: str) -> str:
        return self._wrap(_BOLD, text)

    def dim(self, text: str) -> str:
        return self._wrap(_DIM, text)
