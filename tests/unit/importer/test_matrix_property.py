"""Property: whatever variants a product has, the written form (matrix or list) expands back,
through the real loader and desired_resources, to exactly the same resources."""

from __future__ import annotations

import itertools
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogctl.model.address import Address
from catalogctl.model.resource import Resource, ResourceMap

from .roundtrip import differences, import_and_load

GROUPS = ("Color", "Size", "Fabric")
VALUES = ("A", "B", "Red", "XL", "S")
IMAGES = ("https://img.example.com/1.jpg", "https://img.example.com/2.jpg")
COLORS = {"A": "#AA0000", "B": "#00BB00", "Red": "#FF0000", "XL": "#0000CC", "S": "#123456"}
money = st.sampled_from([Decimal("0"), Decimal("9.5"), Decimal("20"), Decimal("24.99"), Decimal("0.000001")])


@st.composite
def products(draw: st.DrawFn) -> ResourceMap:
    options = GROUPS[: draw(st.integers(1, 3))]
    per_group = [draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True)) for _ in options]
    combos = list(itertools.product(*per_group))
    if draw(st.booleans()):  # a partial grid sometimes
        combos = draw(st.lists(st.sampled_from(combos), min_size=1, max_size=len(combos), unique=True))
    sku_style = draw(st.sampled_from(["template", "numbered", "empty"]))
    adjust = {(g, v): draw(st.sampled_from([Decimal(0), Decimal(0), Decimal("2"), Decimal("1.25")]))
              for g, vals in zip(options, per_group, strict=True) for v in vals}
    base, compare, weight = draw(money), draw(money), draw(money)
    uniform_weight = draw(st.booleans())
    image_by_first = draw(st.sampled_from(["none", "by-first", "random"]))
    default = draw(st.integers(0, len(combos) - 1))
    product_price = draw(money)
    resources: ResourceMap = {}
    sku = "P-1"
    for index, combo in enumerate(combos):
        values = tuple(zip(options, combo, strict=True))
        variant_sku = {"template": "V-" + "-".join(combo), "numbered": f"N{index * 7 % 11}{index}", "empty": ""}
        image = {"none": None, "by-first": IMAGES[VALUES.index(combo[0]) % 2],
                 "random": draw(st.sampled_from([None, *IMAGES]))}[image_by_first]
        attrs: dict[str, Any] = {
            "values": values, "color": COLORS[combo[0]], "sku": variant_sku[sku_style],
            "price": base + sum(adjust[(g, v)] for g, v in values), "compare_at_price": compare,
            "weight": weight if uniform_weight else draw(money), "weight_unit": draw(st.sampled_from([None, "kg"])),
            "default": index == default, "image": image,
        }
        address = Address.variant(sku, values)
        resources[address] = Resource(address, attrs, live_id=str(100 + index))
    product = {
        "sku": sku, "title": "Tee", "description": "<p>x</p>", "short_description": "", "vendor": "",
        "category": None, "price": product_price, "compare_at_price": draw(money), "weight": draw(money),
        "visibility": "both", "active": draw(st.booleans()), "tags": (), "options": options,
    }
    resources[Address.for_product(sku)] = Resource(Address.for_product(sku), product)
    for position, src in enumerate(IMAGES):
        address = Address.image(sku, position)
        resources[address] = Resource(address, {"src": src, "position": position})
    for name in options:
        kind = "color" if name == "Color" else "select"
        resources[Address.variant_group(name)] = Resource(Address.variant_group(name), {"name": name, "type": kind})
    return resources


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products())
def test_written_variants_expand_back_exactly(resources: ResourceMap) -> None:
    with tempfile.TemporaryDirectory() as directory:
        assert differences(resources, import_and_load(resources, Path(directory) / "out")) == []
