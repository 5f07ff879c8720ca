"""Data is kept exactly as written: a string field gets the scalar's text even where YAML reads a number.

Runs with libyaml and with PyYAML's pure-Python parser (the two loader paths), through check_catalog,
the matrix expansion and the desired resources the planner compares with the store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from catalogctl.config import check_catalog, yaml_nodes
from catalogctl.config.expand import expand_variants
from catalogctl.model.address import Address
from catalogctl.model.from_catalog import desired_resources

CATALOG = """\
categories:
  - title: 2024
variant_groups:
  - name: Size
  - name: 1e3
products:
  - sku: 012345678905
    title: 1e3
    vendor: 0o17
    category: 2024
    price: 8.50
    compare_at_price: 1_000
    tags: [0x1F, 1.10, 2024-01-02, -5]
    options: [Size]
    variants:
      matrix:
        Size: [8, 8.5, 10, 08, 8.50]
      sku: "UPC-{Size}"
      price: {base: 8.50, adjust: {Size: {8.5: 1.00, 08: 0.25}}}
      default: {Size: 8.50}
  - sku: 1e3
    title: 0o17
    price: 1
    active: 1
    options: [1e3]
    variants:
      - values: {1e3: 007}
        sku: .5
        price: 2.50
        default: 1
webhooks:
  - name: 12:30
    endpoint: https://hooks.example.com/a
"""


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "pure-python":
        monkeypatch.setattr(yaml_nodes, "WITH_LIBYAML", False)
    else:
        assert yaml_nodes.WITH_LIBYAML
    return str(request.param)


@pytest.fixture
def result(parser: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "shop.yaml").write_text(CATALOG, encoding="utf-8")
    checked = check_catalog(tmp_path)
    assert [str(p) for p in checked.problems if p.is_error] == []
    return checked


def test_string_fields_keep_the_text_yaml_would_read_as_a_number(result) -> None:  # type: ignore[no-untyped-def]
    upc, thousand = result.catalog.products
    assert (upc.sku, upc.title, upc.vendor, upc.category) == ("012345678905", "1e3", "0o17", "2024")
    assert upc.tags == ["0x1F", "1.10", "2024-01-02", "-5"]
    assert (thousand.sku, thousand.title, thousand.options) == ("1e3", "0o17", ["1e3"])
    assert [c.title for c in result.catalog.categories] == ["2024"]
    assert [g.name for g in result.catalog.variant_groups] == ["Size", "1e3"]
    assert [w.name for w in result.catalog.webhooks] == ["12:30"]  # YAML 1.1 would read a sexagesimal 750


def test_number_fields_still_read_numbers_with_their_decimal_text(result) -> None:  # type: ignore[no-untyped-def]
    upc, thousand = result.catalog.products
    assert (str(upc.price), upc.compare_at_price) == ("8.50", Decimal(1000))  # 8.50 stays 8.50, not 8.5
    assert (thousand.active, thousand.variants[0].default, str(thousand.variants[0].price)) == (True, True, "2.50")


def test_numeric_sizes_expand_as_written_and_match_their_adjustments(result) -> None:  # type: ignore[no-untyped-def]
    variants = expand_variants(result.catalog.products[0])
    assert [(v.value_of("Size"), v.sku, str(v.price), v.default) for v in variants] == [
        ("8", "UPC-8", "8.50", False),
        ("8.5", "UPC-8.5", "9.50", False),  # the adjustment keyed 8.5 is the value 8.5
        ("10", "UPC-10", "8.50", False),
        ("08", "UPC-08", "8.75", False),  # 08 is its own value, not 8
        ("8.50", "UPC-8.50", "8.50", True),  # and 8.50 is not 8.5
    ]
    [explicit] = expand_variants(result.catalog.products[1])
    assert (explicit.values, explicit.sku) == ((("1e3", "007"),), ".5")


def test_the_planner_sees_the_written_skus_and_values(result) -> None:  # type: ignore[no-untyped-def]
    resources = desired_resources(result.catalog)
    product = resources[Address.for_product("012345678905")]
    assert (product.attrs["sku"], product.attrs["title"], product.attrs["vendor"]) == ("012345678905", "1e3", "0o17")
    skus = sorted(r.attrs["sku"] for r in resources.values() if r.address.kind.value == "variant")
    assert skus == [".5", "UPC-08", "UPC-10", "UPC-8", "UPC-8.5", "UPC-8.50"]


def test_keys_are_text_too(parser: str, tmp_path: Path) -> None:
    # `2` and '2' are the same key written twice; `1` and `01` are two keys
    (tmp_path / "k.yaml").write_text("products:\n  - sku: A\n    title: T\n    price: 1\n    variants:\n"
                                     "      matrix: {Size: ['2', 1, 01]}\n"
                                     "      price: {base: 1, adjust: {Size: {'2': 1, 2: 2, 1: 3, 01: 4}}}\n")
    problems = check_catalog(tmp_path).problems
    assert [(p.position.line, p.position.column, p.message) for p in problems if p.position] == [
        (7, 48, "duplicate key '2'")]


def test_the_json_schema_lets_editors_write_numbers_where_validate_keeps_the_text() -> None:
    from catalogctl.config.schema import catalog_schema

    product = catalog_schema()["$defs"]["Product"]["properties"]
    assert product["sku"]["type"] == ["string", "number"]
    assert product["tags"]["anyOf"][0]["items"]["type"] == ["string", "number"]  # or {add: [...]} (templates)
    color = catalog_schema()["$defs"]["ColorValue"]["properties"]["color"]
    assert color["type"] == "string" and "pattern" in color  # a hex colour is never a number
    assert "number" in [member.get("type") for member in product["price"]["anyOf"]]


def test_store_and_staff_text_keeps_leading_zeros(parser: str, tmp_path: Path) -> None:
    (tmp_path / "store.yaml").write_text(
        "store:\n  name: 1e3\n  address: {line1: 10, city: Oslo, zipcode: 0150}\n"
        "staff:\n  - {email: a@example.com, password_env: STAFF_PW, phone: 0123456789}\n", encoding="utf-8")
    result = check_catalog(tmp_path)
    assert [str(p) for p in result.problems if p.is_error] == []
    store = result.catalog.store
    assert store is not None and store.address is not None
    assert (store.name, store.address.line1, store.address.zipcode) == ("1e3", "10", "0150")
    assert [member.phone for member in result.catalog.staff] == ["0123456789"]
