"""The written files: layout, formatting, defaults left out, and an exact round trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from catalogctl.config import load_catalog
from catalogctl.core import LiveState
from catalogctl.importer.documents import build
from catalogctl.importer.outdir import Mode, write
from catalogctl.importer.run import write_live
from catalogctl.importer.slug import file_stems
from catalogctl.model.address import Address, Kind
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import Resource, ResourceMap

from .roundtrip import differences, import_and_load

D = Decimal
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
DESCRIPTION = '<div class="x">\n  <p>Soft &amp; light</p>\n\n<ul><li>100% cotton</li></ul>\n</div>'


def store() -> ResourceMap:
    resources: ResourceMap = {}

    def add(address: Address, attrs: dict[str, Any], live_id: str | None = None) -> None:
        resources[address] = Resource(address, attrs, live_id=live_id)

    add(Address.category("Shirts"), {"title": "Shirts"})
    add(Address.variant_group("Color"), {"name": "Color", "type": "radio"})
    add(Address.variant_group("Size"), {"name": "Size", "type": "radio"})
    add(Address.webhook("orders"), {"name": "orders", "endpoint": "https://hooks.example.com/o"})
    base = {"description": "", "short_description": "", "vendor": "", "category": None, "compare_at_price": D(0),
            "weight": D(0), "visibility": "both", "active": True, "tags": (), "options": ()}
    add(Address.for_product("TS-1"), {**base, "sku": "TS-1", "title": "Tee", "description": DESCRIPTION,
                                      "category": "Shirts", "price": D("24.99"), "weight": D("0.37"),
                                      "tags": ("cotton", "summer"), "options": ("Color", "Size")})
    add(Address.image("TS-1", 0), {"src": "https://cdn.example.com/1.jpg", "position": 0})
    number = 0
    for color, hex_code in (("Blue", "#0000FF"), ("Lime", "#00FF00")):
        for size in ("S", "M", "XL"):
            number += 1
            values = (("Color", color), ("Size", size))
            add(Address.variant("TS-1", values), {
                "values": values, "color": hex_code, "sku": f"TS-1-{color}-{size}",
                "price": D("24.99") + (D(2) if size == "XL" else 0), "compare_at_price": D(0), "weight": D("0.37"),
                "weight_unit": None, "default": number == 1, "image": None}, live_id=str(number))
    add(Address.for_product("MUG"), {**base, "sku": "MUG", "title": "Mug", "price": D("12"), "active": False,
                                     "compare_at_price": D("15.5"), "options": ("Size",)})
    for number, size in enumerate(("S", "L")):
        values = (("Size", size),)
        add(Address.variant("MUG", values), {
            "values": values, "color": None, "sku": ["MUG-SMALL", "MUG-LARGE"][number], "price": D(12),
            "compare_at_price": D("15.5"), "weight": D(0), "weight_unit": None, "default": number == 1,
            "image": None}, live_id=str(10 + number))
    return resources


def live_as_written(resources: ResourceMap) -> ResourceMap:
    """The store reads group types back as radio; import writes color/select (see documents.py)."""
    fixed = dict(resources)
    for name, kind in (("Color", "color"), ("Size", "select")):
        address = Address.variant_group(name)
        fixed[address] = Resource(address, {"name": name, "type": kind})
    return fixed


def test_round_trip_through_the_real_loader(tmp_path: Path) -> None:
    assert differences(live_as_written(store()), import_and_load(store(), tmp_path / "out")) == []


def test_layout_and_formatting(tmp_path: Path) -> None:
    write(tmp_path, Mode.FRESH, build(store()).files, {})
    names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.yaml"))
    assert names == ["categories.yaml", "products/mug.yaml", "products/ts-1.yaml", "variant-groups.yaml",
                     "webhooks.yaml"]
    tee = (tmp_path / "products/ts-1.yaml").read_text()
    assert tee.startswith("# yaml-language-server: $schema=../.schema/catalog.schema.json\n")
    assert (tmp_path / ".schema/catalog.schema.json").is_file()
    assert "price: 24.99\n" in tee and "weight: 0.37\n" in tee
    assert "tags: [cotton, summer]\n" in tee and "- {value: Blue, color: '#0000FF'}\n" in tee
    assert "matrix:" in tee and "sku: TS-1-{Color}-{Size}" in tee and "XL: 2\n" in tee
    assert "description: |-\n      <div class=\"x\">\n        <p>Soft &amp; light</p>\n\n" in tee
    assert "visibility" not in tee and "compare_at_price" not in tee  # defaults are left out
    mug = (tmp_path / "products/mug.yaml").read_text()
    assert "active: false" in mug and "compare_at_price: 15.5\n" in mug
    assert "- values: {Size: S}\n        sku: MUG-SMALL\n" in mug  # skus unrelated to values: a list
    groups = (tmp_path / "variant-groups.yaml").read_text()
    assert "name: Color\n    type: color" in groups and "name: Size\n    type: select" in groups


def test_importing_twice_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write(first, Mode.FRESH, build(store()).files, {})
    write(second, Mode.FRESH, build(dict(reversed(store().items()))).files, {})
    files = sorted(p.relative_to(first) for p in first.rglob("*.yaml"))
    assert files and all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_slug_collisions_are_resolved_by_the_sku_alone() -> None:
    stems = file_stems(["TS-1", "ts_1", "Über", "<>"])
    assert stems["Über"] == "uber"
    assert stems["TS-1"] != stems["ts_1"] and stems["TS-1"].startswith("ts-1-")
    assert file_stems(["TS-1", "ts_1", "other"])["TS-1"] == stems["TS-1"]  # independent of the other skus
    assert stems["<>"].startswith("product-")


@pytest.mark.parametrize("example", ["tshirt-shop", "pod-store"])
def test_examples_round_trip(example: str, tmp_path: Path) -> None:
    """Each example's resources, written by import and loaded back, are the same resources.

    Except group types: the store reads them all back as radio, so import writes `select` for
    every group whose values carry no color.
    """
    desired = desired_resources(load_catalog(EXAMPLES / example))
    expected = {address: Resource(address, {**r.attrs, "type": "color" if r.attrs["type"] == "color" else "select"})
                if r.kind is Kind.VARIANT_GROUP else r for address, r in desired.items()}
    assert differences(expected, import_and_load(desired, tmp_path / "out")) == []


def test_report_warns_about_what_a_catalog_cannot_say(tmp_path: Path) -> None:
    resources = store()
    odd = (("Size", "M"),)  # a TS-1 variant that uses only one of the product's two groups
    address = Address.variant("TS-1", odd)
    resources[address] = Resource(address, {**resources[next(a for a in resources if a.kind is Kind.VARIANT)].attrs,
                                            "values": odd, "sku": "MUG", "default": False})
    mug = Address.for_product("MUG")
    resources[mug] = Resource(mug, {**resources[mug].attrs, "visibility": "catalog"})
    report = write_live(LiveState(resources), tmp_path / "out", Mode.FRESH, "t", lambda _: None)
    assert report.warnings == [
        "product[\"MUG\"]: visibility 'catalog' cannot be written in a catalog (both, search or none); "
        "choose one in the file",
        'sku \'MUG\' is used by product["MUG"] and product["TS-1"].variant["Size=M"]; skus must be unique in '
        "a catalog",
        'product["TS-1"]: its variants do not all use the same variant groups (Color, Size / Size); a catalog '
        "needs one set per product, so fix the variants in the store or in the file",
    ]
    assert "Warning: product[\"MUG\"]: visibility 'catalog'" in report.render()


def test_color_group_found_by_its_values_when_not_named_color(tmp_path: Path) -> None:
    resources: ResourceMap = {}
    for name in ("Size", "Shade"):
        resources[Address.variant_group(name)] = Resource(Address.variant_group(name), {"name": name, "type": None})
    product = Address.for_product("CAP")
    resources[product] = Resource(product, {
        "sku": "CAP", "title": "Cap", "description": "", "short_description": None, "vendor": "", "category": None,
        "price": D(10), "compare_at_price": D(0), "weight": D(0), "visibility": "both", "active": True, "tags": (),
        "options": ("Size", "Shade")})
    for number, (size, shade, hex_code) in enumerate((("M", "Red", "#FF0000"), ("M", "Blue", "#0000FF"),
                                                      ("L", "Red", "#FF0000"))):
        values = (("Size", size), ("Shade", shade))
        resources[Address.variant("CAP", values)] = Resource(Address.variant("CAP", values), {
            "values": values, "color": hex_code, "sku": f"CAP-{number}", "price": D(10), "compare_at_price": D(0),
            "weight": D(0), "weight_unit": None, "default": number == 0, "image": None}, live_id=str(number))
    write(tmp_path, Mode.FRESH, build(resources).files, {})
    assert "name: Shade\n    type: color\n" in (tmp_path / "variant-groups.yaml").read_text()
    assert "Shade: {value: Blue, color: '#0000FF'}" in (tmp_path / "products/cap.yaml").read_text()
    loaded = desired_resources(load_catalog(tmp_path))
    assert loaded[Address.variant("CAP", (("Size", "M"), ("Shade", "Blue")))].attrs["color"] == "#0000FF"
