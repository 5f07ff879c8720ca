"""Exact plan text per action kind: variants, images, webhooks, duplicates, write-only attributes."""

from __future__ import annotations

from planfixtures import (
    BASE,
    HEAD,
    LIVE,
    D,
    Kind,
    L,
    M,
    S,
    as_live,
    group,
    image,
    ops,
    plan,
    product,
    rmap,
    variant,
    webhook,
    with_,
)

from catalogctl.model.address import Address
from catalogctl.model.resource import Resource
from catalogctl.plan.model import ChangeAction
from catalogctl.render.markdown import render_markdown
from catalogctl.render.text import render_text
from catalogctl.render.view import SECTION_TITLES


def test_variant_updates_are_batched_into_one_step_per_product() -> None:
    p = plan(with_(BASE, variant("A", S, price=D("30"), sku="A-S"), variant("A", M, default=True)), LIVE)
    assert render_text(p) == HEAD + """\
Variants
  ~ product["A"].variant["Size=M"] will be updated in place
      default: false -> true
  ~ product["A"].variant["Size=S"] will be updated in place
      sku: "" -> "A-S"
      price: 24.99 -> 30.00 (+20.0%)

Plan: 0 to create, 2 to update, 0 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "update_variants", ())]
    updates = p.steps[0].action.updates
    assert [(u.values, u.price, u.sku, u.default) for u in updates] == [
        (M, None, None, True), (S, D("30"), "A-S", None)]


def test_removing_a_variant_recreates_the_variant_set() -> None:
    p = plan(with_(BASE, drop=(Address.variant("A", M),)), LIVE)
    assert render_text(p) == HEAD + """\
Variants
  -/+ product["A"]: variant set will be rebuilt: every variant is recreated and all variant ids change
      removed: Size=M

Warnings:
  - product["A"]: the variant set is rebuilt: its 1 variant is recreated and every variant id changes

Plan: 0 to create, 0 to update, 0 to replace, 1 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "recreate_variants", ())]
    assert [v.values for v in p.steps[0].action.variants] == [S]


def test_a_new_color_of_an_existing_value_is_unsupported_never_a_recreation_that_cannot_converge() -> None:
    # The store keeps the color a value was first created with: recreating the variants would
    # change nothing, and every later plan would recreate them again.
    p = plan(with_(BASE, variant("A", M, color="#FF0000", price=D("30"))), LIVE)
    reason = ("the store keeps the color a value was first created with (one value serves every product);"
              " give the value a new name to use a new color")
    assert render_text(p) == HEAD + f"""\
Variants
  ! product["A"].variant["Size=M"] cannot be changed as asked
      color: null -> "#FF0000"  # {reason}
      price: 24.99 -> 30.00 (+20.0%)
      # price still changes in place

Warnings:
  - product["A"].variant["Size=M"]: {reason}

Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 unsupported.
"""
    assert ops(p) == [("s001", "update_variants", ())]


def test_new_options_recreate_the_variant_set_after_the_new_group() -> None:
    red = (("Color", "Red"), ("Size", "S"))
    desired = rmap(group("Size"), group("Color", "color"), product("A", options=("Color", "Size")),
                   variant("A", red, color="#FF0000"), image("A", 0, "http://i/0.png"))
    p = plan(desired, LIVE)
    note = "      # recreates all 1 variant of the product: ids change\n"
    assert render_text(p) == HEAD + f"""\
Variant groups
  + variant_group["Color"] will be created
      type: "color"

Products
  ~ product["A"] will be updated in place
      options: ["Size"] -> ["Color", "Size"]
{note}
Variants
  -/+ product["A"]: variant set will be rebuilt: every variant is recreated and all variant ids change
      removed: Size=M; Size=S
      added: Color=Red,Size=S

Warnings:
  - product["A"]: the variant set is rebuilt: its 1 variant is recreated and every variant id changes

Plan: 2 to create, 1 to update, 0 to replace, 2 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "create_variant_groups", ()), ("s002", "recreate_variants", ("s001",))]
    assert [g.name for g in p.steps[1].action.groups] == ["Color", "Size"]


def test_new_variants_without_removals_are_added_then_given_their_image() -> None:
    desired = with_(BASE, variant("A", L, image="http://i/1.png"), image("A", 1, "http://i/1.png"))
    p = plan(desired, LIVE)
    assert render_text(p) == HEAD + """\
Variants
  + product["A"].variant["Size=L"] will be created
      price: 24.99
      default: false
      image: "http://i/1.png"

Images
  + product["A"].image[1] will be created
      src: "http://i/1.png"

Plan: 2 to create, 0 to update, 0 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "add_image", ()), ("s002", "add_variants", ()),
                      ("s003", "set_variant_images", ("s001", "s002"))]


def test_a_new_cover_is_replaced_in_place_before_variant_images_point_at_it() -> None:
    desired = with_(BASE, variant("A", S, image="http://i/new.png"), image("A", 0, "http://i/new.png"))
    p = plan(desired, LIVE)
    assert render_text(p) == HEAD + """\
Variants
  ~ product["A"].variant["Size=S"] will be updated in place
      image: null -> "http://i/new.png"

Images
  ~ product["A"].image[0] will be updated in place
      src: "http://i/0.png" -> "http://i/new.png"

Plan: 0 to create, 2 to update, 0 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "replace_image", ()), ("s002", "set_variant_images", ("s001",))]
    assert p.steps[0].action.cover is True


def test_webhooks_are_created_in_one_batch_and_updated_one_by_one() -> None:
    p = plan(with_(BASE, webhook("a", "http://a"), webhook("b", "http://new")),
             with_(LIVE, webhook("b", "http://old", "9")))
    assert render_text(p) == HEAD + """\
Webhooks
  + webhook["a"] will be created
      endpoint: "http://a"
  ~ webhook["b"] will be updated in place
      endpoint: "http://old" -> "http://new"

Plan: 1 to create, 1 to update, 0 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "create_webhooks", ()), ("s002", "update_webhook", ())]


def test_an_active_duplicate_of_a_managed_sku_is_listed_and_left_alone_without_prune() -> None:
    unkeyed = Resource(Address.for_product(""), {"title": "Mystery"}, live_id="57")
    p = plan(BASE, LIVE, shadowed=(product("A", "55"), product("A", "56", active=False)), unkeyed=(unkeyed,))
    managed = LIVE[Address.for_product("A")].live_id
    assert render_text(p) == HEAD + f"""\
Warnings:
  - product["A"]: duplicate: live product 55 ('Tee A') has the same sku (catalogctl manages live product \
{managed}); left alone (a target with prune: true deactivates it)
  - live product id 57 ('Mystery') has no sku: catalogctl cannot manage it

No changes. The store matches the catalog.
"""
    assert p.changes == () and p.steps == ()
    assert "duplicate: live product 55" in render_markdown(p) and "duplicate: live product 55" in p.to_json()


def test_an_active_duplicate_of_a_managed_sku_is_deactivated_by_live_id_when_pruning() -> None:
    p = plan(BASE, LIVE, shadowed=(product("A", "55"), product("A", "56", active=False)), prune=True)
    managed = LIVE[Address.for_product("A")].live_id
    assert render_text(p) == HEAD + f"""\
Products
  - product["A"] will be deactivated
      # duplicate of sku A (live id 55): deactivated so that one product holds the sku

Warnings:
  - product["A"]: duplicate: live product 55 ('Tee A') has the same sku (catalogctl manages live product \
{managed}); it will be deactivated (prune)

Plan: 0 to create, 0 to update, 0 to replace, 1 to delete, 0 unsupported.
"""
    (step,) = p.steps
    assert (step.action.op.value, step.action.live_id, step.action.active) == ("set_product_status", "55", False)


def test_a_write_only_attribute_the_state_does_not_know_is_not_compared() -> None:
    live_product = LIVE[Address.for_product("A")]
    unknown = Resource(live_product.address, {k: v for k, v in live_product.attrs.items()
                                              if k != "short_description"}, live_id=live_product.live_id)
    p = plan(with_(BASE, product("A", options=("Size",), short_description="Soft")), with_(LIVE, unknown))
    note = ("not compared, as the store does not return them and this target's state does not remember them: "
            "short description of 1 product. A change to only these is not planned.")
    assert render_text(p) == HEAD + f"Note: {note}\n\nNo changes. The store matches the catalog.\n"
    assert p.summary == {a: 0 for a in p.summary} and p.changes == () and p.notes == (note,)


def test_an_already_inactive_product_outside_the_catalog_is_left_alone_even_when_pruning() -> None:
    p = plan(BASE, with_(LIVE, product("GONE", "8", active=False)), prune=True)
    assert not p.has_changes and p.steps == ()


def test_kinds_are_rendered_in_a_fixed_order() -> None:
    assert [k.value for k in SECTION_TITLES] == ["store", "staff_user", "category", "variant_group", "product",
                                                 "variant", "image", "webhook"]
    assert set(SECTION_TITLES) == set(Kind)


def test_variants_on_a_replaced_image_are_assigned_again_to_the_image_they_ask_for() -> None:
    desired = with_(BASE, image("A", 1, "http://i/new.png"), image("A", 2, "http://i/1.png"),
                    variant("A", S, image="http://i/1.png"))
    live = with_(LIVE, image("A", 1, "http://i/1.png", "61"), variant("A", S, "62", image="http://i/1.png"))
    p = plan(desired, live)
    assert [(c.address, c.action.value) for c in p.changes] == [
        ('product["A"].image[1]', "update"), ('product["A"].image[2]', "create")]
    assert ops(p) == [("s001", "replace_image", ()), ("s002", "add_image", ("s001",)),  # one image at a time
                      ("s003", "set_variant_images", ("s001", "s002"))]
    assert [(a.values, a.image) for a in p.steps[2].action.assignments] == [(S, 2)]
    assert p.steps[2].addresses == ()


def test_a_write_only_attribute_read_as_none_is_unknown_but_a_known_value_is_compared() -> None:
    desired = with_(BASE, group("Size", "radio"), variant("A", S, weight_unit="kg"))
    unknown = with_(LIVE, Resource(Address.variant_group("Size"), {"name": "Size", "type": None}, live_id="7"))
    assert plan(desired, unknown).changes == ()
    known = with_(unknown, variant("A", S, "8", weight_unit="lb"))
    (change,) = plan(desired, known).changes
    assert (change.address, change.action, change.before) == (
        'product["A"].variant["Size=S"]', ChangeAction.UNSUPPORTED, {"weight_unit": "lb"})


def test_images_of_a_new_product_are_added_one_at_a_time_in_position_order() -> None:
    desired = rmap(product("N"), *[image("N", n, f"http://i/{n}.png") for n in range(4)])
    p = plan(desired, {})
    assert ops(p) == [("s001", "create_product", ()), ("s002", "add_image", ("s001",)),
                      ("s003", "add_image", ("s001", "s002")), ("s004", "add_image", ("s001", "s003"))]
    assert [s.action.position for s in p.steps[1:]] == [1, 2, 3]


def test_a_new_inactive_product_is_created_then_deactivated_last() -> None:
    desired = rmap(product("N", active=False), image("N", 0, "http://i/0.png"), image("N", 1, "http://i/1.png"))
    p = plan(desired, {})
    assert ops(p) == [("s001", "create_product", ()), ("s002", "add_image", ("s001",)),
                      ("s003", "set_product_status", ("s001", "s002"))]
    assert p.steps[2].action.active is False and p.steps[2].action.live_id is None


def test_a_recreated_variant_set_gets_its_images_assigned_again() -> None:
    desired = with_(BASE, variant("A", S, image="http://i/0.png"), drop=(Address.variant("A", M),))
    live = with_(LIVE, variant("A", S, "8", image="http://i/0.png"))
    p = plan(desired, live)
    assert [(c.address, c.action.value) for c in p.changes] == [('product["A"].variant["Size=M"]', "delete")]
    assert ops(p) == [("s001", "recreate_variants", ()), ("s002", "set_variant_images", ("s001",))]
    assert [(a.values, a.image) for a in p.steps[1].action.assignments] == [(S, 0)]
    assert p.steps[0].action.variants[0].image is None


def test_an_unsupported_field_beside_in_place_ones_still_updates_those() -> None:
    desired = with_(BASE, variant("A", S, weight_unit="kg", price=D("26")))
    p = plan(desired, with_(LIVE, variant("A", S, "8", weight_unit="lb")))
    (change,) = p.changes
    assert (change.action, change.note, list(change.reasons)) == (
        ChangeAction.UNSUPPORTED, "price still changes in place", ["weight_unit"])
    assert ops(p) == [("s001", "update_variants", ())]
    assert p.steps[0].action.updates[0].price == D("26")


def test_the_text_says_when_apply_will_refuse_without_force() -> None:
    desired = rmap(*[product(f"K{n:02d}") for n in range(10)])
    live = as_live(rmap(*[product(f"K{n:02d}") for n in range(10)], *[product(f"OLD{n:02d}") for n in range(10)]))
    text = render_text(plan(desired, live, prune=True))
    assert text.endswith("""\
  - 10 destructive changes exceed 25% of the 10 managed live products: apply refuses without --force

Plan: 0 to create, 0 to update, 0 to replace, 10 to delete, 0 unsupported.
""")
