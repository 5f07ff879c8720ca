"""The `shoprocket` fixture: a fresh Shoprocket sandbox (new SQLite file) per test, over real HTTP.

One uvicorn server runs for the session and forwards to the current test's app.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make shoprocket_kit importable

from shoprocket_kit import Shoprocket

from catalogctl.sandbox.serve import SwitchableApp, serve_in_thread
from catalogctl.sandbox.shoprocket import create_app


@pytest.fixture(scope="session")
def _server() -> Iterator[tuple[SwitchableApp, str]]:
    current = SwitchableApp()
    with serve_in_thread(current) as url:
        yield current, url


@pytest.fixture
def shoprocket(tmp_path: Path, _server: tuple[SwitchableApp, str]) -> Iterator[Shoprocket]:
    current, url = _server
    db_path = tmp_path / "shoprocket.db"
    current.app = create_app(db_path)
    with httpx.Client(timeout=10) as http:
        yield Shoprocket(url, http, db_path)
    current.app = None
