"""Real git for the state tests: a bare repository in tmp as "the remote", and clones of it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from catalogctl.state.backend import BackendPlace
from catalogctl.state.git import GitBackend
from catalogctl.state.settings import GitState

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=GIT_ENV)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def bare_remote(tmp_path: Path) -> Path:
    """A bare repository with one commit on main (a catalog file), like a fresh GitHub repository."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "--quiet", str(remote), str(seed))
    (seed / "catalog.yaml").write_text("products: []\n")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "catalog")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    return remote


def clone(remote: Path, dest: Path) -> Path:
    git(dest.parent, "clone", "--quiet", str(remote), str(dest))
    return dest


def backend(checkout: Path, target: str = "prod", branch: str = "catalogctl-state") -> GitBackend:
    return GitBackend(GitState(branch=branch), BackendPlace(target, checkout, checkout / ".catalogctl"))


def branch_file(remote: Path, name: str, branch: str = "catalogctl-state") -> str | None:
    result = subprocess.run(["git", "--git-dir", str(remote), "show", f"{branch}:{name}"], capture_output=True,
                            text=True)
    return result.stdout if result.returncode == 0 else None
