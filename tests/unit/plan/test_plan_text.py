"""One test per action kind and per replace/unsupported reason, asserting the exact plan text."""

from __future__ import annotations

import pytest
from planfixtures import D, Kind, as_live, category, group, image, plan, product, rmap, variant, webhook

from catalogctl.model.address import Address
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.model import ChangeAction, Plan
from catalogctl.render.text import render_text

S, M, L = (("Size", "S"),), (("Size", "M"),), (("Size", "L"),)
BASE = rmap(group("Size"), product("A", options=("Size",)), variant("A", S), variant("A", M),
            image("A", 0, "http://i/0.png"))
LIVE = as_live(BASE)
HEAD = 'catalogctl plan for target "test"\n\n'


def with_(resources: ResourceMap, *extra: Resource, drop: tuple[Address, ...] = ()) -> ResourceMap:
    result = {a: r for a, r in resources.items() if a not in drop}
    result.update({r.address: r for r in extra})
    return result


def ops(p: Plan) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(s.id, s.action.op.value, s.depends_on) for s in p.steps]


def test_create_everything_in_an_empty_store() -> None:
    desired = rmap(category("Tees"), group("Size"),
                   product("A", category="Tees", options=("Size",), tags=("x",)),
                   variant("A", M, image="http://i/1.png"), image("A", 0, "http://i/0.png"),
                   image("A", 1, "http://i/1.png"), webhook("orders", "http://h/1"))
    p = plan(desired, {})
    assert render_text(p) == HEAD + """\
Categories
  + category["Tees"] will be created

Variant groups
  + variant_group["Size"] will be created
      type: "select"

Products
  + product["A"] will be created
      title: "Tee A"
      category: "Tees"
      price: 24.99
      visibility: "both"
      active: true
      tags: ["x"]
      options: ["Size"]

Variants
  + product["A"].variant["Size=M"] will be created
      price: 24.99
      default: false
      image: "http://i/1.png"

Images
  + product["A"].image[0] will be created
      src: "http://i/0.png"
  + product["A"].image[1] will be created
      src: "http://i/1.png"

Webhooks
  + webhook["orders"] will be created
      endpoint: "http://h/1"

Plan: 7 to create, 0 to update, 0 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [
        ("s001", "create_categories", ()), ("s002", "create_variant_groups", ()),
        ("s003", "create_product", ("s001", "s002")), ("s004", "add_image", ("s003",)),
        ("s005", "set_variant_images", ("s003", "s004")), ("s006", "create_webhooks", ()),
    ]
    create = p.steps[2].action
    assert create.cover == "http://i/0.png" and create.variants[0].image is None
    assert p.steps[4].action.assignments[0].image == 1


def test_update_in_place_with_price_percentage_and_tags() -> None:
    desired = with_(BASE, product("A", options=("Size",), title="New", price=D("27.99"), tags=("summer", "tees")))
    p = plan(desired, LIVE)
    assert render_text(p) == HEAD + """\
Products
  ~ product["A"] will be updated in place
      title: "Tee A" -> "New"
      price: 24.99 -> 27.99 (+12.0%)
      tags: [] -> ["summer", "tees"]

Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "update_product", ()), ("s002", "set_tags", ())]
    update = p.steps[0].action
    assert (update.title, update.price, update.description) == ("New", D("27.99"), None)


def test_inactive_product_is_a_status_change_after_its_other_updates() -> None:
    p = plan(with_(BASE, product("A", options=("Size",), active=False, title="X")), LIVE)
    assert render_text(p) == HEAD + """\
Products
  ~ product["A"] will be updated in place
      title: "Tee A" -> "X"
      active: true -> false

Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "update_product", ()), ("s002", "set_product_status", ("s001",))]
    assert p.steps[1].action.active is False


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [("category", "Tees", 'null -> "Tees"'), ("visibility", "none", '"both" -> "none"'),
     ("weight", D("0.5"), "0 -> 0.5"), ("short_description", "Soft", '"" -> "Soft"')],
)
def test_blocked_replacement_names_the_field_and_the_flag(field: str, value: object, shown: str) -> None:
    p = plan(with_(BASE, product("A", options=("Size",), **{field: value})), LIVE)
    assert render_text(p) == HEAD + f"""\
Products
  -/+ product["A"] must be replaced (blocked: needs --allow-replace)
      {field}: {shown}  # update_product cannot change {field}; the product would be recreated (new id and URL) \
— rerun with --allow-replace

Warnings:
  - product["A"]: blocked replacement ({field}); rerun with --allow-replace

Plan: 0 to create, 0 to update, 1 to replace (1 blocked), 0 to delete, 0 unsupported.
"""
    assert p.steps == ()
    assert p.changes[0].blocked and p.safety.destructive == 0


def test_blocked_replacement_still_updates_what_can_change_in_place() -> None:
    p = plan(with_(BASE, product("A", options=("Size",), title="T2", visibility="none")), LIVE)
    assert p.changes[0].note == "title still changes in place"
    assert ops(p) == [("s001", "update_product", ())]


def test_allowed_replacement_recreates_the_product_after_its_category() -> None:
    desired = with_(BASE, category("Tees"), product("A", options=("Size",), category="Tees", title="T2"),
                    image("A", 1, "http://i/1.png"), variant("A", S, image="http://i/1.png"))
    p = plan(desired, LIVE, allow_replace=True)
    assert render_text(p) == HEAD + """\
Categories
  + category["Tees"] will be created

Products
  -/+ product["A"] will be replaced
      title: "Tee A" -> "T2"
      category: null -> "Tees"  # update_product cannot change category; the product is recreated (new id and URL)

Variants
  ~ product["A"].variant["Size=S"] will be updated in place
      image: null -> "http://i/1.png"

Images
  + product["A"].image[1] will be created
      src: "http://i/1.png"

Warnings:
  - product["A"] will be replaced (category): new id and URL

Plan: 2 to create, 1 to update, 1 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "create_categories", ()), ("s002", "replace_product", ("s001",)),
                      ("s003", "add_image", ("s002",)), ("s004", "set_variant_images", ("s002", "s003"))]
    assert len(p.steps[1].action.variants) == 2 and p.safety.destructive == 1


def test_prune_deactivates_deletes_and_reports_what_cannot_be_deleted() -> None:
    live = with_(LIVE, product("OLD", "9"), product("GONE", "8", active=False), category("Old", "3"),
                 group("Color", "color", "4"), webhook("w", "http://x", "5"))
    p = plan(BASE, live, prune=True)
    assert render_text(p) == HEAD + """\
Categories
  ! category["Old"] cannot be deleted
      # the store cannot delete categories: it stays in the store

Variant groups
  ! variant_group["Color"] cannot be deleted
      # the store cannot delete variant groups: it stays in the store

Products
  - product["OLD"] will be deactivated
      # deactivated: the store cannot delete products

Webhooks
  - webhook["w"] will be deleted

Warnings:
  - product["OLD"] will be deactivated
  - webhook["w"] will be deleted
  - category["Old"]: the store cannot delete categories: it stays in the store
  - variant_group["Color"]: the store cannot delete variant groups: it stays in the store

Plan: 0 to create, 0 to update, 0 to replace, 2 to delete, 2 unsupported.
"""
    assert ops(p) == [("s001", "set_product_status", ()), ("s002", "delete_webhook", ())]


def test_without_prune_live_objects_outside_the_catalog_are_unmanaged() -> None:
    live = with_(LIVE, product("OLD", "9"), category("Old", "3"), webhook("w", "http://x", "5"))
    p = plan(BASE, live)
    assert render_text(p) == HEAD + """\
Unmanaged (in the store, not in the catalog; left alone):
  category["Old"]
  product["OLD"]
  webhook["w"]

No changes. The store matches the catalog.
"""


def test_an_image_removed_from_the_catalog_is_unsupported() -> None:
    p = plan(BASE, with_(LIVE, image("A", 1, "http://i/1.png", "6")))
    assert render_text(p) == HEAD + """\
Images
  ! product["A"].image[1] cannot be deleted
      # the store cannot delete images: image 1 stays on the product

Warnings:
  - product["A"].image[1]: the store cannot delete images: image 1 stays on the product

Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 unsupported.
"""
    assert p.steps == ()


def test_a_variant_group_type_change_is_unsupported() -> None:
    p = plan(BASE, with_(LIVE, group("Size", "radio", "7")))
    assert render_text(p) == HEAD + """\
Variant groups
  ! variant_group["Size"] cannot be changed as asked
      type: "radio" -> "select"  # the store cannot change the type of an existing variant group

Warnings:
  - variant_group["Size"]: the store cannot change the type of an existing variant group

Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 unsupported.
"""


def test_an_attribute_outside_the_capabilities_is_unsupported() -> None:
    p = plan(with_(BASE, variant("A", S, weight_unit="kg")), with_(LIVE, variant("A", S, "8", weight_unit="lb")))
    assert render_text(p) == HEAD + """\
Variants
  ! product["A"].variant["Size=S"] cannot be changed as asked
      weight_unit: "lb" -> "kg"  # the store cannot change the weight_unit of an existing variant

Warnings:
  - product["A"].variant["Size=S"]: the store cannot change the weight_unit of an existing variant

Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 unsupported.
"""


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
  - product["A"].variant["Size=M"] will be deleted
      # recreates all 1 variant of the product: ids change

Plan: 0 to create, 0 to update, 0 to replace, 1 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "recreate_variants", ())]
    assert [v.values for v in p.steps[0].action.variants] == [S]


def test_a_new_color_recreates_the_variant_set() -> None:
    p = plan(with_(BASE, variant("A", M, color="#FF0000")), LIVE)
    assert render_text(p) == HEAD + """\
Variants
  ~ product["A"].variant["Size=M"] will be updated in place
      color: null -> "#FF0000"
      # recreates all 2 variants of the product: ids change

Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 0 unsupported.
"""
    assert ops(p) == [("s001", "recreate_variants", ())]


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
  + product["A"].variant["Color=Red,Size=S"] will be created
      color: "#FF0000"
      price: 24.99
      default: false
{note}  - product["A"].variant["Size=M"] will be deleted
{note}  - product["A"].variant["Size=S"] will be deleted
{note}
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


def test_active_shadowed_duplicates_are_deactivated_by_live_id_and_unkeyed_products_warned() -> None:
    unkeyed = Resource(Address.for_product(""), {"title": "Mystery"}, live_id="57")
    p = plan(BASE, LIVE, shadowed=(product("A", "55"), product("A", "56", active=False)), unkeyed=(unkeyed,))
    assert render_text(p) == HEAD + """\
Products
  - product["A"] will be deactivated
      # duplicate of sku A (live id 55): deactivated so that one product holds the sku

Warnings:
  - product["A"]: live product 55 duplicates the sku; it will be deactivated
  - live product id 57 ('Mystery') has no sku: catalogctl cannot manage it

Plan: 0 to create, 0 to update, 0 to replace, 1 to delete, 0 unsupported.
"""
    (step,) = p.steps
    assert (step.action.op.value, step.action.live_id, step.action.active) == ("set_product_status", "55", False)


def test_a_write_only_attribute_the_state_does_not_know_is_not_compared() -> None:
    live_product = LIVE[Address.for_product("A")]
    unknown = Resource(live_product.address, {k: v for k, v in live_product.attrs.items()
                                              if k != "short_description"}, live_id=live_product.live_id)
    p = plan(with_(BASE, product("A", options=("Size",), short_description="Soft")), with_(LIVE, unknown))
    assert render_text(p) == HEAD + "No changes. The store matches the catalog.\n"
    assert p.summary == {a: 0 for a in p.summary} and p.changes == ()


def test_an_already_inactive_product_outside_the_catalog_is_left_alone_even_when_pruning() -> None:
    p = plan(BASE, with_(LIVE, product("GONE", "8", active=False)), prune=True)
    assert not p.has_changes and p.steps == ()


def test_kinds_are_rendered_in_a_fixed_order() -> None:
    assert [k.value for k in Kind] == ["category", "variant_group", "product", "variant", "image", "webhook"]


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
