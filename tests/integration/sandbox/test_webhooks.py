"""webhooks.json: create, list, update, delete with their documented messages."""

from __future__ import annotations

from sandbox_helpers import Sandbox

ENDPOINT = "https://teescape.com/active/Groovekart/webhook.asp"


def _create(sandbox: Sandbox, name: str = "Teescape", endpoint: str = ENDPOINT) -> dict:
    return sandbox.call("webhooks", action="create", webhook_data=[{"name": name, "endpoint": endpoint}])


def test_create_webhook_example(sandbox: Sandbox) -> None:
    assert _create(sandbox) == {"status": "success", "message": "Created webhook"}


def test_list_webhooks_example(sandbox: Sandbox) -> None:
    _create(sandbox)
    assert sandbox.call("webhooks", action="list") == [
        {"id": "1", "name": "Teescape", "type": "order_confirmation", "endpoint": ENDPOINT}
    ]


def test_update_webhook_example(sandbox: Sandbox) -> None:
    _create(sandbox, "Old", "https://old.example/hook")
    data = [{"id": 1, "name": "Teescape", "endpoint": ENDPOINT}]
    answer = sandbox.call("webhooks", action="update", webhook_data=data)
    assert answer == {"status": "success", "message": "Webhook updated"}
    assert sandbox.call("webhooks", action="list")[0]["endpoint"] == ENDPOINT


def test_delete_webhook_example(sandbox: Sandbox) -> None:
    _create(sandbox)
    assert sandbox.call("webhooks", action="delete", id=1) == {"status": "success", "message": "Webhook deleted"}
    assert sandbox.call("webhooks", action="list") == {"status": "error", "message": "Webhooks not found"}


def test_create_failure_bodies(sandbox: Sandbox) -> None:
    bad_url = {"status": "error", "message": "Invalid endpoint URL or URL not provided in one or more webhooks"}
    assert _create(sandbox, endpoint="not-a-url") == bad_url
    _create(sandbox)
    assert _create(sandbox, name="teescape") == {"status": "error", "message": "One or more webhooks already exists"}


def test_update_failure_bodies(sandbox: Sandbox) -> None:
    _create(sandbox)
    _create(sandbox, "Other", "https://other.example/hook")

    def update(*items: dict) -> dict:
        return sandbox.call("webhooks", action="update", webhook_data=list(items))

    assert update() == {"status": "error", "message": "Webhook data was empty."}
    assert update({"name": "x"}) == {"status": "error", "message": "Webhook ID missing."}
    assert update({"id": 9, "name": "x"}) == {"status": "error", "message": "Webhook not found."}
    assert update({"id": 1, "endpoint": "ftp:/x"}) == {
        "status": "error", "message": "Invalid endpoint URL or URL not provided in one or more webhooks"}
    same = {"status": "error", "message": "Webhook with same info already exists."}
    assert update({"id": 2, "name": "Teescape"}) == same


def test_delete_failure_bodies(sandbox: Sandbox) -> None:
    assert sandbox.call("webhooks", action="delete") == {"status": "error", "message": "Webhook ID missing"}
    assert sandbox.call("webhooks", action="delete", id=4) == {"status": "error",
                                                               "message": "Webhook not found with given id"}
