"""The read asks for no page past the end when it knows how many products to expect (issue 13)."""

from __future__ import annotations

import asyncio
import math

from provider_helpers import GROUPS, Store, of_kind, tee, variant

from catalogctl.model.address import Address, Kind
from catalogctl.providers.groovekart import GrooveKartProvider
from catalogctl.providers.groovekart import actions as a

COUNT = 100  # two pages of 50 exactly: the last page is full, the case that used to need one more


async def seed(provider: GrooveKartProvider, count: int) -> None:
    async def create(n: int) -> None:
        action = a.CreateProduct(product=tee(f"SKU-{n:04}", title=f"Tee {n}"), groups=GROUPS,
                                 variants=(variant("Blue", "L", default=True),))
        await provider.execute(action, {})

    await asyncio.gather(*(create(n) for n in range(count)))


async def read_pages(served: Store, page_size: int, expected: int | None) -> int:
    """Pages of list_products one read asked for, after checking it read every product once."""
    await served.admin("POST", "stats/reset")
    async with served.provider(page_size=page_size, concurrency=8) as provider:
        provider.expected_products = expected
        live = await provider.read({})
    products = of_kind(live, Kind.PRODUCT)
    assert set(products) == {Address.for_product(f"SKU-{n:04}") for n in range(COUNT)}
    assert len({r.live_id for r in products.values()}) == COUNT
    stats = await served.stats()
    assert live.requests == stats["total"] and stats["mutating"] == 0
    return int(stats["by_call"]["list_products.json"])


def test_pages_exactly_when_the_store_holds_what_is_expected(served: Store) -> None:
    async def main() -> None:
        async with served.provider() as provider:
            assert provider.expected_products is None
            await provider.read({})  # an empty store: one page says so
        assert (await served.stats())["by_call"]["list_products.json"] == 1
        async with served.provider() as provider:
            await seed(provider, COUNT)
        for page_size in (50, 7, 100, 1000):
            want = math.ceil(COUNT / page_size)
            assert await read_pages(served, page_size, COUNT) == want
            assert await read_pages(served, page_size, COUNT - 1) == want  # same pages: no extra one
            # A catalog smaller than the store: every product still read, a few pages speculated.
            assert want <= await read_pages(served, page_size, 10) <= want + 8
            assert want <= await read_pages(served, page_size, None) <= want + 8
            # A catalog larger than the store (a plan that creates): pages past the end are asked for.
            assert await read_pages(served, page_size, 10 * COUNT) >= want

    asyncio.run(main())


def test_pages_are_read_one_at_a_time_while_the_count_is_awaited(served: Store) -> None:
    """A catalog still being parsed: the read goes on a page at a time (each page says whether another
    follows), then asks for the rest at once; still no page past the end."""
    async def main() -> None:
        async with served.provider() as provider:
            await seed(provider, COUNT)
        await served.admin("POST", "stats/reset")
        before_count: list[int] = []

        async def late_count() -> int:
            await asyncio.sleep(0.5)
            before_count.append(int((await served.stats())["by_call"].get("list_products.json", 0)))
            return COUNT

        async with served.provider(page_size=7, concurrency=8) as provider:
            provider.expect_count(late_count())
            live = await provider.read({})
        assert set(of_kind(live, Kind.PRODUCT)) == {Address.for_product(f"SKU-{n:04}") for n in range(COUNT)}
        assert (await served.stats())["by_call"]["list_products.json"] == math.ceil(COUNT / 7)
        assert 1 < before_count[0] <= math.ceil(COUNT / 7)  # pages went on while the count was awaited

    asyncio.run(main())
