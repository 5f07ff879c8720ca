"""The two new providers' dialects and wire: error texts of every documented shape, bodies, records."""

from __future__ import annotations

import pytest

from catalogctl.config.store_models import StaffMember, StoreAddress, StoreFacts
from catalogctl.http import ProviderError
from catalogctl.providers.shoplazza.dialect import ShoplazzaDialect
from catalogctl.providers.shoplazza.wire import import_facts, query_fields, shop_resource, stated_facts
from catalogctl.providers.shoprocket import wire
from catalogctl.providers.shoprocket.dialect import MEANINGS, ShoprocketDialect
from catalogctl.providers.shoprocket.execute import is_taken

STORE = StoreFacts(name="Shop", registered_name="Shop Ltd", country="US", subdomain="shop",
                   address=StoreAddress(line1="1 Main St", city="LA", zipcode="090001"))


@pytest.mark.parametrize("status", sorted(MEANINGS))
def test_shoprocket_failures_carry_the_documented_meaning(status: int) -> None:
    failure = ShoprocketDialect("k").failure(status, {"status": status, "message": "x", "data": None})
    assert failure is not None and failure.message.startswith(MEANINGS[status])
    assert failure.auth is (status == 401)


def test_shoprocket_success_is_not_a_failure_and_field_errors_are_kept() -> None:
    dialect = ShoprocketDialect("k")
    assert dialect.failure(200, {"status": 200, "data": {}}) is None
    failure = dialect.failure(400, {"errors": {"subdomain": ["The subdomain has already been taken."]}})
    assert failure is not None and "already been taken" in failure.message
    exc = ProviderError("stores.create", failure.message, status=400)
    assert is_taken(exc, "subdomain") and not is_taken(exc, "email")


def test_shoprocket_passwords_join_the_secrets_once_read() -> None:
    dialect = ShoprocketDialect("key-1")
    dialect.add_secret("pw-1")
    assert dialect.secrets == ("key-1", "pw-1") and dialect.headers() == {"sr_auth": "key-1"}


def test_store_attrs_fill_documented_defaults_and_keep_text() -> None:
    attrs = wire.store_attrs(STORE)
    assert attrs["weight_unit"] == "lb" and attrs["dimensions_unit"] == "cm" and attrs["order_id_prefix"] == "#"
    assert attrs["address_zipcode"] == "090001" and attrs["order_id_suffix"] == ""
    body = wire.store_body(attrs)
    assert "order_id_suffix" not in body and body["address_country"] == "US" and body["subdomain"] == "shop"


def test_store_record_drops_the_keys_and_keeps_the_iso_country() -> None:
    answer = {"data": {"store": {"id": "7", "store_name": "Shop", "address_country": "96", "subdomain": "shop",
                                 "live_secret_key": "sr_live_sk_x", "test_publishable_key": "sr_test_pk_y"}}}
    record = wire.store_record(answer, {"address_country": "US"})
    assert record["id"] == "7" and record["settings"]["address_country"] == "US"
    assert "sr_live_sk_x" not in str(record) and "sr_test_pk_y" not in str(record)


def test_user_attrs_name_the_password_variable_only() -> None:
    attrs = wire.user_attrs(StaffMember(email="A@Example.com", password_env="PW"))
    assert attrs["password_env"] == "PW" and "password" not in attrs
    assert wire.user_address("A@Example.com").key == "a@example.com"
    assert wire.user_body(attrs, "secret") == {"email": "A@Example.com", "password": "secret"}


@pytest.mark.parametrize(("status", "body", "expected"), [
    (401, {"error": "UnauthorizedError"}, "UnauthorizedError"),
    (404, {"error": "store is not active"}, "store is not active"),
    (520, {"errors": ["No Context"]}, "No context"),
    (400, {"errors": ["Bad Request", "fields"]}, "Bad Request"),
    (500, {"errors": ["Response message parsing error"]}, "Response message parsing error"),
    (200, {"errors": ["No Context"]}, "No Context"),
])
def test_shoplazza_reads_both_error_shapes(status: int, body: dict[str, object], expected: str) -> None:
    failure = ShoplazzaDialect("t").failure(status, body)
    assert failure is not None and expected in failure.message and failure.auth is (status == 401)


def test_shoplazza_success_and_headers() -> None:
    dialect = ShoplazzaDialect("t")
    assert dialect.failure(200, {"shop": {"id": 1}}) is None
    assert dialect.headers() == {"access-token": "t", "Content-Type": "application/json"}
    assert dialect.request_id_header == "Request-Id"


def test_shoplazza_facts_ask_only_for_what_the_catalog_states() -> None:
    facts = stated_facts(StoreFacts(currency="USD", locale="en-US", domain="Shop.Example.COM"))
    assert facts == {"currency": "USD", "locale": "en-US", "domain": "shop.example.com"}
    assert query_fields(facts) == "currency,primary_locale,domain"
    live = shop_resource({"id": 5, "currency": "USD", "primary_locale": "fr-FR", "domain": "SHOP.example.com"}, facts)
    assert dict(live.attrs) == {"currency": "USD", "locale": "fr-FR", "domain": "shop.example.com"}
    assert import_facts({"currency": "USD", "country_code": "CN", "email": ""}) == {"currency": "USD", "country": "CN"}
