"""Renderers: markdown snapshots, the GitHub size budget, colors, escaping, and one handler per action."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from planfixtures import D, as_live, plan, product, rmap
from render_realistic import realistic_plan

from catalogctl.plan.model import ChangeAction, Plan
from catalogctl.render.json import render_json
from catalogctl.render.markdown import _ACTION_LABELS, GITHUB_LIMIT, render_markdown
from catalogctl.render.text import _COLORS, render_text
from catalogctl.render.view import build_view, percent_change

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("CATALOGCTL_UPDATE_SNAPSHOTS") == "1"


def _snapshot(name: str, actual: str) -> None:
    """Compare with the checked-in file; CATALOGCTL_UPDATE_SNAPSHOTS=1 rewrites it instead."""
    path = SNAPSHOTS / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed; rerun with CATALOGCTL_UPDATE_SNAPSHOTS=1"


def test_realistic_plan_markdown_matches_the_snapshot() -> None:
    _snapshot("realistic.md", render_markdown(realistic_plan(), plan_file="plan.json"))


def test_realistic_plan_text_matches_the_snapshot() -> None:
    _snapshot("realistic.txt", render_text(realistic_plan()))


def test_no_changes_markdown_matches_the_snapshot() -> None:
    desired = rmap(product("A"))
    _snapshot("no-changes.md", render_markdown(plan(desired, as_live(desired), target="production")))


def _huge_plan(products: int, prune: int = 0) -> Plan:
    desired = rmap(*[product(f"SKU-{n:05d}", price=D("27.99"), title=f"Tee number {n}") for n in range(products)])
    live = as_live(rmap(*[product(f"SKU-{n:05d}") for n in range(products)],
                        *[product(f"OLD-{n:05d}") for n in range(prune)]))
    return plan(desired, live, prune=bool(prune), target="production")


def test_a_huge_plan_stays_under_githubs_limit_with_summary_and_warnings_whole() -> None:
    p = _huge_plan(3000, prune=40)
    markdown = render_markdown(p, plan_file="plans/production.json")
    assert len(markdown) <= GITHUB_LIMIT
    assert "| 🔄 update | 3000 |" in markdown and "| ➖ delete | 40 |" in markdown
    assert "**Plan: 0 to create, 3000 to update, 0 to replace, 40 to delete, 0 unsupported.**" in markdown
    assert all(f"> - product\\[\"OLD-{n:05d}\"\\] will be deactivated" in markdown for n in range(40))
    hidden = int(re.search(r"> (\d+) more changes are not shown", markdown).group(1))
    shown = markdown.count("\n- `")
    assert shown + hidden == 3040 and shown > 100
    assert "the full plan is in `plans/production.json`" in markdown
    assert markdown.count("<details>") == markdown.count("</details>")


def test_warnings_that_alone_pass_the_budget_are_cut_but_the_summary_stays() -> None:
    p = _huge_plan(10, prune=2000)
    markdown = render_markdown(p, plan_file="plan.json")
    assert len(markdown) <= GITHUB_LIMIT
    assert "| ➖ delete | 2000 |" in markdown
    assert re.search(r"> - … and \d+ more warnings, cut to fit the comment limit; see `plan.json`", markdown)


def test_a_budget_above_githubs_limit_is_clamped() -> None:
    markdown = render_markdown(_huge_plan(3000), budget=10**7)
    assert len(markdown) <= GITHUB_LIMIT
    assert "run `catalogctl plan` for the full plan" in markdown


def test_colors_only_when_asked() -> None:
    p = realistic_plan()
    assert "\033[" not in render_text(p)
    colored = render_text(p, color=True)
    assert "\033[32m+\033[0m category[\"Hoodies\"]" in colored
    assert re.sub(r"\033\[[0-9;]*m", "", colored) == render_text(p)


def test_markdown_neutralizes_what_a_merchant_string_could_inject() -> None:
    desired = rmap(product("A", title="`x` <script>alert(1)</script> | [link](http://evil)"))
    markdown = render_markdown(plan(desired, as_live(rmap(product("A"))), target="t"))
    assert '`` "`x` <script>alert(1)</script> | [link](http://evil)" ``' in markdown


def test_every_action_has_a_symbol_a_color_a_label_and_a_verb() -> None:
    assert {a.symbol for a in ChangeAction} == {"+", "~", "-/+", "-", "!"}
    assert set(_COLORS) == set(ChangeAction) == set(_ACTION_LABELS)
    assert build_view(realistic_plan()).summary_line == (
        "Plan: 15 to create, 11 to update, 1 to replace (1 blocked), 3 to delete, 0 unsupported.")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("24.99", "27.99", "+12.0%"), ("49.99", "44.99", "-10.0%"), ("0", "5", None), (None, "5", None),
    ("10", "10.00", "+0.0%"),
])
def test_price_percentage(old: str | None, new: str, expected: str | None) -> None:
    assert percent_change(old, new) == expected


def test_json_is_the_plans_canonical_form() -> None:
    p = realistic_plan()
    assert render_json(p) == p.to_json()
    assert Plan.from_json(render_json(p)) == p


def test_a_value_with_a_run_of_backticks_gets_a_longer_fence() -> None:
    desired = rmap(product("A", title="a``b"))
    markdown = render_markdown(plan(desired, as_live(rmap(product("A"))), target="t"))
    assert '- title: `"Tee A"` → ``` "a``b" ```' in markdown


@pytest.mark.parametrize("lines", [1, 3, 4096])
@pytest.mark.parametrize("color", [False, True])
def test_the_text_in_pieces_is_the_text_whole(lines: int, color: bool) -> None:
    """apply writes the plan's text as it is made (issue 13: peak memory); the bytes are the same."""
    from catalogctl.render.text import text_chunks

    for made in (realistic_plan(), _huge_plan(30, prune=3)):
        chunks = list(text_chunks(made, color=color, lines=lines))
        assert all(chunk.endswith("\n") for chunk in chunks)
        assert "".join(chunks) == render_text(made, color=color)
        # each piece but the last ends after the change that reaches `lines` lines (a change is never cut)
        assert all(lines <= chunk.count("\n") < lines + 20 for chunk in chunks[:-1])
        assert 0 < chunks[-1].count("\n") < lines + 20
        assert len(chunks) <= -(-render_text(made, color=color).count("\n") // lines)


def _text_from_rows(view: Any, color: bool) -> str:
    """The plain text as it was made before creates were formatted from their change: every row built."""
    from catalogctl.render.text import _Painter, _row_lines

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


def _created_plan() -> Plan:
    """New products of every shape (variants, images, notes, empty values) beside updates and a rebuild."""
    desired = rmap(*[product(f"NEW-{n}", price=D("27.99"), title=f'Tee "{n}"', vendor="") for n in range(5)],
                   product("OLD-1", price=D("30")))
    return plan(desired, as_live(rmap(product("OLD-1"))), target="production")


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("detail", ["grouped", "full"])
@pytest.mark.parametrize("diff", [False, True])
def test_creates_formatted_from_their_change_are_the_rows_text(color: bool, detail: str, diff: bool) -> None:
    from catalogctl.render.text import format_text
    from catalogctl.render.view import Detail

    creates = 0
    for made in (realistic_plan(), _huge_plan(12, prune=2), _created_plan()):
        if diff:
            made = made.model_copy(update={"metadata": {**made.metadata, "kind": "diff"}})
        view = build_view(made, Detail(detail))
        text = format_text(view, color=color)
        assert text == _text_from_rows(view, color)
        creates += text.count(" added" if diff else " will be created")
    assert creates >= 20   # the shortcut was taken (products, variants and images among them)
