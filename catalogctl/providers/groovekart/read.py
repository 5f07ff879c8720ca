"""Reading the live store into resources: a few list calls, product pages fetched concurrently.

A no-op read costs 3 + ceil(products / page) requests, never one per product:
everything a product resource needs (variants, images, tags, status) is in list_products rows.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from catalogctl.core import Facts, LiveState
from catalogctl.model.address import Address, Kind, variant_key
from catalogctl.model.attributes import IMAGE_ID, LIVE_URL, OPTIONS_UNORDERED
from catalogctl.model.resource import Resource
from catalogctl.providers.groovekart import wire
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
    body = {
        "limit": page_size + 1, "offset": index * page_size, "order_by": "id_product",
        "order_way": "ASC", "only_active": None,
    }
    return wire.products(await client.call("list_products", body, idempotent=True, empty=NO_PRODUCTS))


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
        self.seen.update(p.id for p in fresh)
        self.rows[index] = [self.convert(p) for p in fresh]
        if len(products) <= self.page_size and (self.end is None or index < self.end):
            self.end = index

    def result(self) -> list[T]:
        return [row for i in sorted(self.rows) if self.end is None or i <= self.end for row in self.rows[i]]


def _same(product: wire.WireProduct) -> wire.WireProduct:
    return product


async def all_products(
    client: GrooveKartClient, page_size: int, workers: int, convert: Callable[[wire.WireProduct], T] = _same,
    expected: int | Awaitable[int | None] | None = None,
) -> list[T]:
    """Every product (converted): page 0 first; then, when `expected` (a hint: how many products the
    caller expects, e.g. the catalog's; awaited after page 0 when the catalog is still loading) says
    more pages exist, all of those at once, `workers` at a time; then, if the store holds more than
    that, concurrent fetchers until the last page.

    A store that holds at most `expected` products costs exactly its ceil(P / page_size) pages
    (one when empty); past the hint, at most `workers - 1` pages past the end are fetched for nothing.
    """
    pages = _Pages(page_size, convert)

    async def fetch() -> None:
        while (index := pages.take()) is not None:
            pages.put(index, await product_page(client, index, page_size))

    pages.limit = 1
    await fetch()
    count = None
    if pages.end is None:
        count = await expected if inspect.isawaitable(expected) else expected
    for limit in (-(-(count or 0) // page_size), None):
        pages.limit = limit
        if pages.end is None:
            await gather_or_cancel(*(fetch() for _ in range(max(1, workers))))
    return pages.result()


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
        return cats, await all_products(client, page_size, workers, lambda p: ProductRead.of(p, titles, facts),
                                       expected)

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


@dataclass(frozen=True)
class ProductRead:
    """One live product as resources: the product first, then its images and variants."""

    sku: str
    active: bool
    id: int
    resources: list[Resource]
    known: bool = False  # state remembers it: catalogctl created (or imported) this product

    @classmethod
    def of(cls, product: wire.WireProduct, titles: dict[str, str], facts: Facts) -> ProductRead:
        return cls(product.sku, product.active, int(product.id or 0), product_resources(product, titles, facts),
                   f"product:{product.id}" in facts)

    def preference(self) -> tuple[bool, bool, int]:
        """Lowest first: the one state knows, else the oldest active, else the newest inactive (a replacement)."""
        return (not self.known, not self.active, self.id if self.active else -self.id)


def split_by_sku(products: Iterable[ProductRead]) -> tuple[list[ProductRead], list[ProductRead], list[ProductRead]]:
    """(one product per sku: `preference` picks it, so a newer copy made outside catalogctl never takes
    over; the others; those without a sku)."""
    by_sku: dict[str, list[ProductRead]] = {}
    unkeyed = []
    for product in products:
        if product.sku.strip():
            by_sku.setdefault(product.sku, []).append(product)
        else:
            unkeyed.append(product)
    kept, shadowed = [], []
    for same in by_sku.values():
        same.sort(key=ProductRead.preference)
        kept.append(same[0])
        shadowed.extend(same[1:])
    return kept, shadowed, unkeyed


def product_resource(product: wire.WireProduct, titles: dict[str, str], facts: Facts) -> Resource:
    known = facts.get(f"product:{product.id}", {})
    options, ordered = _options(product, known)
    attrs = {
        "sku": product.sku,
        "title": product.title,
        "description": product.description,
        "short_description": known.get("short_description"),  # write-only: None = state does not know
        "vendor": product.vendor,
        "category": titles.get(product.category_id or ""),
        "price": product.price,
        "compare_at_price": product.compare_price,
        "weight": product.weight,
        "visibility": product.visibility,
        "active": product.active,
        "tags": product.tag_list,
        "options": options,
    }
    extra = {} if ordered else {OPTIONS_UNORDERED: True}
    return Resource.owning(Address.for_product(product.sku), attrs, product.id, extra)


def _options(product: wire.WireProduct, known: Mapping[str, Any]) -> tuple[tuple[str, ...], bool]:
    """(options, whether that order is known). The store returns variant rows in group-id order; the
    product's own option order is a state fact, else unknown (the planner takes the catalog's)."""
    read = tuple(dict.fromkeys(row.group for row in product.variants))
    remembered = tuple(known.get("options", ()))
    if sorted(remembered) == sorted(read):
        return remembered, True
    return read, len(read) < 2


def product_resources(product: wire.WireProduct, titles: dict[str, str], facts: Facts) -> list[Resource]:
    """The product, its images (by position) and its variants (rows regrouped per variant id)."""
    main = product_resource(product, titles, facts)
    parent = main.address  # one object for the product and all its children
    sources = image_sources(product, facts)
    result = [main]
    for position, image in enumerate(product.images):
        attrs = {"src": sources.get(image.id), "position": position}  # None: unknown, the CDN url is no source
        result.append(Resource.owning(Address(Kind.IMAGE, str(position), parent), attrs, image.id,
                                      {LIVE_URL: image.url}))
    shown = {image.id: sources.get(image.id) or image.url for image in product.images}
    options: tuple[str, ...] = main.attrs["options"]
    for variant_id, rows in regroup(product.variants).items():
        result.append(variant_resource(parent, variant_id, rows, options, shown))
    return result


def image_sources(product: wire.WireProduct, facts: Facts) -> dict[str, str]:
    """Live image id -> the source url state remembers (images state does not know are left out)."""
    found = {image.id: facts.get(f"image:{image.id}", {}).get("src") for image in product.images}
    return {image_id: src for image_id, src in found.items() if src}


def regroup(rows: Iterable[wire.VariantRow]) -> dict[str, list[wire.VariantRow]]:
    grouped: dict[str, list[wire.VariantRow]] = {}
    for row in rows:
        grouped.setdefault(row.variant_id, []).append(row)
    return grouped


def variant_values(rows: list[wire.VariantRow], options: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(group, value) pairs in the product's option order."""
    ordered = sorted(rows, key=lambda row: options.index(row.group) if row.group in options else len(options))
    return _one_of(tuple((row.group, row.value) for row in ordered))


# Equal values as one object: 100,000 variants hold a few distinct value tuples and colours (memory).
_one_of = lru_cache(maxsize=8192)(lambda value: value)
_upper = lru_cache(maxsize=1024)(str.upper)


def variant_resource(
    parent: Address, variant_id: str, rows: list[wire.VariantRow], options: tuple[str, ...], sources: dict[str, str],
) -> Resource:
    first = rows[0]
    values = variant_values(rows, options)
    color = next((row.color for row in rows if row.color), None)
    image = next((row.image for row in rows if row.image is not None), None)
    attrs = {
        "values": values,
        "color": _upper(color) if color else None,
        "sku": first.sku,
        "price": first.price,
        "compare_at_price": first.compare_price,
        "weight": first.weight,
        "weight_unit": None,  # write-only: the store does not return it
        "default": any(row.default_on for row in rows),
        "image": None if image is None else sources.get(image.id, image.url),
    }
    extra = {IMAGE_ID: image.id} if image is not None else {}
    return Resource.owning(Address(Kind.VARIANT, variant_key(values), parent), attrs, variant_id, extra)
