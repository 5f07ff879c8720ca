"""The desired resources of a large catalog hold each equal value once and let the expansions go (issue 13)."""

from __future__ import annotations

from pathlib import Path

from catalogctl.config import expand
from catalogctl.config.catalog import load_catalog
from catalogctl.model.address import Kind
from catalogctl.model.from_catalog import desired_resources

ROOT = Path(__file__).parents[3]


def test_equal_values_are_one_object_and_expansions_are_released() -> None:
    catalog = load_catalog(ROOT / "examples" / "pod-store")
    assert any(id(product) in expand._EXPANDED for product in catalog.products)  # validation kept them
    desired = desired_resources(catalog)
    assert not any(id(product) in expand._EXPANDED for product in catalog.products)
    variants = [r for r in desired.values() if r.kind is Kind.VARIANT]
    assert len(variants) > 50
    for field in ("values", "color"):
        by_value: dict[object, object] = {}
        for resource in variants:
            value = resource.attrs[field]
            assert by_value.setdefault(value, value) is value, (field, value)
    for field in ("price", "compare_at_price", "weight"):  # each variant its own amount (YAML anchors repeats)
        amounts = [resource.attrs[field] for resource in variants if resource.attrs[field]]
        assert len({id(amount) for amount in amounts}) == len(amounts), field
    again = desired_resources(catalog)  # expanded again on demand: the same resources
    assert again == desired
