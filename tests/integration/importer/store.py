"""A sandbox store populated directly through its HTTP API (not by catalogctl), and its provider."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider
from catalogctl.sandbox import DEFAULT_CREDENTIALS, create_app

CREDENTIALS = GrooveKartCredentials(DEFAULT_CREDENTIALS.auth_token, DEFAULT_CREDENTIALS.api_key,
                                    DEFAULT_CREDENTIALS.api_user)
DESCRIPTION = '<div class="copy">\n  <h2>Organic cotton</h2>\n  <p>Soft &amp; light.</p>\n</div>'


@asynccontextmanager
async def sandbox(db: Path) -> AsyncIterator[tuple[httpx.AsyncClient, GrooveKartProvider]]:
    """A raw API client and a provider, both talking to one in-process sandbox store."""
    app = create_app(db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox/api/") as raw, \
            GrooveKartProvider("http://sandbox", CREDENTIALS, transport=transport) as provider:
        yield raw, provider


async def call(raw: httpx.AsyncClient, endpoint: str, body: dict[str, Any]) -> Any:
    response = await raw.post(f"{endpoint}.json", json={**CREDENTIALS.body(), **body})
    data = response.json()
    assert response.status_code == 200 and not (isinstance(data, dict) and (
        data.get("error") or data.get("Error") or data.get("status") in ("error", "failed"))), (data, response.headers)
    return data


def value(group: str, name: str, color: str | None = None) -> dict[str, str]:
    kind = "color" if color else "select"
    return {"variant_group_type": kind, "variant_name": name, **({"color": color} if color else {})}


async def populate(raw: httpx.AsyncClient) -> dict[str, str]:
    """Several groups, a color group, variant images, tags, an inactive product, one without sku,
    and an inactive draft that shares the tee's sku."""
    categories = await call(raw, "create_categories", {"category": [{"title": "Apparel"}, {"title": "Home"}]})
    category = {c["title"]: c["id"] for c in _category_list(categories)}
    groups = [{"name": "Color", "group_type": "color"}, {"name": "Size", "group_type": "select"},
              {"name": "Fit", "group_type": "select"}]
    colors = {"Navy": "#1F2A44", "Sand": "#d8c8a8"}
    grid = []
    for color, hex_code in colors.items():
        for size, surcharge in (("S", 0), ("M", 0), ("XL", 2)):
            for fit in ("Regular", "Slim"):
                grid.append({
                    "variant_values": {"Color": value("Color", color, hex_code), "Size": value("Size", size),
                                       "Fit": value("Fit", fit)},
                    "price": str(24.5 + surcharge), "compare_at_price": "30", "sku": f"TEE-{color}-{size}-{fit}",
                    "weight": "0.3", "weight_unit": "lb", "default_on": int(not grid),
                })
    tee = await call(raw, "products", {"product": {
        "title": "Organic Tee", "description": DESCRIPTION, "short_description": "", "vendor": "Acme",
        "category_id": int(category["Apparel"]), "price": "24.5", "compare_default_price": "30", "sku": "TEE",
        "weight": "0.3", "visibility": "both", "tags": "organic, cotton, summer",
        "image": {"src": "https://img.example.com/tee-navy.jpg", "position": 0},
        "variant_groups": groups, "variants": grid,
    }})
    sand = await call(raw, "products", {"product": {"id": int(tee["id_product"]),
                                                    "image": {"src": "https://img.example.com/tee-sand.jpg",
                                                              "position": 1}}})
    sand_variants = [v["variant_id"] for v in tee["variants"] if v["variant_values"]["Color"]["variant_name"] == "Sand"]
    await call(raw, "variants", {"variants": sand_variants, "image_id": [int(sand["id_image"])]})
    mug = await call(raw, "products", {"product": {
        "title": "Old Mug", "description": "<p>Retired.</p>", "price": "9.99", "sku": "MUG-OLD",
        "compare_default_price": "0", "category_id": int(category["Home"]), "weight": "0", "visibility": "search",
        "tags": "",
        "variant_groups": [{"name": "Size", "group_type": "select"}],
        "variants": [
            {"variant_values": {"Size": value("Size", "S")}, "price": "9.99", "compare_at_price": "0",
             "sku": "MUG-S", "default_on": 0},
            {"variant_values": {"Size": value("Size", "XL")}, "price": "12.49", "compare_at_price": "0",
             "sku": "MUG-BIG", "default_on": 1},
        ],
    }})
    await call(raw, "products", {"product": {"action": "product_status", "id": int(mug["id_product"]),
                                             "active": False}})
    draft = await call(raw, "products", {"product": {"title": "Organic Tee (draft)", "price": "20", "sku": "TEE",
                                                     "compare_default_price": "0", "weight": "0",
                                                     "visibility": "none"}})
    await call(raw, "products", {"product": {"action": "product_status", "id": int(draft["id_product"]),
                                             "active": False}})
    loose = await call(raw, "products", {"product": {"title": "Mystery Box", "price": "5", "sku": "",
                                                     "compare_default_price": "0", "weight": "0",
                                                     "visibility": "both"}})
    await call(raw, "webhooks", {"action": "create", "webhook_data": [
        {"name": "orders", "endpoint": "https://hooks.example.com/orders"}]})
    return {"tee": tee["id_product"], "mug": mug["id_product"], "loose": loose["id_product"],
            "draft": draft["id_product"]}


def _category_list(answer: Any) -> list[dict[str, str]]:
    items = answer.get("categories", answer) if isinstance(answer, dict) else answer
    return list(items.values()) if isinstance(items, dict) else list(items)
