"""pages.page (list pages decoded from bytes into typed structs) against the reference path (json,
then wire's pydantic models, then convert.ProductRead.of): the same reads where it answers, and no
answer at all (the reference path then decides) wherever the reference would refuse the page."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogctl.core import Facts
from catalogctl.providers.groovekart import pages, wire
from catalogctl.providers.groovekart.convert import ProductRead
from catalogctl.providers.groovekart.dialect import error_of

FIXTURES = Path(__file__).parent / "fixtures"
TITLES = {"25": "Best deals", "3": "Shirts"}


def dump(read: ProductRead) -> tuple[Any, ...]:
    """Everything a read holds, with reprs (Decimal("1.0") == Decimal("1"), "0123" != 123) and attrs order."""
    return (read.sku, read.active, read.id, read.known, [
        (repr(r.address), str(r.address), [(k, repr(v)) for k, v in r.attrs.items()], r.live_id,
         [(k, repr(v)) for k, v in r.extra.items()]) for r in read.resources
    ])


def reference(body: bytes, size: int, facts: Facts) -> tuple[int, list[tuple[Any, Any]]] | None:
    """What the reference path makes of a 200 answer (None where it raises or the answer is a failure)."""
    try:
        data = json.loads(body.strip())
        if error_of(data)[0] is not None:
            return None
        products = wire.products(data)
        return len(products), [(p.id, dump(ProductRead.of(p, TITLES, facts))) for p in products[:size]]
    except Exception:
        return None


def typed(body: bytes, size: int, facts: Facts) -> tuple[int, list[tuple[Any, Any]]] | None:
    answer = pages.page(body, size, TITLES, facts)
    return None if answer is None else (answer.rows, [(pid, dump(read)) for pid, read in answer.products])


def test_the_doc_example_reads_the_same_with_and_without_facts() -> None:
    body = (FIXTURES / "list_products.json").read_bytes()
    facts = {"product:8": {"options": ["Size", "Style", "Color", "Cloth", "Type"], "short_description": "s"},
             "image:111118": {"src": "https://src.example/tee.png"}}
    for known in ({}, facts):
        for size in (1, 2, 50):
            answer = typed(body, size, known)
            assert answer is not None and answer == reference(body, size, known)
            assert answer[0] == 7 and len(answer[1]) == min(size, 7)


def test_a_sku_of_digits_stays_text_and_numbers_as_text_become_canonical_decimals() -> None:
    body = json.dumps({"products": [{"id": "1", "sku": "0123", "price": "19.500000", "weight": 2, "variants": [
        {"id_product_variant": "5", "group_name": "Size", "variant_name": "0123", "reference": "007",
         "price": "1e3", "compare_price": "", "weight": None, "default_on": "1"}]}]}).encode()
    answer = pages.page(body, 50, {}, {})
    assert answer is not None
    product, variant = answer.products[0][1].resources
    assert product.attrs["sku"] == "0123" and str(product.address) == 'product["0123"]'
    assert product.attrs["price"] == Decimal("19.5") and str(product.attrs["price"]) == "19.5"
    assert str(product.attrs["weight"]) == "2"
    assert variant.attrs["sku"] == "007" and variant.attrs["values"] == (("Size", "0123"),)
    assert str(variant.attrs["price"]) == "1000" and variant.attrs["compare_at_price"] == 0
    assert variant.attrs["default"] is True
    assert typed(body, 50, {}) == reference(body, 50, {})


HOSTILE = [
    b'{"products": [{"id": "1", "price": 19.5}]}',                       # a float: refused by the reference
    b'{"products": [{"id": "1", "price": "abc"}]}',
    b'{"products": [{"id": "1", "price": "NaN"}]}',
    b'{"products": [{"id": "1", "price": true}]}',
    b'{"products": [{"id": 7}]}',                                          # an int id: the reference takes it
    b'{"products": [{"id": "1", "sku": 123}]}',
    b'{"products": [{"id": "1", "price": 123456789012345678901234567890}]}',
    b'{"products": [{"id": "1", "price": 1e400}]}',
    b'{"products": [{"id": "1", "variants": [{"id_product_variant": "2", "variant_name": "S"}]}]}',
    b'{"products": [{"id": "1", "variants": [{"id_product_attribute": "2", "group_name": "G",'
    b' "attribute_name": "S"}]}]}',
    b'{"products": [{"id": "1", "variants": [{"id_product_variant": "2", "group_name": "G", "variant_name": "S",'
    b' "sku": "by-name"}]}]}',
    b'{"products": [{"id": "1", "active": "0"}]}',                           # a field's own name: pydantic reads it
    b'{"products": [{"id": "1", "images": null}]}',
    b'{"products": [{"id": "1", "images": [{"url": "u"}]}]}',
    b'{"products": {"0": {"id": "1"}, "products_count": 1}}',
    b'{"products": null}',
    b'[{"id": "1"}]',
    b'null',
    b'{"products": [], "status": "error", "message": "No products found."}',
    b'{"products": [], "Error": ""}',
    b'{"products": [], "x": NaN}',
    b'\xef\xbb\xbf{"products": []}',
    b'{"products": [], "x": "\xff"}',
    b'{"products": [], "x": "\\ud800"}',
    b'{"products": [{"id": "1"}], "products": [{"id": "2"}]}',
    b'{"products": [' + b'{"id": "1"},' * 60 + b'{"id": "x"}]}',            # a bad id only past the page
    b'{"products": [' + b'{"id": "1"},' * 60 + b'{"id": "2", "variants": [{"id_product_variant": "3",'
    b' "group_name": "G", "variant_name": "v", "weight": "w"}]}]}',        # a bad number only past the page
    # a number only a row the conversion does not read spells wrongly (the reference validates every row)
    *[b'{"products": [{"id": "1", "variants": [' + b",".join(
        b'{"id_product_variant": "2", "group_name": "G%d", "variant_name": "v", "%s": "%s"}'
        % (n, name, b"abc" if n == bad else b"1") for n in range(rows)) + b"]}]}"
      for rows in (2, 3) for bad in range(1, rows) for name in (b"price", b"compare_price", b"weight")],
]


def test_hostile_pages_read_as_the_reference_reads_them_or_go_to_it() -> None:
    for body in HOSTILE:
        for size in (1, 50):
            answer = typed(body, size, {})
            assert answer is None or answer == reference(body, size, {}), body


def test_pages_the_reference_refuses_are_left_to_it() -> None:
    for body in HOSTILE:
        if reference(body, 50, {}) is None:
            assert pages.page(body, 50, {}, {}) is None, body


def _pair_rows(variant: str, color: str, size: str, **second: Any) -> list[dict[str, Any]]:
    row = {"id_product_variant": variant, "reference": f"V-{variant}", "price": "19.500000",
           "compare_price": "0.00", "weight": "0.000000", "default_on": 0}
    return [{**row, "group_name": "Color", "variant_name": color, "color": "#00ff00"},
            {**row, "group_name": "Size", "variant_name": size, **second}]


def test_variants_in_row_pairs_read_as_the_reference_reads_them() -> None:
    """Two adjacent rows a variant (the store's layout, read with the option order decided once a product), in
    and against the remembered option order, with spellings the pair loop leaves to the general one."""
    rows = (_pair_rows("1", "Blue", "S", default_on="1") + _pair_rows("2", "Blue", "0123", price=7)
            + _pair_rows("3", "Lime", "S", weight="1.50", image={"id": "10", "url": "https://cdn/x.png?v=1"})
            + _pair_rows("4", "Lime", "M", default_on="yes", compare_price=None) + _pair_rows("5", "", "M"))
    rows[10:10] = [{**row, "price": price, "weight": weight} for row, price, weight in zip(
        _pair_rows("6", "Red", "S") + _pair_rows("7", "Red", "M") + _pair_rows("8", "Red", "L"),
        (3, 3, "24.99", "24.99", "24.99", "19.500000"), (None, None, "0.5", "0.5", "0.5", "0.5"), strict=True)]
    product = {"id": "1", "sku": "TS", "price": "19.5", "images": [{"id": "10", "url": "https://cdn/x.png?v=1"}]}
    for variants in (rows, rows[:4], rows[2:] + rows[:2], rows[:3], rows[8:]):
        body = json.dumps({"products": [{**product, "variants": variants}]}).encode()
        for facts in ({}, {"product:1": {"options": ["Size", "Color"]}}, {"image:10": {"src": "https://src/a.png"}}):
            answer = typed(body, 5, facts)
            assert answer is not None and answer == reference(body, 5, facts)


# Values of every JSON type, with the store's usual spellings over-represented.
ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.integers(), st.floats(allow_nan=True),
    st.sampled_from(["", "0", "1", "0123", " 1 ", "true", "19.500000", "1e3", "abc", "NaN", "-0", "#00ff00"]),
    st.text(max_size=6), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def sometimes(rare: st.SearchStrategy[Any], usual: st.SearchStrategy[Any], one_in: int = 12) -> st.SearchStrategy[Any]:
    return st.integers(0, one_in - 1).flatmap(lambda n: rare if n == 0 else usual)


def field(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a value the store gives, sometimes anything."""
    return sometimes(ODD, good, 40)


def with_extra(base: st.SearchStrategy[dict[str, Any]], keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """`base`, sometimes with one of `keys` (other spellings pydantic also reads, keys nobody reads) added."""
    extra = sometimes(st.dictionaries(st.sampled_from(keys), ODD, min_size=1, max_size=1), st.just({}), 10)
    return st.tuples(base, extra).map(lambda pair: {**pair[0], **pair[1]})


PRICE = field(st.sampled_from(["19.500000", "0.000000", "24.99", "", "7", 3]))
IMAGE = st.fixed_dictionaries({"id": field(st.sampled_from(["10", "11"]))},
                              optional={"url": field(st.sampled_from(["https://cdn/x.png?v=123", "https://cdn/y.png"]))})
ROW = with_extra(st.fixed_dictionaries(
    {"id_product_variant": field(st.sampled_from(["1", "2", "3"])),
     "group_name": field(st.sampled_from(["Color", "Size", "Style"])),
     "variant_name": field(st.sampled_from(["Blue", "S", "0123", "", None]))},
    optional={
        "id_variant_group": field(st.sampled_from(["1", "2", None])),
        "reference": field(st.sampled_from(["V-1", "0123"])),
        "price": PRICE, "compare_price": PRICE, "weight": PRICE,
        "default_on": field(st.sampled_from(["1", "0", 0, 1, None])), "color": field(st.sampled_from(["#00ff00", ""])),
        "image": field(st.one_of(st.none(), IMAGE)),
    },
), ["id_product_attribute", "attribute_name", "variant_id", "group", "group_id", "value", "sku", "quantity"])
PRODUCT = with_extra(st.fixed_dictionaries(
    {"id": field(st.sampled_from(["1", "2", "3"]))},
    optional={
        "id_category_default": field(st.sampled_from(["3", "25", "99", None])),
        "product_title": field(st.sampled_from(["Tee", None])), "title": field(st.just("Other")),
        "description": field(st.just("d")), "vendor": field(st.sampled_from(["v", None])),
        "sku": field(st.sampled_from(["TS", "0123", ""])),
        "price": PRICE, "compare_default_price": PRICE, "weight": PRICE,
        "status": field(st.sampled_from(["1", "0", 0, 1])), "visibility": field(st.sampled_from(["both", "none"])),
        "tags": field(st.sampled_from(["b,a, a", "", " x "])),
        "images": field(st.lists(IMAGE, max_size=3)), "variants": field(st.lists(ROW, max_size=6)),
    },
), ["category_id", "compare_price", "active", "date_add"])
FACTS = st.dictionaries(
    st.sampled_from(["product:1", "product:2", "image:10", "image:11"]),
    st.fixed_dictionaries({}, optional={
        "options": st.permutations(["Color", "Size", "Style"]).map(lambda p: p[:2]),
        "short_description": st.text(max_size=3), "src": st.sampled_from(["https://src/a.png", ""]),
    }),
)
BODY = with_extra(st.fixed_dictionaries({"products": field(st.lists(PRODUCT, max_size=4))}),
                  ["status", "error", "Error", "message"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODY, st.integers(1, 5), FACTS)
def test_typed_pages_read_exactly_as_the_reference_or_decline(body: dict[str, Any], size: int, facts: Facts) -> None:
    raw = json.dumps(body).encode()
    assert typed(raw, size, facts) in (None, reference(raw, size, facts))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4), st.integers(0, 60))
def test_bytes_json_refuses_are_never_decoded(junk: bytes, at: int) -> None:
    valid = b'{"products": [{"id": "1", "x": "abc", "n": 12, "variants": []}]}'
    body = valid[:at] + junk + valid[at:]
    decoded = pages.decode(body)
    if decoded is not None:   # json takes it too (it would raise here), and reads the same products
        assert len(json.loads(body.strip()).get("products", [])) == len(decoded.products)
