"""Properties: the catalog load's second round of fast paths (issue 13, session 5) gives exactly what the
code before them gave. The references below are that code, kept here small and plain: the matrix rules
that looked at every value and every combination, and first_values' sort by first combination.
"""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from product_strategies import _product, list_products, matrix_products

from catalogctl.config import expand, variant_rules
from catalogctl.config import store_rules as rules
from catalogctl.config.catalog import check_catalog
from catalogctl.config.expand import ExpandedVariant, expand_variants, first_values, placeholders
from catalogctl.config.models import Product, VariantMatrix, value_color, value_name
from catalogctl.config.problems import Problem, error, note, warning
from catalogctl.config.variant_rules import (
    _color_problems,
    _did_you_mean,
    _list_problems,
    _locator,
    _unlisted,
    _wrong_kind,
    no_discount,
)
from catalogctl.model.address import variant_key

# ---- references: the rules before this round's fast paths --------------------------------------


def reference_variant_problems(product: Product, groups: Mapping[str, str]) -> list[Problem]:
    at = _locator(product)
    match product.variants:
        case None | [] if product.options:
            return variant_rules.variant_problems(product, groups)  # unchanged: the same code answers
        case None | []:
            return []
        case list() if not product.option_names():
            return variant_rules.variant_problems(product, groups)
        case VariantMatrix() as matrix:
            problems = reference_matrix_problems(product, matrix, groups, at)
        case list() as variants:
            problems = _list_problems(product, variants, groups, at)
    expanded = expand_variants(product)
    problems += reference_default_problems(product, expanded, at)
    problems += reference_image_problems(product, expanded, at)
    return problems


def reference_matrix_problems(product: Product, matrix: VariantMatrix, groups: Mapping[str, str],
                              at: Any) -> list[Problem]:
    options = product.option_names()
    problems: list[Problem] = []
    for option in options:
        if option not in matrix.matrix:
            problems.append(error(at("variants", "matrix"), f"the matrix does not list option {option!r}",
                                  f"list values for each of the product's options: {', '.join(options)}"))
    for group, values in matrix.matrix.items():
        if group not in options:
            problems.append(error(at("variants", "matrix", group, key=True),
                                  f"the matrix lists {group!r}, which is not one of the product's options "
                                  f"({', '.join(options)})", _did_you_mean(group, options)))
        seen: set[str] = set()
        for index, value in enumerate(values):
            name = value_name(value)
            if name.casefold() in seen:
                problems.append(error(
                    at("variants", "matrix", group, index), f"the matrix lists {group} {name!r} twice",
                    "each value may appear once per option; the store ignores case",
                ))
            seen.add(name.casefold())
            if _wrong_kind(group, value, groups):
                problems += _color_problems(group, value, groups, partial(at, "variants", "matrix", group, index))
    problems += reference_matrix_references(matrix, at)
    problems += reference_matrix_amounts(matrix, expand_variants(product), at)
    return problems


def reference_matrix_references(matrix: VariantMatrix, at: Any) -> list[Problem]:
    listed = {group: {value_name(v) for v in values} for group, values in matrix.matrix.items()}
    problems: list[Problem] = []
    for field in ("price", "compare_at_price", "weight"):
        spec = getattr(matrix, field)
        adjust = getattr(spec, "adjust", None) or {}
        for group, by_value in adjust.items():
            where = at("variants", field, "adjust", group, key=True)
            problems += _unlisted(listed, group, by_value, where, f"{field} adjusts")
    for group, by_value in matrix.images.items():
        problems += _unlisted(listed, group, by_value, at("variants", "images", group, key=True), "images name")
    if matrix.sku is not None:
        for name in placeholders(matrix.sku):
            if name not in listed:
                problems.append(error(at("variants", "sku"), f"the sku template uses {{{name}}}, which is not a "
                                      "matrix option", _did_you_mean(name, list(listed))
                                      or f"placeholders are {', '.join('{' + g + '}' for g in listed)}"))
    if matrix.default is not None and not (
        set(matrix.default) == set(listed) and all(v in listed[g] for g, v in matrix.default.items())
    ):
        shown = ",".join(f"{g}={v}" for g, v in matrix.default.items())
        problems.append(error(at("variants", "default"), f"the default {shown} is not one of the matrix's combinations",
                              "give one listed value for every option of the matrix"))
    return problems


def reference_matrix_amounts(matrix: VariantMatrix, expanded: Sequence[ExpandedVariant], at: Any) -> list[Problem]:
    problems = []
    for field, check in (("price", rules.price_problem), ("compare_at_price", rules.price_problem),
                         ("weight", rules.weight_problem)):
        for variant in expanded:  # every combination, every field, as the rule reads
            value = getattr(variant, field)
            problem = check(value) if value is not None else None
            if problem:
                problems.append(error(at("variants", field), f"{field} for {variant_key(variant.values)} {problem}",
                                      "check the base and the adjustments"))
                break
    overrides = matrix.price is not None or matrix.compare_at_price is not None
    unknown_placeholder = bool(matrix.sku) and bool(set(placeholders(matrix.sku or "")) - set(matrix.matrix))
    for variant in expanded if matrix.sku else ():
        if unknown_placeholder:
            break
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


def reference_default_problems(product: Product, expanded: Sequence[ExpandedVariant], at: Any) -> list[Problem]:
    defaults = [index for index, variant in enumerate(expanded) if variant.default]
    if not expanded:
        return []
    if not defaults:
        if isinstance(product.variants, VariantMatrix) and product.variants.default is not None:
            return []
        hint = ("set `default:` in the matrix" if isinstance(product.variants, VariantMatrix)
                else "mark one variant with `default: true`")
        return [note(at("variants"), f"no variant of {product.sku} is marked default; the first "
                     f"({variant_key(expanded[0].values)}) will be", hint)]
    return [error(at("variants", index, "default"), f"variants[{index}] is a second default variant "
                  f"(variants[{defaults[0]}] is already the default)", "a product has at most one default variant")
            for index in defaults[1:]]


def reference_image_problems(product: Product, expanded: Sequence[ExpandedVariant], at: Any) -> list[Problem]:
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


def reference_first_values(product: Product) -> list[tuple[tuple[str, str], str | None, Any]]:
    """A matrix's values sorted by the first combination that shows each (value j of group k: j * stride k)."""
    assert isinstance(product.variants, VariantMatrix)
    groups = list(product.variants.matrix.items())
    strides, stride = [], 1
    for _, values in reversed(groups):
        strides.append(stride)
        stride *= len(values)
    strides.reverse()
    shown = sorted((index * strides[position], position, (group, value_name(value)), value_color(value) or None)
                   for position, (group, values) in enumerate(groups) for index, value in enumerate(values))
    return [(pair, color, ("variants", "matrix"))
            for pair, color in dict.fromkeys((pair, color) for *_, pair, color in shown)]


# ---- generated input (product_strategies.py, shared with test_fast_paths) --------------------

KINDS = st.fixed_dictionaries({}, optional={"Color": st.sampled_from(["color", "select"]),
                                            "Size": st.sampled_from(["select", "radio", "color"]),
                                            "Fit": st.sampled_from(["select", "color"])})


@st.composite
def odd_matrix_products(draw: st.DrawFn) -> dict[str, Any]:
    """matrix_products, sometimes with a plain value in Color, a colour in Size, an option the matrix lacks, or
    images and a default naming values the matrix does not list."""
    data = draw(matrix_products())
    matrix = data["variants"]["matrix"]
    if "Color" in matrix and draw(st.booleans()):
        matrix["Color"] = [*matrix["Color"], draw(st.sampled_from(["a", "Plain"]))]
    if "Size" in matrix and draw(st.booleans()):
        matrix["Size"] = [*matrix["Size"], {"value": "Tinted", "color": "#00FF00"}]
    if draw(st.booleans()):
        data["options"] = [*data["options"], "Extra"]
    if draw(st.booleans()):
        data["images"] = draw(st.lists(st.sampled_from(["https://img.example.com/a.png",
                                                        "https://img.example.com/b.png"]), max_size=2))
    if draw(st.booleans()):
        data["variants"]["images"] = {draw(st.sampled_from([*matrix, "Nope"])): {"zz": "https://img.example.com/b.png"}}
    return data


# ---- the properties ----------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(odd_matrix_products() | matrix_products() | list_products(), KINDS)
def test_variant_rules_equal_the_rules_over_every_value_and_combination(data: dict[str, Any],
                                                                         kinds: dict[str, str]) -> None:
    product = _product(data)
    assert variant_rules.variant_problems(product, kinds) == reference_variant_problems(product, kinds)


@settings(max_examples=300, deadline=None)
@given(odd_matrix_products() | matrix_products())
def test_first_values_of_a_matrix_equal_the_sort_by_first_combination(data: dict[str, Any]) -> None:
    product = _product(data)
    assert first_values(product) == reference_first_values(product)


def test_a_product_amount_the_matrix_leaves_alone_was_checked_by_the_products_own_field() -> None:
    """_matrix_amounts skips a field the matrix does not set: the product's own field refused the same values."""
    for field, bad in (("price", "-1"), ("compare_at_price", "1.1234567"), ("weight", "12345678901")):
        data = {"sku": "P", "title": "T", "price": 1, "options": ["Size"], "variants": {"matrix": {"Size": ["S"]}},
                field: bad}
        try:
            Product.model_validate(data)
        except ValueError as exc:
            assert field in str(exc)
        else:
            raise AssertionError(f"{field} {bad} passed the product's own rule")


def test_an_expansion_is_kept_while_its_product_lives_and_dropped_after() -> None:
    data = {"sku": "P", "title": "T", "price": 1, "options": ["Size"], "variants": {"matrix": {"Size": ["S", "M"]}}}
    product = Product.model_validate(data)
    first = expand_variants(product)
    assert expand_variants(product) is first and len(first) == 2
    key = id(product)
    assert key in expand._EXPANDED
    expand.forget(product)
    assert key not in expand._EXPANDED
    again = expand_variants(product)
    assert again == first and again is not first
    del product
    gc.collect()
    assert key not in expand._EXPANDED
    other = Product.model_validate({**data, "sku": "Q", "variants": {"matrix": {"Size": ["L"]}}})
    assert [variant.values for variant in expand_variants(other)] == [(("Size", "L"),)]


def test_a_replaced_entry_is_not_dropped_by_the_reference_of_the_product_before() -> None:
    data = {"sku": "P", "title": "T", "price": 1, "options": ["Size"], "variants": {"matrix": {"Size": ["S"]}}}
    product = Product.model_validate(data)
    expand_variants(product)
    old_reference = expand._EXPANDED[id(product)][0]
    expand.forget(product)
    expand_variants(product)  # a new entry, with its own reference
    expand._drop(old_reference)  # what the old reference's callback would do
    assert id(product) in expand._EXPANDED


def test_expanded_variants_compare_and_read_as_records() -> None:
    data = {"sku": "P", "title": "T", "price": Decimal("2.50"), "options": ["Size"],
            "variants": {"matrix": {"Size": ["S"]}, "sku": "P-{Size}"}}
    (variant,) = expand_variants(Product.model_validate(data))
    assert (variant.sku, variant.price, variant.value_of("Size"), variant.value_of("Color")) == ("P-S", Decimal("2.50"),
                                                                                                  "S", None)
    assert variant._replace(sku="X").sku == "X" and variant.sku == "P-S"
    assert not isinstance(variant.price, float) and dict(variant.colors) == {}


def reference_decimal_problem(value: Decimal, what: str) -> str | None:
    if not value.is_finite():
        return f"is not a finite number; {what} must be one"
    if value < 0:
        return f"is negative ({value}); {what} must be 0 or more"
    decimals = rules.decimal_places(value)
    if decimals > rules.MAX_DECIMALS:
        return f"has {decimals} decimals ({value}); the store keeps at most {rules.MAX_DECIMALS}"
    if value.adjusted() >= rules.MAX_PRICE_INTEGER_DIGITS:
        return (f"is too large ({value}); the store accepts at most {rules.MAX_PRICE_INTEGER_DIGITS} digits "
                "before the point")
    return None


DECIMALS = st.decimals(allow_nan=True, allow_infinity=True) | st.builds(
    lambda digits, exponent, sign: Decimal((sign, digits, exponent)),
    st.tuples(*[st.integers(0, 9)] * 3) | st.tuples(st.integers(0, 9)), st.integers(-9, 12), st.integers(0, 1))


@settings(max_examples=800, deadline=None)
@given(DECIMALS)
def test_amount_rules_with_their_fast_answer_equal_the_full_checks(value: Decimal) -> None:
    assert rules.price_problem(value) == reference_decimal_problem(value, "a price")
    assert rules.weight_problem(value) == reference_decimal_problem(value, "a weight")
    if value.is_finite() or not value.is_snan():
        assert rules.adjustment_problem(value) == reference_decimal_problem(value.copy_abs(), "an adjustment")


class _Dumper(yaml.SafeDumper):
    """Amounts written as YAML numbers (as a user writes `price: 19.50`), not as quoted text."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))


@settings(max_examples=120, deadline=None)
@given(odd_matrix_products() | list_products(), KINDS, st.booleans())
def test_variant_rules_in_a_real_file_say_the_same_at_the_same_file_line_column(
        data: dict[str, Any], kinds: dict[str, str], flow: bool) -> None:
    catalog = {"variant_groups": [{"name": name, "type": kind} for name, kind in kinds.items()], "products": [data]}
    text = yaml.dump(catalog, Dumper=_Dumper, default_flow_style=flow, sort_keys=False, width=10**6)
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "catalog.yaml").write_text(text, encoding="utf-8")
        result = check_catalog(directory)
        assert len(result.catalog.products) == 1, [str(p) for p in result.problems]
        product = result.catalog.products[0]
        fast = [str(problem) for problem in variant_rules.variant_problems(product, kinds)]
        assert fast == [str(problem) for problem in reference_variant_problems(product, kinds)]
        assert all(line in {str(problem) for problem in result.problems} for line in fast)
