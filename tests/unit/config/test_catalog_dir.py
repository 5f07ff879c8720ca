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
