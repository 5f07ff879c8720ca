"""Reading the live store into resources: a few list calls, product pages fetched concurrently.

A no-op read costs 3 + ceil(products / page) requests, never one per product:
everything a product resource needs (variants, images, tags, status) is in list_products rows.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from catalogctl.core import Facts, LiveState
from catalogctl.http.client import Decode
from catalogctl.model.address import Address
from catalogctl.model.resource import Resource
from catalogctl.providers.groovekart import pages as typed_pages
from catalogctl.providers.groovekart import wire
from catalogctl.providers.groovekart.convert import (  # noqa: F401  (the reader's names, as before the split)
    ProductRead,
    image_sources,
    product_resource,
    product_resources,
    regroup,
    split_by_sku,
    variant_resource,
    variant_values,
)
from catalogctl.providers.groovekart.dialect import GrooveKartClient

T = TypeVar("T")
NO_PRODUCTS = ("No products found.",)
NO_CATEGORIES = ("Categories not found.",)
NO_GROUPS = ("Variant Groups not found.",)
NO_WEBHOOKS = ("Webhooks not found", "Webhooks not found.")


async def list_categories(client: GrooveKartClient) -> list[wire.WireCategory]:
    return wire.categories(await client.call("list_categories", {}, idempotent=True, empty=NO_CATEGORIES))


async def list_groups(client: GrooveKartClient) -> list[wire.WireGroup]:
    body = {"action": "list_variant_groups"}
    return wire.groups(await client.call("variant_groups", body, idempotent=True, empty=NO_GROUPS))


async def list_webhooks(client: GrooveKartClient) -> list[wire.WireWebhook]:
    return wire.webhooks(await client.call("webhooks", {"action": "list"}, idempotent=True, empty=NO_WEBHOOKS))


async def product_page(client: GrooveKartClient, index: int, page_size: int) -> list[wire.WireProduct]:
    """One page of all products (active or not), oldest first so pages stay stable while reading, and
    the next page's first row, which tells whether there is a next page."""
    return wire.products(await _page_answer(client, index, page_size))


async def _page_answer(client: GrooveKartClient, index: int, page_size: int, decode: Decode | None = None) -> Any:
    body = {
        "limit": page_size + 1, "offset": index * page_size, "order_by": "id_product",
        "order_way": "ASC", "only_active": None,
    }
    return await client.call("list_products", body, idempotent=True, empty=NO_PRODUCTS, decode=decode)


async def search_products(client: GrooveKartClient, **criteria: Any) -> list[wire.WireProduct]:
    """search_products by `ids` ("1,2") or `keyword`; [] when nothing matches."""
    body = {**criteria, "limit": 0, "offset": 0, "order_by": "id_product", "order_way": "ASC"}
    return wire.products(await client.call("search_products", body, idempotent=True, empty=NO_PRODUCTS))


async def product_by_id(client: GrooveKartClient, product_id: str) -> wire.WireProduct | None:
    """A product read back in the list spelling (which, unlike details, carries default_on and color)."""
    found = await search_products(client, ids=str(product_id))
    return next((p for p in found if p.id == str(product_id)), None)


async def products_by_sku(client: GrooveKartClient, sku: str) -> list[wire.WireProduct]:
    """Products whose own sku is exactly `sku` (keyword search also matches titles and variant skus)."""
    return [p for p in await search_products(client, keyword=sku) if p.sku == sku]


class _Pages(Generic[T]):
    """Shared cursor of the concurrent page fetchers: the next page to take, the last one.

    Each page asks for one row more than a page: a page that does not get it is the last, so the
    end is known without asking for the page after it. Each page is converted as it arrives, so the
    wire models of a large store are never all held at once; a product seen on an earlier-arriving
    page is not converted twice.
    """

    def __init__(self, page_size: int, convert: Callable[[wire.WireProduct], T]) -> None:
        self.page_size = page_size
        self.convert = convert
        self.next = 0
        self.limit: int | None = None  # take no page from here on (the pages known to exist end here)
        self.end: int | None = None
        self.rows: dict[int, list[T]] = {}
        self.seen: set[str | None] = set()

    def take(self) -> int | None:
        if self.end is not None and self.next > self.end:
            return None
        if self.limit is not None and self.next >= self.limit:
            return None
        self.next += 1
        return self.next - 1

    def put(self, index: int, products: list[wire.WireProduct]) -> None:
        own = products[:self.page_size]  # the extra row is the next page's first
        fresh = [p for p in own if p.id not in self.seen]  # an insert mid-read shifts rows
        self.put_converted(index, len(products), [(p.id, self.convert(p)) for p in fresh])

    def put_converted(self, index: int, rows: int, own: list[tuple[str | None, T]]) -> None:
        """A page of `rows` rows whose own ones (id, converted) are `own`."""
        fresh = [(product_id, item) for product_id, item in own if product_id not in self.seen]
        self.seen.update(product_id for product_id, _ in fresh)
        self.rows[index] = [item for _, item in fresh]
        if rows <= self.page_size and (self.end is None or index < self.end):
            self.end = index

    def result(self) -> list[T]:
        return [row for i in sorted(self.rows) if self.end is None or i <= self.end for row in self.rows[i]]


def _same(product: wire.WireProduct) -> wire.WireProduct:
    return product


Typed = Callable[[bytes, int], "tuple[int, list[tuple[str | None, Any]]] | None"]
"""A page body and the page size -> (rows, [(id, converted)] of the page's own rows), or None."""


async def all_products(
    client: GrooveKartClient, page_size: int, workers: int, convert: Callable[[wire.WireProduct], T] = _same,
    expected: int | Awaitable[int | None] | None = None, typed: Typed | None = None,
) -> list[T]:
    """Every product (converted): page 0 first; then, when `expected` (a hint: how many products the
    caller expects, e.g. the catalog's; while the catalog is still loading, pages are read one at a
    time until it is known) says more pages exist, all of those at once, `workers` at a time; then,
    if the store holds more than that, concurrent fetchers until the last page. `typed` converts a
    page straight from its bytes (pages.py) the way `convert` would; where it declines, `convert`
    converts the parsed page.

    A store that holds at most `expected` products costs exactly its ceil(P / page_size) pages
    (one when empty); past the hint, at most `workers - 1` pages past the end are fetched for nothing.
    """
    pages = _Pages(page_size, convert)
    decode = None if typed is None else lambda content: typed(content, page_size)

    async def fetch() -> None:
        while (index := pages.take()) is not None:
            answer = await _page_answer(client, index, page_size, decode)
            if isinstance(answer, tuple):   # what `typed` made of it (a parsed JSON answer is no tuple)
                pages.put_converted(index, *answer)
            else:
                pages.put(index, wire.products(answer))

    pages.limit = 1
    await fetch()
    count = None
    if pages.end is None:
        count = await _counted(expected, pages, fetch) if inspect.isawaitable(expected) else expected
    for limit in (-(-(count or 0) // page_size), None):
        pages.limit = limit
        if pages.end is None:
            await gather_or_cancel(*(fetch() for _ in range(max(1, workers))))
    return pages.result()


async def _counted(expected: Awaitable[int | None], pages: _Pages[Any],
                   fetch: Callable[[], Awaitable[None]]) -> int | None:
    """The expected count, the pages read one at a time until it is known: each page says whether
    another follows, so none is asked for past the end, and the read does not stand idle while the
    catalog is parsed (~1 s at 10,000 products)."""
    counting = asyncio.ensure_future(expected)
    try:
        while not counting.done() and pages.end is None:
            pages.limit = pages.next + 1
            await fetch()
        return await counting
    finally:
        if not counting.done():
            counting.cancel()


async def gather_or_cancel(*coroutines: Awaitable[Any]) -> list[Any]:
    """Like asyncio.gather, but when one fails the others are cancelled and awaited, not left running."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def read_live(
    client: GrooveKartClient, facts: Facts, page_size: int, workers: int,
    expected: int | Awaitable[int | None] | None = None,
) -> LiveState:
    """The whole live catalog as resources (see model/attributes.py for the attribute contract);
    `expected` products (a hint) let every page be asked for at once (see all_products)."""
    start = client.requests
    titles: dict[str, str] = {}

    async def products_after_categories() -> tuple[list[wire.WireCategory], list[ProductRead]]:
        cats = await list_categories(client)  # product resources name their category by title
        titles.update((cat.id, cat.title) for cat in cats)
        return cats, await all_products(
            client, page_size, workers, lambda p: ProductRead.of(p, titles, facts), expected,
            typed=lambda content, size: typed_pages.page(content, size, titles, facts),
        )

    (cats, products), groups, hooks = await gather_or_cancel(
        products_after_categories(), list_groups(client), list_webhooks(client),
    )
    resources: dict[Address, Resource] = {}
    for cat in sorted(cats, key=lambda c: int(c.id)):
        _put(resources, Resource(Address.category(cat.title), {"title": cat.title}, live_id=cat.id))
    for group in sorted(groups, key=lambda g: int(g.id)):
        attrs = {"name": group.name, "type": None}  # unknown: the store reads every group type back as "radio"
        _put(resources, Resource(Address.variant_group(group.name), attrs, live_id=group.id))
    for hook in sorted(hooks, key=lambda h: int(h.id)):
        attrs = {"name": hook.name, "endpoint": hook.endpoint}
        _put(resources, Resource(Address.webhook(hook.name), attrs, live_id=hook.id))
    kept, shadowed, unkeyed = split_by_sku(products)
    for product in kept:
        for resource in product.resources:
            resources[resource.address] = resource
    return LiveState(
        resources=resources,
        shadowed=tuple(p.resources[0] for p in shadowed),
        unkeyed=tuple(p.resources[0] for p in unkeyed),
        requests=client.requests - start,
    )


def _put(resources: dict[Address, Resource], resource: Resource) -> None:
    """First (lowest id) wins when the store holds two objects with one natural key."""
    resources.setdefault(resource.address, resource)


