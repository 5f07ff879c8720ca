"""Browser tests: headless Chromium over the DevTools protocol (cdp.py). Chromium is required: a
missing browser fails these tests with how to install it; they are never skipped.

Screenshots go to artifacts/screenshots/ (or $CATALOGCTL_SCREENSHOTS), which CI keeps."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make cdp and scenario importable

from cdp import Browser, Page, find_chromium

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("CATALOGCTL_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
DESKTOP = (1280, 900)
PHONE = (375, 812)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.fail("Chromium is needed for the browser tests and was not found. Install it with "
                    "`apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this in CI) or set "
                    "CATALOGCTL_CHROMIUM to the browser's path.", pytrace=False)
    chromium = Browser(executable)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    tab = browser.page()
    tab.viewport(*DESKTOP)
    try:
        yield tab
    finally:
        target = browser.call("Target.getTargets")["targetInfos"]
        for info in target:
            if info.get("type") == "page" and info.get("attached"):
                browser.call("Target.closeTarget", {"targetId": info["targetId"]})


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


@pytest.fixture(scope="session")
def applied_pod_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/pod-store applied to its embedded sandbox (DIR/.catalogctl/sandbox.sqlite)."""
    directory = tmp_path_factory.mktemp("applied") / "pod-store"
    shutil.copytree(ROOT / "examples" / "pod-store", directory)
    catalogctl("apply", str(directory), "--auto-approve", "--no-color")
    return directory
