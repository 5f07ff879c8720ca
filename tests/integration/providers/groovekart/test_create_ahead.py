"""A create_product request made ahead while the walk waits (execute/ahead.py, issue 13) is the request the
step would have built itself: a walk that uses it leaves the store, the ids, the facts and the outcome
exactly as the general path does, over real HTTP to the sandbox."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from provider_helpers import CREDENTIALS, GROUPS, SANDBOX_CREDENTIALS, Store, registry, tee, variant

from catalogctl.apply.walker import walk
from catalogctl.core import Facts, IdRegistry, StepResult
from catalogctl.model.address import Address, Kind
from catalogctl.plan.model import Step
from catalogctl.providers.groovekart import GrooveKartProvider
from catalogctl.providers.groovekart import actions as a
from catalogctl.sandbox import create_app, serve_in_thread

COVER = "https://img.example.com/tee-front.png"


class Journal:
    def __init__(self) -> None:
        self.records: list[Facts] = []

    def record(self, facts: Facts) -> None:
        self.records.append(facts)

    def flush(self) -> None:
        pass


class General(GrooveKartProvider):
    """The reference: nothing made ahead, every step builds its own request."""

    def prepare(self, action: Any, ids: IdRegistry) -> None:
        pass


class Seen(GrooveKartProvider):
    """The provider as it is, noting which steps started with a request made ahead for them."""

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self.ahead_for: list[str] = []

    async def execute(self, action: a.Action, ids: IdRegistry) -> StepResult:
        if self._ahead is not None and self._ahead.action is action:
            assert isinstance(action, a.CreateProduct)
            self.ahead_for.append(action.product.sku)
        return await super().execute(action, ids)


def _steps() -> list[Step]:
    """Creates of every shape a body takes: category or none, cover or none, variants or none, text json
    escapes (msgspec is not used for it), an inactive product (a second request after the create)."""
    products = [
        a.CreateProduct(product=tee("A-1", category="Shirts"), groups=GROUPS, cover=COVER,
                        variants=(variant("Blue", "L", default=True), variant("Red", "L"))),
        a.CreateProduct(product=tee("A-2", category="Sale", title="Tée « ünïcode »"), groups=GROUPS,
                        variants=(variant("Lime", "M"),)),
        a.CreateProduct(product=tee("A-3")),
        a.CreateProduct(product=tee("A-4", category="Shirts", active=False), cover=COVER),
        a.CreateProduct(product=tee("A-5", category="Sale", tags=()), groups=GROUPS,
                        variants=(variant("Blue", "S"), variant("Blue", "M"), variant("Red", "S"))),
    ] + [a.CreateProduct(product=tee(f"B-{n}", category="Shirts"), groups=GROUPS, cover=COVER,
                         variants=(variant("Blue", "L", default=True, sku=f"B-{n}-BL"),
                                   variant("Red", "L", sku=f"B-{n}-RL"))) for n in range(6)]
    first = Step(id="s0", action=a.CreateCategories(titles=("Shirts", "Sale")), addresses=("category",))
    return [first] + [Step(id=f"s{n + 1}", action=action, addresses=(action.product.sku,), depends_on=("s0",))
                      for n, action in enumerate(products)]


def _apply(url: str, kind: type[GrooveKartProvider], concurrency: int) -> tuple[Any, ...]:
    async def main() -> tuple[Any, ...]:
        async with kind(url, CREDENTIALS, timeout=10.0, concurrency=concurrency) as provider:
            ids: dict[Address, str] = {}
            journal = Journal()
            outcome = await walk(_steps(), provider, ids, journal, concurrency=concurrency)
            facts: dict[str, dict[str, Any]] = {}
            for record in journal.records:
                facts.update(record)
            live = await provider.read(facts)
            seen = provider.ahead_for if isinstance(provider, Seen) else []
            return outcome, ids, journal.records, registry(live), dict(live.resources), seen, provider.request_count

    return asyncio.run(main())


def _other_store(tmp_path: Path) -> Any:
    return serve_in_thread(create_app(tmp_path / "general.db", credentials=SANDBOX_CREDENTIALS))


def test_a_walk_with_requests_made_ahead_ends_as_one_without(served: Store, tmp_path: Path) -> None:
    assert served.url is not None
    ahead = _apply(served.url, Seen, 1)   # one slot: each next create is made while the one before waits
    with _other_store(tmp_path) as url:
        general = _apply(url, General, 1)
    assert ahead[5] == ["A-2", "A-3", "A-4", "A-5"] + [f"B-{n}" for n in range(6)]   # all but the first
    assert [(o.step.id, o.status, o.error) for o in ahead[0].steps] == \
        [(o.step.id, o.status, o.error) for o in general[0].steps]
    assert all(o.status.value == "done" for o in ahead[0].steps)
    assert ahead[1:5] == general[1:5] and ahead[6] == general[6]


def test_several_slots_use_requests_made_ahead_and_end_as_the_general_path(served: Store, tmp_path: Path) -> None:
    """With four slots the order of arrival varies, so the store's ids may too: what it holds must not."""
    assert served.url is not None
    ahead = _apply(served.url, Seen, 4)
    with _other_store(tmp_path) as url:
        general = _apply(url, General, 4)
    assert ahead[5], "no create started with its request made ahead"
    assert all(o.status.value == "done" for o in ahead[0].steps + general[0].steps)

    def held(live: dict[Address, Any]) -> dict[Address, Any]:
        return {address: dict(resource.attrs) for address, resource in live.items()}

    assert held(ahead[4]) == held(general[4]) and ahead[6] == general[6]


def test_a_request_made_for_another_category_id_is_built_again(served: Store) -> None:
    """The registry changed between the request made ahead and the step's start: the step sends its own."""
    assert served.url is not None

    async def main() -> dict[Address, Any]:
        async with GrooveKartProvider(served.url or "", CREDENTIALS, timeout=10.0) as provider:
            ids: dict[Address, str] = {}
            result = await provider.execute(a.CreateCategories(titles=("Shirts", "Sale")), ids)
            ids.update(result.ids)
            shirts, sale = ids[Address.category("Shirts")], ids[Address.category("Sale")]
            action = a.CreateProduct(product=tee("C-1", category="Shirts"), groups=GROUPS,
                                     variants=(variant("Blue", "L"),))
            provider.prepare(action, {**ids, Address.category("Shirts"): sale})   # made with Sale's id
            assert provider._ahead is not None and provider._ahead.category_id == sale
            result = await provider.execute(action, ids)
            assert provider._ahead is None
            ids.update(result.ids)
            live = await provider.read({})
            product = live.resources[Address.for_product("C-1")]
            assert product.attrs["category"] == "Shirts" and shirts != sale
            return {address: r.live_id for address, r in live.resources.items() if address.kind is Kind.PRODUCT}

    assert list(asyncio.run(main())) == [Address.for_product("C-1")]
