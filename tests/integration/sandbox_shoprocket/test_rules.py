"""The request tables of /v1/stores and /v1/user: one test per row, required and format checks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shoprocket_kit import Shoprocket, doc_store, doc_user

from catalogctl.sandbox.shoprocket.rules import DIMENSION_UNITS, STORE_PARAMS, USER_PARAMS, WEIGHT_UNITS

REQUIRED_STORE = [p.name for p in STORE_PARAMS if p.required]
REQUIRED_USER = [p.name for p in USER_PARAMS if p.required]


def test_the_tables_mark_what_the_document_marks_required() -> None:
    assert REQUIRED_STORE == ["store_name", "registered_name", "address_line1", "address_country",
                              "address_city", "address_zipcode"]
    assert REQUIRED_USER == ["email", "password"]


@pytest.mark.parametrize("name", REQUIRED_STORE)
@pytest.mark.parametrize("absent", ["missing", "", "   ", None])
def test_store_refuses_a_missing_required_parameter(shoprocket: Shoprocket, name: str, absent: str | None) -> None:
    body = doc_store()
    if absent == "missing":
        del body[name]
    else:
        body[name] = absent  # type: ignore[assignment]
    response = shoprocket.post("/v1/stores", body)
    assert response.status_code == 400
    assert response.json()["errors"] == {name: [f"The {name} field is required."]}
    assert shoprocket.create_store().status_code == 200  # nothing was half-written


@pytest.mark.parametrize("name", REQUIRED_USER)
def test_user_refuses_a_missing_required_parameter(shoprocket: Shoprocket, name: str) -> None:
    body = doc_user()
    del body[name]
    response = shoprocket.post("/v1/user", body)
    assert response.status_code == 400 and list(response.json()["errors"]) == [name]


BAD_STORE_VALUES = [
    ("address_country", "usa"), ("address_country", "zz"), ("address_country", "U"),
    ("subdomain", "My-Store"), ("subdomain", "-shop"), ("subdomain", "shop.example"), ("subdomain", "a" * 64),
    ("staff_emails", "ops@example.com,not-an-email"), ("staff_emails", "ops@example.com,"),
    ("weight_unit", "kgs"), ("weight_unit", "KG"), ("dimensions_unit", "ft"),
    ("privacy_policy_url", "example.com/privacy"), ("store_name", 42),
]


@pytest.mark.parametrize(("name", "value"), BAD_STORE_VALUES)
def test_store_refuses_a_malformed_value(shoprocket: Shoprocket, name: str, value: object) -> None:
    response = shoprocket.create_store(**{name: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


@pytest.mark.parametrize("unit", WEIGHT_UNITS)
def test_each_documented_weight_unit_is_kept(shoprocket: Shoprocket, unit: str) -> None:
    assert shoprocket.create_store(weight_unit=unit).json()["data"]["store"]["weight_unit"] == unit


@pytest.mark.parametrize("unit", DIMENSION_UNITS)
def test_each_documented_dimension_unit_is_kept(shoprocket: Shoprocket, unit: str) -> None:
    assert shoprocket.create_store(dimensions_unit=unit).json()["data"]["store"]["dimensions_unit"] == unit


def test_every_optional_setting_is_kept_as_sent(shoprocket: Shoprocket) -> None:
    settings_sent = {
        "address_line2": "Suite 5", "subdomain": "demo-store", "staff_emails": "a@example.com, b@example.com",
        "order_id_prefix": "SR-", "order_id_suffix": "-X", "ga_code": "UA-1", "google_ads_tracking_id": "AW-2",
        "fb_pixel_id": "3", "pinterest_tag_id": "4", "snapchat_pixel_id": "5", "twitter_tracking_id": "6",
        "custom_tracking_code": "<!-- t -->", "privacy_policy_url": "https://example.com/privacy",
        "privacy_policy_text": "We keep nothing.",
    }
    store = shoprocket.create_store(**settings_sent).json()["data"]["store"]
    assert {name: store[name] for name in settings_sent} == settings_sent


def test_unknown_parameters_are_refused(shoprocket: Shoprocket) -> None:
    response = shoprocket.create_store(currency="EUR")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["currency"]
    assert shoprocket.create_user(role="admin").status_code == 400


@pytest.mark.parametrize(("name", "value"), [("email", "john.doe@"), ("phone_number", "95-68"),
                                             ("phone_number", "+1 555 0100"), ("password", 123456)])
def test_user_refuses_a_malformed_value(shoprocket: Shoprocket, name: str, value: object) -> None:
    response = shoprocket.create_user(**{name: value})
    assert response.status_code == 400 and list(response.json()["errors"]) == [name]


def test_subdomain_is_unique_whatever_the_case_of_the_request(shoprocket: Shoprocket) -> None:
    assert shoprocket.create_store(subdomain="demo").status_code == 200
    taken = shoprocket.create_store(subdomain="demo", store_name="Another")
    assert taken.status_code == 400
    assert taken.json()["errors"] == {"subdomain": ["The subdomain has already been taken."]}


def test_email_is_unique_case_insensitively(shoprocket: Shoprocket) -> None:
    assert shoprocket.create_user(email="John.Doe@example.com").status_code == 200
    taken = shoprocket.create_user(email="john.doe@EXAMPLE.com")
    assert taken.status_code == 400
    assert taken.json()["errors"] == {"email": ["The email has already been taken."]}


def test_the_store_survives_a_restart_of_the_sandbox(shoprocket: Shoprocket) -> None:
    from catalogctl.sandbox.shoprocket import create_app

    assert shoprocket.create_store(subdomain="kept").status_code == 200
    app = create_app(shoprocket.db_path)
    assert app.records.read(lambda conn: conn.execute("SELECT COUNT(*) FROM store").fetchone()[0]) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=60).filter(str.strip))
def test_a_store_name_is_kept_exactly_as_written(shoprocket: Shoprocket, name: str) -> None:
    answer = shoprocket.post("/v1/stores", {**doc_store(), "store_name": name})
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["store"]["store_name"] == name
