"""The Shoprocket provider: bootstrap a store and its staff through a create-only API."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import ClassVar

import httpx

from catalogctl.core import Capabilities, Facts, IdRegistry, LiveState, StepResult
from catalogctl.http import HttpClient, HttpSettings
from catalogctl.providers.base import Provider
from catalogctl.providers.shoprocket import execute
from catalogctl.providers.shoprocket.actions import Action, CreateStore, CreateUser
from catalogctl.providers.shoprocket.capabilities import CAPABILITIES
from catalogctl.providers.shoprocket.credentials import ShoprocketCredentials
from catalogctl.providers.shoprocket.dialect import ShoprocketDialect
from catalogctl.providers.shoprocket.execute import log
from catalogctl.providers.shoprocket.read import live_from_state


class ShoprocketProvider(Provider):
    """One Shoprocket account. `read` makes no request: the API has none to make."""

    name: ClassVar[str] = "shoprocket"
    capabilities: ClassVar[Capabilities] = CAPABILITIES

    def __init__(self, base_url: str, credentials: ShoprocketCredentials, settings: HttpSettings | None = None, *,
                 transport: httpx.AsyncBaseTransport | None = None, environ: Mapping[str, str] | None = None) -> None:
        self.dialect = ShoprocketDialect(credentials.api_key)
        self.http = HttpClient(base_url.rstrip("/"), self.dialect, settings, transport=transport, log=log)
        self._environ = os.environ if environ is None else environ

    def __repr__(self) -> str:
        return f"ShoprocketProvider({self.http._http.base_url!s})"

    async def read(self, facts: Facts) -> LiveState:
        return live_from_state(facts)

    async def execute(self, action: Action, ids: IdRegistry) -> StepResult:
        match action:
            case CreateStore():
                return await execute.create_store(self.http, action)
            case CreateUser():
                return await execute.create_user(self.http, self.dialect, action, self._environ)
        raise TypeError(f"not a Shoprocket action: {action!r}")

    @property
    def request_count(self) -> int:
        return self.http.requests

    async def aclose(self) -> None:
        await self.http.aclose()
