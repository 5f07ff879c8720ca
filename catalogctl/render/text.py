"""Terminal text, terraform-like: `+ create`, `~ update`, `-/+ replace`, `- delete`, `! unsupported`."""

from __future__ import annotations

from catalogctl.plan.model import ChangeAction, Plan
from catalogctl.render.view import Detail, FieldLine, PlanView, Row, build_view

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


def format_text(view: PlanView, *, color: bool = False) -> str:
    paint = _Painter(color)
    lines: list[str] = [view.heading, ""]
    if view.scope_note:
        lines += [paint.bold(view.scope_note), ""]
    if policy := view.policy_lines:
        lines += [paint.bold(policy[0]), *(f"  ✗ {line}" for line in policy[1:]), ""]
    for section in view.sections:
        lines.append(paint.bold(section.title))
        for row in section.rows:
            lines.extend(_row_lines(row, paint))
        lines.append("")
    if view.unmanaged:
        lines.append(paint.bold("Unmanaged (in the store, not in the catalog; left alone):"))
        lines.extend(f"  {address}" for address in view.unmanaged)
        lines.append("")
    if view.warnings or view.safety_note:
        lines.append(paint.bold("Warnings:"))
        lines.extend(f"  - {warning}" for warning in view.warnings)
        if view.safety_note:
            lines.append(f"  - {view.safety_note}")
        lines.append("")
    if view.notes:
        lines.extend(paint.dim(f"Note: {note}") for note in view.notes)
        lines.append("")
    lines.append(paint.bold(view.summary_line))
    return "\n".join(lines) + "\n"


def _row_lines(row: Row, paint: _Painter) -> list[str]:
    head = f"  {paint.action(row.action, row.symbol)} {row.address}{row.renamed}{':' if row.members else ''} {row.verb}"
    lines = [head]
    for line in row.fields:
        lines.append("      " + _field_text(line, paint))
    if row.note:
        lines.append("      " + paint.dim(f"# {row.note}"))
    return lines


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
