"""Browser tests: headless Chromium over the DevTools protocol (cdp.py). Chromium is required: a
missing browser fails these tests with how to install it; they are never skipped.

Screenshots go to artifacts/screenshots/ (or $CATALOGCTL_SCREENSHOTS), which CI keeps."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make cdp, browserkit and scenario importable

from browserkit import DESKTOP, ROOT, catalogctl
from cdp import Browser, Page, find_chromium


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


@pytest.fixture(scope="session")
def applied_pod_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/pod-store applied to its embedded sandbox (DIR/.catalogctl/sandbox.sqlite)."""
    directory = tmp_path_factory.mktemp("applied") / "pod-store"
    shutil.copytree(ROOT / "examples" / "pod-store", directory)
    catalogctl("apply", str(directory), "--auto-approve", "--no-color")
    return directory
