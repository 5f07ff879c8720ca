"""Fixtures: `store` (a sandbox in-process via ASGITransport) and `served` (the same over real HTTP)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make provider_helpers importable

from provider_helpers import SANDBOX_CREDENTIALS, Store

from catalogctl.sandbox import create_app, serve_in_thread


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db_path = tmp_path / "store.db"
    result = Store(create_app(db_path, credentials=SANDBOX_CREDENTIALS), db_path)
    yield result


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Store]:
    db_path = tmp_path / "store.db"
    app = create_app(db_path, credentials=SANDBOX_CREDENTIALS)
    with serve_in_thread(app) as url:
        result = Store(app, db_path, url)
        yield result
