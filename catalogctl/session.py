"""The glue every store-facing command shares (plan, apply, import): a target opened as a provider
with its state, the catalog loaded as desired resources, the live store read with state facts.

    target = resolve_target(Path("shop"), None)          # the embedded sandbox
    async with open_session(target) as session:
        live = await session.read_live()
        plan = session.plan(load_desired(target.catalog_dir), live)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from catalogctl.config.catalog import load_catalog
from catalogctl.config.targets import ProviderKind, Target, resolve_target
from catalogctl.core import LiveState
from catalogctl.model.address import Address
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.builder import build_plan
from catalogctl.plan.model import Plan
from catalogctl.plan.policy import PlanPolicy
from catalogctl.providers.base import Provider
from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider
from catalogctl.state.file import State, load_state
from catalogctl.state.lock import TargetLock

EMBEDDED_URL = "http://sandbox.local"

__all__ = ["Session", "load_desired", "make_provider", "open_session", "resolve_target", "state_lock"]


@dataclass
class Session:
    """An open target: its provider (connections held) and its state facts."""

    target: Target
    provider: Provider
    state: State

    async def read_live(self) -> LiveState:
        """The whole live catalog, write-only attributes filled in from the state's facts."""
        return await self.provider.read(self.state.facts)

    def plan(self, desired: ResourceMap, live: LiveState, *, allow_replace: bool = False,
             addresses: tuple[Address, ...] = ()) -> Plan:
        policy = PlanPolicy(target=self.target.name, allow_replace=allow_replace, prune=self.target.prune,
                            max_destructive_share=self.target.max_destructive_share, addresses=addresses)
        return build_plan(desired, live, self.provider.capabilities, policy)


def load_desired(catalog_dir: Path) -> ResourceMap:
    """The validated catalog under `catalog_dir` as resources (InvalidCatalog lists every error)."""
    return desired_resources(load_catalog(catalog_dir))


def state_path(target: Target) -> Path:
    return target.state_dir / "state" / f"{target.name}.json"


def state_lock(target: Target) -> TargetLock:
    """The lock that keeps two applies off one target (taken by the caller around read + apply)."""
    return TargetLock(target.state_dir / "state" / f"{target.name}.lock")


@asynccontextmanager
async def open_session(target: Target, environ: Mapping[str, str] | None = None) -> AsyncIterator[Session]:
    """Open the target's provider (credentials read from the environment now) and load its state."""
    state = load_state(state_path(target), target.name)
    provider = make_provider(target, environ)
    async with provider:
        yield Session(target, provider, state)


def make_provider(target: Target, environ: Mapping[str, str] | None = None) -> Provider:
    """A GrooveKartProvider for a real store, a served sandbox, or the embedded sandbox (in-process)."""
    config = target.config
    if config is None:
        return GrooveKartProvider(EMBEDDED_URL, _sandbox_credentials(), concurrency=target.concurrency,
                                  transport=_embedded_transport(target))
    credentials = target.credentials(environ)
    if credentials is None:  # a served sandbox with its default credentials
        credentials = _sandbox_credentials()
    assert config.url is not None  # TargetConfig requires it
    if config.provider is ProviderKind.SANDBOX and config.api_user and credentials.api_user != config.api_user:
        credentials = GrooveKartCredentials(credentials.auth_token, credentials.api_key, config.api_user)
    return GrooveKartProvider(
        config.url.rstrip("/"), credentials, concurrency=config.concurrency,
        requests_per_second=config.requests_per_second, page_size=config.page_size, timeout=config.timeout,
        insecure=config.insecure,
    )


def _sandbox_credentials() -> GrooveKartCredentials:
    from catalogctl.sandbox import DEFAULT_CREDENTIALS

    return GrooveKartCredentials(DEFAULT_CREDENTIALS.auth_token, DEFAULT_CREDENTIALS.api_key,
                                 DEFAULT_CREDENTIALS.api_user)


def _embedded_transport(target: Target) -> httpx.AsyncBaseTransport:
    # Imported here: the sandbox (starlette, sqlite) is only needed when no target is configured.
    from catalogctl.sandbox import create_app

    target.sandbox_db.parent.mkdir(parents=True, exist_ok=True)
    return httpx.ASGITransport(app=create_app(target.sandbox_db))
