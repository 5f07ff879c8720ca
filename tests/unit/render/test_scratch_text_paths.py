"""The plain text of a from-scratch plan (issue 13: every change a create) made on its fast paths is the
text the general code makes: a change's fields read from its __dict__ are the ones read as attributes, a
created resource's lines are its row's, and the pieces apply writes end where they ended before."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planfixtures import BASE, D, as_live, group, image, plan, product, rmap, variant
from render_realistic import realistic_plan

from catalogctl.model.address import Kind
from catalogctl.plan.model import Change, ChangeAction, Plan, created
from catalogctl.render.text import _fields_of, _Painter, _row_lines, format_text, text_chunks
from catalogctl.render.view import Detail, PlanView, build_view


class _OtherChange(Change):
    """Not exactly a Change: formatted the general way (its fields read as attributes)."""


def _scratch_plan() -> Plan:
    """Products of every shape created from scratch, beside an update (rows of both kinds)."""
    sizes = [(("Size", s),) for s in ("S", "M", "L")]
    desired = rmap(group("Size"), *[product(f"NEW-{n}", options=("Size",), price=D("27.99"), active=n % 2 == 0,
                                            vendor="" if n % 3 else "Acme", compare_at_price=D(n))
                                    for n in range(6)],
                   *[variant(f"NEW-{n}", values, sku=f"NEW-{n}-{i}", price=D("27.5"), default=i == 0)
                     for n in range(6) for i, values in enumerate(sizes)],
                   *[image(f"NEW-{n}", 0, f"http://i/{n}.png") for n in range(6)], product("OLD", price=D("3")))
    return plan(desired, as_live(rmap(product("OLD"))), target="production")


def _plans() -> list[Plan]:
    return [realistic_plan(), _scratch_plan(), plan(BASE, {})]


def test_a_changes_dict_holds_the_fields_read_as_attributes() -> None:
    changes = [c for p in _plans() for c in p.changes]
    changes += [created('product["A"]', Kind.PRODUCT, {"title": "A"}),
                Change.model_construct(address="x", kind=Kind.IMAGE, action=ChangeAction.CREATE, after={}),
                *[Change.model_validate_json(c.model_dump_json()) for c in changes[:20]]]
    for change in changes:
        own, read = change.__dict__, _fields_of(change)
        assert own == read and list(own) == list(read)
        assert all(own[name] is read[name] for name in read)


def _old_pieces(view: PlanView, color: bool) -> Iterator[list[str]]:
    """The text's pieces as apply wrote them before: each line alone but a row's lines, from its Row."""
    paint = _Painter(color)
    yield from ([line] for line in (view.heading, ""))
    for section in view.sections:
        yield [paint.bold(section.title)]
        for row in section.rows:
            yield _row_lines(row, paint)
        yield [""]
    if view.warnings or view.safety_note:
        yield [paint.bold("Warnings:")]
        yield from ([f"  - {warning}"] for warning in view.warnings)
        if view.safety_note:
            yield [f"  - {view.safety_note}"]
        yield [""]
    if view.notes:
        yield from ([paint.dim(f"Note: {note}")] for note in view.notes)
        yield [""]
    yield [paint.bold(view.summary_line)]


def _old_chunks(view: PlanView, color: bool, lines: int) -> list[str]:
    chunks, batch = [], []
    for piece in _old_pieces(view, color):
        batch.extend(piece)
        if len(batch) >= lines:
            chunks.append("\n".join(batch) + "\n")
            batch = []
    return chunks + (["\n".join(batch) + "\n"] if batch else [])


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("detail", list(Detail))
def test_the_text_and_its_pieces_are_the_rows_text(color: bool, detail: Detail) -> None:
    for made in _plans():
        assert not made.unmanaged and not made.policies and not made.metadata.get("addresses")   # _old_pieces
        view = build_view(made, detail)
        for lines in (1, 2, 5, 7, 4096):
            assert list(text_chunks(made, color=color, detail=detail, lines=lines)) == _old_chunks(view, color, lines)
        assert format_text(view, color=color) == "".join(_old_chunks(view, color, 4096))


_VALUE = (st.none() | st.booleans() | st.sampled_from(["", "0", "1", "1.5", "19.99", "x", "True"])
          | st.lists(st.text(max_size=2), max_size=2))


@settings(max_examples=200, deadline=None, database=None)
@given(afters=st.lists(st.dictionaries(st.sampled_from(["title", "sku", "price", "weight", "default", "active",
                                                        "tags", "src"]), _VALUE, max_size=5), max_size=6),
       note=st.none() | st.just("a note"), other=st.booleans(), color=st.booleans())
def test_created_changes_read_by_their_dict_are_their_rows(afters: list[dict[str, Any]], note: str | None,
                                                         other: bool, color: bool) -> None:
    """The same values under one name as an amount, a flag or text (the line table is by name, then value)."""
    kind = _OtherChange if other else Change
    changes = tuple(kind(address=f'product["P{n}"]', kind=Kind.PRODUCT, action=ChangeAction.CREATE, after=after,
                         note=note if n % 2 else None) for n, after in enumerate(afters))
    made = Plan(provider="groovekart", target="t", catalog_digest="d", live_digest="d",
                summary={ChangeAction.CREATE: len(changes)}, changes=changes)
    view = build_view(made, Detail.FULL)
    assert format_text(view, color=color) == "".join(_old_chunks(view, color, 4096))
