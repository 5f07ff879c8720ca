"""The provider contract (octoDNS-style: capabilities as data, small hooks).

A provider reads a live store into the same ResourceMap shape the catalog produces, and
carries out one Action at a time. Everything store-specific stays behind this interface;
the data it exchanges with the core lives in `catalogctl.core`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from catalogctl.core import Capabilities, Facts, IdRegistry, LiveState, StepResult


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
