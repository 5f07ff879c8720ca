"""What a created store or user looks like in the answer: the document's example shapes, field for field."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from catalogctl.config.countries import COUNTRIES

_COUNTRY_IDS = {code: str(index + 1) for index, code in enumerate(COUNTRIES)}  # the API answers an id, not the code

STORE_DEFAULTS: dict[str, Any] = {
    "locale": "en-GB", "weight_unit": "lb", "dimensions_unit": "cm", "timezone": "America/Los_Angeles",
    "store_hostname": "localhost", "customer_email": None, "staff_emails": None, "low_stock_count": "10",
    "order_id_prefix": "#", "order_id_suffix": None, "abandoned_cart_interval": None, "use_stock": "0",
    "capture_billing_address": "1", "capture_shipping_address": "1", "remove_branding": "0",
    "enable_product_sorting": "0", "show_categories_filter": "1", "product_sorting": None,
    "product_pagination": "0", "product_pagination_type": None, "product_image_placeholder": None,
    "default_currency": "53", "default_currency_symbol": "Rp", "default_language": "1",
    "tax_preference": "manual", "taxjar_api_key": None, "ga_code": None, "google_ads_tracking_id": None,
    "fb_pixel_id": None, "pinterest_tag_id": None, "snapchat_pixel_id": None, "twitter_tracking_id": None,
    "custom_tracking_code": None, "cname": None, "privacy_policy_url": "", "privacy_policy_text": None,
    "default_terms_and_conditions": "1", "default_opt_in_marketing": "1", "product_quantity_dropdown_limit": "10",
    "status": "1", "deleted_at": None, "customer_id": None, "store_logo": None, "store_environment": "test",
    "address_line2": None, "address_state": None, "is_paused": "0", "is_widget": "0",
    "subscription_start_date": None, "subscription_end_date": None, "subscription_cancels_at": None,
    "subscription_status": "0", "partner_id": "2", "v1_ref": None,
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _key(prefix: str) -> str:
    return prefix + secrets.token_hex(18)[:35]


def random_subdomain() -> str:
    """What the API makes when no subdomain is given: a short random string."""
    return secrets.token_hex(3)


def store_record(store_id: int, params: dict[str, Any], subdomain: str) -> dict[str, Any]:
    """The `data.store` object of the create-store answer, keys and secrets freshly generated."""
    given = {name: value for name, value in params.items() if value not in (None, "")}
    country = given["address_country"].upper()
    now = _now()
    record: dict[str, Any] = {"id": str(store_id), "store_id": str(store_id), **STORE_DEFAULTS, **given}
    record.update(
        subdomain=subdomain, address_country=_COUNTRY_IDS[country], created_at=now, updated_at=now,
        settings_revised=now, test_publishable_key=_key("sr_test_pk_"), live_publishable_key=_key("sr_live_pk_"),
        test_secret_key=_key("sr_test_sk_"), live_secret_key=_key("sr_live_sk_"),
        subscription_id=str(store_id + 12),
        store_address=f"{given['address_line1']}, {given['address_city']}, {COUNTRIES[country]}, "
        f"{given['address_zipcode']}.",
    )
    return record


def _masked_phone(phone: str | None) -> str | None:
    return None if phone is None else phone[:5] + "*" * max(len(phone) - 5, 0)


def user_record(user_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """The `data.user` object of the create-user answer: the password masked, the phone half masked."""
    now = _now()
    return {
        "id": str(user_id), "first_name": params.get("first_name"), "last_name": params.get("last_name"),
        "email": params["email"], "password": "******", "phone_number": _masked_phone(params.get("phone_number")),
        "gender": None, "dob": None, "profile_picture": None, "referral_code": secrets.token_hex(5)[:9],
        "referred_by": params.get("referrer"), "is_pro": "0", "client_id": _key("sr_cid_"), "login_count": "0",
        "password_token": None, "role": "7", "status": "1", "v1_ref": None, "deleted_at": None,
        "created_at": now, "updated_at": now,
    }
