"""The Shoplazza factory: a real shop, a served sandbox, or the embedded sandbox beside the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from catalogctl.http import HttpSettings
from catalogctl.providers.shoplazza.credentials import sandbox_credentials
from catalogctl.providers.shoplazza.provider import ShoplazzaProvider
from catalogctl.providers.shoplazza.settings import RATE_LIMIT, ShoplazzaSettings

EMBEDDED_URL = "http://shoplazza.sandbox.local"


def sandbox_app(db: Path) -> Any:
    """The Shoplazza emulator over the SQLite file `db` (an ASGI app; a new file serves the document's shop)."""
    from catalogctl.sandbox.shoplazza import create_app

    return create_app(db)


def connect(settings: ShoplazzaSettings | None, *, sandbox_db: Path, concurrency: int,
            environ: Mapping[str, str], target: str = "") -> ShoplazzaProvider:
    """`settings` None or without `url`: the embedded sandbox, in process, at the same pace as a real shop."""
    if settings is None or settings.url is None:
        db = sandbox_db.with_name("sandbox-shoplazza.sqlite")
        db.parent.mkdir(parents=True, exist_ok=True)
        return ShoplazzaProvider(EMBEDDED_URL, sandbox_credentials(),
                                 HttpSettings(concurrency=1, requests_per_second=RATE_LIMIT),
                                 transport=httpx.ASGITransport(app=sandbox_app(db)))
    pace = settings.requests_per_second or RATE_LIMIT
    http = HttpSettings(concurrency=settings.concurrency, requests_per_second=pace,
                        timeout=settings.timeout, insecure=settings.insecure,
                        rate_limit_deadline=settings.rate_limit_deadline)
    return ShoplazzaProvider(settings.url, settings.credentials(environ, target), http)
