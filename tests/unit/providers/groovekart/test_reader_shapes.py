"""The reader's resource building on the doc's list_products example (no HTTP)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from catalogctl.model.address import Address, Kind
from catalogctl.model.attributes import ATTRIBUTES
from catalogctl.providers.groovekart import read as reader
from catalogctl.providers.groovekart import wire

FIXTURES = Path(__file__).parent / "fixtures"


def products() -> list[wire.WireProduct]:
    return wire.products(json.loads((FIXTURES / "list_products.json").read_text()))


def with_sku(product: wire.WireProduct, sku: str, **changes: object) -> wire.WireProduct:
    return product.model_copy(update={"sku": sku, **changes})


def read(product: wire.WireProduct) -> reader.ProductRead:
    return reader.ProductRead.of(product, {}, {})


def test_products_without_sku_are_unkeyed() -> None:
    kept, shadowed, unkeyed = reader.split_by_sku([read(p) for p in products()])
    assert kept == [] and shadowed == [] and len(unkeyed) == len(products())


def test_duplicate_sku_keeps_the_oldest_active_never_a_newer_copy() -> None:
    a, b, c = products()[:3]  # ids 8, 7, 6
    kept, shadowed, _ = reader.split_by_sku([
        read(with_sku(a, "X")), read(with_sku(b, "X")), read(with_sku(c, "X", active=False)),
    ])
    assert [p.id for p in kept] == [7]
    assert sorted(p.id for p in shadowed) == [6, 8]
    assert kept[0].resources[0].address == Address.for_product("X")


def test_duplicate_sku_keeps_the_product_state_knows_even_when_a_copy_is_older() -> None:
    a, b, _ = products()[:3]  # ids 8, 7
    known = reader.ProductRead.of(with_sku(a, "X"), {}, {"product:8": {"managed": True}})
    kept, shadowed, _ = reader.split_by_sku([known, read(with_sku(b, "X"))])
    assert ([p.id for p in kept], [p.id for p in shadowed]) == ([8], [7])


def test_duplicate_sku_all_inactive_keeps_the_newest_the_latest_replacement() -> None:
    a, b, _ = products()[:3]  # ids 8, 7
    kept, _, _ = reader.split_by_sku([read(with_sku(a, "X", active=False)), read(with_sku(b, "X", active=False))])
    assert [p.id for p in kept] == [8]


def test_product_variants_images_follow_the_attribute_contract() -> None:
    product = with_sku(products()[0], "TS")
    facts = {"image:111118": {"src": "https://src.example/tee.png"}, "product:8": {"short_description": "s"}}
    resources = {r.address: r for r in reader.product_resources(product, {"25": "Best deals"}, facts)}
    for resource in resources.values():
        assert tuple(resource.attrs) == ATTRIBUTES[resource.kind]
    main = resources[Address.for_product("TS")]
    assert main.live_id == "8" and main.attrs["category"] == "Best deals"
    assert main.attrs["options"] == ("Style", "Size", "Color", "Cloth", "Type")
    assert main.attrs["tags"] == ("tag1", "tag2", "tag3", "tag4")
    assert main.attrs["short_description"] == "s"
    image = resources[Address.image("TS", 0)]
    assert image.attrs == {"src": "https://src.example/tee.png", "position": 0}
    assert image.extra["live_url"].startswith("https://cdn.groovekart.com/")
    variants = [r for r in resources.values() if r.kind is Kind.VARIANT]
    assert len(variants) == 4
    teal = resources[Address.variant("TS", (("Style", "Gay"), ("Size", "1XL"), ("Color", "Teal"), ("Type", "Lenin")))]
    assert teal.live_id == "28" and teal.attrs["color"] == "#008080"
    assert teal.attrs["price"] == Decimal("24.99") and teal.attrs["default"] is False
    first = next(r for r in variants if r.live_id == "26")
    assert first.attrs["default"] is True and first.attrs["image"] is None


def test_variant_image_pairs_with_the_source_url_from_facts() -> None:
    product = with_sku(next(p for p in products() if p.id == "7"), "FF")
    facts = {"image:111117": {"src": "https://src.example/ff.png"}}
    resources = reader.product_resources(product, {}, facts)
    variants = [r for r in resources if r.kind is Kind.VARIANT]
    assert {r.attrs["image"] for r in variants} == {"https://src.example/ff.png"}
    assert resources[0].attrs["category"] is None  # category 25 unknown here
    assert resources[0].attrs["short_description"] is None  # write-only, and state does not know it
