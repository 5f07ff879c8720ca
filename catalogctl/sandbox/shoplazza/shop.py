"""The shop the Shoplazza sandbox serves: the documented fields and the document's example shop."""

from __future__ import annotations

from typing import Any

# The success example of `GET /openapi/2022-01/shop`, verbatim: the sandbox's shop until changed.
EXAMPLE_SHOP: dict[str, Any] = {
    "account": "[email protected]",
    "address1": "address1",
    "address2": "",
    "city": "city",
    "country_code": "CN",
    "created_at": "2023-11-08T11:51:39Z",
    "currency": "USD",
    "customer_email": "[email protected]",
    "domain": "test-shoplazza.stg.myshoplaza.com",
    "email": "[email protected]",
    "icon": {
        "alt": "",
        "path": "55f1a60e47d1462c7d88dec3844369f0.png",
        "src": "http://img.staticdj.com/55f1a60e47d1462c7d88dec3844369f0.png",
    },
    "id": 633130,
    "name": "test-shoplazza",
    "phone": "15014471143",
    "primary_locale": "en-US",
    "province_code": "CN-GD",
    "root_url": "",
    "shop_owner": "test-shoplazza",
    "state": "available",
    "system_domain": "test-shoplazza.stg.myshoplaza.com",
    "timezone": "+0800",
    "updated_at": "2024-04-29T09:18:01Z",
    "zip": "515300",
}

FIELDS: frozenset[str] = frozenset(EXAMPLE_SHOP)
ACTIVE_STATE = "available"


def unknown_facts(facts: dict[str, Any]) -> list[str]:
    """Names in `facts` that are not fields of the documented shop (refused by the admin route)."""
    return sorted(name for name in facts if name not in FIELDS)


def requested_fields(query: str | None) -> list[str] | None:
    """The `fields` query parameter as a list (None: all fields); raises ValueError when malformed."""
    if query is None:
        return None
    names = [name.strip() for name in query.split(",")]
    if not all(names) or any(name not in FIELDS for name in names):
        raise ValueError(query)
    return names
