"""The catalog commit a plan names: `+dirty` only when something that could change the plan
differs from the commit (tracked edits, new catalog files), not for files a CI job writes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from catalogctl.review.provenance import catalog_commit


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=a", "-c", "user.email=a@b", *args], cwd=cwd,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def _repository(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "repo"
    catalog = repo / "shop"
    (catalog / "products").mkdir(parents=True)
    (catalog / "catalog.yaml").write_text("categories: []\n")
    (catalog / "products" / "a.yaml").write_text("sku: A-1\n")
    _git(repo, "init", "--quiet")
    _git(repo, "add", "-A")
    _git(repo, "commit", "--quiet", "-m", "catalog")
    return catalog, _git(repo, "rev-parse", "--short=12", "HEAD")


def test_files_a_ci_job_writes_do_not_make_the_catalog_dirty(tmp_path: Path) -> None:
    catalog, head = _repository(tmp_path)
    assert catalog_commit(catalog) == head
    for name in ("plan.json", "plan.md", "plan.html", "report.json", "apply.log"):
        (catalog / name).write_text("{}\n")
    (catalog.parent / "notes.yaml").write_text("outside the catalog directory\n")
    assert catalog_commit(catalog) == head


def test_a_new_catalog_file_or_a_tracked_edit_makes_it_dirty(tmp_path: Path) -> None:
    catalog, head = _repository(tmp_path)
    (catalog / "products" / "b.yml").write_text("sku: B-2\n")
    assert catalog_commit(catalog) == f"{head}+dirty"
    (catalog / "products" / "b.yml").unlink()
    (catalog / "products" / "a.yaml").write_text("sku: A-2\n")
    assert catalog_commit(catalog) == f"{head}+dirty"
    _git(catalog, "checkout", "--quiet", "--", ".")
    (catalog / "products" / "a.yaml").unlink()   # a deleted catalog file changes the plan too
    assert catalog_commit(catalog) == f"{head}+dirty"


def test_outside_git_there_is_no_commit(tmp_path: Path) -> None:
    assert catalog_commit(tmp_path) is None
