"""A create whose answer is lost and whose write lands later (the store was still working when
the connection dropped): the create is looked up again after growing waits before it is sent
again, so it is never duplicated."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import httpx
from provider_helpers import CREDENTIALS, Store, tee

from catalogctl.model.address import Address
from catalogctl.providers.groovekart import GrooveKartProvider
from catalogctl.providers.groovekart import actions as a


class LateCommits(httpx.AsyncBaseTransport):
    """The network in front of the in-process sandbox: the first product create reaches the store
    only `late` seconds after the client was told the connection dropped."""

    def __init__(self, inner: httpx.AsyncBaseTransport, late: float) -> None:
        self.inner, self.late = inner, late
        self.pending: list[asyncio.Task[httpx.Response]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        creating = request.url.path.endswith("/products.json") and "action" not in body.get("product", {}) \
            and "sku" in body.get("product", {})
        if creating and not self.pending:
            self.pending.append(asyncio.create_task(self._later(request)))
            raise httpx.ReadError("connection reset by peer", request=request)
        return await self.inner.handle_async_request(request)

    async def _later(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self.late)
        return await self.inner.handle_async_request(request)


def test_a_create_that_lands_after_the_first_lookup_is_not_duplicated(store: Store) -> None:
    async def main() -> dict[Address, str]:
        network = LateCommits(httpx.ASGITransport(app=store.app), late=0.5)
        async with GrooveKartProvider("http://127.0.0.1", CREDENTIALS, transport=network, timeout=10.0) as provider:
            result = await provider.execute(a.CreateProduct(product=tee(options=())), {})
            await asyncio.gather(*network.pending)   # the late write has landed now
        return dict(result.ids)

    ids = asyncio.run(main())
    with sqlite3.connect(f"file:{store.db_path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT id FROM product WHERE sku = 'TS-1'").fetchall()
    assert len(rows) == 1                                 # the late write was found, not created again
    assert ids[Address.for_product("TS-1")] == str(rows[0][0])
