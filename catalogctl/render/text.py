"""Terminal text, terraform-like: `+ create`, `~ update`, `-/+ replace`, `- delete`, `! unsupported`."""

from __future__ import annotations

from collections.abc import Iterator

from catalogctl.plan.model import Change, ChangeAction, Plan
from catalogctl.render.view import Detail, FieldLine, PlanView, Row, ViewMode, build_view
from catalogctl.render.view_rows import KEY_FIELDS, empty_value, format_value, row_for

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
    """render_text's text in pieces of about `lines` lines, each ending in a newline: to write as it is
    made (a 10,000-product create plan is 600,000 lines; held whole, with its lines, ~80 MB at once)."""
    batch: list[str] = []
    for line in text_lines(build_view(plan, detail), color=color):
        batch.append(line)
        if len(batch) >= lines:
            yield "\n".join(batch) + "\n"
            batch = []
    if batch:
        yield "\n".join(batch) + "\n"


def format_text(view: PlanView, *, color: bool = False) -> str:
    return "\n".join(text_lines(view, color=color)) + "\n"


def text_lines(view: PlanView, *, color: bool = False) -> Iterator[str]:
    """The text's lines, without their newlines."""
    paint = _Painter(color)
    yield from (view.heading, "")
    if view.scope_note:
        yield from (paint.bold(view.scope_note), "")
    if policy := view.policy_lines:
        yield from (paint.bold(policy[0]), *(f"  ✗ {line}" for line in policy[1:]), "")
    for section in view.sections:
        yield paint.bold(section.title)
        mode = section.mode
        for item in section.items:
            if isinstance(item, Row):
                yield from _row_lines(item, paint)
            elif item.action is ChangeAction.CREATE and item.before is None and item.after is not None \
                    and item.renamed_from is None:
                yield from _create_lines(item, paint, mode)
            else:
                yield from _row_lines(row_for(item, mode), paint)
        yield ""
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


def _create_lines(change: Change, paint: _Painter, mode: ViewMode) -> Iterator[str]:
    """_row_lines(row_for(change, mode)) of a created resource, without the row and its field lines
    (a 10,000-product create plan shows 120,000 of them; a test holds the two to the same text)."""
    verb = "added" if mode is ViewMode.DIFF else "will be created"
    yield f"  {paint.action(ChangeAction.CREATE, ChangeAction.CREATE.symbol)} {change.address} {verb}"
    key = KEY_FIELDS[change.kind]
    assert change.after is not None
    for name, value in change.after.items():
        if name != key and not empty_value(name, value):
            yield f"      {name}: {format_value(name, value)}"
    if change.note:
        yield "      " + paint.dim(f"# {change.note}")


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
