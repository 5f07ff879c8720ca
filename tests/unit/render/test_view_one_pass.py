"""build_view sorts the changes into sections and counts the blocked and renamed ones in one pass (issue 13:
a create plan's 120,000 changes): the same sections, in the same order, and counts as the three passes it
replaced (kept here as the oracle), kinds mixed in any order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from planfixtures import BASE, LIVE, plan

from catalogctl.model.address import Kind
from catalogctl.plan.model import Change, ChangeAction
from catalogctl.render.view import SECTION_TITLES, build_view


@st.composite
def _change(draw: st.DrawFn) -> Change:
    kind = draw(st.sampled_from([Kind.CATEGORY, Kind.PRODUCT, Kind.VARIANT, Kind.IMAGE, Kind.WEBHOOK]))
    action = draw(st.sampled_from([ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.REPLACE]))
    return Change(address=f'{kind}["{draw(st.integers(0, 3))}"]', kind=kind, action=action,
                  before=None if action is ChangeAction.CREATE else {"title": "a"}, after={"title": "b"},
                  blocked=action is ChangeAction.REPLACE and draw(st.booleans()),
                  renamed_from=draw(st.sampled_from([None, None, "OLD"])))


@settings(max_examples=300, deadline=None, database=None)
@given(changes=st.lists(_change(), max_size=10))
def test_sections_and_counts_are_the_three_passes_ones(changes: list[Change]) -> None:
    made = plan(BASE, LIVE).model_copy(update={"changes": tuple(changes)})
    view = build_view(made)
    by_kind: dict[Kind, list[Change]] = {kind: [] for kind in SECTION_TITLES}
    for change in changes:
        by_kind[change.kind].append(change)
    expected = [(kind, tuple(found)) for kind, found in by_kind.items() if found]
    assert [(section.kind, section.changes) for section in view.sections] == expected
    assert all(a is b for section, (_, found) in zip(view.sections, expected, strict=True)
               for a, b in zip(section.changes, found, strict=True))
    assert view.blocked == sum(1 for c in changes if c.blocked)
    assert view.renamed == sum(1 for c in changes if c.renamed_from is not None)
