"""The glue every store-facing command shares (plan, apply, import): a target opened as a provider
with its state, the catalog loaded as desired resources, the live store read with state facts.

    target = resolve_target(Path("shop"), None)          # the embedded sandbox
    async with open_session(target) as session:
        live = await session.read_live()
        plan = session.plan(load_desired(target.catalog_dir), live)
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import AbstractContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from catalogctl.config.background import CatalogLoad
from catalogctl.config.catalog import load_catalog
from catalogctl.config.models import SYNTAX_SECTIONS, Catalog
from catalogctl.config.targets import Target, resolve_target
from catalogctl.core import LiveState
from catalogctl.model.address import Address
from catalogctl.model.guards import Guards, guards_from_catalog
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.builder import build_plan
from catalogctl.plan.model import Plan
from catalogctl.plan.policy import PlanPolicy
from catalogctl.providers.base import Provider, ProviderSpec
from catalogctl.state.backend import BackendPlace, StateBackend, open_backend
from catalogctl.state.file import State
from catalogctl.state.uncertain import read_settled

T = TypeVar("T")

__all__ = ["Desired", "HandedOver", "Loaded", "Session", "desired_of", "load_desired", "make_provider", "open_session",
           "resolve_target", "state_lock"]


@dataclass(frozen=True)
class Desired:
    """What a plan takes from the catalog: its resources for the target's provider, its guards and a
    note per section the provider cannot manage. The catalog itself can be let go once this is made."""

    resources: ResourceMap
    guards: Guards
    notes: tuple[str, ...]


@dataclass
class Loaded:
    """A validated catalog (or what the plan takes from it, made while the store was read) and the live
    store read for it, handed to `Session.plan_loaded` as one."""

    catalog: Catalog | None
    live: LiveState
    desired: Desired | None = None


@dataclass
class Session:
    """An open target: its provider (connections held) and its state facts."""

    target: Target
    provider: Provider
    state: State
    live: LiveState | None = None   # what the last read_live returned

    @property
    def spec(self) -> ProviderSpec:
        return self.target.provider

    async def read_live(self, catalog: Catalog | None = None) -> LiveState:
        """The whole live catalog, write-only attributes filled in from the state's facts; `catalog`
        tells the provider what the plan will compare (a provider may read only that)."""
        if catalog is not None:
            self.provider.expect(catalog)
        # Creates whose answer an earlier apply lost are given their settle window to land first.
        self.live = await read_settled(lambda: self.provider.read(self.state.facts), self.state.facts)
        return self.live

    async def read_while_loading(self, loading: CatalogLoad) -> Loaded:
        """The catalog and the live store, the store read while the catalog loads when the provider
        needs only its product count; raises the catalog's error first, as when it was loaded first."""
        if not self.provider.reads_while_loading:
            catalog = await loading.catalog()
            return Loaded(catalog, await self.read_live(catalog))
        self.provider.expect_count(loading.product_count())
        loading.then(lambda held: desired_of(held, self.target))   # made in the load thread while pages come
        read = asyncio.ensure_future(read_settled(lambda: self.provider.read(self.state.facts), self.state.facts))
        try:
            made = await loading.catalog()
        except BaseException:
            read.cancel()
            await asyncio.gather(read, return_exceptions=True)
            raise
        live = await read
        # The loop keeps the future that woke this step (and its result) until the step yields: when the
        # catalog finished last, that is the catalog itself, which would outlive plan_loaded's freeing of it
        # (100 MiB more at the plan's peak at 10,000 products). A step of its own lets that future go.
        await asyncio.sleep(0)
        if isinstance(made, Desired):
            return Loaded(None, live, made)
        return Loaded(made, live)   # catalog() was awaited before `then`: plan_loaded prepares the catalog

    def plan(self, catalog: Catalog, live: LiveState, *, allow_replace: bool = False,
             addresses: tuple[Address, ...] = (), digests: bool = True) -> Plan:
        """The plan for this target: the catalog as this provider's resources against `live`
        (`digests=False`: a plan only shown, never saved; see build_plan)."""
        return self.plan_loaded(Loaded(catalog, live), allow_replace=allow_replace, addresses=addresses,
                                digests=digests)

    def plan_loaded(self, loaded: Loaded, *, allow_replace: bool = False, addresses: tuple[Address, ...] = (),
                    digests: bool = True) -> Plan:
        """`plan`, taking the catalog out of `loaded`: when the caller keeps no other reference, the
        catalog's models and file positions are freed before the diff (a 10,000-product plan's peak)."""
        desired, loaded.desired = loaded.desired, None
        if desired is None:
            assert loaded.catalog is not None, "a Loaded is planned once"
            held, loaded.catalog = [loaded.catalog], None
            desired = desired_of(held, self.target)
        rules = self.target.policies
        policy = PlanPolicy(target=self.target.name, allow_replace=allow_replace, prune=self.target.prune,
                            max_destructive_share=self.target.max_destructive_share, addresses=addresses,
                            guards=desired.guards, rules=rules)
        resources, notes = desired.resources, desired.notes
        del desired
        return build_plan(resources, loaded.live, self.spec, policy, notes=notes, digests=digests)


def desired_of(held: list[Catalog], target: Target) -> Desired:
    """What a plan for `target` takes from the catalog, the one item of `held`: taken out of it, so that
    when the caller keeps no other reference, the catalog's models and file positions are freed while
    the resources are built (the larger part of a 10,000-product plan's peak)."""
    catalog = held.pop()
    spec = target.provider
    guards = guards_from_catalog(catalog, target.ignore_changes, locating=bool(target.policies.enabled()))
    notes = unmanaged_sections(catalog, spec)
    handed = catalog.model_copy(update={"products": HandedOver(catalog.products)})
    del catalog  # the products now live only in `handed`, and go one by one as they are converted
    resources = spec.desired(handed)
    del handed
    return Desired(resources, guards, notes)


class HandedOver(list[T]):
    """A list read once: each item is let go as it is handed out. The desired resources of a
    10,000-product catalog are built while its product models are freed, not after them (the
    models are the larger part of a large plan's peak memory)."""

    def __iter__(self) -> Iterator[T]:
        self.reverse()
        while self:
            yield self.pop()


def load_desired(catalog_dir: Path) -> Catalog:
    """The validated catalog under `catalog_dir` (InvalidCatalog lists every error); the session
    turns it into its provider's resources."""
    return load_catalog(catalog_dir)


def unmanaged_sections(catalog: Catalog, spec: ProviderSpec) -> tuple[str, ...]:
    """One note per catalog section the provider cannot manage, said once and not per object."""
    notes = []
    for name in type(catalog).model_fields:
        value = getattr(catalog, name)
        if name in spec.sections or name in SYNTAX_SECTIONS or not value:
            continue
        count = f" ({len(value)})" if isinstance(value, list) else ""
        notes.append(f"section `{name}`{count} is unsupported for provider {spec.name}: not planned")
    return tuple(notes)


def state_path(target: Target) -> Path:
    return target.state_dir / "state" / f"{target.name}.json"


def state_backend(target: Target) -> StateBackend:
    """Where the target's state and lock live (its `state:` setting; default: local files)."""
    settings = target.config.state if target.config is not None else None
    return open_backend(settings, BackendPlace(target.name, target.catalog_dir, target.state_dir))


def state_lock(target: Target) -> AbstractContextManager[object]:
    """The lock that keeps two applies off one target (taken by the caller around read + apply)."""
    return state_backend(target).lock()


@asynccontextmanager
async def open_session(target: Target, environ: Mapping[str, str] | None = None) -> AsyncIterator[Session]:
    """Open the target's provider (credentials read from the environment now) and load its state."""
    state = state_backend(target).load()
    provider = make_provider(target, environ)
    async with provider:
        yield Session(target, provider, state)


def make_provider(target: Target, environ: Mapping[str, str] | None = None) -> Provider:
    """The target's provider, built by its registry entry (the embedded sandbox when unconfigured)."""
    return target.provider.connect(target.config, sandbox_db=target.sandbox_db, concurrency=target.concurrency,
                                   environ=os.environ if environ is None else environ, target=target.name)
