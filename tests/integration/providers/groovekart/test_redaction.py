"""auth_token and api_key never reach logs, exceptions, tracebacks or reprs, over real HTTP."""

from __future__ import annotations

import asyncio
import logging
import traceback

import pytest
from provider_helpers import CREDENTIALS, GROUPS, SECRET_KEY, SECRET_TOKEN, Store, tee, variant

from catalogctl.http.errors import ProviderError
from catalogctl.providers.groovekart import GrooveKartCredentials
from catalogctl.providers.groovekart import actions as a


def test_no_secret_anywhere(served_both: Store, caplog: pytest.LogCaptureFixture) -> None:
    captured: list[str] = [repr(CREDENTIALS), str(CREDENTIALS)]

    def keep(exc: BaseException) -> None:
        captured.extend([str(exc), repr(exc), "".join(traceback.format_exception(exc))])
        if isinstance(exc, ProviderError):
            captured.append(repr(exc.request))

    async def main() -> None:
        async with served_both.provider(retry_backoff=0.01) as provider:
            captured.append(repr(provider))
            create = a.CreateProduct(product=tee(), groups=GROUPS, variants=(variant("Blue", "L"),),
                                     cover="https://img.example.com/a.png")
            await served_both.faults(fail_after_commit_nth=1)  # a warning and a lookup
            result = await provider.execute(create, {})
            await served_both.faults(error_rate=0.5, seed=1)  # retries are logged
            live = await provider.read(result.facts)
            await served_both.faults()
            captured.extend([repr(result), repr(live)])
            for bad in (a.SetTags(sku="NOPE", tags=("x",)), a.UpdateWebhook(name="none", endpoint="https://x.y/z")):
                try:
                    await provider.execute(bad, {})
                except ProviderError as exc:
                    keep(exc)
            try:
                await provider.client.call("products", {"product": {"action": "update_product", "id": 99}},
                                           idempotent=True)
            except ProviderError as exc:
                keep(exc)
        wrong = GrooveKartCredentials(SECRET_TOKEN, SECRET_KEY + "-old", "catalogctl")
        async with served_both.provider(credentials=wrong) as provider:
            try:
                await provider.read({})
            except ProviderError as exc:
                keep(exc)

    with caplog.at_level(logging.DEBUG):
        asyncio.run(main())
    captured.append(caplog.text)
    captured.extend(str(record.__dict__) for record in caplog.records)
    everything = "\n".join(captured)
    assert "POST products.json" in caplog.text and "retrying" in caplog.text  # debug logging did happen
    assert "answer lost" in caplog.text and "Authentication failed" in everything
    assert SECRET_TOKEN not in everything
    assert SECRET_KEY not in everything
