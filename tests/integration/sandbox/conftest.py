"""The `sandbox` fixture: a fresh store in a temporary SQLite file per test, served over real HTTP.

One uvicorn server runs for the whole session and forwards to the current test's app, so each
test pays for a new store (a new SQLite file) but not for a server start and stop.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make sandbox_helpers importable

from sandbox_helpers import Sandbox

from catalogctl.sandbox import create_app
from catalogctl.sandbox.serve import SwitchableApp, serve_in_thread


@pytest.fixture(scope="session")
def _server() -> Iterator[tuple[SwitchableApp, str]]:
    current = SwitchableApp()
    with serve_in_thread(current) as url:
        yield current, url


@pytest.fixture
def sandbox(tmp_path: Path, _server: tuple[SwitchableApp, str]) -> Iterator[Sandbox]:
    current, url = _server
    db_path = tmp_path / "store.db"
    current.app = create_app(db_path)
    with httpx.Client(timeout=10) as http:
        yield Sandbox(url, http, db_path)
    current.app = None
