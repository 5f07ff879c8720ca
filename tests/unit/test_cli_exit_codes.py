"""Every error exits 1, usage errors included: 2 means "changes present" under --detailed-exitcode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from catalogctl.cli import main


def test_a_mistyped_flag_exits_1_not_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "catalogctl", "plan", str(tmp_path), "--detailed-exitcode",
                             "--no-such-flag"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "No such option '--no-such-flag'" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_and_version_still_exit_0() -> None:
    main._register()
    assert CliRunner().invoke(main.cli, ["--help"]).exit_code == 0
    version = CliRunner().invoke(main.cli, ["--version"])
    assert version.exit_code == 0 and "catalogctl" in version.output
