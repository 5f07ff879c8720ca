"""`catalogctl fmt [--check] [DIR]`: the importer's layout, comments kept, meaning never changed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from reviewkit import EXAMPLES, run, snapshot

from catalogctl.review.fmt import format_text

MESSY = """# The products of the summer collection.
products:
- sku: "0123"      # kept as written: a string
  title:   Summer Tee
  price: 24.990
  tags: [cotton,   summer]
  options: [Size]
  variants:
      matrix:
          Size: [S, M]
      sku: "0123-{Size}"
"""


def test_check_lists_the_files_that_differ_and_exits_1_then_fmt_fixes_them(tmp_path: Path) -> None:
    (tmp_path / "products").mkdir()
    messy = tmp_path / "products" / "summer.yaml"
    messy.write_text(MESSY)
    tidy = tmp_path / "store.yaml"
    tidy.write_text("variant_groups:\n  - name: Size\n")
    check = run("fmt", "--check", tmp_path)
    assert check.exit_code == 1
    snapshot("fmt-check.txt", check.output.replace(str(tmp_path), "DIR"))
    assert messy.read_text() == MESSY   # --check changes nothing
    fixed = run("fmt", tmp_path)
    assert fixed.exit_code == 0 and fixed.output.strip() == str(messy)
    snapshot("fmt-summer.yaml", messy.read_text())
    assert "# kept as written: a string" in messy.read_text() and 'sku: "0123"' in messy.read_text()
    assert run("fmt", "--check", tmp_path).exit_code == 0
    assert run("validate", tmp_path).exit_code == 0


def test_the_examples_are_already_formatted() -> None:
    for example in ("tshirt-shop", "pod-store"):
        result = run("fmt", "--check", EXAMPLES / example)
        assert result.exit_code == 0, result.output


def test_a_file_that_is_not_yaml_is_a_clear_error_and_stays_as_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("products:\n  - sku: [unclosed\n")
    result = run("fmt", tmp_path)
    assert result.exit_code == 1 and "bad.yaml: not valid YAML" in result.output
    assert bad.read_text() == "products:\n  - sku: [unclosed\n"


_scalars = st.one_of(st.integers(-10**6, 10**6), st.booleans(), st.none(),
                     st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
                     st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6,
                                 max_value=10**6).map(str))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) |
                       st.dictionaries(st.text("abcdefgh_", min_size=1, max_size=6), inner, max_size=4),
                       max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["products", "categories", "webhooks", "store"]), _values, max_size=3),
       st.sampled_from([0, 2, 4]))
def test_formatting_is_idempotent_and_never_changes_the_data(data: dict, indent: int) -> None:
    import io

    from ruamel.yaml import YAML
    yaml = YAML(typ="rt")
    yaml.indent(mapping=max(indent, 2), sequence=max(indent, 2) + 2, offset=indent)
    stream = io.StringIO()
    yaml.dump(data, stream)
    text = stream.getvalue()
    once = format_text(text, "generated.yaml")   # raises if the meaning changed
    assert format_text(once, "generated.yaml") == once
