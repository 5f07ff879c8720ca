"""`catalogctl validate` and `catalogctl schema` through click, as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogctl.cli import main
from catalogctl.config.schema import schema_text

ROOT = Path(__file__).parents[3]
Invoke = Callable[..., tuple[int, str]]


@pytest.fixture(scope="module")
def run() -> Invoke:
    main._register()
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(main.cli, list(args), catch_exceptions=False)
        return result.exit_code, result.output

    return invoke


def test_validate_examples_prints_the_summary(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert run("validate", "examples/tshirt-shop") == (0, "3 categories, 3 products, 12 variants, 1 webhook\n")
    assert run("validate", "examples/pod-store") == (0, "4 categories, 25 products, 295 variants, 2 webhooks\n")


def test_validate_defaults_to_the_current_directory(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "examples" / "tshirt-shop")
    assert run("validate")[0] == 0


def test_validate_errors_exit_1_with_relative_positions(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "p.yaml").write_text("products:\n  - sku: A\n    title: A\n    price: 1\n    colour: red\n")
    monkeypatch.chdir(tmp_path)
    code, output = run("validate", "cat")
    assert code == 1
    assert output == (
        "cat/p.yaml:5:5: error: unknown field 'colour'\n"
        "    hint: known fields: sku, title, description, short_description, vendor, category, price, "
        "compare_at_price, weight, visibility, active, tags, images, options, variants, template, previous_skus, "
        "lifecycle, cost\n"
        "1 error, 0 warnings: the catalog is not valid.\n"
    )


def test_warnings_are_printed_but_exit_0(run: Invoke, tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("products:\n  - {sku: A, title: A, price: 5, compare_at_price: 5}\n")
    code, output = run("validate", str(tmp_path))
    assert code == 0
    assert "warning: compare_at_price 5 is not greater than price 5" in output
    assert output.endswith("0 categories, 1 product, 0 variants, 0 webhooks\n")


@pytest.mark.parametrize("content", [None, b"\x00\x01\x02 binary", b"products: [\n", b"- a\n- b\n"])
def test_broken_input_is_one_clear_paragraph(run: Invoke, tmp_path: Path, content: bytes | None) -> None:
    if content is not None:
        (tmp_path / "x.yaml").write_bytes(content)
    code, output = run("validate", str(tmp_path))
    assert code == 1
    assert "Traceback" not in output and "error: " in output


def test_schema_prints_and_writes_the_same_text(run: Invoke, tmp_path: Path) -> None:
    code, output = run("schema")
    assert code == 0 and output == schema_text()
    out = tmp_path / "deep" / "catalog.schema.json"
    assert run("schema", "--out", str(out))[0] == 0
    assert out.read_text(encoding="utf-8") == schema_text()


def test_checked_in_schema_is_fresh() -> None:
    checked_in = (ROOT / "schemas" / "catalog.schema.json").read_text(encoding="utf-8")
    assert checked_in == schema_text(), "run: catalogctl schema --out schemas/catalog.schema.json"


def test_schema_describes_the_format() -> None:
    schema = json.loads(schema_text())
    assert set(schema["properties"]) == {"store", "categories", "variant_groups", "products", "webhooks", "staff",
                                          "templates"}
    assert schema["additionalProperties"] is False and "^x-" in schema["patternProperties"]
    product = schema["$defs"]["Product"]
    assert product["required"] == ["sku", "title", "price"]
    assert product["properties"]["sku"]["maxLength"] == 32
