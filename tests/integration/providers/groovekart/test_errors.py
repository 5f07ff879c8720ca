"""Every error shape the sandbox answers becomes one typed error naming the call and the store's message."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from provider_helpers import SECRET_KEY, SECRET_TOKEN, Store

from catalogctl.http.errors import AuthError, ProviderError
from catalogctl.providers.groovekart import GrooveKartCredentials
from catalogctl.providers.groovekart import actions as a


def call(store: Store, endpoint: str, body: dict[str, Any], **options: Any) -> Any:
    async def main() -> Any:
        async with store.provider(**options) as provider:
            return await provider.client.call(endpoint, body, idempotent=True)

    return asyncio.run(main())


def failure(store: Store, endpoint: str, body: dict[str, Any], **options: Any) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        call(store, endpoint, body, **options)
    text = str(info.value)
    assert SECRET_TOKEN not in text and SECRET_KEY not in text
    return info.value


@pytest.mark.parametrize(("credentials", "message"), [
    (GrooveKartCredentials(SECRET_TOKEN, "wrong-key", "catalogctl"), "Authentication failed. Please contact support."),
    (GrooveKartCredentials("", SECRET_KEY, "catalogctl"), "Auth Token is missing."),
    (GrooveKartCredentials(SECRET_TOKEN, "", "catalogctl"), "API Key is missing."),
])
def test_auth_failures(store: Store, credentials: GrooveKartCredentials, message: str) -> None:
    exc = failure(store, "list_categories", {}, credentials=credentials)
    assert isinstance(exc, AuthError) and exc.status == 401 and exc.store_message == message
    assert exc.call == "list_categories.json" and exc.attempts == 1  # never retried
    assert exc.request == {} and exc.hint and "auth_token" in exc.hint


def test_error_key_with_http_200(store: Store) -> None:
    exc = failure(store, "products", {"product": {"action": "update_product", "id": 987654, "title": "x"}})
    assert (exc.status, exc.call) == (200, "products.json action=update_product")
    assert exc.store_message and not exc.retryable
    assert str(exc).startswith(f"GrooveKart call products.json action=update_product failed (HTTP 200): "
                               f"{exc.store_message}. Request: ")
    assert '"id": 987654' in str(exc)


def test_status_failed_shape(store: Store) -> None:
    exc = failure(store, "products", {"product": {"action": "product_status", "id": 987654, "active": False}})
    assert exc.store_message == "Failed to update product status."


def test_status_error_message_shape(store: Store) -> None:
    exc = failure(store, "variants", {"action": "update", "product_id": 0, "variants": []})
    assert exc.store_message == "Product id or variants data is missing."
    assert exc.call == "variants.json action=update"


def test_webhook_error_shape(store: Store) -> None:
    hook = {"name": "orders", "endpoint": "https://hooks.example.com/o"}
    call(store, "webhooks", {"action": "create", "webhook_data": [hook]})
    exc = failure(store, "webhooks", {"action": "create", "webhook_data": [hook]})
    assert exc.store_message == "One or more webhooks already exists"


def test_empty_list_answers_are_empty_not_errors(store: Store) -> None:
    async def main() -> None:
        async with store.provider() as provider:
            live = await provider.read({})
            assert live.resources == {}

    asyncio.run(main())


def test_server_errors_give_up_after_max_retries(store: Store) -> None:
    asyncio.run(store.faults(error_rate=1.0))
    exc = failure(store, "list_categories", {}, max_retries=2, retry_backoff=0.01)
    assert exc.status == 500 and exc.attempts == 3 and "after 3 attempts" in str(exc)


def test_unknown_product_in_an_action_is_a_provider_error(store: Store) -> None:
    async def main() -> None:
        async with store.provider() as provider:
            with pytest.raises(ProviderError, match="no live product has sku 'NOPE'"):
                await provider.execute(a.SetTags(sku="NOPE", tags=("x",)), {})

    asyncio.run(main())


def test_a_failed_read_raises_one_error_and_leaves_nothing_running(
    store: Store, caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = GrooveKartCredentials(SECRET_TOKEN, "wrong-key", "catalogctl")

    async def main() -> None:
        async with store.provider(credentials=wrong) as provider:
            with pytest.raises(AuthError):
                await provider.read({})
        await asyncio.sleep(0.05)  # give stray tasks the chance to fail loudly

    asyncio.run(main())
    assert "never retrieved" not in caplog.text and "has been closed" not in caplog.text
