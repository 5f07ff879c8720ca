"""grouped_items makes no entry for a variant that is a row of its own (issue 13: a create plan's 100,000
variants): its rows and their order stay those of the code it replaced (kept here as the oracle)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.model.address import Kind
from catalogctl.plan.model import Change, ChangeAction
from catalogctl.plan.safety import is_rebuild, rebuild_note
from catalogctl.render import group
from catalogctl.render.view_rows import Row, ViewMode


def _reference(changes: Sequence[Change], mode: ViewMode) -> Iterator[Row | Change]:
    entries = [group._entry(change) for change in changes]
    rebuilt = {e.product for e in entries if is_rebuild(e.change)}
    groups: dict[tuple[Any, ...], list[Any]] = {}
    order: list[tuple[Any, ...]] = []
    for entry in entries:
        key = ("rebuild", entry.product) if entry.product in rebuilt else group._same_way(entry)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(entry)
    for key in order:
        members = groups[key]
        if key[0] == "rebuild":
            yield group._rebuild_row(key[1], members, mode)
        elif key[0] == "single" or len(members) < group.MIN_GROUP:
            yield from (e.change for e in members)
        else:
            yield group._group_row(members, mode)


@st.composite
def _change(draw: st.DrawFn, notes: tuple[str | None, ...] = (None, None, rebuild_note(2), "other note")) -> Change:
    sku = draw(st.sampled_from(["A", "B"]))
    size = draw(st.sampled_from(["S", "M", "L"]))
    action = draw(st.sampled_from([ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE]))
    price = draw(st.sampled_from(["1", "2", "3.5"]))
    before = None if action is ChangeAction.CREATE else {"price": draw(st.sampled_from(["1", "2"]))}
    after = None if action is ChangeAction.DELETE else {"price": price}
    note = draw(st.sampled_from(notes))
    return Change(address=f'product["{sku}"].variant["Size={size}"]', kind=Kind.VARIANT, action=action,
                  before=before, after=after, note=note, blocked=draw(st.booleans()) and action is ChangeAction.UPDATE,
                  reasons=draw(st.sampled_from([{}, {"price": "why"}])))


@settings(max_examples=400, deadline=None, database=None)
@given(changes=st.lists(_change(), max_size=8), mode=st.sampled_from(list(ViewMode)))
def test_grouped_items_are_the_reference_ones(changes: list[Change], mode: ViewMode) -> None:
    made, expected = list(group.grouped_items(changes, mode)), list(_reference(changes, mode))
    assert len(made) == len(expected)
    for one, other in zip(made, expected, strict=True):
        assert type(one) is type(other) and one == other
        if isinstance(one, Change):
            assert one is other   # the plan's own change, handed on


@settings(max_examples=300, deadline=None, database=None)
@given(changes=st.lists(_change(notes=(None,)), max_size=8), mode=st.sampled_from(list(ViewMode)))
def test_changes_that_are_each_a_row_of_their_own_are_handed_on_in_order(changes: list[Change],
                                                                         mode: ViewMode) -> None:
    """No note (so no rebuild): the shortcut (_each_alone) when no update groups and no address repeats."""
    made, expected = list(group.grouped_items(changes, mode)), list(_reference(changes, mode))
    assert len(made) == len(expected)
    for one, other in zip(made, expected, strict=True):
        assert type(one) is type(other) and one == other
        if isinstance(one, Change):
            assert one is other


def test_a_create_plans_variants_take_the_shortcut() -> None:
    changes = [Change(address=f'product["A"].variant["Size={size}"]', kind=Kind.VARIANT, action=ChangeAction.CREATE,
                      after={"price": "1"}) for size in ("S", "M", "L")]
    assert group._each_alone(changes)
    assert not group._each_alone([*changes, changes[0]])   # an address twice: the general way
    assert [id(c) for c in group.grouped_items(changes, ViewMode.PLAN)] == [id(c) for c in changes]


def test_updates_that_change_alike_are_never_handed_on_alone() -> None:
    """_each_alone's shortcut in C takes only creates without a note: two variants updated alike are a group."""
    def update(size: str) -> Change:
        return Change(address=f'product["A"].variant["Size={size}"]', kind=Kind.VARIANT, action=ChangeAction.UPDATE,
                      before={"price": "1"}, after={"price": "2"})

    created = Change(address='product["A"].variant["Size=L"]', kind=Kind.VARIANT, action=ChangeAction.CREATE,
                     after={"price": "1"})
    for changes in ([update("S"), update("M")], [created, update("S"), update("M")]):
        assert not group._each_alone(changes)
        made = list(group.grouped_items(changes, ViewMode.PLAN))
        assert made == list(_reference(changes, ViewMode.PLAN)) and isinstance(made[-1], Row)
