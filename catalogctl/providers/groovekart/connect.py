"""The GrooveKart factory: a provider for a real store, a served sandbox, or the embedded sandbox."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from catalogctl.providers.groovekart.credentials import GrooveKartCredentials
from catalogctl.providers.groovekart.provider import GrooveKartProvider
from catalogctl.providers.groovekart.settings import GrooveKartSettings

EMBEDDED_URL = "http://sandbox.local"


def sandbox_app(db: Path) -> Any:
    """The GrooveKart emulator over the SQLite file `db` (an ASGI app)."""
    # Imported here: the sandbox (starlette, sqlite) is only needed when a sandbox is used.
    from catalogctl.sandbox import create_app

    return create_app(db)


class _EmbeddedTransport(httpx.ASGITransport):
    """The embedded sandbox, in process. Closing it closes the store's SQLite connections, so the WAL is
    folded back into the database file when the provider closes, not by the interpreter's teardown (which
    the program skips when nothing is left open: cli/process_end.py)."""

    async def aclose(self) -> None:
        await super().aclose()
        self.app.store.close()


def connect(settings: GrooveKartSettings | None, *, sandbox_db: Path, concurrency: int,
            environ: Mapping[str, str], target: str = "") -> GrooveKartProvider:
    """`settings` None: the embedded sandbox in `sandbox_db`, in process."""
    if settings is None:
        sandbox_db.parent.mkdir(parents=True, exist_ok=True)
        return GrooveKartProvider(EMBEDDED_URL, sandbox_credentials(), concurrency=concurrency,
                                  transport=_EmbeddedTransport(app=sandbox_app(sandbox_db)))
    credentials = settings.credentials(environ, target) or sandbox_credentials()
    assert settings.url is not None  # GrooveKartSettings requires it
    if settings.provider == "sandbox" and settings.api_user and credentials.api_user != settings.api_user:
        credentials = GrooveKartCredentials(credentials.auth_token, credentials.api_key, settings.api_user)
    return GrooveKartProvider(
        settings.url.rstrip("/"), credentials, concurrency=settings.concurrency,
        requests_per_second=settings.requests_per_second, page_size=settings.page_size, timeout=settings.timeout,
        insecure=settings.insecure, rate_limit_deadline=settings.rate_limit_deadline,
    )


def sandbox_credentials() -> GrooveKartCredentials:
    """The credentials every GrooveKart sandbox accepts unless told otherwise."""
    from catalogctl.sandbox import DEFAULT_CREDENTIALS

    return GrooveKartCredentials(DEFAULT_CREDENTIALS.auth_token, DEFAULT_CREDENTIALS.api_key,
                                 DEFAULT_CREDENTIALS.api_user)
