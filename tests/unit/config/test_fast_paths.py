"""Properties: each fast path of the catalog load (issue 13) gives exactly what the general code gave.

The references below are the code as it was before the fast paths (kept here, small and plain):
matrix expansion per combination, the matrix amount and sku rules over every combination, the
shared-value rule over every variant, and the YAML builder with no inlining.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from product_strategies import _product, list_products, matrix_products

from catalogctl.config import models, templates, validate, variant_rules, yaml_nodes
from catalogctl.config import store_rules as rules
from catalogctl.config.expand import (
    _MATRIX_PATH,
    ExpandedVariant,
    _colors,
    _matrix_image,
    _one,
    _or,
    amount,
    expand_variants,
    placeholders,
    render_sku,
)
from catalogctl.config.models import Product, VariantMatrix, value_color, value_name
from catalogctl.config.problems import Problem, Severity, error, warning
from catalogctl.config.scalars import IntText, scalar
from catalogctl.config.source import Position
from catalogctl.config.templates import TemplatePosition, explain
from catalogctl.config.variant_rules import no_discount
from catalogctl.model.address import variant_key

# ---- references: the code before the fast paths ------------------------------------------------


def reference_expand_matrix(product: Product, matrix: VariantMatrix) -> list[ExpandedVariant]:
    groups = list(matrix.matrix)
    expanded = []
    for combination in itertools.product(*matrix.matrix.values()):
        values = _one(tuple([_one((group, value_name(value))) for group, value in zip(groups, combination,
                                                                                       strict=True)]))
        names = dict(values)
        colors = _colors(tuple([(group, color) for group, value in zip(groups, combination, strict=True)
                                if (color := value_color(value))]))
        price = amount(matrix.price, names)
        expanded.append(ExpandedVariant(
            values=values,
            sku=render_sku(matrix.sku, names) if matrix.sku is not None else None,
            price=price if price is not None else product.price,
            compare_at_price=_or(amount(matrix.compare_at_price, names), product.compare_at_price),
            weight=_or(amount(matrix.weight, names), product.weight),
            weight_unit=matrix.weight_unit,
            default=matrix.default is not None and matrix.default == names,
            image=_matrix_image(matrix, names),
            path=_MATRIX_PATH,
            colors=colors,
        ))
    return expanded


def reference_matrix_amounts(matrix: VariantMatrix, expanded: Sequence[ExpandedVariant],
                             at: Callable[..., Any]) -> list[Problem]:
    problems = []
    for field, check in (("price", rules.price_problem), ("compare_at_price", rules.price_problem),
                         ("weight", rules.weight_problem)):
        checked: dict[Decimal, str | None] = {}
        for variant in expanded:
            value = getattr(variant, field)
            if value is None:
                continue
            problem = checked[value] if value in checked else checked.setdefault(value, check(value))
            if problem:
                problems.append(error(at("variants", field), f"{field} for {variant_key(variant.values)} {problem}",
                                      "check the base and the adjustments"))
                break
    overrides = matrix.price is not None or matrix.compare_at_price is not None
    unknown_placeholder = bool(matrix.sku) and bool(set(placeholders(matrix.sku or "")) - set(matrix.matrix))
    for variant in expanded:
        if not matrix.sku or unknown_placeholder:
            break
        problem = rules.reference_problem(variant.sku) if variant.sku else None
        if problem:
            problems.append(error(at("variants", "sku"), f"the sku template makes {variant.sku!r} for "
                                  f"{variant_key(variant.values)}, which {problem}", "use a shorter template"))
            break
    no_discounts = [v for v in expanded if overrides and no_discount(v.compare_at_price, v.price)]
    if no_discounts:
        problems.append(warning(at("variants", "compare_at_price") or at("compare_at_price"),
                                f"compare_at_price is not greater than price for {len(no_discounts)} of {len(expanded)}"
                                f" combinations (e.g. {variant_key(no_discounts[0].values)})",
                                "set compare_at_price above price, or leave it out"))
    return problems


def reference_shared_values(products: Sequence[Product]) -> list[Problem]:
    first: dict[tuple[str, str], tuple[str, str | None, str]] = {}
    problems = []
    for product in products:
        reported: set[tuple[str, str]] = set()
        for variant in expand_variants(product):
            for group, name in variant.values:
                key, color = (group.casefold(), name.casefold()), variant.colors.get(group)
                spelling, known_color, sku = first.setdefault(key, (name, color, product.sku))
                if sku == product.sku or key in reported:
                    continue
                path = (*variant.path, group) if variant.path[-1] == "matrix" else (*variant.path, "values", group)
                where = validate._at(product, *path)
                if spelling != name:
                    problems.append(error(where, f"{group} {name!r} is spelled {spelling!r} in product "
                                          f"{sku}", "the store keeps one spelling per value; use the same one"))
                elif color and known_color and color.upper() != known_color.upper():
                    problems.append(error(where, f"{group} {name!r} is {color} here but {known_color} "
                                          f"in product {sku}", "a value has one colour in the store; use one code"))
                else:
                    continue
                reported.add(key)
    return problems


class ReferenceBuilder(yaml_nodes.Builder):
    """The builder before inlining: every node through value(), every key through key()."""

    def key(self, node: Any) -> Any:
        self.count += 1
        if node.__class__ is yaml.ScalarNode:
            return scalar(node)
        raise yaml_nodes.Unsupported("a mapping or list used as a mapping key")

    def sequence(self, node: Any) -> Any:
        self._enter(node)
        data, items = [], []
        for child in node.value:
            item, spot = self.value(child)
            data.append(item)
            items.append((child.start_mark.line, child.start_mark.column, spot))
        self.depth -= 1
        return data, yaml_nodes.SeqSpot(node.start_mark.line, node.start_mark.column, tuple(items))

    def mapping(self, node: Any) -> Any:
        self._enter(node)
        data: dict[Any, Any] = {}
        entries: dict[Any, Any] = {}
        merges = []
        for key_node, value_node in node.value:
            if yaml_nodes._is_merge(key_node):
                merges.append(value_node)
                continue
            key = self.key(key_node)
            mark = key_node.start_mark
            if key in data:
                self.duplicates[(mark.line, mark.column)] = key
                continue
            data[key], spot = self.value(value_node)
            entries[key] = (mark.line, mark.column, value_node.start_mark.line, value_node.start_mark.column, spot)
        for merged in merges:
            self._merge(merged, data, entries)
        self.depth -= 1
        return data, yaml_nodes.MapSpot(node.start_mark.line, node.start_mark.column, entries)


# ---- the properties ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(matrix_products())
def test_matrix_expansion_equals_per_combination_expansion(data: dict[str, Any]) -> None:
    product = _product(data)
    assert isinstance(product.variants, VariantMatrix)
    assert list(expand_variants(product)) == reference_expand_matrix(product, product.variants)


@settings(max_examples=300, deadline=None)
@given(matrix_products(), matrix_products(), st.booleans())
def test_a_matrix_expanded_from_a_kept_shape_equals_per_combination_expansion(
    first: dict[str, Any], second: dict[str, Any], recolor: bool
) -> None:
    # the second product has the first's matrix (the combinations come from the kept shape), with its own sku
    # template, amounts, default and images; or the same value names in other colours (another shape)
    matrix = {group: [{**value, "color": "#ABCDEF"} if recolor and isinstance(value, dict) else value
                      for value in values] for group, values in first["variants"]["matrix"].items()}
    second = {**second, "sku": "Q", "options": first["options"], "variants": {
        **{key: value for key, value in second["variants"].items() if key not in ("default", "images")},
        "matrix": matrix}}
    for product in (_product(first), _product(second)):
        assert isinstance(product.variants, VariantMatrix)
        assert list(expand_variants(product)) == reference_expand_matrix(product, product.variants)


@settings(max_examples=300, deadline=None)
@given(matrix_products())
def test_matrix_amount_and_sku_rules_equal_the_rules_over_every_combination(data: dict[str, Any]) -> None:
    product = _product(data)
    assert isinstance(product.variants, VariantMatrix)
    at = variant_rules._locator(product)
    expanded = expand_variants(product)
    assert (variant_rules._matrix_amounts(product.variants, expanded, at)
            == reference_matrix_amounts(product.variants, expanded, at))


@settings(max_examples=200, deadline=None)
@given(st.lists(matrix_products() | list_products(), min_size=1, max_size=4))
def test_shared_values_rule_equals_the_rule_over_every_variant(items: list[dict[str, Any]]) -> None:
    products = [_product({**item, "sku": f"P{index}"}) for index, item in enumerate(items)]
    assert validate._shared_values(products) == reference_shared_values(products)


@settings(max_examples=200, deadline=None)
@given(st.lists(matrix_products() | list_products(), min_size=1, max_size=3),
       st.lists(st.integers(0, 2), min_size=1, max_size=8))
def test_shared_values_rule_over_repeated_matrices_equals_the_rule_over_every_variant(
    items: list[dict[str, Any]], repeats: list[int]
) -> None:
    # products with the same matrix share first_values' list, which the rule skips once it has settled it
    chosen = [*items, *(items[index % len(items)] for index in repeats)]
    products = [_product({**item, "sku": f"P{index}"}) for index, item in enumerate(chosen)]
    assert validate._shared_values(products) == reference_shared_values(products)


printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
scalars = st.one_of(st.text(printable, max_size=6), st.integers(-1000, 1000), st.booleans(), st.none(),
                    st.sampled_from(["0123", "1.50", "1e3", "yes", "~", "2024-01-02", "<<", "0o17", ".inf"]))
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(scalars, inner,
                                                                                              max_size=4),
                         max_leaves=30)
MERGES_AND_DUPLICATES = "x: &a {k: 1, j: [1, 2]}\ny: {<<: *a, k: 2}\nz: [*a, {<<: [*a], q: 1, q: 2}]\nk: 3\nk: 4\n"


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans(), st.sampled_from(["", MERGES_AND_DUPLICATES]))
def test_builder_equals_the_builder_without_inlining(document: Any, flow: bool, head: str) -> None:
    body = yaml.safe_dump({"v": document}, default_flow_style=flow, width=10**6)
    text = head + "doc:\n" + "".join(f"  {line}\n" for line in body.splitlines())
    root = yaml_nodes.compose(text)
    fast, reference = yaml_nodes.Builder(10_000), ReferenceBuilder(10_000)
    built, expected = fast.value(root), reference.value(root)
    assert built == expected
    assert [type(leaf) for leaf in _leaves(built[0])] == [type(leaf) for leaf in _leaves(expected[0])]
    assert (fast.count, fast.duplicates) == (reference.count, reference.duplicates)


def _leaves(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in (key, *_leaves(value))]
    if isinstance(data, list):
        return [leaf for value in data for leaf in _leaves(value)]
    return [data]


def test_display_path_follows_the_current_directory(tmp_path: Any, monkeypatch: Any) -> None:
    from pathlib import Path

    from catalogctl.config.source import display_path

    inner = tmp_path / "shop"
    inner.mkdir()
    file = inner / "products.yaml"
    monkeypatch.chdir(tmp_path)
    assert display_path(file) == str(Path("shop", "products.yaml"))
    monkeypatch.chdir(inner)
    assert display_path(file) == "products.yaml"  # the answer kept for the other directory is not reused
    monkeypatch.chdir(tmp_path.parent)
    assert display_path(Path("/elsewhere/x.yaml")) == "/elsewhere/x.yaml"


ANCHORED = "x-a: &a {k: [1, {z: [2, 3]}], j: {q: [4]}}\n"


@settings(max_examples=150, deadline=None)
@given(st.lists(documents, min_size=1, max_size=3), st.booleans())
def test_positions_of_every_path_equal_those_of_a_plain_build(items: list[Any], flow: bool) -> None:
    import tempfile
    from pathlib import Path

    from catalogctl.config import loader

    merged = "" if flow else "- {<<: *a, k: 5, m: [{<<: *a}]}\n- [*a, {n: *a}]\n"
    body = yaml.safe_dump(items, default_flow_style=True, width=10**6) if flow else yaml.safe_dump(
        {"products": items}, default_flow_style=False)
    text = ANCHORED + ("products: " if flow else "") + body + merged
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "c.yaml").write_text(text, encoding="utf-8")
        lazy = loader.load_raw(Path(directory)).sections["products"]
    full = loader._FileResult()
    loader._build(Path(directory, "c.yaml"), yaml_nodes.compose(text), yaml_nodes.Builder(loader.MAX_NODES), full)
    every = [entry[1] for entry in full.entries if isinstance(entry, tuple)]
    assert [item.data for item in lazy] == [item.data for item in every]
    for item, reference in zip(lazy, every, strict=True):
        for path in _paths(item.data):
            for key in (False, True):
                assert item.origin.at(path, key=key) == reference.origin.at(path, key=key), path


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    return [prefix, *(path for key, value in children for path in _paths(value, (*prefix, key))), (*prefix, "~x")]


RULE_TEXT = st.text(st.sampled_from([*"aZ09 -_", "\u00a0", "\u2003", "\t", "\n", "é", *rules.TAG_FORBIDDEN, ","]),
                    max_size=40) | st.text(max_size=12)
REFERENCE_RULES: dict[str, Callable[[str], str | None]] = {
    "catalog_name_problem": lambda v: rules._required(v) or rules._too_long(v, rules.MAX_TITLE)
    or rules._forbidden(v, rules.CATALOG_NAME_FORBIDDEN, "names"),
    "vendor_problem": lambda v: rules._too_long(v, rules.MAX_VENDOR)
    or rules._forbidden(v, rules.CATALOG_NAME_FORBIDDEN, "names"),
    "reference_problem": lambda v: rules._too_long(v, rules.MAX_REFERENCE)
    or rules._forbidden(v, rules.REFERENCE_FORBIDDEN, "skus"),
    "generic_name_problem": lambda v: rules._required(v) or rules._too_long(v, rules.MAX_GENERIC_NAME)
    or rules._forbidden(v, rules.GENERIC_NAME_FORBIDDEN, "names"),
    "tag_problem": lambda v: "contains a comma, which separates tags in the store; give each tag as its own list item"
    if "," in v else rules._required(v) or rules._too_long(v, rules.MAX_TAG)
    or rules._forbidden(v, rules.TAG_FORBIDDEN, "tags"),
}


@settings(max_examples=500, deadline=None)
@given(RULE_TEXT, st.integers(0, 140))
def test_field_rules_with_their_fast_answer_equal_the_full_checks(text: str, length: int) -> None:
    for value in (text, (text * (length // max(len(text), 1) + 1))[:length]):
        for name, reference in REFERENCE_RULES.items():
            assert getattr(rules, name)(value) == reference(value), (name, value)


@settings(max_examples=500, deadline=None)
@given(st.lists(RULE_TEXT, max_size=6), st.integers(0, 40))
def test_references_taken_is_reference_problem_of_each(texts: list[str], length: int) -> None:
    values = [*texts, ("x" * length)]
    assert rules.references_taken(values) == all(rules.reference_problem(v) is None for v in values)
    assert rules.references_taken(texts) == all(rules.reference_problem(v) is None for v in texts)


_FILES = [Path("/catalog/a.yaml"), Path("/catalog/b.yaml")]
_positions = st.builds(Position, st.sampled_from(_FILES), st.integers(1, 3), st.integers(1, 3))
_template_positions = st.builds(TemplatePosition, _positions, st.just("tee"), st.sampled_from(["A", "B", "C"]),
                                _positions)
_problems = st.builds(Problem, st.none() | _positions | _template_positions, st.sampled_from(list(Severity)),
                      st.sampled_from(["x 'A' is bad", "x 'B' is bad", "y", "no variant of 'C'"]),
                      st.none() | st.just("hint"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_problems, max_size=8), st.booleans())
def test_explain_without_a_template_line_equals_the_merge(problems: list[Problem], plain: bool) -> None:
    if plain:  # no problem at a template's line: the answer without the merge
        problems = [problem if not isinstance(problem.position, TemplatePosition)
                    else Problem(None, problem.severity, problem.message) for problem in problems]
    assert explain(problems) == templates._merged(list(problems))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(printable, max_size=40) | st.sampled_from(["S", " ", "", "a<b", "x,y", "Blue", "0123"]),
                max_size=12))
def test_name_and_tag_rules_kept_per_text_equal_the_rules(texts: list[str]) -> None:
    for text in [*texts, *texts, *(IntText(text) for text in texts if text.isdigit())]:  # each asked again
        assert models.generic_name_problem(text) == rules.generic_name_problem(text)
        assert models.tag_problem(text) == rules.tag_problem(text)
