"""The libyaml loader gives the data and positions ruamel's round-trip loader gave, on tricky YAML.

The reference is ruamel itself (as the old loader used it): every item's data must be equal with
the same types, and every path inside it (keys too) must point at the same line:column.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor

from catalogctl.config import check_catalog, yaml_nodes
from catalogctl.config.loader import SECTIONS, load_raw
from catalogctl.config.scalars import ScalarText, resolved
from catalogctl.config.source import NodePath, Origin

ROOT = Path(__file__).parents[3]
FILES = sorted([*ROOT.joinpath("examples").rglob("*.yaml"),
                *ROOT.joinpath("tests/unit/config/fixtures").rglob("*.yaml")])
TRICKY = {
    "anchors-and-merges": (
        "x-base: &base\n  title: Tee\n  price: 9.50\n  tags: &tags [a, b]\n"
        "x-more: &more {vendor: V, price: 1, weight: 0.2}\n"
        "products:\n"
        "  - <<: [*base, *more]\n    sku: A\n    extra: *tags\n"
        "  - sku: B\n    <<: *base\n    price: 7\n"
        "  - <<: *more\n    nested: {<<: *base, title: Inner}\n"
    ),
    "flow-style": "products: [{sku: A, title: 'T', price: 1.5, v: [1, {k: [x, y]}]}, plain, 12, ~]\n",
    "block-scalars": (
        "products:\n  - sku: A\n    description: |\n      <p>one</p>\n      <p>two</p>\n"
        "    short_description: >-\n      folded\n      text\n    keep: |+\n      kept\n\n    after: 1\n"
    ),
    "quoted-numbers": "products:\n  - {sku: '007', title: \"1.50\", price: '9', n: 007, f: 1.50, e: 1e3, u: 1_000}\n",
    "scalars": (
        "categories:\n  - {a: yes, b: on, c: true, d: False, e: null, f: ~, g: , h: 0x10, i: 0o17, j: 017,\n"
        "     k: 1_000, l: -0, m: .5, n: +1., o: .inf, p: -.Inf, q: .NaN, r: 2024-01-02, s: 2024-01-02 10:00:00,\n"
        "     t: 2024-01-02T10:00:00+02:00, u: 12:30, v: 1,000, w: '', x: !!int '12', y: !!float 3, z: !!bool yes}\n"
    ),
    "keys": "products:\n  - {1: one, 1.5: x, false: f, null: n, '2': two, 3: int}\n",
    "empty-values": "products:\n  - sku: A\n    title:\n    price:\n  -\n  - tags:\n    - \n    - x\n",
    "store-and-webhooks": "store:\n  currency: USD\n  x: [1, 2]\nwebhooks:\n- name: a\n  endpoint: https://e.example/a\n",
    "unicode": "products:\n  - {sku: ÄÖ-1, title: \"caf\\u00e9 \\U0001F600\", note: 'it''s'}\n",
    "bom-and-crlf": "\ufeffproducts:\r\n  - sku: A\r\n    title: 'x\r\n      y'\r\n    d: |\r\n      a\r\n    e: 1\r\n",
    "astral-characters": "products:\n  - {sku: 😀😀, title: 😀, price: 1}\n  - title: ü\n    sku: x\n",
    "comments-and-docs": "%YAML 1.2\n---\n# c\nproducts: # c\n  - sku: A # c\n...\n",
}


class _DecimalConstructor(RoundTripConstructor):
    """The old loader's constructor: YAML floats as Decimal from their text."""

    def construct_decimal(self, node: Any) -> Decimal | str:
        text = str(node.value).replace("_", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        return number if number.is_finite() else text


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", _DecimalConstructor.construct_decimal)


def _plain(node: Any) -> Any:
    """The old loader's conversion of ruamel data to plain Python."""
    if isinstance(node, dict):
        return {_plain(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    if isinstance(node, bool | Decimal) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    return node


def _reference(path: Path) -> dict[str, list[tuple[Any, Origin]]]:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DecimalConstructor
    document = yaml.load(path.read_text(encoding="utf-8"))
    sections: dict[str, list[tuple[Any, Origin]]] = {name: [] for name in SECTIONS}
    for name, value in (document.items() if isinstance(document, dict) else ()):
        if name not in SECTIONS or value is None or (name != "store") is not isinstance(value, list):
            continue  # the loader reports these (tested in test_loader.py)
        if name == "store":
            sections[name].append((_plain(value), Origin(path, value)))
            continue
        for index, item in enumerate(value):
            if not hasattr(item, "lc"):  # a scalar item: the old loader's stand-in with the item's position
                line, column = value.lc.item(index)
                item = SimpleNamespace(lc=SimpleNamespace(line=line, col=column))
            sections[name].append((_plain(value[index]), Origin(path, item)))
    return sections


def _typed(value: Any) -> Any:
    """Data with every leaf's type spelled out, so Decimal('1') and 1 and True are told apart.

    A number or date the loader kept as its text is compared by what YAML means by it (its `.value`).
    """
    if isinstance(value, ScalarText):
        return _typed(value.value)
    if isinstance(value, dict):
        return {repr(_typed(key)): _typed(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_typed(inner) for inner in value]
    return (type(value).__name__, value)


def _paths(value: Any, ours: NodePath = (), theirs: NodePath = ()) -> list[tuple[NodePath, NodePath, Any]]:
    """(our path, ruamel's path, value) of every node in our data: our keys are text, ruamel's `1` is an int."""
    paths = [(ours, theirs, value)]
    if isinstance(value, dict):
        for key, inner in value.items():
            meant = key.value if isinstance(key, ScalarText) else key
            if isinstance(meant, str | int) and not isinstance(meant, bool):
                paths += _paths(inner, (*ours, key), (*theirs, meant))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            paths += _paths(inner, (*ours, index), (*theirs, index))
    return paths


def _assert_same_as_ruamel(path: Path) -> int:
    """Compare every item and every position; returns how many positions were compared."""
    raw = load_raw(path)
    reference = _reference(path)
    compared = 0
    for name in SECTIONS:
        ours = raw.sections[name]
        assert [_typed(item.data) for item in ours] == [_typed(data) for data, _ in reference[name]], name
        for item, (_, origin) in zip(ours, reference[name], strict=True):
            for our_path, their_path, value in _paths(item.data):
                for key in (False, True):
                    if value is None and not key and our_path:
                        continue  # an empty value: libyaml marks it after its key, ruamel at the next token
                    assert item.origin.at(our_path, key=key) == origin.at(their_path, key=key), (our_path, key)
                    compared += 1
    return compared


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml and with PyYAML's pure-Python parser (the fallback without libyaml)."""
    if request.param == "pure-python":
        monkeypatch.setattr(yaml_nodes, "WITH_LIBYAML", False)
    else:
        assert yaml_nodes.WITH_LIBYAML, "PyYAML here was built without libyaml: the fast path is not tested"
    return str(request.param)


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_yaml_loads_as_ruamel_loaded_it(name: str, parser: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(TRICKY[name], encoding="utf-8")
    assert _assert_same_as_ruamel(path) > 0


def test_every_example_and_fixture_loads_as_ruamel_loaded_it(parser: str) -> None:
    readable = [path for path in FILES if "duplicate-key" not in path.name and "syntax-error" not in path.name]
    assert len(readable) > 40
    # nodes compared (pod-store shrank to ~2,600 when it moved to templates)
    assert sum(_assert_same_as_ruamel(path) for path in readable) > 2_500


def test_yaml_1_2_scalars_and_merged_positions(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(TRICKY["scalars"] + TRICKY["anchors-and-merges"].replace("products:\n", "products:\n", 1))
    raw = load_raw(path)
    scalars = {key: (value, resolved(value)) for key, value in raw.sections["categories"][0].data.items()}
    assert [scalars[key] for key in "abchij"] == [("yes", "yes"), ("on", "on"), (True, True), ("0x10", 16),
                                                  ("0o17", 15), ("017", 17)]  # (text kept, YAML's value)
    assert [scalars[key] for key in "kmovxy"] == [("1_000", 1000), (".5", Decimal("0.5")), (".inf", ".inf"),
                                                  ("1", 1), ("12", 12), ("3", Decimal(3))]  # `1,000` in flow: 1
    first = raw.sections["products"][0]
    assert first.data["price"] == "9.50" and resolved(first.data["price"]) == Decimal("9.50")
    assert first.data["vendor"] == "V"  # earlier merge wins
    assert (first.origin.at(("price",), key=True).line, first.origin.at(("vendor",)).line) == (7, 9)
    second = raw.sections["products"][1]
    assert second.data["price"] == "7" and second.origin.at(("price",)).line == 16  # its own key beats the merge


def test_an_empty_value_points_just_after_its_key(tmp_path: Path) -> None:
    # ruamel pointed at the next token (the following key's line): the key's own line says more
    path = tmp_path / "p.yaml"
    path.write_text("products:\n  - sku: A\n    title:\n    price: 1\n")
    title = load_raw(path).sections["products"][0].origin.at(("title",))
    assert (title.line, title.column) == (3, 11)


def test_explicit_str_and_unknown_tags_give_text(tmp_path: Path) -> None:
    # ruamel gave TaggedScalar objects here, which no schema field accepts: text is what was meant
    path = tmp_path / "p.yaml"
    path.write_text("products:\n  - {a: !!str 12, b: ! 12, c: =, d: !custom 5}\n")
    data = load_raw(path).sections["products"][0].data
    assert data == {"a": "12", "b": "12", "c": "=", "d": "5"} and resolved(data["b"]) == 12


def test_every_duplicate_key_is_reported_and_the_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(
        "x-base: &b {k: 1, k: 2}\n"
        "products:\n  - sku: A\n    <<: *b\n    k: 3\n    sku: B\n    title: T\n    title: U\n"
        "categories: []\ncategories: []\n"
    )
    (tmp_path / "ok.yaml").write_text("categories:\n  - title: Mugs\n")
    result = check_catalog(tmp_path)
    assert [(p.position.line, p.position.column, p.message) for p in result.problems if p.position] == [
        (1, 19, "duplicate key 'k'"), (6, 5, "duplicate key 'sku'"), (8, 5, "duplicate key 'title'"),
        (10, 1, "duplicate key 'categories'"),
    ]
    assert [c.title for c in result.catalog.categories] == ["Mugs"] and result.catalog.products == []


@pytest.mark.parametrize(("text", "message"), [
    ("products:\n  - sku: A\n---\ncategories: []\n",
     "3:1: YAML syntax error: but found another document expected a single document in the stream "
     "that starts at line 1, column 1"),
    ("products:\n  - {sku: A, title: B\n",
     "3:1: YAML syntax error: expected ',' or '}', but got '<stream end>' while parsing a flow mapping "
     "that starts at line 2, column 5"),
    ("products:\n\t- sku: A\n", "2:1: YAML syntax error: found character '\\t' that cannot start any token"),
    ("products:\n  - sku: *nope\n", "2:10: YAML syntax error: found undefined alias 'nope'"),
    ("products:\n  - <<: 5\n", "2:9: YAML syntax error: expected a mapping or list of mappings for merging, "
     "but found scalar while constructing a mapping that starts at line 2, column 5"),
])
def test_errors_are_worded_as_ruamel_worded_them(text: str, message: str, parser: str, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(text)
    [problem] = load_raw(tmp_path).problems
    assert problem.position is not None
    assert f"{problem.position.line}:{problem.position.column}: {problem.message}" == message


def test_what_ruamel_takes_but_the_catalog_cannot_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "k.yaml").write_text("products:\n  - ? [a, b]\n    : x\n")
    [problem] = load_raw(tmp_path).problems
    assert problem.message == "not valid YAML: a mapping or list used as a mapping key"


def test_alias_bomb_is_capped_by_the_pure_python_fallback_too(parser: str, tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 7)]
    (tmp_path / "bomb.yaml").write_text("x-bomb:\n" + "".join(f"  {line}\n" for line in levels)
                                        + "categories: [{title: Kept}]\nproducts: [*a6]\n")
    raw = load_raw(tmp_path)
    assert [p.message for p in raw.problems] == [
        "the file expands to over 1,000,000 values (through anchors and aliases); it was not read"]
    assert [item.data for item in raw.sections["categories"]] == [{"title": "Kept"}]  # as the old loader did


def _block_nesting(levels: int) -> str:
    """Block mappings (no brackets) nesting `levels` deep, counting the file's mapping and the list."""
    lines = ["products:", "  - k0:"]
    lines += [" " * (6 + 2 * n) + f"k{n + 1}:" for n in range(levels - 3)]
    return "\n".join(lines) + " x\n"


@pytest.mark.parametrize(("text", "where"), [
    # our limit (100) is checked by the loader itself, so every parser and library version says the same:
    ("products:\n  - " + "[" * 99 + "]" * 99 + "\n", None),  # 101 levels with the file's mapping and list
    ("products:\n  - " + "[" * 98 + "]" * 98 + "\n", "ok"),  # exactly 100: still read
    ("products:\n  - " + "[" * 500 + "]" * 500 + "\n", None),  # libyaml composes it; Python could not
    ("products:\n  - " + "[" * 1000 + "]" * 1000 + "\n", None),  # libyaml >= 0.2.5 (PyYAML 6.0.4) refuses
    ("products:\n  - " + "[" * 5000 + "]" * 5000 + "\n", None),
    ("products:\n  - " + "{a: " * 300 + "1" + "}" * 300 + "\n", (2, 5 + 98 * 4)),
    (_block_nesting(101), (100, 7 + 2 * 97)),
    ("x-deep: " + "[" * 300 + "]" * 300 + "\nproducts: []\n", (1, 9 + 99)),  # not built, still checked
    ("store:\n  a: " + "[" * 99 + "]" * 99 + "\n", (2, 6 + 98)),
])
def test_absurd_nesting_is_a_clear_error_not_a_traceback(text: str, where: Any, parser: str, tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text(text)
    problems = load_raw(tmp_path).problems
    if where == "ok":
        assert problems == []
        return
    [problem] = problems
    assert problem.message == "lists or mappings nested more than 100 levels deep here; the file was not read"
    assert problem.position is not None
    # the position is the first list or mapping past the limit: the 101st level
    assert (problem.position.line, problem.position.column) == (where or (2, 5 + 98))


def test_deep_nesting_after_a_syntax_error_reports_the_syntax_error(parser: str, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("products:\n  - {sku: A\n  - " + "[" * 2000 + "\n")
    [problem] = load_raw(tmp_path).problems
    assert problem.message.startswith("YAML syntax error: ")


def test_an_alias_that_nests_too_deep_is_caught_while_building(parser: str, tmp_path: Path) -> None:
    # each file level is shallow, but expanding the aliases nests 50 x 3 levels
    anchors = ["x-a0: &a0 [x]"] + [f"x-a{n}: &a{n} [[[*a{n - 1}]]]" for n in range(1, 50)]
    (tmp_path / "alias.yaml").write_text("\n".join(anchors) + "\nproducts: [*a49]\n")
    [problem] = load_raw(tmp_path).problems
    assert problem.message.startswith("lists or mappings nested more than 100 levels deep here")
