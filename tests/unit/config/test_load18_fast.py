"""Properties: the catalog load's fast paths of issue 13's eighteenth session give what the general code gives.

- load_catalog runs the cross-item rules without their notes and reports only when that finds an error:
  it must accept exactly the catalogs check_catalog finds no error in, and raise exactly its problems.
- Matrix skus are the template's literal prefix joined to the rest's skus, kept per (rest, options, shape):
  they must be what render_sku makes of each combination.
"""

from __future__ import annotations

import gc
import itertools
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from product_strategies import _product, list_products, matrix_products

from catalogctl.config import validate, variant_rules
from catalogctl.config.catalog import check_catalog, load_catalog
from catalogctl.config.expand import _shape, _skus, expand_variants, render_sku
from catalogctl.config.models import Product, VariantMatrix
from catalogctl.config.problems import InvalidCatalog, Problem, Severity
from catalogctl.config.validate import semantic_problems

FIXTURES = Path(__file__).parent / "fixtures" / "bad"
EXAMPLES = Path(__file__).parents[3] / "examples"
CATALOGS = [*sorted(FIXTURES.glob("*.yaml")), FIXTURES, *sorted(path for path in EXAMPLES.iterdir() if path.is_dir())]


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)  # messages that name another position print it relative to here


def _outcome(path: Path | str) -> tuple[str, list[str]]:
    """What load_catalog does with the catalog: its products' skus, or the error text and every problem."""
    try:
        catalog = load_catalog(path)
    except InvalidCatalog as exc:
        return str(exc), [str(problem) for problem in exc.problems]
    return "loaded", [product.sku for product in catalog.products]


def _reference_outcome(path: Path | str) -> tuple[str, list[str]]:
    """load_catalog as it was: check_catalog with every note, then raise if it holds an error."""
    result = check_catalog(path)
    if not result.ok:
        exc = InvalidCatalog(result.problems)
        return str(exc), [str(problem) for problem in exc.problems]
    return "loaded", [product.sku for product in result.catalog.products]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_load_catalog_raises_or_loads_as_check_catalog_says(path: Path) -> None:
    assert _outcome(path) == _reference_outcome(path)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_the_rules_without_notes_say_everything_else_in_the_same_order(path: Path) -> None:
    catalog = check_catalog(path).catalog
    noted = semantic_problems(catalog)
    assert semantic_problems(catalog, notes=False) == [p for p in noted if p.severity is not Severity.NOTE]


def test_a_valid_catalog_with_notes_and_warnings_loads_and_a_failing_one_counts_once() -> None:
    with _catalog({"products": [
        {"sku": "A", "title": "A", "price": 5, "compare_at_price": 4,  # a warning
         "options": ["Size"], "variants": {"matrix": {"Size": ["S", "M"]}, "sku": "A-{Size}"}},  # a note
    ], "variant_groups": [{"name": "Size", "type": "select"}]}) as directory:
        severities = {problem.severity for problem in check_catalog(directory).problems}
        assert severities == {Severity.WARNING, Severity.NOTE}
        counts: list[int] = []
        assert [p.sku for p in load_catalog(directory, counts.append).products] == ["A"]
        assert counts == [1]
    with _catalog({"products": [{"sku": "A", "title": "A", "price": 5, "category": "Nope",
                                 "options": ["Size"], "variants": {"matrix": {"Size": ["S"]}}}],
                   "variant_groups": [{"name": "Size", "type": "select"}]}) as directory:
        counts.clear()
        with pytest.raises(InvalidCatalog) as raised:
            load_catalog(directory, counts.append)
        assert counts == [1]  # the report reuses the checked catalog: the files are not read again
        assert [p.severity for p in raised.value.problems] == [Severity.ERROR, Severity.NOTE]
        assert raised.value.problems == check_catalog(directory).problems


@settings(max_examples=150, deadline=None)
@given(st.lists(matrix_products() | list_products(), min_size=1, max_size=3), st.booleans())
def test_generated_catalogs_load_as_check_catalog_says(products: list[dict[str, Any]], category: bool) -> None:
    for number, product in enumerate(products):
        product["sku"] = f"P{number}"
        if category:
            product["category"] = "Shirts"
    data = {"categories": [{"title": "Shirts"}] if len(products) % 2 else [],
            "variant_groups": [{"name": "Color", "type": "color"}, {"name": "Size", "type": "select"}],
            "products": products}
    with _catalog(data) as directory:
        assert _outcome(directory) == _reference_outcome(directory)


@settings(max_examples=300, deadline=None)
@given(matrix_products() | list_products(), st.sampled_from([{}, {"Color": "color", "Size": "select"}]))
def test_variant_rules_without_notes_drop_only_the_notes(data: dict[str, Any], kinds: dict[str, str]) -> None:
    product = _product(data)
    noted: list[Problem] = variant_rules.variant_problems(product, kinds)
    quiet = variant_rules.variant_problems(product, kinds, notes=False)
    assert quiet == [problem for problem in noted if problem.severity is not Severity.NOTE]


LITERALS = st.text(alphabet="B-0{}%s", max_size=6)


@settings(max_examples=400, deadline=None)
@given(matrix_products(), st.lists(st.tuples(LITERALS, st.sampled_from(["Color", "Size", "Fit", "Nope", ""])),
                                   max_size=3), st.lists(LITERALS, min_size=1, max_size=3))
def test_matrix_skus_are_render_sku_of_each_combination(data: dict[str, Any], parts: list[tuple[str, str]],
                                                        prefixes: list[str]) -> None:
    """Templates of every kind (braces and % in the text, unknown and empty placeholders, none at all), the
    same rest after several prefixes (the kept skus of the rest then answer), each against render_sku."""
    matrix = _product(data).variants
    assert isinstance(matrix, VariantMatrix)
    groups, shape = tuple(matrix.matrix), _shape(matrix)
    names = [dict(zip(groups, combination, strict=True)) for combination in
             itertools.product(*[names for _, names, _ in shape])]
    rest = "".join("{" + name + "}" + text for text, name in parts)
    for prefix in [*prefixes, *prefixes]:  # each prefix twice: the second time from the kept rest
        template = prefix + rest
        assert _skus(template, groups, shape) == [render_sku(template, each) for each in names]


@settings(max_examples=200, deadline=None)
@given(st.lists(matrix_products(), min_size=2, max_size=4))
def test_expanded_matrix_skus_of_products_sharing_a_matrix_are_their_own(products: list[dict[str, Any]]) -> None:
    """Products with the same matrix and sku pattern but their own prefix: each expansion has its own skus."""
    matrix = products[0]["variants"]
    for number, data in enumerate(products):
        data["options"], data["variants"] = products[0]["options"], {**matrix, "sku": f"P{number}-" + "-".join(
            "{" + group + "}" for group in matrix["matrix"])}
        product = _product(data)
        template = data["variants"]["sku"]
        assert [variant.sku for variant in expand_variants(product)] == [
            render_sku(template, dict(variant.values)) for variant in expand_variants(product)]
        assert all(variant.sku.startswith(f"P{number}-") for variant in expand_variants(product))


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float",
                                                                              str(value)))


class _catalog:
    """A temporary catalog directory holding `data` as one YAML file."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.directory = tempfile.TemporaryDirectory()

    def __enter__(self) -> str:
        text = yaml.dump(self.data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
        Path(self.directory.name, "catalog.yaml").write_text(text, encoding="utf-8")
        return self.directory.name

    def __exit__(self, *_: object) -> None:
        self.directory.cleanup()


def _reference_repeated_sku(products: list[Product]) -> bool:
    skus = [product.sku for product in products]
    skus += [variant.sku for product in products for variant in expand_variants(product) if variant.sku]
    return len(set(skus)) != len(skus)


@settings(max_examples=200, deadline=None)
@given(st.lists(matrix_products() | list_products(), min_size=1, max_size=4),
       st.lists(st.sampled_from(["P", "P-S", "P-a", "Q", ""]), max_size=4))
def test_a_repeated_sku_is_found_as_by_every_variant_in_turn(products: list[dict[str, Any]],
                                                             skus: list[str]) -> None:
    """Products and variant skus that clash or not (the same product sku, a variant sku equal to another's,
    unset variant skus), each sku gathered in C against the comprehension over every variant."""
    for number, data in enumerate(products):
        data["sku"] = f"P{number % 2}"
        if isinstance(data["variants"], list):
            for variant, sku in zip(data["variants"], skus, strict=False):
                if sku:
                    variant["sku"] = sku
    built = [_product(data) for data in products]
    assert validate._repeated_sku(built) == _reference_repeated_sku(built)


@pytest.mark.parametrize("enabled", [True, False])
def test_a_load_leaves_the_collector_as_it_found_it(enabled: bool) -> None:
    """load_catalog and check_catalog run in heap.big_heap: after them, loaded or not, the cyclic collector is
    on or off and has the thresholds it had (inside a command's own big_heap, off with that block's)."""
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    try:
        (gc.enable if enabled else gc.disable)()
        gc.set_threshold(700, 10, 10)
        check_catalog(EXAMPLES / "tshirt-shop")
        assert load_catalog(EXAMPLES / "tshirt-shop").products
        with pytest.raises(InvalidCatalog):
            load_catalog(FIXTURES / "unknown-category.yaml")
        assert (gc.isenabled(), gc.get_threshold()) == (enabled, (700, 10, 10))
    finally:
        (gc.enable if was_enabled else gc.disable)()
        gc.set_threshold(*thresholds)
