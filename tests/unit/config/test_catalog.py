"""Whole catalogs: the examples stay clean, every problem is collected, nested hints, load_catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogctl.config import InvalidCatalog, check_catalog, load_catalog
from catalogctl.config import store_rules as rules
from catalogctl.errors import ConfigError

EXAMPLES = Path(__file__).parents[3] / "examples"


@pytest.mark.parametrize("name", ["tshirt-shop", "pod-store"])
def test_examples_validate_without_any_problem(name: str) -> None:
    result = check_catalog(EXAMPLES / name)
    assert [str(p) for p in result.problems] == []


def test_example_files_point_editors_at_the_schema() -> None:
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        depth = len(path.relative_to(EXAMPLES.parent).parts) - 1
        assert first == f"# yaml-language-server: $schema={'../' * depth}schemas/catalog.schema.json", path


def test_pod_store_looks_like_a_real_store() -> None:
    catalog = load_catalog(EXAMPLES / "pod-store")
    assert len(catalog.products) == 25 and len(catalog.categories) == 4 and len(catalog.webhooks) == 2
    assert len(list((EXAMPLES / "pod-store" / "products").glob("*.yaml"))) == 25  # one product per file


def _write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def test_problems_from_every_file_are_reported_together(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "products:\n  - {sku: A, title: A, price: -1}\n")
    _write(tmp_path, "b.yaml", "products:\n  - {sku: A, title: B, price: 1, category: Nope}\n")
    _write(tmp_path, "c.yaml", "webhooks:\n  - {name: w, endpoint: 'http://x.example.com'}\n")
    messages = [(p.position.file.name, p.message) for p in check_catalog(tmp_path).problems if p.position]
    assert messages == [
        ("a.yaml", "price is negative (-1); a price must be 0 or more"),
        ("b.yaml", "category 'Nope' is not declared in categories"),
        ("c.yaml", "endpoint 'http://x.example.com' is not an https:// url"),
    ]


def test_unknown_fields_deep_inside_get_a_did_you_mean(tmp_path: Path) -> None:
    _write(tmp_path, "p.yaml", (
        "variant_groups: [{name: Size}, {name: Color, type: color}]\n"
        "products:\n"
        "  - sku: A\n    title: A\n    price: 1\n"
        "    variants:\n      - values: {Size: M}\n        prise: 2\n        defualt: true\n"
        "  - sku: B\n    title: B\n    price: 1\n"
        "    variants:\n      matrix: {Color: [{value: Red, colour: '#FF0000'}]}\n      defualt: {Color: Red}\n"
    ))
    found = [(p.message, p.hint) for p in check_catalog(tmp_path).problems if p.message.startswith("unknown")]
    assert found == [
        ("unknown field 'variants[0].prise'", "did you mean 'price'?"),
        ("unknown field 'variants[0].defualt'", "did you mean 'default'?"),
        ("unknown field 'variants.matrix.Color[0].colour'", "did you mean 'color'?"),
        ("unknown field 'variants.defualt'", "did you mean 'default'?"),
    ]


def test_load_catalog_raises_a_config_error_listing_every_error(tmp_path: Path) -> None:
    _write(tmp_path, "p.yaml", "products:\n  - {sku: A, title: 'A#', price: 1}\n  - {sku: B, title: B, price: -1}\n")
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(tmp_path)
    assert isinstance(caught.value, ConfigError)
    assert len([p for p in caught.value.problems if p.is_error]) == 2
    assert str(caught.value).startswith("the catalog has 2 errors:\n")
    assert "p.yaml:2:" in str(caught.value) and "p.yaml:3:" in str(caught.value)


def test_warnings_alone_keep_a_catalog_loadable(tmp_path: Path) -> None:
    _write(tmp_path, "p.yaml", "products:\n  - {sku: A, title: A, price: 5, compare_at_price: 4}\n")
    assert load_catalog(tmp_path).products[0].compare_at_price == 4


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (rules.catalog_name_problem, "Mugs & Cups", None),
        (rules.catalog_name_problem, "", "is empty; the store requires a value"),
        (rules.reference_problem, "TS.12345678", None),
        (rules.tag_problem, "line art", None),
        (rules.tag_problem, "on_sale",
         "contains _, which the store refuses in tags (none of < > = { } ! ; ? + # \" ° _ $ %)"),
        (rules.color_problem, "#00ff00", None),
        (rules.clean_html_problem, '<a href="javascript:alert(1)">x</a>',
         "contains a javascript: url, which the store refuses in descriptions"),
        (rules.clean_html_problem, "<p>Only <b>online</b> = great</p>", None),
        (rules.url_problem, "https://images.example-pod.com/a.jpg", None),
        (rules.url_problem, "images/a.jpg", "'images/a.jpg' is not an http:// or https:// url"),
    ],
)
def test_store_rules(check: object, value: str, expected: str | None) -> None:
    assert check(value) == expected  # type: ignore[operator]


def test_link_rewrite_matches_the_store() -> None:
    assert rules.link_rewrite("Crème Brûlée -- Mug (15oz)!") == "creme-brulee-mug-15oz"


def test_the_readme_examples_are_valid(tmp_path: Path) -> None:
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:catalog-format -->")[1].split("<!-- /section:catalog-format -->")[0]
    blocks = [block.split("```")[0] for block in section.split("```yaml\n")[1:]]
    full, matrix, templated = blocks[:3]
    lifecycle = next(block for block in blocks if "lifecycle:" in block)
    shared = "categories: [{title: T-Shirts}]\nvariant_groups: [{name: Color, type: color}, {name: Size}]\n"
    separate = tmp_path.with_name(tmp_path.name + "-templates")  # not inside the catalog checked below
    separate.mkdir()
    _write(separate, "shop.yaml", shared + templated)
    assert [str(p) for p in check_catalog(separate).problems] == []
    _write(tmp_path, "shop.yaml", full)
    head = "products:\n  - sku: HD-ZIP\n    title: Zip Hoodie\n    price: 49\n    images:\n"
    images = "      - https://cdn.example.com/hoodie/black.jpg\n      - https://cdn.example.com/hoodie/navy.jpg\n"
    _write(tmp_path, "hoodie.yaml", head + images + matrix)
    result = check_catalog(tmp_path)
    assert [str(p) for p in result.problems] == []
    assert len(result.catalog.products) == 2
    other = tmp_path.parent / f"{tmp_path.name}-lifecycle"  # outside the catalog just checked
    other.mkdir()
    _write(other, "shop.yaml", lifecycle)
    assert [str(p) for p in check_catalog(other).problems] == []
    renamed = next(block for block in blocks if "previous_skus:" in block)
    _write(other, "shop.yaml", renamed)
    result = check_catalog(other)
    assert [str(p) for p in result.problems] == []
    assert [p.previous_skus for p in result.catalog.products] == [["TS-CLASSIC"]]
