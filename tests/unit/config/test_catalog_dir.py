"""The catalog directory: no path is silently skipped nor read forever; each one that cannot be read is an error.

Tests run as root here, and root reads mode-000 files. The unreadable cases therefore run
`catalogctl validate` in a child process that keeps uid 0 but has dropped CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH from its capability bounding set: the kernel then refuses it exactly as it
refuses any user, so the walk's real error path is exercised (nothing of ours is mocked).
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalogctl.config import check_catalog
from catalogctl.config.walk import walk_catalog

ROOT = Path(__file__).parents[3]
PRODUCT = "products:\n  - {sku: A, title: Tee, price: 1}\n"
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _catalog(tmp_path: Path) -> Path:
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "a.yaml").write_text(PRODUCT)
    (tmp_path / "store.yaml").write_text("categories: [{title: Tees}]\n")
    return tmp_path


def _errors(path: Path) -> list[str]:
    return [f"{p.position.file.name if p.position else '-'}: {p.message}" for p in check_catalog(path).problems]


def _without_file_permission_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if os.getuid() == 0 and libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _validate_as_an_ordinary_user(catalog: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalogctl", "validate", str(catalog)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=catalog, preexec_fn=_without_file_permission_override,
        check=False)


def test_an_unreadable_products_directory_is_an_error_not_zero_products(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    (catalog / "products").chmod(0o000)
    try:
        done = _validate_as_an_ordinary_user(catalog)
    finally:
        (catalog / "products").chmod(0o755)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "products:1:1: error: cannot read the directory: Permission denied" in done.stdout
    # the parent could not list it either, so the check is real: the child was refused by the kernel
    assert "0 products" not in done.stdout


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    (catalog / "products" / "a.yaml").chmod(0o000)
    done = _validate_as_an_ordinary_user(catalog)
    assert done.returncode == 1
    assert "products/a.yaml:1:1: error: cannot read the file: Permission denied" in done.stdout


def test_the_ordinary_user_child_reads_a_readable_catalog(tmp_path: Path) -> None:
    # the control: the same child with the same catalog, readable, validates it
    done = _validate_as_an_ordinary_user(_catalog(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 product" in done.stdout


@pytest.mark.parametrize(("target", "kind"), [("/dev/zero", "a character device"), ("/dev/null", "a character device")])
def test_a_device_is_refused_without_reading_it(tmp_path: Path, target: str, kind: str) -> None:
    catalog = _catalog(tmp_path)
    (catalog / "products" / "z.yaml").symlink_to(target)
    assert _errors(catalog) == [f"z.yaml: not a regular file ({kind}); it was not read"]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    os.mkfifo(catalog / "products" / "pipe.yaml")
    assert _errors(catalog) == ["pipe.yaml: not a regular file (a FIFO); it was not read"]


def test_a_fifo_named_on_the_command_line_is_refused_too(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    assert _errors(tmp_path / "pipe.yaml") == ["pipe.yaml: not a regular file (a FIFO); it was not read"]


def test_a_broken_symlink_is_an_error_naming_it(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    (catalog / "products" / "b.yaml").symlink_to("gone.yaml")
    assert _errors(catalog) == ["b.yaml: broken symlink: it points to gone.yaml, which does not exist"]


def test_a_symlink_to_a_directory_is_followed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "b.yaml").write_text("products:\n  - {sku: B, title: Mug, price: 2}\n")
    (tmp_path / "shop").mkdir()
    catalog = _catalog(tmp_path / "shop")
    (catalog / "products" / "shared").symlink_to(shared)
    result = check_catalog(catalog)
    assert [str(p) for p in result.problems] == []
    assert sorted(p.sku for p in result.catalog.products) == ["A", "B"]


def test_a_symlink_loop_is_an_error_not_an_endless_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = _catalog(tmp_path)
    monkeypatch.chdir(catalog)  # paths in messages are shown relative to the current directory
    (catalog / "products" / "again").symlink_to(catalog)
    (catalog / "products" / "self").symlink_to("self")  # ELOOP
    assert _errors(catalog) == [
        "again: a symlink leads back to ., which is already part of the catalog",
        "self: cannot follow the symlink: Too many levels of symbolic links"]


def test_upper_case_extensions_are_read_not_dropped(tmp_path: Path) -> None:
    """`P1.YAML` (Windows and macOS editors) is a catalog file: dropping it plus prune deactivates a product."""
    catalog = _catalog(tmp_path)
    (catalog / "products" / "b.YAML").write_text("products:\n  - {sku: B, title: Mug, price: 2}\n")
    (catalog / "products" / "c.Yml").write_text("products:\n  - {sku: C, title: Cap, price: 3}\n")
    result = check_catalog(catalog)
    assert [str(p) for p in result.problems] == []
    assert sorted(p.sku for p in result.catalog.products) == ["A", "B", "C"]


def test_a_catalogctl_yaml_below_the_root_is_an_error(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    (catalog / "catalogctl.yaml").write_text("targets: {}\n")  # the root's: targets, not read as products
    (catalog / "products" / "catalogctl.yaml").write_text("products:\n  - {sku: B, title: Mug, price: 2}\n")
    assert _errors(catalog) == [f"catalogctl.yaml: a catalogctl.yaml below the catalog's root is not read (targets "
                                f"live in {catalog / 'catalogctl.yaml'})"]


def test_a_symlink_to_a_directory_holding_the_catalog_is_refused_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A link to `/` walked the whole machine (867,410 errors, 253 MB of output)."""
    (tmp_path / "shop").mkdir()
    catalog = _catalog(tmp_path / "shop")
    monkeypatch.chdir(catalog)
    (catalog / "products" / "root").symlink_to("/")
    (catalog / "products" / "up").symlink_to(tmp_path)
    assert _errors(catalog) == [
        "root: a symlink leads back to /, which holds the catalog",
        f"up: a symlink leads back to {tmp_path}, which holds the catalog"]


def test_a_walk_past_the_directory_cap_stops_with_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from catalogctl.config import walk

    catalog = _catalog(tmp_path)
    for n in range(5):
        (catalog / "products" / f"d{n}").mkdir()
    monkeypatch.setattr(walk, "MAX_DIRECTORIES", 4)
    errors = _errors(catalog)
    assert len(errors) == 1 and "the catalog spans over 4 directories; the rest was not read" in errors[0]


def test_an_empty_file_and_a_null_section_are_warned_about(tmp_path: Path) -> None:
    """An import cut short leaves empty files; neither is an error, neither passes without a word."""
    catalog = _catalog(tmp_path)
    (catalog / "products" / "b.yaml").write_text("")
    (catalog / "products" / "c.yaml").write_text("products: ~\n")
    (catalog / "products" / "d.yaml").write_text("# kept for later\n")  # comments only: meant, nothing said
    result = check_catalog(catalog)
    assert [f"{p.position.file.name}:{p.position.line}: {p.severity}: {p.message}"
            for p in result.problems if p.position] == [
        "b.yaml:1: warning: the file is empty: it adds nothing to the catalog",
        "c.yaml:1: warning: section products is empty (null): it adds nothing to the catalog"]
    assert [p.sku for p in result.catalog.products] == ["A"]


def test_bytes_that_are_not_utf8_and_control_characters_have_their_line_and_column(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    (catalog / "products" / "lat.yaml").write_bytes(b"products:\n  - sku: B\n    title: Caf\xe9\n")
    (catalog / "products" / "nul.yaml").write_bytes(b"products:\n  - sku: C\n    title: Prod\x00uct\n")
    found = sorted(f"{p.position.file.name}:{p.position.line}:{p.position.column}: {p.message}"
                   for p in check_catalog(catalog).problems if p.position)
    assert found == [
        "lat.yaml:3:15: not a UTF-8 text file (byte 35, 0xe9, cannot be decoded); is it really YAML?",
        "nul.yaml:3:16: the non-printable character #x0000 is not allowed in a YAML file"]


def test_files_come_in_path_order_across_directories(tmp_path: Path) -> None:
    # Path orders by parts: `a/z.yaml` before `a-b/x.yaml`, although `/` sorts after `-` in a string
    names = ["a-b/x.yaml", "a/z.yaml", "a/b/c.yaml", "a.yaml", "A/y.yml", "a b/w.yaml", "ab.yaml", "a/b.yaml"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("categories: []\n")
    files = walk_catalog(tmp_path).files
    assert files == sorted(tmp_path / name for name in names)
    assert [str(path) for path in files] != sorted(str(path) for path in files)  # the case that tells them apart
