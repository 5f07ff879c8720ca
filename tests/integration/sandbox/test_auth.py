"""Authentication failures: HTTP 401 with exactly the documented `Error` bodies."""

from __future__ import annotations

import pytest
from sandbox_helpers import AUTH, Sandbox


@pytest.mark.parametrize(
    ("credentials", "message"),
    [
        ({}, "Auth Token is missing."),
        ({"auth_token": AUTH["auth_token"]}, "API Key is missing."),
        ({**AUTH, "api_key": "wrong"}, "Authentication failed. Please contact support."),
        ({**AUTH, "auth_token": "gk-other"}, "Authentication failed. Please contact support."),
        ({**AUTH, "api_user": "someone-else"}, "Authentication failed. Please contact support."),
    ],
)
def test_auth_failure_bodies(sandbox: Sandbox, credentials: dict, message: str) -> None:
    response = sandbox.http.post(f"{sandbox.url}/api/list_categories.json", json=credentials)
    assert response.status_code == 401
    assert response.json() == {"Error": message}


def test_unreadable_body_is_a_400_that_says_so(sandbox: Sandbox) -> None:
    response = sandbox.http.post(f"{sandbox.url}/api/list_products.json", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("The request body is not valid JSON: ")


def test_empty_body_is_a_missing_token(sandbox: Sandbox) -> None:
    response = sandbox.http.post(f"{sandbox.url}/api/list_products.json", content=b"")
    assert (response.status_code, response.json()) == (401, {"Error": "Auth Token is missing."})


def test_auth_is_checked_before_any_write(sandbox: Sandbox) -> None:
    payload = {**AUTH, "api_key": "wrong", "category": {"title": "Sneaky"}}
    assert sandbox.http.post(f"{sandbox.url}/api/create_categories.json", json=payload).status_code == 401
    assert sandbox.call("list_categories") == {"error": "Categories not found."}


def test_out_of_scope_endpoint_is_404(sandbox: Sandbox) -> None:
    response = sandbox.post("orders")
    assert response.status_code == 404 and "error" in response.json()
