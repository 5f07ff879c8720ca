"""Retries under injected faults, and creates that never duplicate after a lost answer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import httpx
import pytest
from provider_helpers import CREDENTIALS, GROUPS, Store, of_kind, registry, tee, variant

from catalogctl.core import LiveState
from catalogctl.core.uncertain import UncertainCreate, UncertainCreateError, logging_to
from catalogctl.http.errors import ProviderError
from catalogctl.model.address import Address, Kind
from catalogctl.providers.groovekart import GrooveKartProvider, read
from catalogctl.providers.groovekart import actions as a


async def seed(provider: GrooveKartProvider, count: int) -> dict[Address, str]:
    ids: dict[Address, str] = {}
    for n in range(count):
        result = await provider.execute(a.CreateProduct(product=tee(f"P-{n:03}", options=())), ids)
        ids.update(result.ids)
    return ids


def test_reads_survive_injected_500s(store: Store) -> None:
    async def main() -> None:
        async with store.provider(page_size=5, retry_backoff=0.01) as provider:
            await seed(provider, 23)
            clean = await provider.read({})
            await store.faults(error_rate=0.3, seed=7)
            faulty = await provider.read({})
        assert faulty.resources == clean.resources and len(of_kind(faulty, Kind.PRODUCT)) == 23
        assert faulty.requests > clean.requests  # the retries are counted

    asyncio.run(main())


def test_429_retry_after_is_honoured(store: Store) -> None:
    async def main() -> None:
        async with store.provider(retry_backoff=0.01) as provider:
            await store.faults(rate_limit=2, retry_after_s=1)
            started = time.monotonic()
            live = await provider.read({})
            elapsed = time.monotonic() - started
        assert live.resources == {}
        assert elapsed >= 0.95  # backoff alone would have waited ~0.01 s
        assert live.requests >= 5

    asyncio.run(main())


def test_rate_limited_create_is_resent_without_duplicates(store: Store) -> None:
    async def main() -> None:
        async with store.provider() as provider:
            await store.faults(rate_limit=1, retry_after_s=0)  # every request answered 429 ...
            await store.faults(rate_limit=2, retry_after_s=0)  # ... then every second one
            ids: dict[Address, str] = {}
            ids.update((await provider.execute(a.CreateProduct(product=tee()), ids)).ids)
            await store.faults()
            live = await provider.read({})
        assert [r.live_id for r in of_kind(live, Kind.PRODUCT).values()] == [ids[Address.for_product("TS-1")]]

    asyncio.run(main())


async def _after_commit(store: Store, action: a.Action, prepare: list[a.Action], mode: str) -> LiveState:
    async with store.provider(retry_backoff=0.01) as provider:
        for step in prepare:
            await provider.execute(step, {})
        ids = registry(await provider.read({}))  # what an applier seeds the registry with
        await store.faults(fail_after_commit_nth=1, after_commit=mode)
        result = await provider.execute(action, ids)
        ids.update(result.ids)
        await store.faults()
        live = await provider.read({})
    for address, live_id in result.ids.items():
        assert live.resources[address].live_id == live_id
    return live


def test_create_product_after_commit_drop_does_not_duplicate(store: Store) -> None:
    action = a.CreateProduct(product=tee(), groups=GROUPS, variants=(variant("Blue", "L"),),
                             cover="https://img.example.com/a.png")
    live = asyncio.run(_after_commit(store, action, [], "drop"))
    assert len(of_kind(live, Kind.PRODUCT)) == 1 and live.shadowed == () and live.unkeyed == ()
    assert len(of_kind(live, Kind.VARIANT)) == 1 and len(of_kind(live, Kind.IMAGE)) == 1
    stats = asyncio.run(store.stats())
    assert stats["by_call"]["products.json:create"] == 1


def test_a_create_answered_500_is_not_sent_again_in_the_same_apply(store: Store) -> None:
    """A 5xx does not say the write rolled back: the step fails as uncertain after its lookups, and
    only a later execution (the next apply, after the settle window) creates it, once."""
    async def main() -> LiveState:
        async with store.provider(retry_backoff=0.01) as provider:
            await store.faults(fail_nth_mutating=1)
            with pytest.raises(UncertainCreateError) as lost:
                await provider.execute(a.CreateProduct(product=tee()), {})
            assert [r.address for r in lost.value.lost] == ['product["TS-1"]']
            assert lost.value.lost[0].call == "products.json" and lost.value.lost[0].key == "sku=TS-1"
            assert (await store.stats())["by_call"]["products.json:create"] == 1
            await store.faults()
            await provider.execute(a.CreateProduct(product=tee()), {})
            return await provider.read({})

    live = asyncio.run(main())
    assert len(of_kind(live, Kind.PRODUCT)) == 1 and live.shadowed == ()
    assert asyncio.run(store.stats())["by_call"]["products.json:create"] == 2


class _RefusesFirst(httpx.AsyncBaseTransport):
    """The sandbox behind a connection that is refused `refusals` times first (the store sees nothing)."""

    def __init__(self, app: Any, refusals: int) -> None:
        self.inner, self.refusals = httpx.ASGITransport(app=app), refusals

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.refusals:
            self.refusals -= 1
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


def test_a_create_that_never_reached_the_store_is_sent_again_at_once(store: Store) -> None:
    """A refused connection proves the store never saw the request: resent at once, nothing recorded."""
    recorded: list[UncertainCreate] = []

    class Log:
        def lost(self, found: Sequence[UncertainCreate]) -> None:
            recorded.extend(found)

        def settled(self, addresses: Sequence[Address]) -> None:
            pass

    async def main() -> LiveState:
        provider = GrooveKartProvider("http://sandbox", CREDENTIALS, transport=_RefusesFirst(store.app, 2),
                                      retry_backoff=0.01, insecure=True)
        async with provider:
            with logging_to(Log()):
                await provider.execute(a.CreateProduct(product=tee()), {})
            return await provider.read({})

    live = asyncio.run(main())
    assert len(of_kind(live, Kind.PRODUCT)) == 1 and recorded == []
    assert asyncio.run(store.stats())["by_call"]["products.json:create"] == 1


def test_a_create_whose_connection_is_always_refused_fails_plainly_without_a_record(store: Store) -> None:
    recorded: list[UncertainCreate] = []

    class Log:
        def lost(self, found: Sequence[UncertainCreate]) -> None:
            recorded.extend(found)

        def settled(self, addresses: Sequence[Address]) -> None:
            pass

    async def main() -> None:
        provider = GrooveKartProvider("http://sandbox", CREDENTIALS, transport=_RefusesFirst(store.app, 99),
                                      retry_backoff=0.01, max_retries=2, insecure=True)
        async with provider:
            with logging_to(Log()), pytest.raises(ProviderError) as failed:
                await provider.execute(a.CreateProduct(product=tee()), {})
        assert not isinstance(failed.value, UncertainCreateError) and failed.value.unsent
        assert "could not connect" in failed.value.message

    asyncio.run(main())
    assert recorded == []


def test_categories_webhooks_groups_after_commit_error_do_not_duplicate(store: Store) -> None:
    live = asyncio.run(_after_commit(store, a.CreateCategories(titles=("A", "B")), [], "error"))
    assert sorted(r.attrs["title"] for r in of_kind(live, Kind.CATEGORY).values()) == ["A", "B"]
    hooks = a.CreateWebhooks(webhooks=(a.WebhookSpec(name="h", endpoint="https://hooks.example.com/h"),))
    live = asyncio.run(_after_commit(store, hooks, [], "drop"))
    assert [r.attrs["name"] for r in of_kind(live, Kind.WEBHOOK).values()] == ["h"]
    live = asyncio.run(_after_commit(store, a.CreateVariantGroups(groups=GROUPS), [], "error"))
    assert sorted(r.attrs["name"] for r in of_kind(live, Kind.VARIANT_GROUP).values()) == ["Color", "Size"]
    stats = asyncio.run(store.stats())["by_call"]
    assert stats["create_categories.json"] == 1 and stats["webhooks.json:create"] == 1


def test_add_image_and_variants_after_commit_do_not_duplicate(store: Store) -> None:
    prepare: list[a.Action] = [a.CreateProduct(product=tee(), groups=GROUPS, variants=(variant("Blue", "L"),),
                                               cover="https://img.example.com/a.png")]
    add_image = a.AddImage(sku="TS-1", position=1, src="https://img.example.com/b.png")
    live = asyncio.run(_after_commit(store, add_image, prepare, "drop"))
    assert len(of_kind(live, Kind.IMAGE)) == 2
    add = a.AddVariants(sku="TS-1", groups=GROUPS, variants=(variant("Red", "L", price=Decimal(9), image=1),))
    live = asyncio.run(_after_commit(store, add, [], "error"))
    assert len(of_kind(live, Kind.VARIANT)) == 2
    assert live.resources[Address.variant("TS-1", (("Color", "Red"), ("Size", "L")))].attrs["image"] is not None


def test_reads_survive_dropped_connections_over_http(served_both: Store) -> None:
    async def main() -> None:
        async with served_both.provider(page_size=4, retry_backoff=0.01) as provider:
            await seed(provider, 10)
            await served_both.faults(drop_rate=0.3, seed=3)
            live = await provider.read({})
            await served_both.faults()
        assert len(of_kind(live, Kind.PRODUCT)) == 10

    asyncio.run(main())


def test_requests_per_second_and_concurrency_limits(store: Store) -> None:
    async def burst(**options: object) -> float:
        async with store.provider(**options) as provider:
            started = time.monotonic()
            await asyncio.gather(*(read.list_categories(provider.client) for _ in range(6)))
            return time.monotonic() - started

    async def main() -> None:
        assert await burst(requests_per_second=20.0) >= 0.24  # 6 starts, 1/20 s apart
        # Waves long enough that a busy machine's delays (0.21 s once under load) cannot blur 1 wave and 3.
        await store.faults(latency_ms=250)
        assert await burst(concurrency=2) >= 0.74  # 3 waves of 250 ms
        assert await burst(concurrency=6) < 0.5    # 1 wave

    asyncio.run(main())


def test_lost_create_is_not_confused_with_an_older_product_of_the_same_sku(store: Store) -> None:
    async def main() -> LiveState:
        async with store.provider(retry_backoff=0.01) as provider:
            await provider.execute(a.CreateProduct(product=tee(active=False)), {})
            ids = registry(await provider.read({}))
            old_id = ids[Address.for_product("TS-1")]
            await store.faults(fail_after_commit_nth=1)  # the create lands, its answer is lost
            result = await provider.execute(a.CreateProduct(product=tee()), ids)
            assert result.ids[Address.for_product("TS-1")] != old_id
            await store.faults()
            return await provider.read({})

    live = asyncio.run(main())
    assert live.resources[Address.for_product("TS-1")].attrs["active"] is True
    assert [r.attrs["active"] for r in live.shadowed] == [False]


def test_lost_create_recovers_while_concurrent_creates_of_other_skus_land(store: Store) -> None:
    async def main() -> LiveState:
        async with store.provider(retry_backoff=0.01) as provider:
            # as if another step of the same apply created a newer product meanwhile
            ids = {Address.for_product("OTHER"): "999999"}
            await store.faults(fail_after_commit_nth=1)
            await provider.execute(a.CreateProduct(product=tee()), ids)
            await store.faults()
            return await provider.read({})

    live = asyncio.run(main())
    assert len(of_kind(live, Kind.PRODUCT)) == 1 and live.shadowed == ()


def test_a_create_cancelled_in_flight_is_recorded_as_uncertain(store: Store) -> None:
    """A second Ctrl-C cancels steps in flight: the create may have reached the store, so it is recorded."""
    recorded: list[UncertainCreate] = []

    class Log:
        def lost(self, found: Sequence[UncertainCreate]) -> None:
            recorded.extend(found)

        def settled(self, addresses: Sequence[Address]) -> None:
            pass

    async def main() -> None:
        async with store.provider(retry_backoff=0.01) as provider:
            await store.faults(latency_ms=2000)
            with logging_to(Log()):
                task = asyncio.create_task(provider.execute(a.CreateProduct(product=tee()), {}))
                await asyncio.sleep(0.3)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task

    asyncio.run(main())
    assert [(r.address, r.key) for r in recorded] == [('product["TS-1"]', "sku=TS-1")]
    assert "cancelled" in recorded[0].detail


def test_a_replacement_whose_new_product_lands_late_is_adopted_by_the_next_one_not_made_twice(
        served_both: Store) -> None:
    """The read prefers the old product (state knows it), so the next plan asks for the replacement
    again: that step finds the late product (newer than the old one, same sku) and only deactivates."""
    async def main() -> LiveState:
        async with served_both.provider(retry_backoff=0.01) as provider:
            first = await provider.execute(a.CreateProduct(product=tee()), {})
            facts = dict(first.facts)
            ids = registry(await provider.read(facts))
            old_id = ids[Address.for_product("TS-1")]
            replacement = a.ReplaceProduct(product=tee(weight=Decimal("0.5")))
            await served_both.faults(late_commit_nth=1, late_commit_ms=2000)
            with pytest.raises(UncertainCreateError) as lost:
                await provider.execute(replacement, ids)
            assert lost.value.lost[0].before == old_id
            await asyncio.sleep(2.3)   # the new product lands
            await served_both.faults()
            live = await provider.read(facts)
            assert live.resources[Address.for_product("TS-1")].live_id == old_id   # the old one is still preferred
            result = await provider.execute(replacement, registry(live))   # the next apply's replacement
            new_id = result.ids[Address.for_product("TS-1")]
            assert new_id != old_id and f"product:{new_id}" in result.facts
            return await provider.read({**facts, **result.facts})

    live = asyncio.run(main())
    creates = asyncio.run(served_both.stats())["by_call"]["products.json:create"]
    assert creates == 2   # the first create, one replacement
    assert [r.attrs["active"] for r in live.shadowed] == [False]                 # the old one, deactivated
    assert live.resources[Address.for_product("TS-1")].attrs["weight"] == Decimal("0.5")
