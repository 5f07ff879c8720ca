"""The loader: files found, positions kept, numbers as Decimal, anchors, and clear file-level errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from catalogctl.config import Severity, check_catalog, origin_of
from catalogctl.config.loader import MAX_FILE_BYTES, _read_bytes, catalog_files, load_raw


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _messages(root: Path) -> list[str]:
    return [f"{p.severity}: {p.message}" for p in check_catalog(root).problems]


def _walk(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [item for key, inner in value.items() for item in (key, *_walk(inner))]
    if isinstance(value, list):
        return [item for inner in value for item in _walk(inner)]
    return [value]


def test_finds_yaml_and_yml_recursively_but_skips_targets_file_and_hidden_dirs(tmp_path: Path) -> None:
    for name in ("a.yaml", "sub/b.yml", "catalogctl.yaml", ".catalogctl/state.yaml", ".git/x.yaml", "notes.txt"):
        _write(tmp_path, name, "categories: []\n")
    assert [p.relative_to(tmp_path).as_posix() for p in catalog_files(tmp_path)] == ["a.yaml", "sub/b.yml"]


def test_items_keep_their_file_line_and_column_across_files(tmp_path: Path) -> None:
    _write(tmp_path, "shop.yaml", "categories:\n  - title: Mugs\n")
    _write(tmp_path, "products/mug.yaml", "# a mug\nproducts:\n  - sku: MUG-1\n    title: Mug\n    price: 9\n")
    result = check_catalog(tmp_path)
    assert result.ok
    product = result.catalog.products[0]
    origin = origin_of(product)
    assert origin is not None
    assert (origin.file.name, origin.position.line, origin.position.column) == ("mug.yaml", 3, 5)
    price = origin.at(("price",))
    assert (price.line, price.column) == (5, 12)
    assert origin_of(result.catalog.categories[0]).position.line == 2  # type: ignore[union-attr]


def test_floats_arrive_as_decimal_from_their_source_text(tmp_path: Path) -> None:
    _write(tmp_path, "p.yaml", "products:\n  - {sku: A, title: A, price: 0.1, compare_at_price: 27.99, weight: 0.2}\n")
    raw = load_raw(tmp_path)
    values = _walk(raw.sections["products"][0].data)
    assert not any(isinstance(value, float) for value in values)
    product = check_catalog(tmp_path).catalog.products[0]
    assert product.compare_at_price == Decimal("27.99") and isinstance(product.compare_at_price, Decimal)
    assert product.price + product.weight == Decimal("0.3")  # never 0.30000000000000004
    assert str(product.compare_at_price) == "27.99"


def test_numbers_keep_their_spelling_for_text_fields(tmp_path: Path) -> None:
    _write(tmp_path, "p.yaml", "products:\n  - {sku: 1.50, title: 1984, price: 1e1}\n")
    product = check_catalog(tmp_path).catalog.products[0]
    assert (product.sku, product.title, product.price) == ("1.50", "1984", Decimal("10"))


def test_infinity_is_refused_clearly(tmp_path: Path) -> None:
    _write(tmp_path, "p.yaml", "products:\n  - {sku: A, title: A, price: .inf}\n")
    assert _messages(tmp_path) == ["error: price should be a number such as 24.99 (got '.inf')"]


def test_anchors_and_merge_keys_work_and_point_at_their_definition(tmp_path: Path) -> None:
    _write(tmp_path, "p.yaml", (
        "x-tee: &tee\n"
        "  title: Tee\n"
        "  price: -5\n"
        "products:\n"
        "  - <<: *tee\n"
        "    sku: TS-1\n"
        "  - <<: *tee\n"
        "    sku: TS-2\n"
        "    price: 20\n"
    ))
    problems = check_catalog(tmp_path).problems
    assert [(p.position.line, p.position.column, p.message) for p in problems if p.position] == [
        (3, 10, "price is negative (-5); a price must be 0 or more"),
    ]
    tmp_path.joinpath("p.yaml").write_text(tmp_path.joinpath("p.yaml").read_text().replace("-5", "5"))
    catalog = check_catalog(tmp_path).catalog
    assert [(p.sku, p.title, p.price) for p in catalog.products] == [("TS-1", "Tee", 5), ("TS-2", "Tee", 20)]


def test_alias_bombs_are_refused(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 7)]
    text = "x-bomb:\n" + "".join(f"  {line}\n" for line in levels) + "products: [*a6]\n"
    _write(tmp_path, "bomb.yaml", text)
    assert _messages(tmp_path) == [
        "error: the file expands to over 1,000,000 values (through anchors and aliases); it was not read"
    ]


def test_a_50_mb_file_is_refused_before_parsing(tmp_path: Path) -> None:
    line = b"# padding that would take minutes to scan\n"
    (tmp_path / "huge.yaml").write_bytes(line * (50 * 1024 * 1024 // len(line)))
    _write(tmp_path, "ok.yaml", "categories:\n  - title: Mugs\n")
    result = check_catalog(tmp_path)
    assert [str(p) for p in result.problems if p.severity is Severity.ERROR] == [
        f"{tmp_path / 'huge.yaml'}:1:1: error: file is 50.0 MB, over the {MAX_FILE_BYTES // 2**20} MB limit "
        "for one catalog file; it was not read\n    hint: split the catalog into several files "
        "(one product per file works well)"
    ]
    assert [c.title for c in result.catalog.categories] == ["Mugs"]  # the other files are still read


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux's /proc")
def test_a_file_longer_than_its_size_is_read_whole() -> None:
    # /proc files are regular files of size 0 with text: as a file grown since its size was asked
    status, data = _read_bytes(Path("/proc/version"))
    assert status.st_size == 0 and len(data) > 1 and data == Path("/proc/version").read_bytes()


def test_files_are_read_whole_up_to_the_limit(tmp_path: Path) -> None:
    for size in (0, 1, 4095, 4096, 65537, MAX_FILE_BYTES):
        path = tmp_path / f"{size}.yaml"
        path.write_bytes(b"#" * size)
        assert _read_bytes(path)[1] == b"#" * size


def test_binary_junk_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "logo.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert _messages(tmp_path) == [
        "error: not a UTF-8 text file (byte 0, 0x89, cannot be decoded); is it really YAML?"
    ]


def test_control_characters_are_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "ctl.yaml").write_bytes(b"products:\n  - sku: \x01\n")
    [message] = _messages(tmp_path)
    assert message == "error: the non-printable character #x0001 is not allowed in a YAML file"


def test_empty_and_missing_directories(tmp_path: Path) -> None:
    assert _messages(tmp_path) == [f"error: {tmp_path}: no catalog files (*.yaml or *.yml) found"]
    assert _messages(tmp_path / "nope") == [f"error: {tmp_path / 'nope'}: no such directory"]


def test_empty_files_contribute_nothing(tmp_path: Path) -> None:
    _write(tmp_path, "empty.yaml", "# nothing yet\n")
    result = check_catalog(tmp_path)
    assert result.ok and result.catalog.products == []


def test_store_may_be_declared_once(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "store: {currency: USD}\n")
    _write(tmp_path, "b.yaml", "store:\n  currency: EUR\n")
    [problem] = check_catalog(tmp_path).problems
    assert problem.message == "store is defined twice"
    assert problem.hint == f"it is first defined at {tmp_path / 'a.yaml'}:1:8"  # the flow mapping


@pytest.mark.parametrize("text", ["just some words\n", "42\n"])
def test_a_scalar_document_is_not_a_catalog_file(tmp_path: Path, text: str) -> None:
    _write(tmp_path, "notes.yaml", text)
    [message] = _messages(tmp_path)
    assert message.startswith("error: the file holds a ")
    assert message.endswith("but a catalog file is a mapping of sections")


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    gone = tmp_path / "nowhere.yaml"
    assert _messages(tmp_path) == [f"error: broken symlink: it points to {gone}, which does not exist"]
