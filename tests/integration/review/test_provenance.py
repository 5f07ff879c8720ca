"""The catalog commit a plan names: `+dirty` only when something that could change the plan
differs from the commit (tracked edits, new catalog files), not for files a CI job writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner
from reviewkit import git, repo_with_example

from catalogctl.cli import main
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


def _logging_git(tmp_path: Path) -> tuple[Path, Path]:
    """A `git` first on PATH that notes each call in a log, then runs the real one."""
    real = shutil.which("git")
    assert real is not None
    bin_dir, log = tmp_path / "bin", tmp_path / "git.log"
    bin_dir.mkdir()
    wrapper = bin_dir / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    return bin_dir, log


def test_git_is_asked_for_the_commit_only_when_the_output_shows_it(tmp_path: Path) -> None:
    repo = repo_with_example(tmp_path)
    bin_dir, log = _logging_git(tmp_path)
    environ = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    main._register()
    text = CliRunner(env=environ).invoke(main.cli, ["plan", str(repo / "shop")])
    assert text.exit_code == 0, text.output
    assert not log.exists()   # the terminal text names no commit: no git process
    head = git(repo, "rev-parse", "--short=12", "HEAD").strip()
    comment = CliRunner(env=environ).invoke(main.cli, ["plan", str(repo / "shop"), "--format", "markdown"])
    assert comment.exit_code == 0, comment.output
    assert head in comment.output
    assert "rev-parse --short=12 HEAD" in log.read_text()
    log.unlink()
    saved = CliRunner(env=environ).invoke(main.cli, ["plan", str(repo / "shop"), "--out", str(tmp_path / "p.json")])
    assert saved.exit_code == 0, saved.output
    assert json.loads((tmp_path / "p.json").read_text())["metadata"]["catalog_commit"] == head
