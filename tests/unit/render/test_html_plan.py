"""The HTML plan: warnings first, one card per changing product, highlighted changes, self-contained."""

from __future__ import annotations

import re

from planfixtures import D, as_live, plan, product, rmap
from render_realistic import realistic_plan

from catalogctl.render.html import render_html
from catalogctl.render.markdown import render_markdown
from catalogctl.render.plan_cards import group_cards
from catalogctl.render.view import build_view


def test_warnings_come_before_the_cards_and_every_product_gets_one_card() -> None:
    page = render_html(realistic_plan(), plan_file="plan.json")
    assert page.index('class="warnings plan-alerts"') < page.index('class="change-card')
    cards = re.findall(r'<h3 id="card-([^"]+)">', page)
    assert sorted(cards) == ["HD-ZIP", "TS-CLASSIC", "TS-POCKET", "TS-RETIRED", "TS-VNECK"]
    assert set(cards[:3]) == {"HD-ZIP", "TS-RETIRED", "TS-POCKET"}  # destructive first
    assert "catalogctl apply plan.json" in page


def test_the_same_view_model_as_markdown() -> None:
    built = realistic_plan()
    view = build_view(built)
    grouped = group_cards(view)
    in_cards = sum(bool(c.product) + len(c.images) + len(c.variants) for c in grouped.products)
    in_others = sum(len(section) for section in grouped.others)
    assert in_cards + in_others == len(built.changes)
    markdown, page = render_markdown(built), render_html(built)
    for warning in view.warnings:  # the same warnings, in both
        assert warning.replace('"', "&quot;") in page
    assert view.summary_line in markdown and view.summary_line in page


def test_price_changes_are_highlighted_with_direction_and_percentage() -> None:
    page = render_html(realistic_plan())
    classic = page[page.index('id="card-TS-CLASSIC"'):page.index("</article>", page.index('id="card-TS-CLASSIC"'))]
    assert '<tr class="changed"><th scope="row">price</th><td class="before">24.99</td>' in classic
    assert '<span class="delta up">▲ +12.0%</span>' in classic
    assert 'class="delta down">▼ -10.0%</span>' in page  # HD-ZIP 49.99 -> 44.99
    assert "Position 2 · <strong>changed</strong>" in classic  # the back image, before and after


def test_self_contained_and_escaped() -> None:
    desired = rmap(product("X", title='<script>alert("x")</script>', price=D("2")))
    page = render_html(plan(desired, as_live(rmap(product("X", title="Old", price=D("1")))), target="t"))
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<link rel="stylesheet"' not in page and "<script src" not in page  # one file, no network
    assert "No changes." in render_html(plan(desired, as_live(desired), target="t"))


def test_notes_scope_and_provenance_as_in_markdown() -> None:
    desired = rmap(product("X", title="New", price=D("2")))
    built = plan(desired, as_live(rmap(product("X", title="Old", price=D("2")))), target="t").model_copy(update={
        "notes": ("2 differences ignored by ignore_changes on 1 product: price (2) (set on create, never updated)",),
        "metadata": {"catalog_commit": "abc1234", "command": "catalogctl plan --target t",
                     "addresses": ['product["X"]']},
    })
    page = render_html(built)
    notes = page.index('class="plan-notes"')
    assert notes < page.index('class="change-card')
    assert "<li>2 differences ignored by ignore_changes on 1 product: price (2)" in page[notes:]
    assert "Partial plan: limited by --address to product[&quot;X&quot;]" in page
    assert page.rindex('class="provenance"') > page.index("</article>")
    assert "catalog at commit <code>abc1234</code>" in page and "<code>catalogctl plan --target t</code>" in page
    assert 'class="plan-notes"' not in render_html(plan(desired, as_live(desired), target="t"))
