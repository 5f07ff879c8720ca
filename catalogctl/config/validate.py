"""Rules across items: unique identities and skus, references between sections, price sanity.

Schema-level rules (types, store character and length rules) are in `models`; the rules about
one product's variants are in `variant_rules`. Every rule reports with a file:line:column.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import chain
from operator import itemgetter

from pydantic import BaseModel

from catalogctl.config.expand import ExpandedVariant, FirstValues, expand_variants, first_values
from catalogctl.config.models import Catalog, Product, origin_of
from catalogctl.config.problems import Problem, error, warning
from catalogctl.config.renames import previous_sku_problems
from catalogctl.config.source import NodePath, Position
from catalogctl.config.variant_rules import no_discount, variant_problems


def semantic_problems(catalog: Catalog, *, notes: bool = True) -> list[Problem]:
    """Every cross-item problem of a catalog whose items already passed the schema; with `notes=False`,
    every one but the notes (facts, never faults: a load that finds no error drops them unread)."""
    problems: list[Problem] = []
    # the store finds categories, groups and webhooks by name regardless of case: "Shirts" is "shirts"
    problems += _duplicates("category title", ((c.title, c, ("title",)) for c in catalog.categories), fold=True)
    problems += _duplicates("variant group", ((g.name, g, ("name",)) for g in catalog.variant_groups), fold=True)
    problems += _duplicates("webhook name", ((w.name, w, ("name",)) for w in catalog.webhooks), fold=True)
    if _repeated_sku(catalog.products):  # each sku's place is looked for only when some sku repeats
        problems += _duplicates("sku", _all_skus(catalog.products))
    problems += previous_sku_problems(catalog.products, _located_skus)
    categories = [c.title for c in catalog.categories]
    groups = {g.name: g.type for g in catalog.variant_groups}
    for product in catalog.products:
        problems += _references(product, categories, groups)
        problems += _compare_at(product)
        problems += variant_problems(product, groups, notes=notes)
    problems += _shared_values(catalog.products)
    return problems


def _shared_values(products: Sequence[Product]) -> list[Problem]:
    """A value is one store object for every product: one spelling (case is ignored) and one colour."""
    first: dict[tuple[str, str], tuple[str, str | None, str]] = {}  # (group, folded value) -> spelling, colour, sku
    same: set[tuple[tuple[str, str], str | None]] = set()  # ((group, value), colour) exactly as first seen: fine
    problems = []
    # first_values gives products with the same matrix the same list: once each of its values is in `same`
    # (which only grows) it has nothing more to say (0.03 s of 10,000 products sharing one matrix). Kept by id,
    # with the list itself so that no other list takes its id.
    settled: dict[int, FirstValues] = {}
    for product in products:
        values = first_values(product)
        if id(values) in settled:
            continue
        reported: set[tuple[str, str]] = set()
        all_same = True  # every value of the product in `same` already
        # each (group, value, colour) once, where it first shows: seen again it decides the same (the
        # first spelling and colour are fixed by then), and a matrix repeats each value per combination
        for pair, color, at in values:
            if (pair, color) in same:
                continue  # the first spelling and colour (most values of a large catalog): nothing to say
            all_same = False
            group, name = pair
            key = (group.casefold(), name.casefold())
            if key not in first:
                same.add((pair, color))
            spelling, known_color, sku = first.setdefault(key, (name, color, product.sku))
            if sku == product.sku or key in reported:
                continue  # within one product, variant_rules reports it
            path = (*at, group) if at[-1] == "matrix" else (*at, "values", group)
            if spelling != name:
                problems.append(error(_at(product, *path), f"{group} {name!r} is spelled {spelling!r} in product "
                                      f"{sku}", "the store keeps one spelling per value; use the same one"))
            elif color and known_color and color.upper() != known_color.upper():
                problems.append(error(_at(product, *path), f"{group} {name!r} is {color} here but {known_color} "
                                      f"in product {sku}", "a value has one colour in the store; use one code"))
            else:
                continue
            reported.add(key)
        if all_same:
            settled[id(values)] = values
    return problems


def _at(item: BaseModel, *path: str | int, key: bool = False) -> Position | None:
    origin = origin_of(item)
    return origin.at(path, key=key) if origin is not None else None


# Where an entry is: (the item, the path inside it), made a position only when it is reported:
# finding a position in the YAML tree for each of 100,000 skus that are all unique cost more than
# checking them, and so did a closure per entry.
def _duplicates(what: str, entries: Iterable[tuple[str, BaseModel, NodePath]], fold: bool = False) -> list[Problem]:
    first: dict[str, tuple[str, BaseModel, NodePath]] = {}
    problems = []
    for entry in entries:
        name = entry[0]
        key = name.casefold() if fold else name
        if key not in first:
            first[key] = entry
            continue
        earlier, earlier_item, earlier_path = first[key]
        position, earlier_at = _at(entry[1], *entry[2]), _at(earlier_item, *earlier_path)
        if position is not None and position == earlier_at:
            problems.append(error(position, f"{what} {name!r} comes out more than once from this template",
                                  "put a placeholder for every option of the matrix in it, e.g. {Size}"))
            continue
        where = f"first at {earlier_at}" if earlier_at else "declared earlier"
        if earlier != name:
            problems.append(error(position, f"{what} {name!r} is the same as {earlier!r} to the store ({where})",
                                  "the store ignores case in these names; use one spelling"))
        else:
            problems.append(error(position, f"{what} {name!r} is used more than once ({where})",
                                  f"each {what} must be unique in the catalog"))
    return problems


_SKU: NodePath = ("sku",)
_MATRIX_SKU: NodePath = ("variants", "sku")


def _all_skus(products: Sequence[Product]) -> Iterator[tuple[str, BaseModel, NodePath]]:
    """Product skus and variant skus together: the store looks both up as one kind of reference."""
    for product in products:
        yield product.sku, product, _SKU
        for variant in expand_variants(product):
            if variant.sku:
                yield variant.sku, product, _MATRIX_SKU if variant.path[-1] == "matrix" else (*variant.path, "sku")


def _repeated_sku(products: Sequence[Product]) -> bool:
    # every variant's sku but the unset ones, gathered in C (map, chain, filter): the nested comprehension's
    # Python step per variant was most of this test, 100,000 times
    skus = [product.sku for product in products]
    skus += filter(None, map(_SKU_OF, chain.from_iterable(map(expand_variants, products))))
    return len(set(skus)) != len(skus)


_SKU_OF = itemgetter(ExpandedVariant._fields.index("sku"))  # ExpandedVariant.sku, as a C callable


def _located_skus(products: Sequence[Product]) -> Iterator[tuple[str, Callable[[], Position | None]]]:
    """_all_skus with a locator each, as renames.previous_sku_problems asks for them."""
    for sku, item, path in _all_skus(products):
        yield sku, partial(_at, item, *path)


def _references(product: Product, categories: list[str], groups: dict[str, str]) -> list[Problem]:
    problems = []
    if product.category is not None and product.category not in categories:
        problems.append(error(
            _at(product, "category"), f"category {product.category!r} is not declared in categories",
            _did_you_mean(product.category, categories) or "add it under `categories:` (in any file)",
        ))
    if product.options is not None:
        seen: set[str] = set()
        for index, option in enumerate(product.options):
            if option in seen:
                problems.append(error(_at(product, "options", index), f"option {option!r} is listed twice"))
            seen.add(option)
    for index, option in enumerate(product.option_names()):
        if option not in groups:
            where = _at(product, "options", index) if product.options is not None else _at(product, "variants")
            problems.append(error(
                where, f"option {option!r} is not a declared variant group",
                _did_you_mean(option, list(groups)) or "add it under `variant_groups:` with its type",
            ))
    return problems


def _compare_at(product: Product) -> list[Problem]:
    if not no_discount(product.compare_at_price, product.price):
        return []
    return [warning(
        _at(product, "compare_at_price"),
        f"compare_at_price {product.compare_at_price} is not greater than price {product.price}",
        "the store shows compare_at_price as the old price; set it above price, or leave it out",
    )]


def _did_you_mean(name: str, choices: Sequence[str]) -> str | None:
    guess = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f"did you mean {guess[0]!r}?" if guess else None

