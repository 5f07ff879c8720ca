"""The plan digests are the same bytes the json-module encoding gave (issue 13 made them faster, not different).

A digest saved in a plan file is recomputed by `apply PLANFILE` and by later versions: the canonical
JSON behind it must never change, whatever encodes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.config.catalog import load_catalog
from catalogctl.config.scalars import IntText
from catalogctl.core import LiveState
from catalogctl.model.address import Address
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import Resource
from catalogctl.plan.builder import catalog_digest, live_digest

ROOT = Path(__file__).parents[3]


def _reference(groups: dict[str, Iterable[Resource]], with_ids: bool) -> str:
    """The digest as builder.py computed it before issue 13: json.JSONEncoder, a list per row."""
    def default(value: object) -> object:
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value).__name__)

    encoder = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default)
    hasher = hashlib.sha256()
    for name, resources in groups.items():
        hasher.update(f"{name}\n".encode())
        rows = sorted(((str(r.address), r.live_id or "", r) for r in resources), key=lambda row: row[:2])
        for start in range(0, len(rows), 2048):
            chunk = [[a, dict(r.attrs), i] if with_ids else [a, dict(r.attrs)] for a, i, r in rows[start:start + 2048]]
            hasher.update(encoder.encode(chunk).encode())
            hasher.update(b"\n")
    return "sha256:" + hasher.hexdigest()


def _live(resources: dict[Address, Resource], shadowed: tuple[Resource, ...] = ()) -> LiveState:
    return LiveState(resources=resources, shadowed=shadowed, unkeyed=(), requests=0)


def test_the_examples_digest_as_before() -> None:
    for example in ("tshirt-shop", "pod-store"):
        desired = desired_resources(load_catalog(ROOT / "examples" / example))
        assert len(desired) > 20
        assert catalog_digest(desired) == _reference({"resources": desired.values()}, with_ids=False)
        live = {a: Resource(a, r.attrs, live_id=str(n)) for n, (a, r) in enumerate(desired.items())}
        shadowed = tuple(live.values())[:2]
        assert live_digest(_live(live, shadowed)) == _reference(
            {"resources": live.values(), "shadowed": shadowed, "unkeyed": ()}, with_ids=True)


# Everything a resource attribute holds: text of any code point (control characters, quotes, U+2028,
# astral), Decimals of any exponent, ints, bools, None, tuples and nested mappings.
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_SCALAR = _TEXT | st.decimals(allow_nan=False, allow_infinity=False) | st.integers() | st.booleans() | st.none()
_VALUE = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3).map(tuple)
                      | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.dictionaries(_TEXT, _VALUE, max_size=5), st.none() | _TEXT), max_size=6))
def test_any_attribute_values_digest_as_before(rows: list[tuple[str, dict[str, object], str | None]]) -> None:
    resources = {}
    for key, attrs, live_id in rows:
        address = Address.category(key)
        resources[address] = Resource(address, attrs, live_id=live_id)
    assert catalog_digest(resources) == _reference({"resources": resources.values()}, with_ids=False)
    assert live_digest(_live(resources)) == _reference(
        {"resources": resources.values(), "shadowed": (), "unkeyed": ()}, with_ids=True)


def test_text_of_a_str_subclass_digests_as_its_text() -> None:
    """The loader keeps numbers as the text written (ScalarText, a str subclass): json encoded such a
    value as its text, and msgspec, which refuses str subclasses, is told to do the same."""
    address = Address.for_product("0123")
    resources = {address: Resource(address, {"sku": IntText("0123"), "tags": (IntText("2024"), "x")})}
    plain = {address: Resource(address, {"sku": "0123", "tags": ("2024", "x")})}
    assert catalog_digest(resources) == catalog_digest(plain) == _reference(
        {"resources": resources.values()}, with_ids=False)


def test_a_mapping_with_number_keys_digests_as_json_wrote_it() -> None:
    address = Address.category("Shirts")
    resources = {address: Resource(address, {"title": "Shirts", "sizes": {1: "S", 2: Decimal("2.50")}})}
    assert catalog_digest(resources) == _reference({"resources": resources.values()}, with_ids=False)
