"""Grouped variants and rebuild blocks in the plan comment; rebuilds counted as destructive."""

from __future__ import annotations

from planfixtures import D, as_live, group, plan, product, rmap, variant

from catalogctl.model.address import Address
from catalogctl.plan.safety import is_rebuild, rebuilt_products
from catalogctl.render.markdown import render_markdown
from catalogctl.render.text import render_text
from catalogctl.render.view import Detail

SIZES = ["XS", "S", "M", "L", "XL"]
COLORS = ["Black", "Navy", "Olive"]


def _catalog(price_of: dict[str, str]) -> dict:
    """A product with 15 variants (3 colors x 5 sizes); each size has its own price."""
    resources = [group("Color"), group("Size"), product("T", options=("Color", "Size"))]
    resources += [variant("T", (("Color", c), ("Size", s)), price=D(price_of[s])) for c in COLORS for s in SIZES]
    return rmap(*resources)


def test_fifteen_variants_changing_alike_are_one_line_with_the_percent_range() -> None:
    before = {"XS": "44.00", "S": "45.00", "M": "46.00", "L": "47.00", "XL": "48.00"}
    after = {size: str(D(price) + 5) for size, price in before.items()}
    p = plan(_catalog(after), as_live(_catalog(before)))
    text = render_text(p)
    assert '  ~ product["T"]: 15 variants will be updated in place\n      price: +5.00 (+10.4% to +11.4%)\n' in text
    assert "      # variants: Color=" in text and "; … and 9 more\n" in text
    assert text.count("will be updated in place") == 1
    markdown = render_markdown(p)
    assert "- `~` `product[\"T\"]`: 15 variants will be updated in place\n  - price: `+5.00` (+10.4% to +11.4%)" in (
        markdown)
    assert "<b>Variants</b> (15 update)" in markdown
    full = render_text(p, detail=Detail.FULL)
    assert full.count("will be updated in place") == 15


def test_variants_changing_differently_stay_apart() -> None:
    before = {"XS": "44.00", "S": "45.00", "M": "46.00", "L": "47.00", "XL": "48.00"}
    after = dict(before, XL="50.00")   # only XL, by +2.00; the rest unchanged
    after["S"] = "46.00"               # S by +1.00
    text = render_text(plan(_catalog(after), as_live(_catalog(before))))
    assert '  ~ product["T"]: 3 variants will be updated in place\n      price: +2.00 (+4.2%)\n' in text
    assert '  ~ product["T"]: 3 variants will be updated in place\n      price: +1.00 (+2.2%)\n' in text


def test_a_rebuild_is_one_block_in_the_warnings_and_counted_as_destructive() -> None:
    prices = {size: "20.00" for size in SIZES}
    live = as_live(_catalog(prices))
    desired = rmap(*(r for a, r in _catalog(prices).items() if a != Address.variant("T", (("Color", "Olive"),
                                                                                         ("Size", "XS")))))
    p = plan(desired, live)
    assert rebuilt_products(p.changes) == ['product["T"]']
    assert all(is_rebuild(c) for c in p.changes if c.kind.value == "variant")
    assert p.safety.destructive == 1
    text = render_text(p)
    assert ('  -/+ product["T"]: variant set will be rebuilt: every variant is recreated and all variant ids change\n'
            "      removed: Color=Olive,Size=XS\n") in text
    assert ('  - product["T"]: the variant set is rebuilt: all 14 variants are recreated and every variant id changes'
            in text)
    markdown = render_markdown(p)
    warning_block = markdown[markdown.index("> [!WARNING]"):markdown.index("| Action |")]
    assert "variant set is rebuilt" in warning_block
