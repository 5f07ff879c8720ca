"""Matrix detection: grids become the shorthand only when the expansion is exact."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalogctl.importer.matrix import detect

D = Decimal


def grid(colors: list[str], sizes: list[str], **overrides: Any) -> list[dict[str, Any]]:
    variants = []
    for color in colors:
        for size in sizes:
            variants.append({
                "values": (("Color", color), ("Size", size)), "color": None, "sku": f"TS-{color}-{size}",
                "price": D("20") + (D(2) if size == "XL" else 0), "compare_at_price": D(0), "weight": D("0.3"),
                "weight_unit": None, "default": not variants, "image": None, **overrides,
            })
    return variants


def test_grid_with_template_and_size_surcharge() -> None:
    found = detect(["Color", "Size"], grid(["Blue", "Lime"], ["S", "M", "XL"]))
    assert found is not None
    assert found.sku == "TS-{Color}-{Size}"  # the "S" inside "TS" is not mistaken for Size=S
    assert found.values == (("Blue", "Lime"), ("S", "M", "XL"))
    assert found.amounts["price"] == (D(20), (("Size", "XL", D(2)),))
    assert found.default == (("Color", "Blue"), ("Size", "S"))


def test_most_common_price_is_the_base() -> None:
    variants = grid(["Blue"], ["S", "M", "L"])
    variants[0]["price"] = D("22.50")
    found = detect(["Color", "Size"], variants)
    assert found is not None
    assert found.amounts["price"] == (D(20), (("Size", "S", D("2.50")),))


def test_missing_combination_is_not_a_grid() -> None:
    assert detect(["Color", "Size"], grid(["Blue", "Lime"], ["S", "M"])[:-1]) is None


def test_non_additive_prices_are_not_a_matrix() -> None:
    variants = grid(["Blue", "Lime"], ["S", "M"])
    variants[-1]["price"] = D("99")  # Lime/M alone is dearer: no per-value adjustment explains it
    assert detect(["Color", "Size"], variants) is None


def test_sku_not_made_of_values_is_not_a_matrix() -> None:
    variants = grid(["Blue", "Lime"], ["S", "M"])
    variants[1]["sku"] = "SPECIAL-1"
    assert detect(["Color", "Size"], variants) is None


def test_empty_skus_give_no_template_but_mixed_ones_refuse() -> None:
    variants = grid(["Blue"], ["S", "M"], sku="")
    found = detect(["Color", "Size"], variants)
    assert found is not None and found.sku is None
    variants[0]["sku"] = "TS-Blue-S"
    assert detect(["Color", "Size"], variants) is None


def test_image_decided_by_one_option() -> None:
    variants = grid(["Blue", "Lime"], ["S", "M"])
    for variant in variants:
        variant["image"] = "https://x/lime.jpg" if variant["values"][0][1] == "Lime" else None
    found = detect(["Color", "Size"], variants)
    assert found is not None and found.images == ("Color", (("Lime", "https://x/lime.jpg"),))
    variants[0]["image"] = "https://x/other.jpg"  # now no single option decides the image
    assert detect(["Color", "Size"], variants) is None


def test_colors_must_be_one_per_value() -> None:
    variants = grid(["Blue", "Lime"], ["S"])
    variants[0]["color"], variants[1]["color"] = "#0000FF", "#00FF00"
    found = detect(["Color", "Size"], variants, color_option="Color")
    assert found is not None and found.colors == (("Blue", "#0000FF"), ("Lime", "#00FF00"))
    variants[1]["color"] = None
    assert detect(["Color", "Size"], variants, color_option="Color") is None


def test_two_defaults_or_none_refuse() -> None:
    variants = grid(["Blue"], ["S", "M"])
    variants[1]["default"] = True
    assert detect(["Color", "Size"], variants) is None
