"""Templates: a templated product is checked and expanded exactly like the product written out in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogctl.config import check_catalog
from catalogctl.model.from_catalog import desired_resources

SHOP = """\
categories: [{title: T-Shirts}]
variant_groups:
  - {name: Color, type: color}
  - {name: Size}
templates:
  - name: tee-basic
    vendor: Inkwell
    category: T-Shirts
    price: 20.00
    tags: [cotton, tee]
    images:
      - https://img.example.com/{slug}/front.jpg
      - https://img.example.com/{slug}/back.jpg
    options: [Color, Size]
    variants:
      matrix:
        Color:
          - {value: Black, color: "#111111"}
          - {value: White, color: "#FFFFFF"}
        Size: [S, M, XL]
      sku: "{sku}-{Color}-{Size}"
      price: {base: 20.00, adjust: {Size: {XL: 2.00}}}
      default: {Color: Black, Size: M}
      images:
        Color:
          Black: https://img.example.com/{slug}/front.jpg
"""

EXPLICIT_A = """\
products:
  - sku: TEE-A
    title: Tee A
    vendor: Inkwell
    category: T-Shirts
    price: 20.00
    tags: [cotton, tee, summer]
    images:
      - https://img.example.com/tee-a/front.jpg
      - https://img.example.com/tee-a/back.jpg
    options: [Color, Size]
    variants:
      matrix:
        Color:
          - {value: Black, color: "#111111"}
          - {value: White, color: "#FFFFFF"}
        Size: [S, M, XL]
      sku: "TEE-A-{Color}-{Size}"
      price: {base: 21.00, adjust: {Size: {XL: 2.00}}}
      default: {Color: Black, Size: M}
      images:
        Color:
          Black: https://img.example.com/tee-a/front.jpg
"""

TEMPLATED_A = """\
products:
  - sku: TEE-A
    title: Tee A
    template: tee-basic
    tags: {add: [summer]}
    variants:
      price: {base: 21.00}
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _resources(root: Path) -> dict:
    result = check_catalog(root)
    assert result.ok, "\n".join(map(str, result.problems))
    return {address: resource.attrs for address, resource in desired_resources(result.catalog).items()}


def test_a_templated_product_expands_to_exactly_its_explicit_form(tmp_path: Path) -> None:
    templated = _write(tmp_path / "templated", {"shop.yaml": SHOP, "products/a.yaml": TEMPLATED_A})
    explicit = _write(tmp_path / "explicit", {"shop.yaml": SHOP.split("templates:")[0], "products/a.yaml": EXPLICIT_A})
    got, want = _resources(templated), _resources(explicit)
    assert got == want
    product = next(attrs for address, attrs in got.items() if str(address) == 'product["TEE-A"]')
    assert product["tags"] == ("cotton", "summer", "tee")  # {add:} extends the template's list
    assert any(attrs.get("sku") == "TEE-A-Black-XL" and attrs["price"] == 23 for attrs in got.values())


def test_lists_are_replaced_and_scalars_overridden(tmp_path: Path) -> None:
    product = "products:\n  - {sku: TEE-B, title: Tee B, template: tee-basic, tags: [plain], price: 30.00}\n"
    resources = _resources(_write(tmp_path, {"shop.yaml": SHOP, "products/b.yaml": product}))
    attrs = next(attrs for address, attrs in resources.items() if str(address) == 'product["TEE-B"]')
    assert attrs["tags"] == ("plain",)
    assert attrs["price"] == 30
    assert attrs["vendor"] == "Inkwell"


def test_placeholders_fill_from_the_product(tmp_path: Path) -> None:
    shop = SHOP.replace("vendor: Inkwell", "vendor: Inkwell\n    description: <p>{title} ({sku})</p>")
    product = "products:\n  - {sku: Tee_Été 01, title: Summer Tee, template: tee-basic}\n"
    resources = _resources(_write(tmp_path, {"shop.yaml": shop, "products/c.yaml": product}))
    attrs = next(attrs for address, attrs in resources.items() if str(address) == 'product["Tee_Été 01"]')
    assert attrs["description"] == "<p>Summer Tee (Tee_Été 01)</p>"
    images = sorted(a["src"] for a in resources.values() if "src" in a)
    assert images == ["https://img.example.com/tee-ete-01/back.jpg", "https://img.example.com/tee-ete-01/front.jpg"]


def test_placeholders_in_names_and_tags_are_checked_filled_in(tmp_path: Path) -> None:
    """`{ }` is refused in a vendor or a tag, so the template's own check reads the placeholders as plain
    text; validate, plan and `show product` then agree (validate refused what show printed)."""
    shop = SHOP.replace("vendor: Inkwell", 'vendor: "{title} Co"').replace("tags: [cotton, tee]",
                                                                         'tags: [cotton, "{slug}"]')
    product = "products:\n  - {sku: TEE-H, title: Harbor, template: tee-basic}\n"
    resources = _resources(_write(tmp_path, {"shop.yaml": shop, "products/h.yaml": product}))
    attrs = next(attrs for address, attrs in resources.items() if str(address) == 'product["TEE-H"]')
    assert attrs["vendor"] == "Harbor Co" and attrs["tags"] == ("cotton", "tee-h")


def _problems(root: Path) -> list[str]:
    return [f"{p.position.file.name}:{p.position.line}:{p.position.column}: {p.message}"
            + (f" [hint: {p.hint}]" if p.hint else "") for p in check_catalog(root).problems if p.is_error]


def test_unknown_template_names_the_product_line_and_guesses(tmp_path: Path) -> None:
    product = "products:\n  - sku: TEE-D\n    title: Tee D\n    template: tee-basci\n"
    problems = _problems(_write(tmp_path, {"shop.yaml": SHOP, "products/d.yaml": product}))
    assert problems == ["d.yaml:4:15: unknown template 'tee-basci' [hint: did you mean 'tee-basic'?]"]


def test_a_bad_value_in_a_template_points_at_the_template_and_names_the_products(tmp_path: Path) -> None:
    shop = SHOP.replace("vendor: Inkwell", "vendor: Ink<well")
    products = "products:\n  - {sku: TEE-E, title: Tee E, template: tee-basic}\n" \
               "  - {sku: TEE-F, title: Tee F, template: tee-basic}\n"
    problems = _problems(_write(tmp_path, {"shop.yaml": shop, "products/e.yaml": products}))
    assert len(problems) == 1, problems  # said once, not once per product
    assert problems[0].startswith("shop.yaml:7:13: vendor contains <")
    assert "(in template 'tee-basic', used by product 'TEE-E' at " in problems[0]
    assert problems[0].endswith("e.yaml:2:5 and 1 other product)")


def test_a_bad_override_points_at_the_product(tmp_path: Path) -> None:
    product = "products:\n  - sku: TEE-G\n    title: Tee G\n    template: tee-basic\n    vendor: Ink<well\n"
    problems = _problems(_write(tmp_path, {"shop.yaml": SHOP, "products/g.yaml": product}))
    assert problems == ["g.yaml:5:13: vendor contains <, which the store refuses in names (none of < > ; = # { })"]


def test_template_rules(tmp_path: Path) -> None:
    extra = ("  - name: tee-basic\n    price: 1.00\n"
             "  - name: nested\n    template: tee-basic\n")
    product = "products:\n  - sku: TEE-H\n    title: Tee H\n    price: 5.00\n    tags: {add: [x]}\n"
    problems = _problems(_write(tmp_path, {"shop.yaml": SHOP + extra, "products/h.yaml": product}))
    assert problems == [
        "h.yaml:5:11: tags: {add: [...]} extends a template's list, but this product uses no template "
        "[hint: write the whole list (`tags: [...]`), or name a template with `template:`]",
        f"shop.yaml:27:11: template 'tee-basic' is defined twice [hint: it is first defined at "
        f"{tmp_path.name}/shop.yaml:6:5]".replace(f"{tmp_path.name}/", _relative(tmp_path)),
        "shop.yaml:30:5: a template cannot use another template "
        "[hint: copy what it needs from the other template, or put it in the products]",
    ]


def _relative(root: Path) -> str:
    from catalogctl.config.source import display_path

    return display_path(root) + "/"


def test_a_template_with_an_unknown_field_is_an_error_at_its_line(tmp_path: Path) -> None:
    shop = SHOP.replace("    vendor: Inkwell\n", "    vendor: Inkwell\n    colour: red\n")
    problems = _problems(_write(tmp_path, {"shop.yaml": shop}))
    assert problems == ["shop.yaml:8:5: unknown field 'colour' [hint: did you mean 'color'?]"] or \
        problems[0].startswith("shop.yaml:8:5: unknown field 'colour'")


@pytest.mark.parametrize("section", ["templates"])
def test_templates_is_a_known_section_of_the_schema(section: str) -> None:
    from catalogctl.config.schema import catalog_schema

    schema = catalog_schema()
    assert section in schema["properties"]
    template = schema["$defs"]["ProductTemplate"]
    assert template["required"] == ["name"] and "sku" not in template["properties"]


def test_show_product_prints_the_expanded_product(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from catalogctl.cli import main

    main._register()
    cli = main.cli
    root = _write(tmp_path, {"shop.yaml": SHOP, "products/a.yaml": TEMPLATED_A})
    runner = CliRunner()
    result = runner.invoke(cli, ["show", "product", "tee-a", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    product = json.loads(result.output)["product"]
    assert product["template"] == "tee-basic" and product["vendor"] == "Inkwell"
    assert [v["sku"] for v in product["variants"]][:3] == ["TEE-A-Black-S", "TEE-A-Black-M", "TEE-A-Black-XL"]
    assert [v["price"] for v in product["variants"]][:3] == ["21", "21", "23"]
    assert [v["default"] for v in product["variants"]].count(True) == 1
    as_yaml = runner.invoke(cli, ["show", "product", "TEE-A", str(root)])
    assert as_yaml.exit_code == 0 and "  sku: TEE-A-White-XL\n" in as_yaml.output
    missing = runner.invoke(cli, ["show", "product", "TEE-Z", str(root)])
    assert missing.exit_code == 1 and "no product with sku 'TEE-Z'" in missing.output


def test_only_the_product_that_breaks_a_template_value_is_named(tmp_path: Path) -> None:
    products = ("products:\n  - {sku: TEE-A, title: Tee A, template: tee-basic}\n"
                "  - sku: TEE-B\n    title: Tee B\n    template: tee-basic\n"
                "    images: [\"https://img.example.com/{slug}/side.jpg\"]\n")
    problems = _problems(_write(tmp_path, {"shop.yaml": SHOP, "products/p.yaml": products}))
    assert len(problems) == 1 and problems[0].startswith("shop.yaml:25:9: variant image")
    assert "used by product 'TEE-B' at " in problems[0] and "TEE-A" not in problems[0]


def test_an_override_that_breaks_the_template_points_at_the_override(tmp_path: Path) -> None:
    products = ("products:\n  - sku: TEE-C\n    title: Tee C\n    template: tee-basic\n"
                "    variants:\n      matrix: {Size: [S, M]}\n")
    problems = _problems(_write(tmp_path, {"shop.yaml": SHOP, "products/p.yaml": products}))
    assert problems and all("used by product 'TEE-C' at " in p and "p.yaml:5:5)" in p for p in problems)
    assert any("adjusts Size 'XL'" in p for p in problems), problems


def test_null_drops_what_the_template_set(tmp_path: Path) -> None:
    variant_images = "      images:\n        Color:\n          Black: https://img.example.com/{slug}/front.jpg\n"
    shop = SHOP.replace(variant_images, "")
    product = "products:\n  - {sku: TEE-N, title: Tee N, template: tee-basic, images: null, tags: null}\n"
    resources = _resources(_write(tmp_path, {"shop.yaml": shop, "products/n.yaml": product}))
    attrs = next(attrs for address, attrs in resources.items() if str(address) == 'product["TEE-N"]')
    assert attrs["tags"] == () and not any("src" in a for a in resources.values())


def test_show_product_works_while_another_product_has_an_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from catalogctl.cli import main

    main._register()
    products = TEMPLATED_A + "  - {sku: BAD, title: Bad, template: nope}\n"
    root = _write(tmp_path, {"shop.yaml": SHOP, "products/a.yaml": products})
    result = CliRunner().invoke(main.cli, ["show", "product", "TEE-A", str(root)])
    assert result.exit_code == 0 and "sku: TEE-A-Black-S" in result.stdout
    assert "the catalog has 1 error" in result.stderr
    missing = CliRunner().invoke(main.cli, ["show", "product", "BAD", str(root)])
    assert missing.exit_code == 1 and "unknown template 'nope'" in missing.output


def test_templates_are_catalog_syntax_not_a_section_a_store_could_refuse() -> None:
    from catalogctl.config import check_catalog
    from catalogctl.providers.registry import get_provider
    from catalogctl.session import unmanaged_sections

    catalog = check_catalog(Path(__file__).resolve().parents[3] / "examples" / "pod-store").catalog
    assert catalog.templates  # pod-store uses them
    notes = unmanaged_sections(catalog, get_provider("groovekart"))
    assert not any("templates" in note for note in notes), notes
