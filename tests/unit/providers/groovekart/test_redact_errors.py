"""Redaction and the error tree: no secret survives into text, and errors read as one paragraph."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from catalogctl.errors import CatalogError, TargetError
from catalogctl.http.client import retry_after_seconds
from catalogctl.http.errors import AuthError, BadResponse, ProviderError, RateLimited, TransportError
from catalogctl.http.redact import RedactingFilter, redact
from catalogctl.http.url import check_base_url
from catalogctl.providers.groovekart import GrooveKartCredentials, GrooveKartProvider
from catalogctl.providers.groovekart.dialect import call_label

SECRETS = ("tok-SECRET-1", "key-SECRET-2")


def test_redact_masks_secret_fields_and_values_anywhere() -> None:
    body = {"auth_token": "tok-SECRET-1", "api_key": "x", "api_user": "me",
            "nested": [{"note": "echo key-SECRET-2 here"}], "n": 3}
    masked = redact(body, SECRETS)
    assert masked == {"auth_token": "***", "api_key": "***", "api_user": "me",
                      "nested": [{"note": "echo *** here"}], "n": 3}
    assert redact("a tok-SECRET-1 b", SECRETS) == "a *** b"
    assert body["auth_token"] == "tok-SECRET-1"  # the original is untouched


def test_credentials_repr_hides_secrets() -> None:
    creds = GrooveKartCredentials(*SECRETS, "vendor")
    for text in (repr(creds), str(creds), f"{creds}"):
        assert "SECRET" not in text and "vendor" in text


def test_logging_filter_masks_rendered_messages(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactingFilter(SECRETS))
    with caplog.at_level(logging.DEBUG, logger="test.redact"):
        logger.debug("body %s", {"t": "tok-SECRET-1"})
    assert "SECRET" not in caplog.text and "***" in caplog.text


def test_provider_error_is_one_readable_paragraph() -> None:
    exc = ProviderError("products.json action=update_product", "failed", status=200, vendor="GrooveKart",
                        request={"product": {"id": 8, "title": "x" * 400}, "auth_token": "***"})
    text = str(exc)
    assert isinstance(exc, CatalogError) and "\n" not in text
    assert text.startswith("GrooveKart call products.json action=update_product failed (HTTP 200): failed. Request: ")
    assert len(text) < 400
    exc.with_attempts(3)
    assert "after 3 attempts" in str(exc)
    unnamed = ProviderError("c", "m")
    assert str(unnamed).startswith("store call c failed")
    assert str(unnamed.from_vendor("Shoplazza")).startswith("Shoplazza call c failed")


def test_error_classes_say_whether_to_retry() -> None:
    assert TransportError("c", "m").retryable and RateLimited("c", "m", retry_after=2).retryable
    assert not AuthError("c", "m").retryable and not BadResponse("c", "m").retryable
    assert AuthError("c", "m").hint is not None


def test_plain_http_refused_except_loopback_in_process_or_insecure() -> None:
    with pytest.raises(TargetError, match="plain http"):
        check_base_url("http://shop.example.com", insecure=False, in_process=False)
    for url in ("http://127.0.0.1:8080", "http://localhost", "http://[::1]:9"):
        check_base_url(url, insecure=False, in_process=False)
    check_base_url("http://shop.example.com", insecure=True, in_process=False)
    check_base_url("http://sandbox", insecure=False, in_process=True)
    check_base_url("https://shop.example.com", insecure=False, in_process=False)
    with pytest.raises(TargetError):
        check_base_url("ftp://shop.example.com", insecure=True, in_process=False)


def test_call_labels_and_retry_after() -> None:
    assert call_label("products", {"product": {"action": "update_product"}}) == "products.json action=update_product"
    assert call_label("variants", {"action": "add"}) == "variants.json action=add"
    assert call_label("list_products", {}) == "list_products.json"
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_provider_refuses_plain_http_to_a_remote_store() -> None:
    creds = GrooveKartCredentials(*SECRETS, "vendor")
    with pytest.raises(TargetError, match=r"refusing plain http to shop\.example\.com"):
        GrooveKartProvider("http://shop.example.com", creds)
    with pytest.raises(ValueError, match="page_size"):
        GrooveKartProvider("https://shop.example.com", creds, page_size=0)


def test_a_network_transport_does_not_lift_the_plain_http_refusal() -> None:
    """Only transports that never leave the process (ASGI, mock) count as in-process."""
    creds = GrooveKartCredentials(*SECRETS, "vendor")
    with pytest.raises(TargetError, match="refusing plain http"):
        GrooveKartProvider("http://shop.example.com", creds, transport=httpx.AsyncHTTPTransport(retries=1))
    provider = GrooveKartProvider("http://sandbox", creds, transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    asyncio.run(provider.aclose())
