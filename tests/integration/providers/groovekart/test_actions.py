"""Every action against the sandbox (in-process), checked by reading the store back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal

from provider_helpers import GROUPS, Store, of_kind, registry, tee, variant

from catalogctl.core import LiveState
from catalogctl.model.address import Address, Kind
from catalogctl.providers.groovekart import GrooveKartProvider
from catalogctl.providers.groovekart import actions as a

COVER = "https://img.example.com/tee-front.png"
Scenario = Callable[[GrooveKartProvider, dict[Address, str], dict[str, dict]], Awaitable[None]]


def run(store: Store, scenario: Scenario) -> None:
    async def main() -> None:
        async with store.provider() as provider:
            ids: dict[Address, str] = {}
            facts: dict[str, dict] = {}
            await scenario(provider, ids, facts)

    asyncio.run(main())


async def do(provider: GrooveKartProvider, action: a.Action, ids: dict, facts: dict) -> None:
    result = await provider.execute(action, ids)
    assert result.requests >= 1
    ids.update(result.ids)
    facts.update(result.facts)


async def seed_tee(provider: GrooveKartProvider, ids: dict, facts: dict, **changes: object) -> None:
    await do(provider, a.CreateCategories(titles=("Shirts", "Sale")), ids, facts)
    variants = (variant("Blue", "L", default=True, image=0), variant("Red", "L"))
    product = tee(category="Shirts", **changes)
    await do(provider, a.CreateProduct(product=product, groups=GROUPS, variants=variants, cover=COVER), ids, facts)


def test_create_product_inline_reads_back_equal(store: Store) -> None:
    async def scenario(provider: GrooveKartProvider, ids: dict, facts: dict) -> None:
        await seed_tee(provider, ids, facts)
        live = await provider.read(facts)
        product = live.resources[Address.for_product("TS-1")]
        assert dict(product.attrs) == {
            "sku": "TS-1", "title": "Classic Tee", "description": "Soft cotton.", "short_description": "Soft.",
            "vendor": "Acme", "category": "Shirts", "price": Decimal("24.99"), "compare_at_price": Decimal("29.99"),
            "weight": Decimal("0.37"), "visibility": "both", "active": True, "tags": ("cotton", "summer"),
            "options": ("Color", "Size"),
        }
        assert product.live_id == ids[Address.for_product("TS-1")]
        blue = live.resources[Address.variant("TS-1", (("Color", "Blue"), ("Size", "L")))]
        assert blue.attrs["color"] == "#0000FF" and blue.attrs["default"] is True
        assert blue.attrs["image"] == COVER and blue.live_id == ids[blue.address]
        red = live.resources[Address.variant("TS-1", (("Color", "Red"), ("Size", "L")))]
        assert red.attrs["image"] is None and red.attrs["sku"] == "TS-RE-L"
        assert live.resources[Address.image("TS-1", 0)].attrs == {"src": COVER, "position": 0}
        assert set(of_kind(live, Kind.CATEGORY)) == {Address.category("Shirts"), Address.category("Sale")}
        assert registry(live).items() >= ids.items()

    run(store, scenario)


def test_create_inactive_product_and_set_status(store: Store) -> None:
    async def scenario(provider: GrooveKartProvider, ids: dict, facts: dict) -> None:
        await seed_tee(provider, ids, facts, active=False)
        assert (await provider.read(facts)).resources[Address.for_product("TS-1")].attrs["active"] is False
        await do(provider, a.SetProductStatus(sku="TS-1", active=True), ids, facts)
        assert (await provider.read(facts)).resources[Address.for_product("TS-1")].attrs["active"] is True

    run(store, scenario)


def test_update_product_tags_and_images(store: Store) -> None:
    async def scenario(provider: GrooveKartProvider, ids: dict, facts: dict) -> None:
        await seed_tee(provider, ids, facts)
        update = a.UpdateProduct(sku="TS-1", title="Tee v2", price=Decimal("19.5"), compare_at_price=Decimal(0))
        await do(provider, update, ids, facts)
        await do(provider, a.SetTags(sku="TS-1", tags=("new", "basics")), ids, facts)
        await do(provider, a.AddImage(sku="TS-1", position=1, src="https://img.example.com/back.png"), ids, facts)
        await do(provider, a.ReplaceImage(sku="TS-1", position=0, src="https://img.example.com/v2.png", cover=True),
                 ids, facts)
        live = await provider.read(facts)
        attrs = live.resources[Address.for_product("TS-1")].attrs
        assert (attrs["title"], attrs["price"], attrs["compare_at_price"]) == ("Tee v2", Decimal("19.5"), 0)
        assert attrs["description"] == "Soft cotton."  # untouched fields stay
        assert attrs["tags"] == ("basics", "new")
        images = of_kind(live, Kind.IMAGE)
        assert [r.attrs["src"] for r in sorted(images.values(), key=lambda r: r.attrs["position"])] == [
            "https://img.example.com/v2.png", "https://img.example.com/back.png",
        ]
        assert images[Address.image("TS-1", 0)].live_id == ids[Address.image("TS-1", 0)]  # replace kept the id
        await do(provider, a.SetTags(sku="TS-1", tags=()), ids, facts)
        assert (await provider.read(facts)).resources[Address.for_product("TS-1")].attrs["tags"] == ()

    run(store, scenario)


def test_variants_add_update_recreate_and_images(store: Store) -> None:
    async def scenario(provider: GrooveKartProvider, ids: dict, facts: dict) -> None:
        await seed_tee(provider, ids, facts)
        await do(provider, a.AddImage(sku="TS-1", position=1, src="https://img.example.com/lime.png"), ids, facts)
        lime = variant("Lime", "L", image=1)
        await do(provider, a.AddVariants(sku="TS-1", groups=GROUPS, variants=(lime,)), ids, facts)
        lime_address = Address.variant("TS-1", lime.values)
        assert lime_address in ids
        blue, red = (("Color", "Blue"), ("Size", "L")), (("Color", "Red"), ("Size", "L"))
        updates = (a.VariantUpdate(values=red, price=Decimal("21"), sku="RED-L", default=True),)
        await do(provider, a.UpdateVariants(sku="TS-1", updates=updates), ids, facts)
        live = await provider.read(facts)
        assert live.resources[lime_address].attrs["image"] == "https://img.example.com/lime.png"
        red_attrs = live.resources[Address.variant("TS-1", red)].attrs
        assert (red_attrs["price"], red_attrs["sku"], red_attrs["default"]) == (Decimal("21"), "RED-L", True)
        assert live.resources[Address.variant("TS-1", blue)].attrs["default"] is False
        images = (a.VariantImage(values=blue, image=1), a.VariantImage(values=red, image=0))
        await do(provider, a.SetVariantImages(sku="TS-1", assignments=images), ids, facts)
        live = await provider.read(facts)
        assert live.resources[Address.variant("TS-1", blue)].attrs["image"] == "https://img.example.com/lime.png"
        assert live.resources[Address.variant("TS-1", red)].attrs["image"] == COVER
        await do(provider, a.SetVariantImages(sku="TS-1", assignments=(a.VariantImage(values=red, image=None),)),
                 ids, facts)
        assert (await provider.read(facts)).resources[Address.variant("TS-1", red)].attrs["image"] is None
        old_blue = ids[Address.variant("TS-1", blue)]
        keep = (variant("Blue", "L", default=True, image=1), variant("Lime", "L", image=0))
        await do(provider, a.RecreateVariants(sku="TS-1", groups=GROUPS, variants=keep), ids, facts)
        live = await provider.read(facts)
        variants = of_kind(live, Kind.VARIANT)
        assert set(variants) == {Address.variant("TS-1", blue), lime_address}
        assert variants[Address.variant("TS-1", blue)].live_id != old_blue
        assert variants[Address.variant("TS-1", blue)].live_id == ids[Address.variant("TS-1", blue)]
        assert variants[lime_address].attrs["image"] == COVER

    run(store, scenario)


def test_add_variants_creates_missing_groups(store: Store) -> None:
    async def scenario(provider: GrooveKartProvider, ids: dict, facts: dict) -> None:
        await do(provider, a.CreateProduct(product=tee(options=())), ids, facts)
        fabric = a.GroupSpec(name="Fabric")
        spec = variant("Blue", "L").model_copy(update={"values": (("Fabric", "Linen"),), "color": None})
        await do(provider, a.AddVariants(sku="TS-1", groups=(fabric,), variants=(spec,)), ids, facts)
        live = await provider.read(facts)
        assert Address.variant("TS-1", (("Fabric", "Linen"),)) in live.resources
        assert Address.variant_group("Fabric") in live.resources

    run(store, scenario)


def test_replace_product_creates_new_and_deactivates_old(store: Store) -> None:
    async def scenario(provider: GrooveKartProvider, ids: dict, facts: dict) -> None:
        await seed_tee(provider, ids, facts)
        old_id = ids[Address.for_product("TS-1")]
        replacement = a.ReplaceProduct(product=tee(category="Sale", weight=Decimal("0.5"), visibility="search"),
                                       groups=GROUPS, variants=(variant("Blue", "L"),), cover=COVER)
        result = await provider.execute(replacement, ids)
        new_id = result.ids[Address.for_product("TS-1")]
        assert new_id != old_id
        ids.update(result.ids)
        facts.update(result.facts)
        live: LiveState = await provider.read(facts)
        product = live.resources[Address.for_product("TS-1")]
        assert product.live_id == new_id
        assert (product.attrs["category"], product.attrs["visibility"], product.attrs["weight"]) == (
            "Sale", "search", Decimal("0.5"))
        assert [(r.live_id, r.attrs["active"]) for r in live.shadowed] == [(old_id, False)]

    run(store, scenario)


def test_groups_and_webhooks(store: Store) -> None:
    async def scenario(provider: GrooveKartProvider, ids: dict, facts: dict) -> None:
        await do(provider, a.CreateVariantGroups(groups=GROUPS), ids, facts)
        hooks = (a.WebhookSpec(name="orders", endpoint="https://hooks.example.com/o"),
                 a.WebhookSpec(name="audit", endpoint="https://hooks.example.com/a"))
        await do(provider, a.CreateWebhooks(webhooks=hooks), ids, facts)
        assert {Address.webhook("orders"), Address.webhook("audit"), Address.variant_group("Color")} <= set(ids)
        await do(provider, a.UpdateWebhook(name="orders", endpoint="https://hooks.example.com/o2"), ids, facts)
        await do(provider, a.DeleteWebhook(name="audit"), ids, facts)
        live = await provider.read(facts)
        assert {r.attrs["name"]: r.attrs["endpoint"] for r in of_kind(live, Kind.WEBHOOK).values()} == {
            "orders": "https://hooks.example.com/o2"}
        groups = of_kind(live, Kind.VARIANT_GROUP)
        assert {r.attrs["name"] for r in groups.values()} == {"Color", "Size"}
        assert groups[Address.variant_group("Color")].live_id == ids[Address.variant_group("Color")]

    run(store, scenario)


def test_empty_store_reads_as_empty_in_four_requests(store: Store) -> None:
    async def scenario(provider: GrooveKartProvider, ids: dict, facts: dict) -> None:
        live = await provider.read({})
        assert live.resources == {} and live.requests == 4 and provider.request_count == 4

    run(store, scenario)
