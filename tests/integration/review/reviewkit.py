"""Helpers for the offline review tests: a git repository holding a catalog, the real CLI, snapshots."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner, Result

from catalogctl.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("CATALOGCTL_UPDATE_SNAPSHOTS") == "1"
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com"}


def run(*args: str | Path) -> Result:
    main._register()
    return CliRunner().invoke(main.cli, [str(a) for a in args])


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=GIT_ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout


def repo_with_example(tmp_path: Path, example: str = "tshirt-shop") -> Path:
    """A git repository whose `shop/` directory holds the example, committed on main."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    shutil.copytree(EXAMPLES / example, repo / "shop", ignore=shutil.ignore_patterns(".catalogctl"))
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "catalog")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def snapshot(name: str, actual: str) -> None:
    """Compare with the checked-in file; CATALOGCTL_UPDATE_SNAPSHOTS=1 rewrites it instead."""
    path = SNAPSHOTS / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed; rerun with CATALOGCTL_UPDATE_SNAPSHOTS=1"
