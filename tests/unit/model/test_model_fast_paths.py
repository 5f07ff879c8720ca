"""The model's fast constructions (issue 13) give exactly what the general code they replace gives."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.config import load_catalog
from catalogctl.config.expand import expand_variants
from catalogctl.model.address import Address, Kind, child, variant_key
from catalogctl.model.from_catalog import ZERO, desired_resources, product_attrs, variant_attrs
from catalogctl.model.money import canonical
from catalogctl.model.resource import Resource
from catalogctl.model.urls import _CACHE_BUSTER, without_cache_buster

ROOT = Path(__file__).parents[3]


def _reference_canonical(dec: Decimal) -> Decimal:
    """money.canonical as it was: the exponent read from as_tuple."""
    normalized = dec.normalize()
    if normalized == 0:
        return Decimal(0)
    _, _, exponent = normalized.as_tuple()
    if isinstance(exponent, int) and exponent > 0:
        return normalized.quantize(Decimal(1))
    return normalized


def _outcome(function: Any, value: Decimal) -> tuple[str, Any]:
    try:
        result = function(value)
    except InvalidOperation as error:
        return ("raised", type(error))
    return (str(result), result.as_tuple())


_DECIMALS = (st.decimals(allow_nan=True, allow_infinity=True)
             | st.builds(lambda digits, exponent: Decimal(f"{digits}E{exponent}"),
                         st.integers(-10**40, 10**40), st.integers(-40, 40)))


@settings(max_examples=1000, deadline=None)
@given(_DECIMALS)
def test_canonical_gives_what_the_as_tuple_version_gave(value: Decimal) -> None:
    assert _outcome(canonical, value) == _outcome(_reference_canonical, value)


def test_canonical_on_the_edges() -> None:
    for text in ("0", "-0", "0E+5", "-0.000", "10", "1E+1", "-1E+3", "100.00", "24.990000", "7", "0.5",
                 "1E+27", "1E+28", "12345678901234567890123456789", "Infinity", "-Infinity", "NaN"):
        assert _outcome(canonical, Decimal(text)) == _outcome(_reference_canonical, Decimal(text)), text


def test_an_address_checks_its_parent_and_survives_pickle_and_copy() -> None:
    with pytest.raises(ValueError, match="variant addresses need parent"):
        Address(Kind.VARIANT, "Size=L")
    with pytest.raises(ValueError, match="product addresses take no parent"):
        Address(Kind.PRODUCT, "A", Address.for_product("B"))
    variant = Address.variant("TS-1", (("Size", "L"),))
    assert str(variant) == 'product["TS-1"].variant["Size=L"]'  # the text kept: a copy must not carry it wrongly
    for again in (pickle.loads(pickle.dumps(variant)), copy.copy(variant), copy.deepcopy(variant)):
        assert again == variant and hash(again) == hash(variant) and str(again) == str(variant)
        assert again.parent == variant.parent and again.kind is Kind.VARIANT
    assert sorted([Address.for_product("B"), Address.category("Z"), Address.for_product("A")]) == [
        Address.category("Z"), Address.for_product("A"), Address.for_product("B")]


def test_an_address_unpickled_in_another_process_hashes_as_one_made_there(tmp_path: Path) -> None:
    """A str's hash differs between processes: the hash is made again, never carried over."""
    blob = tmp_path / "address.pickle"
    blob.write_bytes(pickle.dumps({Address.variant("TS-1", (("Size", "L"),)): 1}))
    script = ("import pickle, sys; from catalogctl.model.address import Address; "
              "found = pickle.loads(open(sys.argv[1], 'rb').read()); "
              "print(found.get(Address.variant('TS-1', (('Size', 'L'),))))")
    done = subprocess.run([sys.executable, "-c", script, str(blob)], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"})
    assert done.stdout.strip() == "1"


def test_owning_builds_what_the_constructor_builds() -> None:
    address = Address.image("A", 0)
    attrs, extra = {"src": "http://i/0.png", "position": 0}, {"live_url": "http://cdn/0.png"}
    owned, made = Resource.owning(address, dict(attrs), "7", dict(extra)), Resource(address, attrs, "7", extra)
    assert owned == made and owned.plain == made.plain and dict(owned.extra) == extra
    assert Resource.owning(address, dict(attrs)).extra == Resource(address, attrs).extra == {}
    with pytest.raises(TypeError):
        owned.extra["x"] = 1  # type: ignore[index]


def test_child_builds_what_the_constructor_builds() -> None:
    parent = Address.for_product("0123")
    assert type(parent) is Address and parent == Address(Kind.PRODUCT, "0123") and parent.parent is None
    assert hash(parent) == hash(Address(Kind.PRODUCT, "0123")) and repr(parent) == repr(Address(Kind.PRODUCT, "0123"))
    for kind, key in ((Kind.VARIANT, "Color=Blue,Size=L"), (Kind.IMAGE, "0"), (Kind.VARIANT, 'Say="hi"')):
        made, built = child(kind, key, parent), Address(kind, key, parent)
        assert type(made) is Address and made == built and hash(made) == hash(built) and str(made) == str(built)
        assert repr(made) == repr(built) and not made < built and pickle.loads(pickle.dumps(made)) == built
        with pytest.raises(AttributeError):   # frozen, as the constructor's
            made.key = "other"  # type: ignore[misc]
    owned = Resource.owning(made, {"src": None, "position": 0})
    assert type(owned) is Resource and owned == Resource(built, {"src": None, "position": 0})
    with pytest.raises(AttributeError):
        owned.live_id = "7"  # type: ignore[misc]


def _reference_variants(product: Any, color_groups: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """from_catalog's variants as they were: one call per variant, the key joined per variant."""
    options = product.option_names()
    color_options = tuple(group for group in options if group in color_groups)
    variants = expand_variants(product)
    marked = next((index for index, variant in enumerate(variants) if variant.default), 0)
    found = []
    for index, variant in enumerate(variants):
        colors = variant.colors
        color = next((colors[group] for group in color_options if group in colors), None) if colors else None
        names = dict(variant.values)
        values = tuple((group, names[group]) for group in options)
        found.append((variant_key(values), {
            "values": values, "color": color.upper() if color else None, "sku": variant.sku or "",
            "price": _reference_canonical(variant.price),
            "compare_at_price": ZERO if variant.compare_at_price is None else _reference_canonical(
                variant.compare_at_price),
            "weight": ZERO if variant.weight is None else _reference_canonical(variant.weight),
            "weight_unit": variant.weight_unit, "default": index == marked, "image": variant.image,
        }))
    return found


def _typed(attrs: dict[str, Any]) -> list[tuple[str, type, Any]]:
    return [(name, type(value), str(value) if isinstance(value, Decimal) else value) for name, value in attrs.items()]


def _assert_as_reference(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    colors = {group.name for group in catalog.variant_groups if group.type == "color"}
    expected = {}
    for product in catalog.products:
        parent = Address.for_product(product.sku)
        expected[parent] = product_attrs(product)
        for position, src in enumerate(product.images):
            expected[Address(Kind.IMAGE, str(position), parent)] = {"src": src, "position": position}
        for key, attrs in _reference_variants(product, colors):
            expected[Address(Kind.VARIANT, key, parent)] = attrs
        assert [_typed(a) for a in variant_attrs(product, colors)] == [
            _typed(a) for _, a in _reference_variants(product, colors)]
    built = {address: resource for address, resource in desired_resources(catalog).items()
             if address.kind in (Kind.PRODUCT, Kind.IMAGE, Kind.VARIANT)}
    assert list(built) == list(expected)
    for address, attrs in expected.items():
        assert built[address].address == address
        assert _typed(built[address].plain) == _typed(attrs), address


@pytest.mark.parametrize("example", ["tshirt-shop", "pod-store"])
def test_the_examples_build_the_resources_the_general_code_builds(example: str) -> None:
    _assert_as_reference(ROOT / "examples" / example)


_NAME = st.sampled_from(["Red", "Blue", "S", "M", "L", "Oak", "x y"])
_AMOUNT = st.sampled_from(["19.5", "19.50", "20", "1E+1", "0", "0.000", "100", "7.125"])


@st.composite
def _product_yaml(draw: st.DrawFn, sku: str, color_typed: bool) -> dict[str, Any]:
    options = draw(st.sampled_from([[], ["Color"], ["Size"], ["Color", "Size"], ["Size", "Color"]]))
    product: dict[str, Any] = {"sku": sku, "title": f"T {sku}", "price": draw(_AMOUNT), "options": options,
                               "images": draw(st.lists(st.sampled_from(["http://i/a.png", "http://i/b.png"]),
                                                       unique=True, max_size=2))}
    if draw(st.booleans()):
        product["weight"] = draw(_AMOUNT)
    if not options:
        return product
    values = {"Color": [{"value": "Red", "color": draw(st.sampled_from(["#ff0000", "#FF0000"]))},
                        {"value": "Blue", "color": "#0000ff"}] if color_typed else ["Red", "Blue"],
              "Size": draw(st.lists(st.sampled_from(["S", "M", "L"]), min_size=1, max_size=3, unique=True))}
    if draw(st.booleans()):
        matrix: dict[str, Any] = {"matrix": {group: values[group] for group in options}}
        if draw(st.booleans()):
            matrix["sku"] = sku + "-" + "-".join("{" + group + "}" for group in options)
        if draw(st.booleans()):
            matrix["compare_at_price"] = draw(_AMOUNT)
        if draw(st.booleans()):
            matrix["weight_unit"] = "lb"
        product["variants"] = matrix
        return product
    first = {group: values[group][0] for group in options}
    product["variants"] = [{"values": first, "price": draw(_AMOUNT), "default": draw(st.booleans()),
                            **({"weight": draw(_AMOUNT)} if draw(st.booleans()) else {})}]
    return product


@st.composite
def _catalogs(draw: st.DrawFn) -> dict[str, Any]:
    color_typed = draw(st.booleans())
    skus = draw(st.lists(st.sampled_from(["P1", "P2", "0123"]), unique=True, min_size=1))
    return {"variant_groups": [{"name": "Color", "type": "color" if color_typed else "select"}, {"name": "Size"}],
            "products": [draw(_product_yaml(sku, color_typed)) for sku in skus]}


@settings(max_examples=40, deadline=None)
@given(_catalogs())
def test_random_catalogs_build_the_resources_the_general_code_builds(catalog: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "catalog.yaml").write_text(json.dumps(catalog))
        _assert_as_reference(Path(root))


def _reference_without_cache_buster(url: str) -> str:
    """urls.without_cache_buster as it was: the pattern on every url."""
    stripped = _CACHE_BUSTER.sub(lambda m: m.group(1) if m.group(2) else "", url)
    return stripped[:-1] if stripped.endswith(("?", "&")) else stripped


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["?", "&", "v", "=", "1", "23", "\n", "a", "\u0663", "\u00b2", "https://cdn/x.webp",
                                 "v=", "?v=", "&v="]), max_size=10))
def test_cache_busters_go_as_the_pattern_strips_them(pieces: list[str]) -> None:
    url = "".join(pieces)
    assert without_cache_buster(url) == _reference_without_cache_buster(url)
