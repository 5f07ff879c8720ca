"""On a terminal, apply DIR shows the plan and asks; only "y" applies."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from applykit import Product, run, write_catalog


def apply_on_a_terminal(catalog: Path, answer: str) -> tuple[int, str]:
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "catalogctl", "apply", str(catalog), "--no-color"],
                                   stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        os.write(master, answer.encode() + b"\n")
        out, _ = process.communicate(timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    return process.returncode, out


@pytest.mark.parametrize(("answer", "applied"), [("yes", True), ("y", False), ("n", False)])
def test_confirmation_on_a_terminal(answer: str, applied: bool, tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("T-1")])
    code, out = apply_on_a_terminal(catalog, answer)
    assert "Apply these changes to target 'embedded'? Only 'yes' will be accepted." in out
    assert 'product["T-1"] will be created' in out
    assert code == (0 if applied else 1), out
    assert ("Apply complete:" in out) == applied
    assert ("Apply cancelled; nothing was changed." in out) != applied
    assert run("plan", catalog, "--detailed-exitcode").exit_code == (0 if applied else 2)
