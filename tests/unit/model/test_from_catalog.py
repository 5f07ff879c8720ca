"""Catalog -> desired resources: exactly the attribute contract, matrices expanded like explicit lists."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from catalogctl.config import load_catalog
from catalogctl.model.address import Address, Kind
from catalogctl.model.attributes import ATTRIBUTES
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import ResourceMap

EXAMPLES = Path(__file__).parents[3] / "examples"
HEAD = (
    "variant_groups: [{name: Color, type: color}, {name: Size}]\n"
    "products:\n"
    "  - sku: TS-1\n    title: Tee\n    price: 20\n    compare_at_price: 30\n"
    "    images: [https://img.example.com/a.png, https://img.example.com/b.png]\n"
    "    options: [Color, Size]\n"
)
MATRIX = HEAD + """    variants:
      matrix:
        Color: [{value: Blue, color: "#0000ff"}, {value: Lime, color: "#00FF00"}]
        Size: [M, XL]
      sku: "TS-1-{Color}-{Size}"
      price: {base: 20, adjust: {Size: {XL: 2.50}}}
      weight: {base: 0.30, adjust: {Size: {XL: 0.05}}}
      weight_unit: lb
      default: {Color: Lime, Size: M}
      images: {Color: {Lime: https://img.example.com/b.png}}
"""
EXPLICIT = HEAD + """    variants:
      - {values: {Size: M, Color: {value: Blue, color: "#0000FF"}}, sku: TS-1-Blue-M, weight: 0.3, weight_unit: lb}
      - {values: {Color: {value: Blue, color: "#0000FF"}, Size: XL}, sku: TS-1-Blue-XL, price: 22.5,
         weight: 0.35, weight_unit: lb}
      - {values: {Color: {value: Lime, color: "#00FF00"}, Size: M}, sku: TS-1-Lime-M, weight: 0.300, weight_unit: lb,
         default: true, image: https://img.example.com/b.png}
      - {values: {Color: {value: Lime, color: "#00ff00"}, Size: XL}, sku: TS-1-Lime-XL, price: 22.50, weight: 0.35,
         weight_unit: lb, image: https://img.example.com/b.png}
"""


def _desired(tmp_path: Path, text: str, name: str = "c") -> ResourceMap:
    root = tmp_path / name
    root.mkdir()
    (root / "p.yaml").write_text(text, encoding="utf-8")
    return desired_resources(load_catalog(root))


def test_matrix_expands_to_the_same_resources_as_the_explicit_list(tmp_path: Path) -> None:
    matrix = _desired(tmp_path, MATRIX, "matrix")
    assert matrix == _desired(tmp_path, EXPLICIT, "explicit")
    variant = matrix[Address.variant("TS-1", (("Color", "Blue"), ("Size", "XL")))]
    assert dict(variant.attrs) == {
        "values": (("Color", "Blue"), ("Size", "XL")), "color": "#0000FF", "sku": "TS-1-Blue-XL",
        "price": Decimal("22.5"), "compare_at_price": Decimal("30"), "weight": Decimal("0.35"),
        "weight_unit": "lb", "default": False, "image": None,
    }


def test_values_follow_the_product_option_order_and_one_default(tmp_path: Path) -> None:
    resources = _desired(tmp_path, EXPLICIT)
    variants = [r for r in resources.values() if r.kind is Kind.VARIANT]
    assert [r.attrs["values"][0][0] for r in variants] == ["Color"] * 4
    assert [r.address.key for r in variants if r.attrs["default"]] == ["Color=Lime,Size=M"]


def test_the_first_variant_is_default_when_none_is_marked(tmp_path: Path) -> None:
    resources = _desired(tmp_path, MATRIX.replace("      default: {Color: Lime, Size: M}\n", ""))
    defaults = [r.address.key for r in resources.values() if r.kind is Kind.VARIANT and r.attrs["default"]]
    assert defaults == ["Color=Blue,Size=M"]


def test_product_defaults_and_normalization(tmp_path: Path) -> None:
    text = "products:\n  - {sku: A, title: A, price: 49.00, tags: [summer, Cotton, summer, art]}\n"
    product = _desired(tmp_path, text)[Address.for_product("A")]
    assert dict(product.attrs) == {
        "sku": "A", "title": "A", "description": "", "short_description": "", "vendor": "", "category": None,
        "price": Decimal("49"), "compare_at_price": Decimal(0), "weight": Decimal(0), "visibility": "both",
        "active": True, "tags": ("Cotton", "art", "summer"), "options": (),
    }
    assert str(product.attrs["price"]) == "49"


def test_images_are_numbered_from_the_cover(tmp_path: Path) -> None:
    resources = _desired(tmp_path, MATRIX)
    assert dict(resources[Address.image("TS-1", 0)].attrs) == {"src": "https://img.example.com/a.png", "position": 0}
    assert resources[Address.image("TS-1", 1)].attrs["position"] == 1
    assert Address.image("TS-1", 2) not in resources


@pytest.mark.parametrize("name", ["tshirt-shop", "pod-store"])
def test_every_resource_has_exactly_the_contract_attributes(name: str) -> None:
    resources = desired_resources(load_catalog(EXAMPLES / name))
    for address, resource in resources.items():
        assert tuple(resource.attrs) == ATTRIBUTES[address.kind], address
        assert resource.live_id is None
    for product in (r for r in resources.values() if r.kind is Kind.PRODUCT):
        variants = [r for a, r in resources.items() if a.parent == product.address and a.kind is Kind.VARIANT]
        assert not variants or sum(v.attrs["default"] for v in variants) == 1


def test_the_tshirt_from_the_api_document(tmp_path: Path) -> None:
    resources = desired_resources(load_catalog(EXAMPLES / "tshirt-shop"))
    key = (("Cloth", "Cotton"), ("Style", "Tab Collar"), ("Color", "Blue"), ("Size", "L"))
    variant = resources[Address.variant("TS-CLASSIC", key)].attrs
    assert (variant["sku"], variant["price"], variant["compare_at_price"]) == ("TS.12345678", Decimal("27.99"),
                                                                              Decimal("31.99"))
    assert (variant["color"], variant["weight"], variant["default"]) == ("#0000FF", Decimal("0.37"), True)
    counts = {kind: sum(1 for a in resources if a.kind is kind) for kind in Kind}
    assert counts == {Kind.CATEGORY: 3, Kind.VARIANT_GROUP: 4, Kind.PRODUCT: 3, Kind.VARIANT: 12,
                      Kind.IMAGE: 5, Kind.WEBHOOK: 1, Kind.STORE: 0, Kind.STAFF_USER: 0}
