"""Safety threshold, --address scope, digests and the JSON round trip."""

from __future__ import annotations

import pytest
from planfixtures import D, as_live, category, group, image, plan, product, rmap, variant, webhook

from catalogctl.errors import PlanError
from catalogctl.model.address import Address
from catalogctl.plan.model import ChangeAction, Plan, Safety

S, M = (("Size", "S"),), (("Size", "M"),)


def _products(count: int, prefix: str = "P") -> list:
    return [product(f"{prefix}{n:03d}") for n in range(count)]


@pytest.mark.parametrize(("removed", "kept", "exceeded"), [(9, 1, False), (10, 40, False), (11, 40, True)])
def test_safety_threshold_counts_deactivations_against_managed_products(removed: int, kept: int,
                                                                      exceeded: bool) -> None:
    desired = rmap(*_products(kept))
    live = as_live(rmap(*_products(kept), *_products(removed, "OLD")))
    p = plan(desired, live, prune=True)
    assert p.safety == Safety(destructive=removed, managed_live=kept, max_share=0.25, min_objects=10)
    assert p.safety.exceeded is exceeded


def test_blocked_replacements_are_not_destructive_but_allowed_ones_are() -> None:
    desired = rmap(*[product(f"P{n}", weight=D(1)) for n in range(12)])
    live = as_live(rmap(*_products(0), *[product(f"P{n}") for n in range(12)]))
    assert plan(desired, live).safety.destructive == 0
    allowed = plan(desired, live, allow_replace=True, max_destructive_share=0.5)
    assert (allowed.safety.destructive, allowed.safety.max_share, allowed.safety.exceeded) == (12, 0.5, True)


def _store() -> tuple[dict, dict]:
    desired = rmap(category("Tees"), category("Hats"), group("Size"),
                   product("A", category="Tees", options=("Size",), title="New A"),
                   variant("A", S, price=D(30)), variant("A", M), image("A", 0, "http://i/a.png"),
                   product("B", category="Hats", title="New B"), webhook("w", "http://new"))
    live = as_live(rmap(group("Size"), product("A", options=("Size",)), variant("A", S), variant("A", M),
                        image("A", 0, "http://i/a.png"), product("B"), webhook("w", "http://old")))
    return desired, live


def test_address_of_a_variant_brings_its_product_category_groups_and_sibling_variants() -> None:
    desired, live = _store()
    p = plan(desired, live, addresses=(Address.variant("A", S),))
    assert [c.address for c in p.changes] == ['category["Tees"]', 'product["A"]', 'product["A"].variant["Size=S"]']
    assert [s.action.op.value for s in p.steps] == ["create_categories", "update_product", "update_variants"]


def test_address_of_a_webhook_plans_only_that_webhook() -> None:
    desired, live = _store()
    p = plan(desired, live, addresses=(Address.webhook("w"),))
    assert [(c.address, c.action) for c in p.changes] == [('webhook["w"]', ChangeAction.UPDATE)]
    assert p.summary[ChangeAction.UPDATE] == 1 and p.summary[ChangeAction.CREATE] == 0


def test_an_unknown_address_is_a_plan_error() -> None:
    desired, live = _store()
    with pytest.raises(PlanError, match=r'product\["NOPE"\] is neither in the catalog nor in the store'):
        plan(desired, live, addresses=(Address.for_product("NOPE"),))


def test_plan_json_round_trips_exactly_and_digests_are_stable() -> None:
    desired, live = _store()
    first = plan(desired, live, allow_replace=True)
    again = Plan.from_json(first.to_json())
    assert again == first
    assert again.to_json() == first.to_json()
    assert plan(desired, live, allow_replace=True).to_json() == first.to_json()
    assert first.metadata == {"requests": {"read": 3}, "catalogctl_version": "0.1.0"}
    assert list(first.model_dump(mode="json")["summary"]) == ["create", "update", "replace", "delete", "unsupported"]


def test_live_digest_changes_with_a_live_id_and_catalog_digest_with_an_attribute() -> None:
    desired, live = _store()
    base = plan(desired, live)
    moved = dict(live)
    moved[Address.for_product("B")] = product("B", live_id="999")
    assert plan(desired, moved).live_digest != base.live_digest
    assert plan(desired, moved).catalog_digest == base.catalog_digest
    edited = dict(desired)
    edited[Address.for_product("B")] = product("B", category="Hats", title="Newer B")
    assert plan(edited, live).catalog_digest != base.catalog_digest
    assert plan(edited, live).live_digest == base.live_digest


def test_address_of_a_product_brings_its_children_category_and_groups_but_not_other_products() -> None:
    desired, live = _store()
    desired[Address.variant_group("Fit")] = group("Fit")
    desired[Address.image("A", 1)] = image("A", 1, "http://i/a1.png")
    p = plan(desired, live, addresses=(Address.for_product("A"),))
    assert [c.address for c in p.changes] == [
        'category["Tees"]', 'product["A"]', 'product["A"].image[1]', 'product["A"].variant["Size=S"]']
    assert [s.action.op.value for s in p.steps] == ["create_categories", "update_product", "add_image",
                                                    "update_variants"]
    assert {s.action.sku for s in p.steps[1:]} == {"A"}


def test_plan_json_puts_one_change_and_one_step_per_line() -> None:
    """Large plans: indent=2 of every nested before/after/spec doubled the file (117 MB for 10,000 products)."""
    desired = rmap(category("Shirts"), group("Size"), *(
        r for n in range(20) for r in (
            product(f"P{n}", category="Shirts", options=("Size",), description="Tee ü"),
            variant(f"P{n}", (("Size", "S"),), sku=f"P{n}-S"), variant(f"P{n}", (("Size", "M"),), sku=f"P{n}-M"),
        )))
    p = plan(desired, {})
    text = p.to_json()
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "format_version": 2,' and text.endswith("}\n")
    change_lines = [line for line in lines if line.startswith('    {"address":')]
    assert len(change_lines) == len(p.changes) == 62
    assert sum(1 for line in lines if line.startswith('    {"id":')) == len(p.steps)
    assert "Tee ü" in text  # UTF-8 as is, like pydantic writes it
    assert len(text) < 0.7 * len(p.model_dump_json(indent=2))
    assert Plan.from_json(text) == p
    empty = plan({}, {}).to_json()
    assert '  "changes": [],' in empty and Plan.from_json(empty) == plan({}, {})
