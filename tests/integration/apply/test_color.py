"""Colors appear only on a terminal, and never with --no-color or NO_COLOR set."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from applykit import Product, write_catalog

ESC = "\x1b["


def plan_on_a_terminal(catalog: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "catalogctl", "plan", str(catalog), *extra],
                                   stdin=slave, stdout=slave, stderr=slave, env={**os.environ, **(env or {})})
        process.wait(timeout=60)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the pty's other end is closed: all output read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    return b"".join(chunks).decode()


@pytest.mark.parametrize(
    ("extra", "env", "colored"),
    [((), {"NO_COLOR": ""}, True), (("--no-color",), {}, False), ((), {"NO_COLOR": "1"}, False)],
)
def test_colors_only_on_a_terminal_without_opt_out(extra: tuple[str, ...], env: dict[str, str], colored: bool,
                                                   tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("T-1")])
    out = plan_on_a_terminal(catalog, *extra, env=env)
    assert 'product["T-1"] will be created' in out
    assert (ESC in out) == colored, out
