"""The `sandbox` fixture: a fresh store in a temporary SQLite file, served over real HTTP."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make sandbox_helpers importable

from sandbox_helpers import Sandbox

from catalogctl.sandbox import create_app, serve_in_thread


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    db_path = tmp_path / "store.db"
    with serve_in_thread(create_app(db_path)) as url, httpx.Client(timeout=10) as http:
        yield Sandbox(url, http, db_path)
