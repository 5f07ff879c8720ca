"""Every example request of the Shoprocket document, replayed and compared with the documented answer."""

from __future__ import annotations

from urllib.parse import urlencode

from shoprocket_kit import AUTH, Shoprocket, doc, doc_store, doc_user, shape


def test_create_store_example_answers_the_documented_shape(shoprocket: Shoprocket) -> None:
    response = shoprocket.create_store()
    documented = doc("create_store_answer")
    assert response.status_code == 200
    answer = response.json()
    assert shape(answer) == shape(documented)
    assert answer["message"] == documented["message"] == "Your store is saved successfully."
    store = answer["data"]["store"]
    for name in ("store_name", "registered_name", "address_city", "address_zipcode"):
        assert store[name] == documented["data"]["store"][name]
    assert store["address_country"].isdigit()  # an id, as documented ("96"), not the code sent
    assert store["store_address"] == "St.Lewis #2222, Los Angeles, United States, 90001."
    assert store["id"] == store["store_id"]


def test_create_store_defaults_are_the_documented_ones(shoprocket: Shoprocket) -> None:
    store = shoprocket.create_store().json()["data"]["store"]
    documented = doc("create_store_answer")["data"]["store"]
    for name in ("weight_unit", "dimensions_unit", "order_id_prefix", "order_id_suffix", "staff_emails",
                 "privacy_policy_url", "ga_code", "address_line2"):
        assert store[name] == documented[name], name
    assert store["subdomain"] and store["subdomain"].isalnum()  # "a random subdomain will be created"


def test_create_store_keys_have_the_documented_prefixes_and_differ_per_store(shoprocket: Shoprocket) -> None:
    first = shoprocket.create_store().json()["data"]["store"]
    second = shoprocket.create_store(subdomain="second-store").json()["data"]["store"]
    assert first["test_publishable_key"].startswith("sr_test_pk_")
    assert first["live_publishable_key"].startswith("sr_live_pk_")
    assert first["live_secret_key"].startswith("sr_live_sk_")
    for key in ("test_publishable_key", "live_publishable_key", "test_secret_key", "live_secret_key"):
        assert first[key] != second[key]


def test_create_store_example_as_form_fields(shoprocket: Shoprocket) -> None:
    """The document says the API accepts form-encoded bodies; its example sends JSON. Both work."""
    response = shoprocket.http.post(
        f"{shoprocket.url}/v1/stores", content=urlencode(doc_store()),
        headers={**AUTH, "content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert shape(response.json()) == shape(doc("create_store_answer"))


def test_create_user_example_answers_the_documented_shape(shoprocket: Shoprocket) -> None:
    response = shoprocket.create_user(first_name="John", last_name="Doe", phone_number="9568412345")
    documented = doc("create_user_answer")
    assert response.status_code == 200
    answer = response.json()
    documented_shape = shape(documented)
    documented_shape["data"]["user"]["referred_by"] = "NoneType"  # no referrer sent in this replay
    assert shape(answer) == documented_shape
    assert answer["message"] == documented["message"] == "User registered successfully."
    user = answer["data"]["user"]
    assert user["email"] == doc_user()["email"]
    assert user["password"] == documented["data"]["user"]["password"] == "******"
    assert user["phone_number"] == "95684*****"  # masked the way the document shows it
    assert user["client_id"].startswith("sr_cid_")


def test_create_user_example_verbatim_is_refused_for_its_scraped_email(shoprocket: Shoprocket) -> None:
    verbatim = doc("create_user_request")["body"]
    response = shoprocket.post("/v1/user", verbatim)
    assert response.status_code == 400
    assert "email" in response.json()["errors"]


def test_referrer_is_a_referral_code_of_an_existing_user(shoprocket: Shoprocket) -> None:
    code = shoprocket.create_user().json()["data"]["user"]["referral_code"]
    referred = shoprocket.create_user(email="jane@example.com", referrer=code)
    assert referred.status_code == 200 and referred.json()["data"]["user"]["referred_by"] == code
    unknown = shoprocket.create_user(email="joe@example.com", referrer="000000000")
    assert unknown.status_code == 400 and "referrer" in unknown.json()["errors"]
