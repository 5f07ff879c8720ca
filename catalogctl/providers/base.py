"""The provider contract (octoDNS-style: capabilities as data, small hooks).

A provider reads a live store into the same ResourceMap shape the catalog produces, and
carries out one Action at a time. Everything store-specific stays behind this interface;
the data it exchanges with the core lives in `catalogctl.core`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, TypeAdapter

from catalogctl.config.models import Catalog
from catalogctl.core import Capabilities, Facts, IdRegistry, LiveState, StepResult
from catalogctl.model.address import Kind
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.classify import Item
from catalogctl.plan.model import Step


class Provider(ABC):
    """One store. Async: one asyncio.run at the CLI edge drives it."""

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]

    @abstractmethod
    async def read(self, facts: Facts) -> LiveState:
        """Read the whole live catalog; `facts` from state fill in what the store can't return."""

    @abstractmethod
    async def execute(self, action: Any, ids: IdRegistry) -> StepResult:
        """Carry out one action; raise ProviderError (catalogctl.errors subclass) on failure."""

    def prepare(self, action: Any, ids: IdRegistry) -> None:  # noqa: B027 - optional hook
        """Told, while every slot of the walk waits for an answer, the action most likely to start next:
        work `execute` would do before its first request may be done now (never a request, never raising);
        `execute` uses it only if it is still what it would make itself."""

    @property
    @abstractmethod
    def request_count(self) -> int:
        """HTTP requests made so far by this provider."""

    def expect(self, catalog: Catalog) -> None:  # noqa: B027 - optional hook
        """What the catalog asks of this target, told before `read`: a provider that reads only what
        the catalog names (Shoplazza's `fields=`) keeps it; the others ignore it."""

    # True when the read needs nothing of the catalog but its product count (`expect_count`): `plan`
    # then loads the catalog while the store is read, instead of first.
    reads_while_loading: ClassVar[bool] = False

    def expect_count(self, products: Awaitable[int | None]) -> None:  # noqa: B027 - optional hook
        """The catalog's product count, known while `read` runs (None: unknown); told before `read`."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    async def __aenter__(self) -> Provider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class StepBuilder(Protocol):
    """Changes -> the provider's own steps (how it batches, which calls, in what order)."""

    def __call__(self, items: Sequence[Item], desired: ResourceMap, live: ResourceMap) -> list[Step]: ...


class Connect(Protocol):
    """Open the provider for a target: `settings` None means the embedded sandbox in `sandbox_db`."""

    def __call__(self, settings: Any, *, sandbox_db: Path, concurrency: int,
                 environ: Mapping[str, str], target: str) -> Provider: ...


@dataclass(frozen=True)
class ProviderSpec:
    """Everything the core knows of one provider without connecting: one per provider package,
    listed in `providers/registry.py`. See docs/providers.md."""

    name: str                           # the `provider:` value in catalogctl.yaml and in plan files
    title: str                          # "GrooveKart": in messages
    settings: type[BaseModel]           # its target settings (a member of the `provider:` tagged union)
    capabilities: Capabilities          # the kinds it handles and what it can do with each
    sections: frozenset[str]            # catalog sections it manages; others are noted once per plan
    actions: TypeAdapter[Any]           # its step actions, to read saved plans back
    build_steps: StepBuilder
    connect: Connect
    sandbox_app: Callable[[Path], Any]  # its emulator: an ASGI app over a SQLite file
    desired: Callable[[Catalog], ResourceMap] = desired_resources
    aliases: tuple[str, ...] = ()       # other `provider:` values that mean this provider

    @property
    def kinds(self) -> frozenset[Kind]:
        """The resource kinds this provider plans for."""
        return frozenset(self.capabilities)
