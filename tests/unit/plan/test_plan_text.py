"""Exact plan text per action kind and per replace/unsupported reason: products, prune, unsupported."""

from __future__ import annotations

import pytest
from planfixtures import (
    BASE,
    HEAD,
    LIVE,
    D,
    M,
    S,
    category,
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

from catalogctl.render.text import render_text


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
