from decimal import Decimal

import pytest

from catalogctl.model.address import Address, Kind
from catalogctl.model.money import plain_string, store_string, to_decimal
from catalogctl.providers.groovekart.actions import ACTION_ADAPTER, CreateProduct, ProductSpec, VariantSpec


def test_address_string_forms_round_trip() -> None:
    variant = Address.variant("TS-1", (("Color", "Blue"), ("Size", "L")))
    assert str(variant) == 'product["TS-1"].variant["Color=Blue,Size=L"]'
    assert Address.parse(str(variant)) == variant
    image = Address.image("TS-1", 0)
    assert str(image) == 'product["TS-1"].image[0]'
    assert Address.parse(str(image)) == image
    assert Address.parse('category["Men \\"Tees\\""]') == Address(Kind.CATEGORY, 'Men "Tees"')


def test_address_parse_rejects_garbage_with_the_expected_shape() -> None:
    with pytest.raises(ValueError, match=r"expected e\.g\."):
        Address.parse("product[TS-1]")
    with pytest.raises(ValueError, match="unknown resource kind 'prodct'"):
        Address.parse('prodct["x"]')


def test_child_addresses_need_a_parent() -> None:
    with pytest.raises(ValueError):
        Address(Kind.VARIANT, "Color=Blue")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("24.990000", "24.99"), ("0.000000", "0"), (27, "27"), ("100.00", "100"), (Decimal("1E+2"), "100")],
)
def test_to_decimal_normalizes_store_strings(raw: object, expected: str) -> None:
    assert plain_string(to_decimal(raw)) == expected


def test_to_decimal_refuses_floats_and_junk() -> None:
    with pytest.raises(ValueError, match="floats are refused"):
        to_decimal(27.99)
    with pytest.raises(ValueError):
        to_decimal("abc")
    with pytest.raises(ValueError):
        to_decimal("NaN")


def test_store_string_has_six_decimals() -> None:
    assert store_string(Decimal("24.99")) == "24.990000"


def test_actions_round_trip_through_json() -> None:
    action = CreateProduct(
        product=ProductSpec(sku="TS-1", title="Tee", price=Decimal("27.99"), tags=("a", "b")),
        variants=(VariantSpec(values=(("Size", "L"),), price=Decimal("27.99"), default=True),),
        cover="https://example.com/a.png",
    )
    data = ACTION_ADAPTER.dump_python(action, mode="json")
    assert data["product"]["price"] == "27.99"
    assert ACTION_ADAPTER.validate_python(data) == action
