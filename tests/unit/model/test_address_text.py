"""An address's text quotes its key exactly as json.dumps does (the fast path must not change a byte)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.model.address import Address, Kind, text_under

_KEY = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


@settings(deadline=None)   # the suite shares the cores with other workers: no per-example time limit
@given(_KEY, st.lists(st.tuples(_KEY, _KEY), min_size=1, max_size=3))
def test_the_text_quotes_keys_as_json_and_parses_back(sku: str, values: list[tuple[str, str]]) -> None:
    variant = Address.variant(sku, tuple(values))
    key = ",".join(f"{group}={value}" for group, value in values)
    want = f"product[{json.dumps(sku, ensure_ascii=False)}].variant[{json.dumps(key, ensure_ascii=False)}]"
    assert str(variant) == want
    assert Address.parse(want) == variant


def test_keys_that_json_escapes_keep_their_escapes() -> None:
    for sku in ('A"B', "A\\B", "A\nB", "A\u2028B", "A\x7fB", "é-Ü"):
        assert str(Address.for_product(sku)) == f"product[{json.dumps(sku, ensure_ascii=False)}]"


@settings(deadline=None)
@given(st.sampled_from(["A", "B"]), st.sampled_from(["A", "B"]), st.sampled_from(["S", "M"]),
       st.sampled_from(["S", "M"]), st.booleans(), st.booleans())
def test_addresses_equal_exactly_when_their_parts_do(sku1: str, sku2: str, size1: str, size2: str,
                                                     image1: bool, image2: bool) -> None:
    def build(sku: str, size: str, image: bool) -> Address:
        return Address.image(sku, len(size)) if image else Address.variant(sku, (("Size", size),))

    one, two = build(sku1, size1, image1), build(sku2, size2, image2)  # distinct objects, parents too
    same = (sku1, image1, size1 if not image1 else "") == (sku2, image2, size2 if not image2 else "")
    assert (one == two) is same and (hash(one) == hash(two) or not same)
    assert (one.parent == two.parent) is (sku1 == sku2)
    assert len({one, two}) == (1 if same else 2)


@settings(deadline=None)
@given(_KEY, _KEY | st.sampled_from(['A"B', "A\\B", "A\nB", "é-Ü"]), st.booleans(), st.booleans())
def test_a_childs_text_under_its_parents_is_its_own_text(sku: str, key: str, image: bool, known: bool) -> None:
    """text_under (a new product's children, issue 13) makes and keeps what __str__ makes."""
    def build() -> Address:
        return Address.image(sku, len(key)) if image else Address(Kind.VARIANT, key, Address.for_product(sku))

    child, expected = build(), str(build())
    if known:
        str(child)   # already made: kept as it is
    made = text_under(child, f"{child.parent}.")
    assert made == expected and str(child) is made
