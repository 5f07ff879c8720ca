"""The real client against the strict sandbox over HTTP: variant update rows are complete and
delete_image names its image, so each change lands and nothing else about the variant moves.

With the partial rows (`{"id", "update_all_fields", "price"}`) and the id-less delete_image the
client used to send, every one of these calls was refused ("Failed to update variants.",
"Variant id or image id not provided.").
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from provider_helpers import GROUPS, Store, tee, variant

from catalogctl.model.address import Address
from catalogctl.providers.groovekart import GrooveKartProvider
from catalogctl.providers.groovekart import actions as a

COVER = "https://img.example.com/tee-front.png"
BACK = "https://img.example.com/tee-back.png"
BLUE = (("Color", "Blue"), ("Size", "L"))
RED = (("Color", "Red"), ("Size", "L"))


class Scenario:
    """A tee with a blue (default, cover image) and a red variant, and a second image."""

    def __init__(self, provider: GrooveKartProvider) -> None:
        self.provider = provider
        self.ids: dict[Address, str] = {}
        self.facts: dict[str, dict[str, Any]] = {}

    async def do(self, action: a.Action) -> None:
        result = await self.provider.execute(action, self.ids)
        self.ids.update(result.ids)
        self.facts.update(result.facts)

    async def seed(self) -> None:
        await self.do(a.CreateCategories(titles=("Shirts",)))
        variants = (variant("Blue", "L", default=True, image=0, weight=Decimal("0.4")), variant("Red", "L"))
        await self.do(a.CreateProduct(product=tee(category="Shirts"), groups=GROUPS, variants=variants, cover=COVER))
        await self.do(a.AddImage(sku="TS-1", position=1, src=BACK))

    async def variant(self, values: tuple[tuple[str, str], ...]) -> dict[str, Any]:
        live = await self.provider.read(self.facts)
        return dict(live.resources[Address.variant("TS-1", values)].attrs)


def _run(served: Store, body: Any) -> dict[str, int]:
    """Seed, run `body`, and answer the calls `body` made (by call key)."""
    async def main() -> dict[str, int]:
        async with served.provider() as provider:
            scenario = Scenario(provider)
            await scenario.seed()
            await served.admin("POST", "stats/reset")
            await body(scenario)
            return dict((await served.stats())["by_call"])

    return asyncio.run(main())


def _without(attrs: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if k not in names}


def test_a_price_only_change_keeps_sku_weight_image_and_default(served: Store) -> None:
    async def body(s: Scenario) -> None:
        before = await s.variant(BLUE)
        await s.do(a.UpdateVariants(sku="TS-1", updates=(a.VariantUpdate(values=BLUE, price=Decimal("19.5")),)))
        after = await s.variant(BLUE)
        assert after["price"] == Decimal("19.5")
        assert _without(after, "price") == _without(before, "price")  # sku, weight, image, default, compare kept
        assert after["image"] == COVER and after["default"] is True and after["weight"] == Decimal("0.4")

    _run(served, body)


def test_a_default_change_moves_the_default_and_nothing_else(served: Store) -> None:
    async def body(s: Scenario) -> None:
        blue_before, red_before = await s.variant(BLUE), await s.variant(RED)
        updates = (a.VariantUpdate(values=BLUE, compare_at_price=Decimal("35")),  # blue is default today
                   a.VariantUpdate(values=RED, default=True))
        await s.do(a.UpdateVariants(sku="TS-1", updates=updates))
        blue, red = await s.variant(BLUE), await s.variant(RED)
        assert (blue["default"], red["default"]) == (False, True)
        assert blue["compare_at_price"] == Decimal("35")
        assert _without(blue, "default", "compare_at_price") == _without(blue_before, "default", "compare_at_price")
        assert _without(red, "default") == _without(red_before, "default")

    _run(served, body)


def test_a_variant_image_change_unassigns_the_old_image_by_id(served: Store) -> None:
    async def body(s: Scenario) -> None:
        await s.do(a.SetVariantImages(sku="TS-1", assignments=(a.VariantImage(values=BLUE, image=1),)))
        assert (await s.variant(BLUE))["image"] == BACK
        assert (await s.variant(RED))["image"] is None

    calls = _run(served, body)
    assert (calls.get("variants.json:delete_image"), calls.get("variants.json:assign_image")) == (1, 1)


def test_an_image_unassign_names_the_image(served: Store) -> None:
    async def body(s: Scenario) -> None:
        await s.do(a.SetVariantImages(sku="TS-1", assignments=(a.VariantImage(values=BLUE, image=None),)))
        blue = await s.variant(BLUE)
        assert blue["image"] is None and blue["default"] is True and blue["price"] == Decimal("24.99")

    calls = _run(served, body)
    assert calls.get("variants.json:delete_image") == 1 and "variants.json:assign_image" not in calls
