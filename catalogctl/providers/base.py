"""The provider contract (octoDNS-style: capabilities as data, small hooks).

A provider reads a live store into the same ResourceMap shape the catalog produces, and
carries out one Action at a time. Everything store-specific stays behind this interface.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from catalogctl.model.actions import Action
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource, ResourceMap

Facts = Mapping[str, Mapping[str, Any]]
"""What state remembers that the store cannot return, keyed "image:<live id>" -> {"src": url},
"product:<live id>" -> {"short_description": ...}."""

IdRegistry = MutableMapping[Address, str]
"""Address -> live id: seeded from the live read, extended by each step's result."""


class DeleteMode(StrEnum):
    NONE = "none"            # the store cannot remove it: unsupported
    DELETE = "delete"        # removed for real (webhooks)
    DEACTIVATE = "deactivate"  # set inactive (products)


@dataclass(frozen=True)
class KindCapabilities:
    """What a store can do with one resource kind.

    An attribute in `in_place` changes with an update; in `replace` only by recreating the
    object (needs --allow-replace); in `write_only` the store never returns it, so it is
    compared only when state remembers it; any other attribute difference is unsupported.
    """

    create: bool
    delete: DeleteMode
    in_place: frozenset[str] = frozenset()
    replace: frozenset[str] = frozenset()
    write_only: frozenset[str] = frozenset()


Capabilities = Mapping[Kind, KindCapabilities]


@dataclass(frozen=True)
class LiveState:
    """The live store as resources, plus what could not be keyed."""

    resources: ResourceMap
    shadowed: tuple[Resource, ...] = ()   # products whose sku a preferred product already holds
    unkeyed: tuple[Resource, ...] = ()    # products without a sku: cannot be managed
    requests: int = 0                     # HTTP requests the read made


@dataclass(frozen=True)
class StepResult:
    """What an executed action tells the applier and the state."""

    ids: Mapping[Address, str] = field(default_factory=dict)
    facts: Facts = field(default_factory=dict)
    requests: int = 0


class Provider(ABC):
    """One store. Async: one asyncio.run at the CLI edge drives it."""

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]

    @abstractmethod
    async def read(self, facts: Facts) -> LiveState:
        """Read the whole live catalog; `facts` from state fill in what the store can't return."""

    @abstractmethod
    async def execute(self, action: Action, ids: IdRegistry) -> StepResult:
        """Carry out one action; raise ProviderError (catalogctl.errors subclass) on failure."""

    @property
    @abstractmethod
    def request_count(self) -> int:
        """HTTP requests made so far by this provider."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    async def __aenter__(self) -> Provider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
