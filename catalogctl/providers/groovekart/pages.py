"""list_products pages decoded straight from their bytes into typed structs (raw_page.py), then into resources.

The reference path parses a page to dicts (json), validates them into pydantic models (wire.py)
and converts those (convert.py): about 10 ms of CPU per 500-variant page, 3 s for a 10,000-product
store. Here msgspec decodes the bytes into structs that keep the store's raw values, and one pass
turns them into the same ProductReads. The structs accept only what the reference path accepts,
and normalize it with the same functions (wire._decimal, _flag, _text): anything else (another
type, a key spelled another way, a failure shape, a value the reference refuses) makes `page`
return None and the caller takes the reference path, which gives the answer or the error it
always gave. tests/unit/providers/groovekart/test_pages.py holds the two paths to the same result.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from msgspec import UNSET

from catalogctl.core import Facts
from catalogctl.model.address import Address, Kind, child, variant_key
from catalogctl.model.attributes import IMAGE_ID, LIVE_URL, OPTIONS_UNORDERED
from catalogctl.model.resource import Resource
from catalogctl.model.urls import without_cache_buster
from catalogctl.providers.groovekart import wire
from catalogctl.providers.groovekart.convert import ProductRead, _one_of, _upper
from catalogctl.providers.groovekart.raw_page import Number, RawProduct, RawRow, decode


class Page(NamedTuple):
    """A page as all_products wants it: how many rows came, and the page's own ones converted."""

    rows: int
    products: list[tuple[str | None, ProductRead]]


def page(content: bytes, page_size: int, titles: dict[str, str], facts: Facts) -> Page | None:
    """A list_products body as ProductReads of its first `page_size` rows, or None (see the module)."""
    raw = decode(content)
    if raw is None:
        return None
    try:
        converter = _Converter(titles, facts)
        products = raw.products
        _check_all(products[page_size:])   # the next page's first row: validated here, read there
        return Page(len(products), [(p.id, converter.read(p)) for p in products[:page_size]])
    except Exception:   # the reference path raises the error the store's answer deserves, or reads it
        return None


_FLAGS: dict[str | int | None, bool] = {"1": True, "0": False, 1: True, 0: False, None: False}
"""wire._flag of the usual values (True and False hash as 1 and 0, and read the same)."""


def _flag(value: str | int | bool | None) -> bool:
    known = _FLAGS.get(value)
    return wire._flag(value) if known is None else known


def _text(value: str | None) -> str:
    return "" if value is None else value


_DECIMALS: dict[str | None, Decimal] = {None: Decimal(0)}


def _decimal(value: Number) -> Decimal:
    """wire._decimal, remembered per text (a store repeats few prices)."""
    known = _DECIMALS.get(value)   # type: ignore[arg-type]
    if known is None:
        known = wire._decimal(value)
        if value.__class__ is str:   # not ints: 1 and True are one key, and wire._decimal refuses True
            if len(_DECIMALS) > 65536:
                _DECIMALS.clear()
                _DECIMALS[None] = Decimal(0)
            _DECIMALS[value] = known   # type: ignore[index]
    return known


def _check_all(products: Iterable[RawProduct]) -> None:
    """What the reference validates of rows the conversion does not read: every number. (The page's
    own rows are checked as they are converted: _variants and _variant check the rows they skip.)"""
    for product in products:
        for numbers in {(r.price, r.compare_price, r.weight) for r in product.variants}:
            for number in numbers:
                _decimal(number)
        _decimal(product.price)
        _decimal(product.compare_price)
        _decimal(product.weight)


@lru_cache(maxsize=4096)
def _tag_list(tags: str) -> tuple[str, ...]:
    return tuple(sorted({t.strip() for t in tags.split(",") if t.strip()}))


@lru_cache(maxsize=8192)
def _keyed(values: tuple[tuple[str, str], ...]) -> tuple[tuple[tuple[str, str], ...], str]:
    """(the one object for these values, their variant key)."""
    values = _one_of(values)
    return values, variant_key(values)


class _Converter:
    """convert.ProductRead.of over raw structs: the same resources, attrs in the same order."""

    def __init__(self, titles: dict[str, str], facts: Facts) -> None:
        self.titles, self.facts = titles, facts

    def read(self, product: RawProduct) -> ProductRead:
        facts = self.facts
        resources, active = self.resources(product)
        return ProductRead(_text(product.sku), active, int(product.id or 0), resources,
                           f"product:{product.id}" in facts)

    def resources(self, product: RawProduct) -> tuple[list[Resource], bool]:
        facts = self.facts
        known = facts.get(f"product:{product.id}", {})
        rows = product.variants
        pairs = _pair_groups(rows)
        if pairs is None:
            read = tuple(dict.fromkeys(map(_GROUP, rows)))
        else:   # the same, from the layout: no hash of each row's (new) group string
            read = pairs if pairs[0] != pairs[1] else pairs[:1]
        remembered = tuple(known.get("options", ()))
        if sorted(remembered) == sorted(read):
            options, ordered = remembered, True
        else:
            options, ordered = read, len(read) < 2
        main, active = self.product(product, known, options, ordered)
        parent = main.address
        result = [main]
        shown: dict[str, str] = {}   # image id -> the url a variant showing it shows (its source when state knows it)
        for position, image in enumerate(product.images):   # one loop (four comprehensions a product before)
            url = without_cache_buster(_text(image.url))
            src = facts.get(f"image:{image.id}", {}).get("src") or None   # state's source; None: unknown
            result.append(Resource.owning(child(Kind.IMAGE, str(position), parent), {"src": src, "position": position},
                                          image.id, {LIVE_URL: url}))
            shown[image.id] = src or url
        rank = {group: at for at, group in enumerate(options)}
        if pairs is None:
            _variants(parent, _grouped(rows), rank, len(options), shown, result)
        else:
            _in_pairs(rows, pairs, rank, len(options), parent, shown, result)
        return result, active

    def product(self, product: RawProduct, known: Any, options: tuple[str, ...],
                ordered: bool) -> tuple[Resource, bool]:
        title = product.product_title if product.product_title is not UNSET else product.title
        active = _flag(product.status)
        sku = _text(product.sku)
        attrs = {
            "sku": sku,
            "title": "" if title is UNSET or title is None else title,
            "description": _text(product.description),
            "short_description": known.get("short_description"),
            "vendor": _text(product.vendor),
            "category": self.titles.get(product.category_id or ""),
            "price": _decimal(product.price),
            "compare_at_price": _decimal(product.compare_price),
            "weight": _decimal(product.weight),
            "visibility": _text(product.visibility),
            "active": active,
            "tags": _tag_list(_text(product.tags)),
            "options": options,
        }
        extra = {} if ordered else {OPTIONS_UNORDERED: True}
        return Resource.owning(Address.for_product(sku), attrs, product.id, extra), active


_PAIRS: dict[tuple[str, str | None, str, str | None], tuple[tuple[tuple[str, str], ...], str]] = {}
"""_keyed of a two-value variant, by its (group, value, group, value) as the rows spell them."""


def _pair(key: tuple[str, str | None, str, str | None]) -> tuple[tuple[tuple[str, str], ...], str]:
    group_a, value_a, group_b, value_b = key
    found = _keyed(((group_a, _text(value_a)), (group_b, _text(value_b))))
    if len(_PAIRS) > 65536:
        _PAIRS.clear()
    _PAIRS[key] = found
    return found


_GROUP, _VARIANT_ID = attrgetter("group"), attrgetter("variant_id")
_NO_TEXT = object()   # no number text read yet

_BY_VALUES: dict[tuple[str, str], dict[tuple[str | None, str | None], tuple[tuple[tuple[str, str], ...], str]]] = {}
"""(group, group) in option order -> (value, value) -> _keyed of those two pairs (a store has few group pairs)."""


def _pair_groups(rows: list[RawRow]) -> tuple[str, str] | None:
    """(the group of every first row, of every second) when the rows come as the store writes them: two adjacent
    rows per variant, each id once, every first row of one group and every second of one; else None."""
    firsts, seconds = rows[0::2], rows[1::2]
    if not firsts or len(firsts) != len(seconds):
        return None
    ids = list(map(_VARIANT_ID, firsts))
    if ids != list(map(_VARIANT_ID, seconds)) or len(set(ids)) != len(ids):
        return None
    groups, others = list(map(_GROUP, firsts)), list(map(_GROUP, seconds))
    group, other = groups[0], others[0]
    if groups.count(group) != len(groups) or others.count(other) != len(others):   # compares, not hashes
        return None
    return group, other


def _in_pairs(rows: list[RawRow], pairs: tuple[str, str], rank: dict[str, int], last: int, parent: Address,
              shown: dict[str, str], result: list[Resource]) -> None:
    """convert.variant_resource's resources of a product whose rows are in pairs (`_pair_groups`), appended to
    `result`, with the grouping and the option order decided once per product, not per variant; a variant whose
    numbers or flags are not the usual spellings is made by `_variant`."""
    firsts, seconds = rows[0::2], rows[1::2]
    group, other = pairs
    swapped = rank.get(group, last) > rank.get(other, last)
    by_values = _BY_VALUES.get((other, group) if swapped else (group, other))
    if by_values is None or len(by_values) > 65536:
        by_values = _BY_VALUES[(other, group) if swapped else (group, other)] = {}
    decimals, flags = _DECIMALS, _FLAGS
    # The last variant's number texts and their Decimals: a product's variants mostly repeat them, and a
    # compare of two texts costs less than the hash of a new string a lookup needs.
    price_text: Any = _NO_TEXT
    compare_text: Any = _NO_TEXT
    weight_text: Any = _NO_TEXT
    price = compare = weight = None
    for first, second in zip(firsts, seconds, strict=True):
        try:   # every lookup a subscript (a miss is rare: new values, unusual spellings)
            values, key = by_values[(second.value, first.value) if swapped else (first.value, second.value)]
            if first.price != price_text:
                price = decimals[first.price]
                price_text = first.price
            if first.compare_price != compare_text:
                compare = decimals[first.compare_price]
                compare_text = first.compare_price
            if first.weight != weight_text:
                weight = decimals[first.weight]
                weight_text = first.weight
            # read nowhere, checked: mostly the first row's texts again (a compare, not a hash of a new string)
            (second.price == first.price or decimals[second.price],
             second.compare_price == first.compare_price or decimals[second.compare_price],
             second.weight == first.weight or decimals[second.weight])
            default = flags[first.default_on] or flags[second.default_on]
        except KeyError:
            result.append(_variant(parent, first.variant_id, [first, second], rank, last, shown))
            _remember_pair(by_values, first, second, swapped)
            continue
        result.append(_two_rows(parent, key, first.variant_id, values, first, second,
                                (price, compare, weight, default), shown))


def _remember_pair(by_values: dict[tuple[str | None, str | None], tuple[tuple[tuple[str, str], ...], str]],
                   first: RawRow, second: RawRow, swapped: bool) -> None:
    """Keep the values and key of a (first, second) pair of rows, under their values in option order."""
    if swapped:
        first, second = second, first
    by_values[(first.value, second.value)] = _keyed(((first.group, _text(first.value)),
                                                     (second.group, _text(second.value))))


def _grouped(rows: list[RawRow]) -> dict[str, list[RawRow]]:
    """The rows per variant id, in the order the ids first come (convert.regroup)."""
    grouped: dict[str, list[RawRow]] = {}
    for row in rows:
        same = grouped.get(row.variant_id)
        if same is None:
            grouped[row.variant_id] = [row]
        else:
            same.append(row)
    return grouped


def _variants(parent: Address, grouped: dict[str, list[RawRow]], rank: dict[str, int], last: int,
              shown: dict[str, str], result: list[Resource]) -> None:
    """convert.variant_resource for each variant, its common two-row shape inline (100,000 calls at 10k)."""
    decimals, flags, pairs = _DECIMALS, _FLAGS, _PAIRS
    for variant_id, rows in grouped.items():
        first = rows[0]
        if len(rows) != 2:
            result.append(_variant(parent, variant_id, rows, rank, last, shown))
            continue
        second = rows[1]
        if rank.get(first.group, last) <= rank.get(second.group, last):
            key = (first.group, first.value, second.group, second.value)
        else:
            key = (second.group, second.value, first.group, first.value)
        values, variant = pairs.get(key) or _pair(key)
        if (default := flags.get(first.default_on)) is None:
            default = _flag(first.default_on)
        if not default and (default := flags.get(second.default_on)) is None:
            default = _flag(second.default_on)
        if (price := decimals.get(first.price)) is None:
            price = _decimal(first.price)
        if (compare := decimals.get(first.compare_price)) is None:
            compare = _decimal(first.compare_price)
        if (weight := decimals.get(first.weight)) is None:
            weight = _decimal(first.weight)
        if second.price not in decimals or second.compare_price not in decimals or second.weight not in decimals:
            _decimal(second.price), _decimal(second.compare_price), _decimal(second.weight)  # read nowhere: checked
        result.append(_two_rows(parent, variant, variant_id, values, first, second,
                                (price, compare, weight, default), shown))



def _two_rows(parent: Address, key: str, variant_id: str, values: tuple[tuple[str, str], ...], first: RawRow,
              second: RawRow, numbers: tuple[Decimal, Decimal, Decimal, bool], shown: dict[str, str]) -> Resource:
    """convert.variant_resource of a two-row variant whose (price, compare-at, weight, default) are read already:
    the one place both readers of the two-row shape build its resource."""
    price, compare, weight, default = numbers
    image = first.image if first.image is not None else second.image
    color = first.color or second.color
    sku = first.sku
    attrs = {
        "values": values,
        "color": _upper(color) if color else None,
        "sku": "" if sku is None else sku,
        "price": price,
        "compare_at_price": compare,
        "weight": weight,
        "weight_unit": None,
        "default": default,
        "image": None if image is None else shown.get(image.id, without_cache_buster(_text(image.url))),
    }
    return Resource.owning(child(Kind.VARIANT, key, parent), attrs, variant_id,
                           None if image is None else {IMAGE_ID: image.id})

def _variant(parent: Address, variant_id: str, rows: list[RawRow], rank: dict[str, int], last: int,
             shown: dict[str, str]) -> Resource:
    """One variant of any number of rows (convert.variant_resource)."""
    in_order = sorted(rows, key=lambda row: rank.get(row.group, last))
    values, key = _keyed(tuple([(row.group, _text(row.value)) for row in in_order]))
    first = rows[0]
    for row in rows[1:]:   # numbers read nowhere, checked here
        _decimal(row.price), _decimal(row.compare_price), _decimal(row.weight)
    color = next((row.color for row in rows if row.color), None)
    image = next((row.image for row in rows if row.image is not None), None)
    attrs = {
        "values": values,
        "color": _upper(color) if color else None,
        "sku": _text(first.sku),
        "price": _decimal(first.price),
        "compare_at_price": _decimal(first.compare_price),
        "weight": _decimal(first.weight),
        "weight_unit": None,
        "default": any([_flag(row.default_on) for row in rows]),
        "image": None if image is None else shown.get(image.id, without_cache_buster(_text(image.url))),
    }
    extra = {IMAGE_ID: image.id} if image is not None else {}
    return Resource.owning(child(Kind.VARIANT, key, parent), attrs, variant_id, extra)
