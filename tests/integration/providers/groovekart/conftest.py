"""Fixtures: `store` (a sandbox in-process via ASGITransport) and `served` (the same over real HTTP)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make provider_helpers importable

from provider_helpers import SANDBOX_CREDENTIALS, Store

from catalogctl.http.loopback import TRANSPORT_ENV, transport_for
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


@pytest.fixture(params=["loopback", "httpx"])
def served_both(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """`served`, once through catalogctl's lean loopback transport and once through httpx's own (the
    transport every real https store gets): faults must read the same through both."""
    if request.param == "httpx":
        monkeypatch.setenv(TRANSPORT_ENV, "httpx")
    db_path = tmp_path / "store.db"
    app = create_app(db_path, credentials=SANDBOX_CREDENTIALS)
    with serve_in_thread(app) as url:
        assert (transport_for(url) is None) is (request.param == "httpx")
        yield Store(app, db_path, url)
