"""A fresh clone has no state: what the store cannot return is unknown, and unknown never differs.

The live resources here are shaped as the GrooveKart reader gives them without state: option
order marked unknown (variants keyed in the store's group-id order), image sources None with the
CDN url aside, variant images as the CDN url of the image they point at plus its live id.
"""

from __future__ import annotations

from typing import Any

from planfixtures import D, group, image, plan, product, rmap, variant

from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.align import IMAGE_ID, OPTIONS_UNORDERED, not_compared_note
from catalogctl.plan.model import ChangeAction
from catalogctl.render.markdown import render_markdown
from catalogctl.render.text import render_text

CDN = "https://cdn.example/img/p/{}-cart_default.webp"
ORDER = ("Color", "Capacity")
COMBOS = [(("Color", c), ("Capacity", s)) for c in ("White", "Black") for s in ("11 oz", "15 oz")]


def desired(**variant_attrs: Any) -> ResourceMap:
    images = [image("MUG", n, f"https://src.example/{n}.jpg") for n in range(2)]
    variants = [variant("MUG", values, image=f"https://src.example/{n // 2}.jpg", **variant_attrs)
                for n, values in enumerate(COMBOS)]
    return rmap(group("Color", "color"), group("Capacity", "radio"),
                product("MUG", options=ORDER), *images, *variants)


def live(*, ordered: bool = False, sources: bool = False, image_of: tuple[int, ...] = (0, 0, 1, 1),
         options: tuple[str, ...] = ("Capacity", "Color"), combos: list[Any] = COMBOS) -> ResourceMap:
    """As read: groups typed unknown, options in group-id order unless state remembers ORDER."""
    read_order = ORDER if ordered else options
    result = [Resource(Address.variant_group(n), {"name": n, "type": None}, live_id=str(i))
              for i, n in enumerate(("Color", "Capacity"), start=1)]
    head = product("MUG", "10", options=read_order)
    result.append(Resource(head.address, head.attrs, live_id="10", extra={} if ordered else {OPTIONS_UNORDERED: True}))
    for n in range(2):
        src = f"https://src.example/{n}.jpg" if sources else None
        result.append(Resource(Address.image("MUG", n), {"src": src, "position": n}, live_id=str(20 + n),
                               extra={"live_url": CDN.format(20 + n)}))
    for n, values in enumerate(combos):
        rank = {g: i for i, g in enumerate(read_order)}
        keyed = tuple(sorted(values, key=lambda pair: rank.get(pair[0], 9)))
        slot = image_of[n]
        shown = f"https://src.example/{slot}.jpg" if sources else CDN.format(20 + slot)
        v = variant("MUG", keyed, str(30 + n), image=shown)
        result.append(Resource(v.address, v.attrs, live_id=v.live_id, extra={IMAGE_ID: str(20 + slot)}))
    return rmap(*result)


def test_no_state_after_apply_plans_nothing_and_says_once_what_it_could_not_compare() -> None:
    p = plan(desired(), live())
    assert p.changes == () and p.steps == ()
    (note,) = p.notes
    assert "option order of 1 product" in note and "source url of 2 images" in note
    assert "type of 2 variant groups" in note
    assert render_text(p).count("Note: not compared") == 1
    assert render_markdown(p).count("not compared") == 1 and '"notes": [' in p.to_json()


def test_with_state_remembering_everything_only_group_types_stay_unknown() -> None:
    p = plan(desired(), live(ordered=True, sources=True))
    assert p.changes == ()
    (note,) = p.notes
    assert "type of 2 variant groups" in note and "image" not in note and "option order" not in note


def test_state_adds_knowledge_a_remembered_order_that_differs_recreates_the_variants() -> None:
    remembered = live(ordered=True, sources=True)
    head = remembered[Address.for_product("MUG")]
    remembered[head.address] = Resource(head.address, {**head.attrs, "options": ("Capacity", "Color")},
                                        live_id="10")
    p = plan(desired(), remembered)
    product_change = next(c for c in p.changes if c.kind is Kind.PRODUCT)
    assert product_change.after == {"options": list(ORDER)}
    assert [s.action.op.value for s in p.steps] == ["recreate_variants", "set_variant_images"]


def test_a_real_change_next_to_unknown_order_is_planned_on_the_catalog_keyed_variant() -> None:
    p = plan(desired(price=D("9.99")), live())
    assert {c.action for c in p.changes} == {ChangeAction.UPDATE} and len(p.changes) == 4
    assert all(c.address.startswith('product["MUG"].variant["Color=') for c in p.changes)
    (step,) = p.steps
    assert step.action.op.value == "update_variants"
    assert [u.values[0][0] for u in step.action.updates] == ["Color"] * 4


def test_an_option_set_that_really_changed_is_still_a_change() -> None:
    fewer = [((g, v),) for g, v in dict.fromkeys(pair for combo in COMBOS for pair in combo if pair[0] == "Color")]
    want = rmap(*desired().values())
    want = {a: r for a, r in want.items() if a.kind is not Kind.VARIANT}
    want[Address.for_product("MUG")] = product("MUG", options=("Color",))
    for values in fewer:
        v = variant("MUG", values, image="https://src.example/0.jpg")
        want[v.address] = v
    p = plan(want, live())
    product_change = next(c for c in p.changes if c.kind is Kind.PRODUCT)
    assert product_change.after == {"options": ["Color"]}
    assert "recreate_variants" in [s.action.op.value for s in p.steps]


def test_without_state_a_variant_is_never_re_pointed_by_slot() -> None:
    # Which picture a slot holds cannot be told without state (the catalog may have reordered its
    # images, and that is not planned either): re-pointing by slot showed the wrong pictures.
    p = plan(desired(), live(image_of=(0, 1, 1, 1)))
    assert p.changes == () and p.steps == ()
    (note,) = p.notes
    assert "image of 4 variants" in note


def test_without_state_a_removed_slot_does_not_re_point_its_variants() -> None:
    want = desired()
    want.pop(Address.image("MUG", 1))
    for address, r in list(want.items()):
        if r.kind is Kind.VARIANT:
            want[address] = Resource(address, {**r.attrs, "image": "https://src.example/0.jpg"})
    p = plan(want, live())
    # the store cannot delete the image (unsupported, said); the slot the variants point at may hold
    # the very picture the catalog now lists first, so they are left as they are
    assert [c.kind for c in p.changes] == [Kind.IMAGE]
    assert not any(s.action.op.value == "set_variant_images" for s in p.steps)


def test_with_state_a_variant_pointing_at_another_image_is_re_pointed() -> None:
    p = plan(desired(), live(sources=True, image_of=(0, 1, 1, 1)))
    (change,) = p.changes
    assert change.address == 'product["MUG"].variant["Color=White,Capacity=15 oz"]'
    assert change.after == {"image": "https://src.example/0.jpg"}


def test_an_unknown_image_source_is_never_re_uploaded_but_a_known_different_one_is() -> None:
    want = desired()
    want[Address.image("MUG", 1)] = image("MUG", 1, "https://src.example/new.jpg")
    assert [c.address for c in plan(want, live()).changes if c.kind is Kind.IMAGE] == []
    known = plan(want, live(ordered=True, sources=True))
    assert [(c.address, c.after) for c in known.changes if c.kind is Kind.IMAGE] == [
        ('product["MUG"].image[1]', {"src": "https://src.example/new.jpg"})]


def test_the_note_is_one_sorted_line_and_absent_when_everything_was_compared() -> None:
    assert not_compared_note({}) is None
    assert not_compared_note({(Kind.IMAGE, "src"): 0}) is None
    note = not_compared_note({(Kind.VARIANT, "weight_unit"): 3, (Kind.IMAGE, "src"): 1})
    assert note is not None and note.index("source url of 1 image,") < note.index("weight unit of 3 variants")
