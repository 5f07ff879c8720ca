"""An address's text quotes its key exactly as json.dumps does (the fast path must not change a byte)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from catalogctl.model.address import Address

_KEY = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


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
