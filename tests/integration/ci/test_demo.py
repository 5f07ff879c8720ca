"""`make demo` (scripts/demo.sh) leaves a workspace to look at, says where, and points to the next steps."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from runner import REPO, shim_dir


@pytest.mark.slow
def test_the_demo_keeps_its_workspace_and_says_where(tmp_path: Path) -> None:
    catalogctl = shim_dir(tmp_path) / "catalogctl"
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "stale.txt").write_text("from an earlier run")
    result = subprocess.run(["bash", "scripts/demo.sh", str(catalogctl)], cwd=REPO, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "DEMO_DIR": str(workspace), "HOME": str(tmp_path),
                                 "CATALOGCTL_DEMO_OUT": str(tmp_path / "demo-output")},
                            stdin=subprocess.DEVNULL, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"The workspace is kept: {workspace}" in result.stdout
    assert not (workspace / "stale.txt").exists()   # each run starts afresh
    for example in ("tshirt-shop", "pod-store"):
        assert (workspace / example / ".catalogctl" / "sandbox.sqlite").is_file()
    assert 'README.md "After the demo"' in result.stdout
    assert "## After the demo" in (REPO / "README.md").read_text()
    again = subprocess.run([str(catalogctl), "plan", str(workspace / "tshirt-shop"), "--detailed-exitcode"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr   # the kept workspace is a live one


def test_the_demo_workspace_is_ignored_by_git() -> None:
    assert "demo-workspace/" in (REPO / ".gitignore").read_text().splitlines()
