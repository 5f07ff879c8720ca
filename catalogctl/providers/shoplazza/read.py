"""Reading the shop: `GET /openapi/2022-01/shop?fields=...`, asking only for the facts the catalog names."""

from __future__ import annotations

from collections.abc import Sequence

from catalogctl.core import LiveState
from catalogctl.http import BadResponse, HttpClient
from catalogctl.providers.shoplazza.wire import FIELDS, SHOP, query_fields, shop_of, shop_resource

SHOP_PATH = "/openapi/2022-01/shop"
NOTHING_STATED = ("the catalog states no store facts (name, currency, locale, timezone, country, domain, email): "
                  "nothing to verify against this Shoplazza shop")


async def read_shop(http: HttpClient, facts: Sequence[str] | None) -> LiveState:
    """The shop as one resource with the named facts (`None`: every fact catalogctl knows, for import)."""
    names = list(FIELDS) if facts is None else list(facts)
    if not names:
        return LiveState(resources={}, notes=(NOTHING_STATED,))
    answer = await http.send("GET", SHOP_PATH, label="shop", idempotent=True,
                             params={"fields": query_fields(names)})
    shop = shop_of(answer)
    if shop is None:
        raise BadResponse("shop", "the answer has no `shop` object", vendor="Shoplazza")
    return LiveState(resources={SHOP: shop_resource(shop, names)}, requests=1)
