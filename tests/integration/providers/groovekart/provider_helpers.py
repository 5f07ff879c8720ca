"""Helpers for the provider tests: a sandbox store (in-process or real HTTP) and catalog builders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from catalogctl.core import LiveState
from catalogctl.model.address import Address, Kind
from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider
from catalogctl.providers.groovekart.actions import GroupSpec, ProductSpec, VariantSpec
from catalogctl.sandbox import Credentials

SECRET_TOKEN = "gk-tok-4f1c9e-SECRET"
SECRET_KEY = "key-77aa31d0-SECRET"
SANDBOX_CREDENTIALS = Credentials(SECRET_TOKEN, SECRET_KEY, "catalogctl")
CREDENTIALS = GrooveKartCredentials(SECRET_TOKEN, SECRET_KEY, "catalogctl")


@dataclass
class Store:
    """A sandbox store; `url` is set when it is served over real HTTP, else calls go in-process."""

    app: Starlette
    db_path: Path
    url: str | None = None

    def _transport(self) -> httpx.AsyncBaseTransport | None:
        return None if self.url else httpx.ASGITransport(app=self.app)

    def provider(self, credentials: GrooveKartCredentials = CREDENTIALS, **options: Any) -> GrooveKartProvider:
        options.setdefault("timeout", 10.0)
        return GrooveKartProvider(self.url or "http://sandbox", credentials, transport=self._transport(), **options)

    async def admin(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        async with httpx.AsyncClient(base_url=self.url or "http://sandbox", transport=self._transport()) as http:
            response = await http.request(method, f"/__sandbox/{path}", json=body)
            response.raise_for_status()
            return response.json()

    async def faults(self, **config: Any) -> None:
        await self.admin("POST", "faults", config)

    async def stats(self) -> dict[str, Any]:
        return await self.admin("GET", "stats")


def tee(sku: str = "TS-1", **changes: Any) -> ProductSpec:
    base: dict[str, Any] = {
        "sku": sku, "title": "Classic Tee", "description": "Soft cotton.", "short_description": "Soft.",
        "vendor": "Acme", "category": None, "price": Decimal("24.99"), "compare_at_price": Decimal("29.99"),
        "weight": Decimal("0.37"), "tags": ("cotton", "summer"), "options": ("Color", "Size"),
    }
    return ProductSpec(**{**base, **changes})


GROUPS = (GroupSpec(name="Color", type="color"), GroupSpec(name="Size", type="select"))


def variant(color: str, size: str, **changes: Any) -> VariantSpec:
    hexes = {"Blue": "#0000FF", "Red": "#FF0000", "Lime": "#00FF00"}
    base: dict[str, Any] = {
        "values": (("Color", color), ("Size", size)), "color": hexes[color],
        "sku": f"TS-{color[:2].upper()}-{size}", "price": Decimal("24.99"), "compare_at_price": Decimal("29.99"),
        "weight": Decimal("0.37"),
    }
    return VariantSpec(**{**base, **changes})


def of_kind(live: LiveState, kind: Kind) -> dict[Address, Any]:
    return {a: r for a, r in live.resources.items() if a.kind is kind}


def registry(live: LiveState) -> dict[Address, str]:
    """The id registry an applier seeds from a live read."""
    return {a: r.live_id for a, r in live.resources.items() if r.live_id is not None}
