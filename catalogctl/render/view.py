"""The one view model of a Plan that every human renderer formats (DESIGN.md: no renderer walks
the plan itself). Values are already formatted as text; renderers only add layout and markup.

Rows come from view_rows (one per change) and group (a product's variants that change the same
way, a variant-set rebuild), unless the view is built with `detail=Detail.FULL`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from catalogctl.core.kinds import KINDS
from catalogctl.model.address import Kind
from catalogctl.plan.model import Change, ChangeAction, Plan
from catalogctl.render.view_rows import (
    DECIMAL_FIELDS,
    MONEY_FIELDS,
    FieldLine,
    Row,
    ViewMode,
    format_value,
    percent_change,
    row_for,
)

__all__ = ["DECIMAL_FIELDS", "MONEY_FIELDS", "SECTION_TITLES", "Detail", "FieldLine", "PlanView", "Provenance", "Row",
           "Section", "ViewMode", "build_view", "format_value", "held_note", "percent_change", "row_for",
           "summary_line"]

SECTION_TITLES = {kind: info.title for kind, info in KINDS.items()}  # in plan order


class Detail(StrEnum):
    """`grouped` (the default): variants that change alike are one row; `full`: one row per resource."""

    GROUPED = "grouped"
    FULL = "full"


@dataclass(frozen=True)
class Section:
    """One resource kind. Rows are formatted on demand: a budgeted renderer stops early."""

    kind: Kind
    title: str
    changes: tuple[Change, ...]
    mode: ViewMode = ViewMode.PLAN
    detail: Detail = Detail.GROUPED

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def rows(self) -> Iterator[Row]:
        """Formatted on demand; `row.size` says how many changes each row stands for."""
        if self.kind is Kind.VARIANT and self.detail is Detail.GROUPED:
            from catalogctl.render.group import grouped_rows

            return grouped_rows(self.changes, self.mode)
        return (row_for(change, self.mode) for change in self.changes)

    @property
    def items(self) -> Iterator[Row | Change]:
        """`rows`, a change that is a row of its own given as the change: a renderer may format it
        directly (the plain text does so for creates: issue 13), row_for(change, mode) is its row."""
        if self.kind is Kind.VARIANT and self.detail is Detail.GROUPED:
            from catalogctl.render.group import grouped_items

            return grouped_items(self.changes, self.mode)
        return iter(self.changes)

    @property
    def counts(self) -> dict[ChangeAction, int]:
        """Changes per action, in first-seen order."""
        counts: dict[ChangeAction, int] = {}
        for change in self.changes:
            counts[change.action] = counts.get(change.action, 0) + 1
        return counts


@dataclass(frozen=True)
class Provenance:
    """Where the plan comes from: the target, the catalog's git commit, the command that makes it again."""

    target: str
    commit: str | None
    command: str | None


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
    notes: tuple[str, ...] = ()     # what the plan could not compare (the plan's own notes)
    mode: ViewMode = ViewMode.PLAN
    heading: str = ""           # "catalogctl plan for target "prod"", "catalogctl diff origin/main..working tree"
    provenance: Provenance | None = None
    scope: tuple[str, ...] = ()  # --address: the plan is partial, limited to these (and their dependencies)
    policies: tuple[str, ...] = ()    # the target's policies this plan was checked against
    violations: tuple[str, ...] = ()  # one line each: policy: address (file:line): rule and numbers
    renamed: int = 0                  # products renamed in place (counted among the updates)
    held: int = 0                     # products nothing is planned for although they differ (see warnings)

    @property
    def policy_lines(self) -> tuple[str, ...]:
        """The "Policy" block every format shows before the details (empty: the target sets none)."""
        if not self.policies:
            return ()
        head = f"Policy: {len(self.policies)} checked ({', '.join(self.policies)}): "
        if not self.violations:
            return (head + "all pass.",)
        broken = sorted({line.split(":", 1)[0] for line in self.violations})
        count = f"{len(self.violations)} violation{'s' if len(self.violations) != 1 else ''}"
        return (head + f"{count}; apply refuses unless {' '.join('--override-policy ' + n for n in broken)}",
                *self.violations)

    @property
    def scope_note(self) -> str | None:
        if not self.scope:
            return None
        return (f"Partial plan: limited by --address to {', '.join(self.scope)} and what they depend on; "
                "other differences are not shown.")

    @property
    def has_changes(self) -> bool:
        """Something to show: a change, or a held product (the store does not match then either)."""
        return any(self.counts.values()) or self.held > 0


def build_view(plan: Plan, detail: Detail = Detail.GROUPED) -> PlanView:
    """Sections in resource-kind order, rows in plan order."""
    mode = ViewMode.DIFF if plan.metadata.get("kind") == "diff" else ViewMode.PLAN
    by_kind: dict[Kind, list[Change]] = {kind: [] for kind in SECTION_TITLES}
    blocked = renamed = 0
    last, run = None, []   # a kind's changes mostly follow each other: its list looked up once per run
    for change in plan.changes:   # one pass (a 10,000-product create plan has 120,000)
        kind = change.kind
        if kind is not last:
            run, last = by_kind[kind], kind
        run.append(change)
        if change.blocked:
            blocked += 1
        if change.renamed_from is not None:
            renamed += 1
    sections = tuple(Section(kind, SECTION_TITLES[kind], tuple(changes), mode, detail)
                     for kind, changes in by_kind.items() if changes)
    counts = {action: plan.summary.get(action, 0) for action in ChangeAction}
    safety = plan.safety
    safety_note = None
    if safety.exceeded:
        safety_note = (f"{safety.destructive} destructive changes exceed {safety.max_share:.0%} of the "
                       f"{safety.managed_live} managed live products: apply refuses without --force")
    if mode is ViewMode.DIFF:
        heading = f"catalogctl diff {plan.target}"
        return PlanView(plan.target, sections, counts, 0, plan.warnings, (), None, diff_summary_line(counts),
                        plan.notes, mode, heading)
    meta = plan.metadata
    provenance = Provenance(plan.target, _text(meta.get("catalog_commit")), _text(meta.get("command")))
    scope = tuple(str(a) for a in meta.get("addresses", ()) if isinstance(a, str))
    return PlanView(plan.target, sections, counts, blocked, plan.warnings, plan.unmanaged, safety_note,
                    summary_line(counts, blocked, len(plan.failed_preconditions), renamed, len(plan.held)),
                    plan.notes, mode, f'catalogctl plan for target "{plan.target}"', provenance, scope, plan.policies,
                    tuple(str(v) for v in plan.policy_violations), renamed, len(plan.held))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def diff_summary_line(counts: dict[ChangeAction, int]) -> str:
    if not any(counts.values()):
        return "No differences: the catalog is the same in both."
    return (f"Diff: {counts[ChangeAction.CREATE]} added, {counts[ChangeAction.UPDATE]} changed, "
            f"{counts[ChangeAction.DELETE]} removed.")


def summary_line(counts: dict[ChangeAction, int], blocked: int = 0, failed: int = 0, renamed: int = 0,
                 held: int = 0) -> str:
    """The plan's headline; "No changes" only when the store matches (no change, no held product)."""
    if failed:  # a precondition failed: the target is not the store this catalog is for
        return (f"{failed} precondition{'s' if failed > 1 else ''} FAILED: this target is not the store the catalog "
                "is for; apply refuses.")
    if not any(counts.values()) and not held:
        return "No changes. The store matches the catalog."
    replace = f"{counts[ChangeAction.REPLACE]} to replace" + (f" ({blocked} blocked)" if blocked else "")
    update = f"{counts[ChangeAction.UPDATE]} to update" + (f" ({renamed} renamed)" if renamed else "")
    line = (f"Plan: {counts[ChangeAction.CREATE]} to create, {update}, {replace}, "
            f"{counts[ChangeAction.DELETE]} to delete, {counts[ChangeAction.UNSUPPORTED]} unsupported.")
    return line[:-1] + f"; {held_note(held)}" if held else line


def held_note(held: int) -> str:
    """Why the store does not match although nothing is planned for some products (renames.py)."""
    one = held == 1
    return (f"{held} product{'' if one else 's'} held: the store has both {'its' if one else 'their'} sku and a "
            f"previous sku, or several previous skus, so nothing is planned for {'it' if one else 'them'} and the "
            "store does not match the catalog (see warnings).")
