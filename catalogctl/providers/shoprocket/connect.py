"""The Shoprocket factory: a real account, a served sandbox, or the embedded sandbox beside the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from catalogctl.http import HttpSettings
from catalogctl.providers.shoprocket.credentials import sandbox_credentials
from catalogctl.providers.shoprocket.provider import ShoprocketProvider
from catalogctl.providers.shoprocket.settings import ShoprocketSettings

EMBEDDED_URL = "http://shoprocket.sandbox.local"


def sandbox_db_for(sandbox_db: Path) -> Path:
    """Its own file beside the GrooveKart one: the emulators never share a database."""
    return sandbox_db.with_name("sandbox-shoprocket.sqlite")


def sandbox_app(db: Path) -> Any:
    """The Shoprocket emulator over the SQLite file `db` (an ASGI app)."""
    from catalogctl.sandbox.shoprocket import create_app

    return create_app(db)


def connect(settings: ShoprocketSettings | None, *, sandbox_db: Path, concurrency: int,
            environ: Mapping[str, str], target: str = "") -> ShoprocketProvider:
    """`settings` None or without `url`: the embedded sandbox, in process."""
    if settings is None or settings.url is None:
        db = sandbox_db_for(sandbox_db)
        db.parent.mkdir(parents=True, exist_ok=True)
        return ShoprocketProvider(EMBEDDED_URL, sandbox_credentials(), HttpSettings(concurrency=concurrency),
                                  transport=httpx.ASGITransport(app=sandbox_app(db)), environ=environ)
    http = HttpSettings(concurrency=settings.concurrency, requests_per_second=settings.requests_per_second,
                        timeout=settings.timeout, insecure=settings.insecure,
                        rate_limit_deadline=settings.rate_limit_deadline)
    return ShoprocketProvider(settings.url, settings.credentials(environ, target), http, environ=environ)
