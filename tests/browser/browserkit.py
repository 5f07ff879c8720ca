"""Helpers of the browser tests (a module with a unique name: `conftest` is ambiguous across test folders)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from cdp import Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("CATALOGCTL_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
DESKTOP = (1280, 900)
PHONE = (375, 812)


def shoot(page: Page, name: str, url: str) -> tuple[Path, Path]:
    """Screenshots of `url` at desktop and phone widths: artifacts/screenshots/NAME-{desktop,phone}.png."""
    page.viewport(*DESKTOP)
    page.open(url)
    desktop = page.screenshot(SCREENSHOTS / f"{name}-desktop.png", full_page=False)
    page.viewport(*PHONE, mobile=True)
    page.open(url)
    overflow = page.eval("document.documentElement.scrollWidth")
    assert overflow <= PHONE[0], f"{name}: the page is {overflow} px wide at {PHONE[0]} px (sideways scrolling)"
    phone = page.screenshot(SCREENSHOTS / f"{name}-phone.png")
    page.viewport(*DESKTOP)
    return desktop, phone


def assert_no_errors(page: Page) -> None:
    """No console error and no exception; failed loads only for external images (there is no network)."""
    problems = []
    for problem in page.problems():
        if problem.startswith("log (network): Failed to load resource: net::ERR_NAME_NOT_RESOLVED "):
            host = urlparse(problem.rsplit(" ", 1)[-1]).hostname or ""
            if host not in ("", "127.0.0.1", "localhost"):
                continue
        problems.append(problem)
    assert problems == []


def catalogctl(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user does (a real process); fail with its output when it fails."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "catalogctl", *args], capture_output=True, text=True,
                            env=env, cwd=cwd, timeout=120)
    assert result.returncode in (0, 2), f"catalogctl {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result
