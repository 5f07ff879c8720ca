"""The `shoplazza` fixture: a fresh Shoplazza sandbox (new SQLite file) per test, over real HTTP.

One uvicorn server runs for the session and forwards to the current test's app.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make shoplazza_kit importable

from shoplazza_kit import Shoplazza

from catalogctl.sandbox.serve import SwitchableApp, serve_in_thread
from catalogctl.sandbox.shoplazza import LeakyBucket, create_app


@pytest.fixture(scope="session")
def _server() -> Iterator[tuple[SwitchableApp, str]]:
    current = SwitchableApp()
    with serve_in_thread(current) as url:
        yield current, url


@pytest.fixture
def shoplazza(tmp_path: Path, _server: tuple[SwitchableApp, str]) -> Iterator[Shoplazza]:
    """A fresh shop with the documented rate limit (2 requests per second, leaky bucket)."""
    current, url = _server
    db_path = tmp_path / "shoplazza.db"
    current.app = create_app(db_path)
    with httpx.Client(timeout=10) as http:
        yield Shoplazza(url, http, db_path)
    current.app = None


@pytest.fixture
def unlimited(tmp_path: Path, _server: tuple[SwitchableApp, str]) -> Iterator[Shoplazza]:
    """A fresh shop whose bucket never fills, for tests that send many requests about something else."""
    current, url = _server
    current.app = create_app(tmp_path / "shoplazza.db", bucket=LeakyBucket(rate=1e6, capacity=10**6))
    with httpx.Client(timeout=10) as http:
        yield Shoplazza(url, http, tmp_path / "shoplazza.db")
    current.app = None
