"""Markdown for a GitHub pull-request comment: warnings first, a summary table, one collapsible
section per resource kind. Never longer than GitHub's 65,536-character comment limit."""

from __future__ import annotations

import re

from catalogctl.plan.model import ChangeAction, Plan
from catalogctl.render.view import Detail, FieldLine, PlanView, Row, Section, ViewMode, build_view

GITHUB_LIMIT = 65_536
DEFAULT_BUDGET = 60_000
_ACTION_LABELS = {
    ChangeAction.CREATE: "➕ create",
    ChangeAction.UPDATE: "🔄 update",
    ChangeAction.REPLACE: "♻️ replace",
    ChangeAction.DELETE: "➖ delete",
    ChangeAction.UNSUPPORTED: "⛔ unsupported",
}
_DIFF_LABELS = {ChangeAction.CREATE: "➕ added", ChangeAction.UPDATE: "🔄 changed", ChangeAction.DELETE: "➖ removed"}
_MAX_UNMANAGED = 50  # listed by address; the rest only counted


def render_markdown(plan: Plan, *, plan_file: str | None = None, budget: int = DEFAULT_BUDGET,
                    detail: Detail = Detail.GROUPED) -> str:
    """The PR comment. Past `budget` characters the detail is cut (summary and warnings stay whole)
    with a note naming `plan_file`; the result never exceeds GITHUB_LIMIT."""
    return format_markdown(build_view(plan, detail), plan_file=plan_file, budget=min(budget, GITHUB_LIMIT))


def format_markdown(view: PlanView, *, plan_file: str | None = None, budget: int = DEFAULT_BUDGET) -> str:
    tail = _tail(view)
    reserve = len(_truncation_note(10**9, plan_file)) + len(tail) + 64
    head = _head(view, budget - reserve, plan_file)
    parts = [head]
    used = len(head) + len(tail)
    hidden = 0
    for section in view.sections:
        if hidden:
            hidden += len(section)
            continue
        text, shown = _section(section, budget - used - reserve)
        if text:
            parts.append(text)
            used += len(text)
        hidden += len(section) - shown
    if hidden:
        parts.append(_truncation_note(hidden, plan_file))
    parts.append(tail)
    return "".join(parts)


def _head(view: PlanView, room: int, plan_file: str | None) -> str:
    """Title, warnings, summary table. Warnings are cut only if they alone would pass `room`."""
    if view.mode is ViewMode.DIFF:
        title = f"### catalogctl diff `{_inline(view.target)}`\n\n"
    else:
        title = f"### catalogctl plan for `{_inline(view.target)}`\n\n"
    if view.scope_note:
        title += f"> [!NOTE]\n> {_escape(view.scope_note)}\n\n"
    if not view.has_changes:
        failed = "FAILED" in view.summary_line  # a failed precondition says so instead of "no changes"
        title += f"**{view.summary_line}**\n\n" if view.mode is ViewMode.DIFF or failed else (
            "**No changes.** The store matches the catalog.\n\n")
    summary = ""
    if view.has_changes:
        lines = ["| Action | Count |", "| --- | ---: |"]
        if view.mode is ViewMode.DIFF:
            lines += [f"| {label} | {view.counts[a]} |" for a, label in _DIFF_LABELS.items()]
        else:
            lines += [f"| {_ACTION_LABELS[a]} | {n} |" for a, n in view.counts.items()]
        if view.blocked:
            lines.append(f"| 🚫 blocked (needs `--allow-replace`) | {view.blocked} |")
        if view.renamed:
            lines.append(f"| 🏷️ renamed in place (of the updates) | {view.renamed} |")
        if view.held:
            lines.append(f"| ⏸️ held (nothing planned, the store differs: see warnings) | {view.held} |")
        lines += ["", f"**{view.summary_line}**", ""]
        summary = "\n".join(lines) + "\n"
    notes = "".join(f"> [!NOTE]\n> {_escape(note)}\n\n" for note in view.notes)
    policy = _policy(view)
    return (title + _warnings(view, room - len(title) - len(summary) - len(notes) - len(policy), plan_file)
            + notes + summary + policy)


def _policy(view: PlanView) -> str:
    """The "Policy" block, before the details: the policies checked and every violation."""
    lines = view.policy_lines
    if not lines:
        return ""
    head, *violations = lines
    body = "".join(f"- ❌ {_escape(line)}\n" for line in violations)
    return f"#### Policy\n\n{_escape(head)}\n\n{body}" + ("\n" if body else "")


def _warnings(view: PlanView, room: int, plan_file: str | None) -> str:
    warnings = [*view.warnings, *([view.safety_note] if view.safety_note else [])]
    if not warnings:
        return ""
    what = ":" if view.mode is ViewMode.DIFF else " (replacements, deactivations, deletes, unsupported changes):"
    lines = ["> [!WARNING]", f"> **{len(warnings)} warning{'s' if len(warnings) != 1 else ''}**{what}", ">"]
    size = sum(len(line) + 1 for line in lines) + 200
    if view.safety_note:  # the refusal to apply matters most: it goes first
        warnings = [warnings[-1], *warnings[:-1]]
    for n, warning in enumerate(warnings):
        line = f"> - {_escape(warning)}"
        if size + len(line) + 1 > room:
            where = f"; see `{_inline(plan_file)}`" if plan_file else ""
            lines.append(f"> - … and {len(warnings) - n} more warnings, cut to fit the comment limit{where}")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines) + "\n\n"


def _tail(view: PlanView) -> str:
    return _unmanaged(view) + _provenance(view)


def _provenance(view: PlanView) -> str:
    """The last line: target, catalog commit, and the command that makes this plan again."""
    source = view.provenance
    if source is None:
        return ""
    parts = [f"Target `{_inline(source.target)}`"]
    if source.commit:
        parts.append(f"catalog at commit `{_inline(source.commit)}`")
    if source.command:
        parts.append(f"reproduce with {_code(source.command)}")
    return "<sub>" + " · ".join(parts) + "</sub>\n"


def _unmanaged(view: PlanView) -> str:
    if not view.unmanaged:
        return ""
    shown = view.unmanaged[:_MAX_UNMANAGED]
    lines = [f"<details><summary>Unmanaged: {len(view.unmanaged)} live objects not in the catalog (left alone)"
             "</summary>", ""]
    lines += [f"- {_code(address)}" for address in shown]
    if len(view.unmanaged) > len(shown):
        lines.append(f"- … and {len(view.unmanaged) - len(shown)} more")
    lines += ["", "</details>", ""]
    return "\n".join(lines) + "\n"


def _section(section: Section, room: int) -> tuple[str, int]:
    """The section's markdown within `room` characters, and how many rows it shows."""
    opening = f"<details><summary><b>{section.title}</b> ({_count(section)})</summary>\n\n"
    closing = "\n</details>\n\n"
    size = len(opening) + len(closing)
    rows: list[str] = []
    covered = 0   # changes the rows shown stand for (a grouped row stands for several)
    for row in section.rows:
        text = _row(row)
        if size + len(text) > room:
            break
        rows.append(text)
        size += len(text)
        covered += row.size
    if not rows:
        return "", 0
    return opening + "".join(rows) + closing, covered


def _count(section: Section) -> str:
    if section.mode is ViewMode.DIFF:
        words = {ChangeAction.CREATE: "added", ChangeAction.UPDATE: "changed", ChangeAction.DELETE: "removed"}
        return ", ".join(f"{n} {words.get(action, action.value)}" for action, n in section.counts.items())
    return ", ".join(f"{n} {action.value}" for action, n in section.counts.items())


def _row(row: Row) -> str:
    verb = row.verb.replace("--allow-replace", "`--allow-replace`")
    lines = [f"- `{row.symbol}` {_code(row.address)}{_escape(row.renamed)}{':' if row.members else ''} {verb}"]
    lines += [f"  - {_field(line)}" for line in row.fields]
    if row.note:
        lines.append(f"  - _{_escape(row.note)}_")
    return "\n".join(lines) + "\n"


def _field(line: FieldLine) -> str:
    if line.name == "delete" and line.reason:
        return f"⚠️ {_escape(line.reason)}"
    if line.old is None and line.reason is None:   # a created value, or a group's change (+5.00 (+10.4%))
        return f"{line.name}: {_code(line.new)}" + (f" ({line.percent})" if line.percent else "")
    old = line.old if line.old is not None else "null"
    text = f"{line.name}: {_code(old)} → {_code(line.new)}"
    if line.percent:
        text = f"{line.name}: {_code(old)} → {_code(line.new)} ({line.percent})"
    if line.reason:
        text += f" — ⚠️ {_escape(line.reason)}"
    return text


def _truncation_note(hidden: int, plan_file: str | None) -> str:
    where = f"the full plan is in `{_inline(plan_file)}`" if plan_file else "run `catalogctl plan` for the full plan"
    return f"> [!NOTE]\n> {hidden} more changes are not shown to stay within GitHub's comment limit; {where}.\n\n"


def _code(text: str) -> str:
    """Inline code that survives backticks inside the value (a longer fence); long values shortened."""
    if len(text) > 200:
        text = text[:197] + "…"
    text = text.replace("\n", "↵")
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if runs else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inline(text: str) -> str:
    return text.replace("`", "'")


def _escape(text: str) -> str:
    """Neutralize markdown/HTML that a warning or reason could carry (titles come from merchants)."""
    for char in ("\\", "*", "_", "`", "<", ">", "[", "]", "|"):
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")
