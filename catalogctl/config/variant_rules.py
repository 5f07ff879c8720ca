"""Rules about one product's variants: options, value sets, defaults, colours, images, matrix amounts."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache, partial

from catalogctl.config import store_rules as rules
from catalogctl.config.expand import ExpandedVariant, expand_variants, matrix_shape, placeholders, sku_pieces
from catalogctl.config.models import Adjusted, ColorValue, Product, Variant, VariantMatrix, origin_of, value_name
from catalogctl.config.problems import Problem, error, note, warning
from catalogctl.config.source import Position
from catalogctl.model.address import variant_key


def no_discount(compare_at: Decimal | None, price: Decimal) -> bool:
    """A compare_at_price that is set (not 0) but not above the price: the store would show no discount."""
    return compare_at is not None and compare_at != 0 and compare_at <= price


def variant_problems(product: Product, groups: Mapping[str, str], *, notes: bool = True) -> list[Problem]:
    """Every problem with the product's variants; `groups` maps declared group names to their type.
    `notes=False` leaves out the notes (never faults): a load that only asks whether there is an error
    need not make (and locate) one for each of 10,000 matrices without a default."""
    at = _locator(product)
    match product.variants:
        case None | [] if product.options:
            listed = ", ".join(product.options)
            return [warning(at("options"), f"options lists {listed}, but the product has no variants",
                            "add variants, or leave options out")]
        case None | []:
            return []
        case list() if not product.option_names():  # a store variant is a combination of group values
            return [error(at("variants"), "the product has variants, but they set no options",
                          "list the variant groups in `options:` and give each variant `values:` such as "
                          "{Size: M}, or leave variants out")]
        case VariantMatrix() as matrix:
            expanded = expand_variants(product)  # asked once here, not once per rule
            problems = _matrix_problems(product, matrix, groups, at, expanded)
        case list() as variants:
            expanded = expand_variants(product)
            problems = _list_problems(product, variants, groups, at, expanded)
    problems += _default_problems(product, expanded, at, notes)
    problems += _image_problems(product, expanded, at)
    return problems


class _locator:
    def __init__(self, product: Product) -> None:
        self.origin = origin_of(product)

    def __call__(self, *path: str | int, key: bool = False) -> Position | None:
        return self.origin.at(path, key=key) if self.origin is not None else None


def _list_problems(product: Product, variants: list[Variant], groups: Mapping[str, str], at: _locator,
                   expanded: Sequence[ExpandedVariant] | None = None) -> list[Problem]:
    options = product.option_names()
    problems: list[Problem] = []
    seen: dict[frozenset[tuple[str, str]], int] = {}
    for index, variant in enumerate(variants):
        names = {group: value_name(value) for group, value in variant.values.items()}
        for option in options:
            if option not in names:
                problems.append(error(
                    at("variants", index, "values"), f"variants[{index}] does not set option {option!r}",
                    f"every variant sets each of the product's options: {', '.join(options)}",
                ))
        for group in names:
            if group not in options:
                problems.append(error(
                    at("variants", index, "values", group, key=True),
                    f"variants[{index}] sets {group!r}, which is not one of the product's options "
                    f"({', '.join(options)})",
                    _did_you_mean(group, options),
                ))
        key = frozenset((group, name.casefold()) for group, name in names.items())  # the store ignores case
        if key in seen:
            problems.append(error(at("variants", index), f"variants[{index}] has the same values as "
                                  f"variants[{seen[key]}] ({_key(names, options)})",
                                  "each variant needs a different combination of values"))
        seen.setdefault(key, index)
        for group, value in variant.values.items():
            if _wrong_kind(group, value, groups):
                problems += _color_problems(group, value, groups, partial(at, "variants", index, "values", group))
        overrides = variant.price is not None or variant.compare_at_price is not None
        if overrides and no_discount(_effective_compare(product, variant), variant.price or product.price):
            problems.append(warning(at("variants", index), f"variants[{index}] compare_at_price is not greater "
                                    f"than its price ({variant.price or product.price})",
                                    "set compare_at_price above price, or leave it out"))
    problems += _consistent_colors(product, expand_variants(product) if expanded is None else expanded, at)
    return problems


def _effective_compare(product: Product, variant: Variant) -> Decimal | None:
    return variant.compare_at_price if variant.compare_at_price is not None else product.compare_at_price


def _matrix_problems(
    product: Product, matrix: VariantMatrix, groups: Mapping[str, str], at: _locator,
    expanded: Sequence[ExpandedVariant] | None = None,
) -> list[Problem]:
    options = product.option_names()
    problems: list[Problem] = []
    for option in options:
        if option not in matrix.matrix:
            problems.append(error(at("variants", "matrix"), f"the matrix does not list option {option!r}",
                                  f"list values for each of the product's options: {', '.join(options)}"))
    # each group's value names from the matrix's shape (kept by its expansion, one for equal matrices)
    names = {group: group_names for group, group_names, _ in matrix_shape(product, matrix)}
    for group, values in matrix.matrix.items():
        if group not in options:
            problems.append(error(at("variants", "matrix", group, key=True),
                                  f"the matrix lists {group!r}, which is not one of the product's options "
                                  f"({', '.join(options)})", _did_you_mean(group, options)))
        if _plain_values(names[group], values, groups.get(group)):
            continue  # nearly every matrix: no value twice, each of its group's kind (asked in one pass each)
        seen: set[str] = set()
        for index, value in enumerate(values):
            name = value_name(value)
            if name.casefold() in seen:  # the store matches values regardless of case: S and s are one
                problems.append(error(
                    at("variants", "matrix", group, index), f"the matrix lists {group} {name!r} twice",
                    "each value may appear once per option; the store ignores case",
                ))
            seen.add(name.casefold())
            if _wrong_kind(group, value, groups):
                problems += _color_problems(group, value, groups, partial(at, "variants", "matrix", group, index))
    pieces = sku_pieces(matrix.sku) if matrix.sku is not None else None  # the template read once, not three times
    problems += _matrix_references(matrix, names, at, pieces)
    problems += _matrix_amounts(matrix, expand_variants(product) if expanded is None else expanded, at, names, pieces)
    return problems


def _plain_values(names: tuple[str, ...], values: list[str | ColorValue], kind: str | None) -> bool:
    """Whether a matrix group's values are distinct (case ignored) and each of the group's kind: the rule loop
    above would say nothing about them."""
    if not _distinct(names):
        return False
    if kind is None:
        return True
    # the set of the values' classes, made in C, not a generator's frame per group: every value is a ColorValue
    # in a colour group, and none is one in another
    classes = {*map(type, values)}
    return classes == _COLORED if kind == "color" else ColorValue not in classes


_COLORED = frozenset({ColorValue})


@lru_cache(maxsize=1024)
def _distinct(names: tuple[str, ...]) -> bool:
    """No name twice, case ignored: asked per distinct list of names (most products share their matrix's),
    not per product."""
    return len({name.casefold() for name in names}) == len(names)


def _matrix_references(matrix: VariantMatrix, names: Mapping[str, Sequence[str]], at: _locator,
                       pieces: Sequence[str] | None = None) -> list[Problem]:
    """`names`: each matrix group's value names, in order; `pieces`: sku_pieces of the sku template, if known."""
    problems: list[Problem] = []
    # the adjusted amounts in field order (most matrices have none: asked of the three fields before a pass)
    price, compare_at, weight = matrix.price, matrix.compare_at_price, matrix.weight
    adjusts = [(field, spec.adjust) for field, spec in (("price", price), ("compare_at_price", compare_at),
               ("weight", weight)) if isinstance(spec, Adjusted) and spec.adjust] if (
        isinstance(price, Adjusted) or isinstance(compare_at, Adjusted) or isinstance(weight, Adjusted)) else []
    # each group's names as a set, made only when a rule below looks names up
    needed = bool(matrix.images) or matrix.default is not None or bool(adjusts)
    listed = {group: set(values) for group, values in names.items()} if needed else {}
    for field, adjust in adjusts:
        for group, by_value in adjust.items():
            where = at("variants", field, "adjust", group, key=True)
            problems += _unlisted(listed, group, by_value, where, f"{field} adjusts")
    for group, by_value in matrix.images.items():
        problems += _unlisted(listed, group, by_value, at("variants", "images", group, key=True), "images name")
    if matrix.sku is not None:
        for name in placeholders(matrix.sku) if pieces is None else pieces[1::2]:
            if name not in names:
                problems.append(error(at("variants", "sku"), f"the sku template uses {{{name}}}, which is not a "
                                      "matrix option", _did_you_mean(name, list(names))
                                      or f"placeholders are {', '.join('{' + g + '}' for g in names)}"))
    if matrix.default is not None and not (
        set(matrix.default) == set(listed) and all(v in listed[g] for g, v in matrix.default.items())
    ):
        shown = ",".join(f"{g}={v}" for g, v in matrix.default.items())
        problems.append(error(at("variants", "default"), f"the default {shown} is not one of the matrix's combinations",
                              "give one listed value for every option of the matrix"))
    return problems


def _unlisted(listed: Mapping[str, set[str]], group: str, by_value: Mapping[str, object], where: Position | None,
              what: str) -> list[Problem]:
    if group not in listed:
        return [error(where, f"{what} {group!r}, which is not a matrix option", _did_you_mean(group, list(listed)))]
    return [error(where, f"{what} {group} {value!r}, which the matrix does not list")
            for value in by_value if value not in listed[group]]


def _matrix_amounts(matrix: VariantMatrix, expanded: Sequence[ExpandedVariant], at: _locator,
                    names: Mapping[str, Sequence[str]] | None = None,
                    pieces: Sequence[str] | None = None) -> list[Problem]:
    """Adjusted amounts must still be valid prices and weights; a missing discount is said once.

    When the matrix sets neither price nor compare_at_price, the product's own warning covers it.
    `names`: each group's value names (made from the matrix when not given); `pieces`: sku_pieces of the
    sku template (read again when not given).
    """
    problems = []
    amounts = matrix.price is not None or matrix.compare_at_price is not None or matrix.weight is not None
    for field, check in _AMOUNT_RULES if amounts else ():
        spec = getattr(matrix, field)
        if spec is None:
            continue  # every combination has the product's own amount, which its field checked with this rule
        # without adjustments every combination has the same amount: the first one stands for all
        variants = expanded if isinstance(spec, Adjusted) else expanded[:1]
        checked: dict[Decimal, str | None] = {}  # combinations mostly share an amount: check each once
        for variant in variants:
            value = getattr(variant, field)
            if value is None:
                continue
            problem = checked[value] if value in checked else checked.setdefault(value, check(value))
            if problem:
                problems.append(error(at("variants", field), f"{field} for {variant_key(variant.values)} {problem}",
                                      "check the base and the adjustments"))
                break
    overrides = matrix.price is not None or matrix.compare_at_price is not None
    if matrix.sku and pieces is None:
        pieces = sku_pieces(matrix.sku)
    # an unknown placeholder is reported on its own: the skus are looked at only without one (asked only when
    # some sku may not fit)
    unfit = bool(matrix.sku) and not _skus_fit(matrix, names, pieces)
    for variant in expanded if unfit and not set(pieces[1::2]) - set(matrix.matrix) else ():  # type: ignore[index]
        problem = rules.reference_problem(variant.sku) if variant.sku else None
        if problem:
            problems.append(error(at("variants", "sku"), f"the sku template makes {variant.sku!r} for "
                                  f"{variant_key(variant.values)}, which {problem}", "use a shorter template"))
            break
    no_discounts = [v for v in expanded if no_discount(v.compare_at_price, v.price)] if overrides else []
    if no_discounts:
        problems.append(warning(at("variants", "compare_at_price") or at("compare_at_price"),
                                f"compare_at_price is not greater than price for {len(no_discounts)} of {len(expanded)}"
                                f" combinations (e.g. {variant_key(no_discounts[0].values)})",
                                "set compare_at_price above price, or leave it out"))
    return problems


_AMOUNT_RULES = (("price", rules.price_problem), ("compare_at_price", rules.price_problem),
                 ("weight", rules.weight_problem))


def _skus_fit(matrix: VariantMatrix, names: Mapping[str, Sequence[str]] | None = None,
              pieces: Sequence[str] | None = None) -> bool:
    """Whether every sku the template makes is surely a valid reference, without making them: no placeholder
    outside the matrix, and the text and the values it can take neither too long nor holding a refused character.
    """
    if names is None:
        names = {group: [value_name(value) for value in values] for group, values in matrix.matrix.items()}
    if pieces is None:
        pieces = sku_pieces(matrix.sku or "")
    literal = pieces[::2]
    longest = sum(map(len, literal))
    clean = _REFERENCE_CHARACTER.search("".join(literal)) is None
    for group in pieces[1::2]:
        if group not in names:
            return False
        # a value list's longest name and whether one holds a refused character, once per distinct list (the
        # matrices of a catalog share them): one character is found in the joined text iff in one of its parts
        length, fine = _names_fit(tuple(names[group]))
        longest += length
        clean = clean and fine
    return longest <= rules.MAX_REFERENCE and clean


@lru_cache(maxsize=1024)
def _names_fit(names: tuple[str, ...]) -> tuple[int, bool]:
    """The longest name's length, and whether no name holds a character refused in a sku."""
    return max(map(len, names)), _REFERENCE_CHARACTER.search("".join(names)) is None


_REFERENCE_CHARACTER = re.compile(f"[{re.escape(rules.REFERENCE_FORBIDDEN)}]")


def _wrong_kind(group: str, value: str | ColorValue, groups: Mapping[str, str]) -> bool:
    """Whether _color_problems has something to say (asked first: most values are fine, and a locator each cost)."""
    kind = groups.get(group)
    return kind is not None and (kind == "color") != isinstance(value, ColorValue)


def _color_problems(
    group: str, value: str | ColorValue, groups: Mapping[str, str], where: Callable[[], Position | None]
) -> list[Problem]:
    """`where` is asked only for a problem: finding a position for each of 100,000 values cost more than the rule."""
    kind = groups.get(group)
    if kind == "color" and not isinstance(value, ColorValue):
        return [error(where(), f"{group} {value!r} needs a colour code: {group} is a color group",
                      f'write {{value: {value}, color: "#RRGGBB"}}')]
    if kind is not None and kind != "color" and isinstance(value, ColorValue):
        return [error(where(), f"{group} {value.value!r} has a colour code, but {group} is a {kind} group",
                      "write the value as a plain string, or declare the group with `type: color`")]
    return []


def _consistent_colors(product: Product, expanded: Sequence[ExpandedVariant], at: _locator) -> list[Problem]:
    first: dict[tuple[str, str], tuple[str, int]] = {}
    problems = []
    for index, variant in enumerate(expanded):
        for group, color in variant.colors.items():
            name = variant.value_of(group) or ""
            known = first.setdefault((group, name), (color, index))
            if known[0].upper() != color.upper():
                problems.append(error(at("variants", index, "values", group),
                                      f"{group} {name!r} is {color} here but {known[0]} in variants[{known[1]}]",
                                      "a value has one colour in the store; use the same code everywhere"))
    return problems


def _default_problems(product: Product, expanded: Sequence[ExpandedVariant], at: _locator,
                      notes: bool = True) -> list[Problem]:
    variants = product.variants
    unmarked = variants.__class__ is VariantMatrix and variants.default is None  # no combination is the default
    defaults = [] if unmarked else [index for index, variant in enumerate(expanded) if variant.default]
    if not expanded:
        return []
    if not defaults:
        if not notes:
            return []  # all the rule says of a product without a default is a note
        if isinstance(product.variants, VariantMatrix) and product.variants.default is not None:
            return []  # an invalid `default:` is reported by the matrix rules
        hint = ("set `default:` in the matrix" if isinstance(product.variants, VariantMatrix)
                else "mark one variant with `default: true`")
        return [note(at("variants"), f"no variant of {product.sku} is marked default; the first "
                     f"({variant_key(expanded[0].values)}) will be", hint)]
    return [error(at("variants", index, "default"), f"variants[{index}] is a second default variant "
                  f"(variants[{defaults[0]}] is already the default)", "a product has at most one default variant")
            for index in defaults[1:]]


def _image_problems(product: Product, expanded: Sequence[ExpandedVariant], at: _locator) -> list[Problem]:
    variants = product.variants
    if variants.__class__ is VariantMatrix and not variants.images:
        return []  # no combination has an image
    problems = []
    reported: set[str] = set()
    for variant in expanded:
        if variant.image is None or variant.image in product.images or variant.image in reported:
            continue
        reported.add(variant.image)
        where = at(*variant.path, "image") if variant.path[-1] != "matrix" else at("variants", "images")
        problems.append(error(where, f"variant image {variant.image!r} is not one of the product's images",
                              "add the url to the product's `images:` list"))
    return problems


def _key(names: Mapping[str, str], options: tuple[str, ...]) -> str:
    return variant_key(tuple((group, names[group]) for group in options if group in names))


def _did_you_mean(name: str, choices: tuple[str, ...] | list[str]) -> str | None:
    guess = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"did you mean {guess[0]!r}?" if guess else None
