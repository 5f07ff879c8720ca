"""Reading 1,000 products over real HTTP: O(pages) requests, every product once, pages in parallel."""

from __future__ import annotations

import asyncio
import math

from provider_helpers import GROUPS, Store, of_kind, tee, variant

from catalogctl.model.address import Address, Kind
from catalogctl.providers.groovekart import GrooveKartProvider
from catalogctl.providers.groovekart import actions as a

COUNT = 1000


async def seed(provider: GrooveKartProvider) -> None:
    """1,000 products with two variants and a cover each, created through the API 8 at a time."""
    variants = (variant("Blue", "L", default=True), variant("Red", "L"))

    async def create(n: int) -> None:
        product = tee(f"SKU-{n:04}", title=f"Tee {n}")
        action = a.CreateProduct(product=product, groups=GROUPS, variants=variants,
                                 cover=f"https://img.example.com/{n}.png")
        await provider.execute(action, {})

    await asyncio.gather(*(create(n) for n in range(COUNT)))


def test_read_of_1000_products_costs_o_pages(served: Store) -> None:
    async def main() -> None:
        async with served.provider(concurrency=8) as provider:
            await seed(provider)
        await served.admin("POST", "stats/reset")
        for page_size, workers in ((50, 8), (7, 4)):
            async with served.provider(page_size=page_size, concurrency=workers) as provider:
                live = await provider.read({})
            products = of_kind(live, Kind.PRODUCT)
            assert set(products) == {Address.for_product(f"SKU-{n:04}") for n in range(COUNT)}
            assert len({r.live_id for r in products.values()}) == COUNT
            assert len(of_kind(live, Kind.VARIANT)) == 2 * COUNT and len(of_kind(live, Kind.IMAGE)) == COUNT
            pages = math.ceil(COUNT / page_size)
            # 3 list calls + the pages + at most one speculative page per worker past the end
            assert 3 + pages <= live.requests <= 3 + pages + workers
            assert live.requests == provider.request_count
            stats = await served.stats()
            assert stats["by_call"]["list_products.json"] == live.requests - 3
            assert stats["mutating"] == 0
            await served.admin("POST", "stats/reset")

    asyncio.run(main())
