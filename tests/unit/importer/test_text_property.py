"""Property: any text the store accepts (titles, HTML, tags, vendor, values) comes back exactly
through the written files and the real catalog loader."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from catalogctl.config.store_rules import CATALOG_NAME_FORBIDDEN, TAG_FORBIDDEN, clean_html_problem
from catalogctl.model.address import Address
from catalogctl.model.resource import Resource, ResourceMap

from .roundtrip import differences, import_and_load


def text(forbidden: str, min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    alphabet = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters=forbidden)
    return st.text(alphabet, min_size=min_size, max_size=max_size)


def stripped(forbidden: str) -> st.SearchStrategy[str]:
    return text(forbidden, 1).map(str.strip).filter(bool)


html = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\x85\u2028\u2029"), max_size=80)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=stripped(CATALOG_NAME_FORBIDDEN), vendor=text(CATALOG_NAME_FORBIDDEN).map(str.strip),
       description=html, tags=st.lists(stripped(TAG_FORBIDDEN + ","), max_size=3, unique=True),
       value=stripped(TAG_FORBIDDEN))
def test_text_round_trips_exactly(title: str, vendor: str, description: str, tags: list[str], value: str) -> None:
    assume(clean_html_problem(description) is None)
    sku = "P-1"
    resources: ResourceMap = {}
    product = Address.for_product(sku)
    resources[product] = Resource(product, {
        "sku": sku, "title": title[:128], "description": description, "short_description": "", "vendor": vendor[:64],
        "category": None, "price": Decimal("24.99"), "compare_at_price": Decimal(0), "weight": Decimal(0),
        "visibility": "both", "active": True, "tags": tuple(sorted(t[:32] for t in tags)), "options": ("Size",)})
    resources[Address.variant_group("Size")] = Resource(Address.variant_group("Size"), {"name": "Size",
                                                                                       "type": "select"})
    for number, name in enumerate((value, value + " 2")):
        values = (("Size", name),)
        resources[Address.variant(sku, values)] = Resource(Address.variant(sku, values), {
            "values": values, "color": None, "sku": f"P-1-{number}", "price": Decimal("24.99"),
            "compare_at_price": Decimal(0), "weight": Decimal(0), "weight_unit": None, "default": number == 0,
            "image": None}, live_id=str(number))
    with tempfile.TemporaryDirectory() as directory:
        assert differences(resources, import_and_load(resources, Path(directory) / "out")) == []
