"""The Shoplazza provider: verify that a target is the shop the catalog was written for (read-only)."""

from __future__ import annotations

from typing import Any, ClassVar

import httpx

from catalogctl.config.models import Catalog
from catalogctl.core import Capabilities, Facts, IdRegistry, LiveState, StepResult
from catalogctl.errors import PlanError
from catalogctl.http import HttpClient, HttpSettings
from catalogctl.providers.base import Provider
from catalogctl.providers.shoplazza.capabilities import CAPABILITIES
from catalogctl.providers.shoplazza.credentials import ShoplazzaCredentials
from catalogctl.providers.shoplazza.dialect import ShoplazzaDialect
from catalogctl.providers.shoplazza.read import read_shop
from catalogctl.providers.shoplazza.wire import stated_facts


class ShoplazzaProvider(Provider):
    """One shop, read at most 2 requests per second (Shoplazza's documented limit)."""

    name: ClassVar[str] = "shoplazza"
    capabilities: ClassVar[Capabilities] = CAPABILITIES

    def __init__(self, base_url: str, credentials: ShoplazzaCredentials, settings: HttpSettings, *,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.http = HttpClient(base_url.rstrip("/"), ShoplazzaDialect(credentials.access_token), settings,
                               transport=transport)
        self._facts: tuple[str, ...] | None = None

    def expect(self, catalog: Catalog) -> None:
        """Read only the facts the catalog states (the `fields` the request asks for)."""
        self._facts = tuple(stated_facts(catalog.store))

    async def read(self, facts: Facts) -> LiveState:
        return await read_shop(self.http, self._facts)

    async def execute(self, action: Any, ids: IdRegistry) -> StepResult:
        raise PlanError("Shoplazza's shop API is read-only: catalogctl has nothing to carry out there")

    @property
    def request_count(self) -> int:
        return self.http.requests

    async def aclose(self) -> None:
        await self.http.aclose()
