"""What one executed action shares: the client, the id registry, and the ids/facts it learns."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from catalogctl.core import IdRegistry, StepResult
from catalogctl.core.uncertain import UncertainCreate, UncertainCreateError, current_log
from catalogctl.http.client import Decode
from catalogctl.http.errors import ProviderError
from catalogctl.model.address import Address, Kind
from catalogctl.model.money import plain_string
from catalogctl.providers.groovekart import read
from catalogctl.providers.groovekart.dialect import GrooveKartClient

if TYPE_CHECKING:
    from catalogctl.providers.groovekart.execute.ahead import Ahead

log = logging.getLogger("catalogctl.providers.groovekart")
T = TypeVar("T")
SETTLE_LOOKUPS = (0.2, 0.4, 0.8)
"""Seconds before each lookup after a lost create answer (1.4 s in all); not found by then, the create
is left to the next apply, which reads the store after the record's settle window (core/uncertain.py)."""


@dataclass
class Step:
    """The context of one action; `result()` packs what it learned into a StepResult."""

    client: GrooveKartClient
    ids: IdRegistry
    start: int = 0
    new_ids: dict[Address, str] = field(default_factory=dict)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    ahead: Ahead | None = None   # this step's create request, made while the walk waited (ahead.py)

    def __post_init__(self) -> None:
        self.start = self.client.requests

    def result(self) -> StepResult:
        return StepResult(ids=dict(self.new_ids), facts=dict(self.facts), requests=self.client.requests - self.start)

    def known(self, address: Address) -> str | None:
        return self.new_ids.get(address) or self.ids.get(address)

    def learn(self, address: Address, live_id: str) -> None:
        self.new_ids[address] = str(live_id)

    def call(self, endpoint: str, body: dict[str, Any], *, idempotent: bool,
             decode: Decode | None = None, content: bytes | None = None) -> Awaitable[Any]:
        # no coroutine of its own (dialect.py); `decode`, `content`: see HttpClient.send
        return self.client.call(endpoint, body, idempotent=idempotent, decode=decode, content=content)

    async def product_id(self, sku: str) -> str:
        """The live id of product `sku`: from the registry, else found by sku (active first, newest)."""
        address = Address.for_product(sku)
        known = self.known(address)
        if known:
            return known
        found = await read.products_by_sku(self.client, sku)
        if not found:
            raise ProviderError("search_products.json", f"no live product has sku {sku!r}")
        best = max(found, key=lambda p: (p.active, int(p.id or 0)))
        self.learn(address, str(best.id))
        return str(best.id)

    def image_id(self, sku: str, position: int) -> str:
        known = self.known(Address.image(sku, position))
        if not known:
            raise ProviderError("products.json", f"image {position} of product {sku!r} has no live id")
        return known

    def image_ids_of(self, sku: str) -> set[str]:
        """Live ids of the product's images this step knows about."""
        product = Address.for_product(sku)
        # No copy of the whole registry per image added (that made a large apply quadratic twice over).
        known = {a: v for a, v in self.ids.items() if a.kind is Kind.IMAGE and a.parent == product}
        known.update((a, v) for a, v in self.new_ids.items() if a.kind is Kind.IMAGE and a.parent == product)
        return set(known.values())

    async def category_id(self, title: str | None) -> str | None:
        if title is None:
            return None
        known = self.known(Address.category(title))
        if known:
            return known
        for category in await read.list_categories(self.client):
            if category.title == title:
                self.learn(Address.category(title), category.id)
                return category.id
        raise ProviderError("list_categories.json", f"category {title!r} does not exist in the store")


async def create_once(
    step: Step, create: Callable[[], Awaitable[T]], lookup: Callable[[], Awaitable[T | None]], what: str,
    *, addresses: Sequence[Address], key: str, facts: Mapping[Address, Mapping[str, Any]] | None = None,
    before: str | None = None,
) -> T:
    """Create, at most once per apply. A failure that proves the request never reached the store
    (connect errors, retried by the client itself) fails plainly. One that may have been acted on
    (timeout, dropped connection, 5xx, a garbled answer) is recorded in state at once, then the object
    is looked up by its natural key after growing waits; still absent, the step fails as uncertain
    (UncertainCreateError): sending it again could duplicate a write that is still on its way.
    `facts`: what state learns of these objects when they answer, kept for when they are adopted;
    `before`: the live id the address has now (a replacement's old product), which is not ours."""
    uncertain = current_log()

    def record(call: str, detail: str) -> list[UncertainCreate]:
        # Built only when an answer is lost (`facts` is the caller's, not changed meanwhile): a create that
        # answers, nearly every one, never names its addresses (issue 13).
        known = {str(address): dict(fields) for address, fields in (facts or {}).items()}
        lost = [UncertainCreate(str(a), key, call, time.time(), step.client.http.settings.timeout, detail, known,
                                before) for a in addresses]
        uncertain.lost(lost)   # durable before any wait: a crash now still leaves the record
        return lost

    try:
        made = await create()
    except asyncio.CancelledError:   # a second Ctrl-C: the request may be at the store already
        record("(cancelled in flight)", "the apply was cancelled while the create was in flight")
        raise
    except ProviderError as exc:
        if not exc.retryable or exc.unsent:
            raise
        lost = record(exc.call, exc.store_message)
        log.warning("%s: answer lost (%s); looking it up before anything else", what, exc.store_message)
        found = await _settled_lookup(lookup)
        if found is None:
            raise UncertainCreateError(what, lost) from None
        made = found
    uncertain.settled(addresses)  # whatever an earlier apply recorded for these is resolved now
    return made


async def _settled_lookup(lookup: Callable[[], Awaitable[T | None]]) -> T | None:
    """Look the object up after each of growing waits: a store may commit a write whose answer was
    lost a while later (still working when the connection dropped). Stops at the first sight of it."""
    for delay in SETTLE_LOOKUPS:
        await asyncio.sleep(delay)
        found = await lookup()
        if found is not None:
            return found
    return None


def num(value: Decimal) -> str:
    """A decimal as the request writes it: "24.99" (a function of the amount only: equal decimals, equal text).

    Remembered by the decimal's own text (a catalog has few distinct amounts; an apply writes ~33 per
    product): keyed by the Decimal itself, each lookup hashed a new object (every spec has its own), and
    a Decimal's hash costs three times its str (issue 13). Equal texts are equal decimals."""
    key = str(value)
    text = _NUM.get(key)
    if text is None:
        text = plain_string(value)
        if len(_NUM) < _NUM_LIMIT:
            _NUM[key] = text
    return text


_NUM: dict[str, str] = {}
_NUM_LIMIT = 4096
NUM_TEXTS = _NUM
"""num's table, read by the body builders without a call per amount: `NUM_TEXTS.get(str(value)) or num(value)`."""
