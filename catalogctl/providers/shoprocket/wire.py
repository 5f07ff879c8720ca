"""Shoprocket on the wire: the catalog's `store` and `staff` as request bodies and resources, and
the answers as state records (never with the keys or passwords they hold).

A store is addressed by its subdomain and a user by their email: what the API keeps unique, so a
create refused as "taken" means "already exists" and never a duplicate.
"""

from __future__ import annotations

from typing import Any

from catalogctl.config.models import Catalog
from catalogctl.config.store_models import StaffMember, StoreFacts
from catalogctl.errors import ConfigError
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource, ResourceMap

STORE_DEFAULTS: dict[str, Any] = {"order_id_prefix": "#", "weight_unit": "lb", "dimensions_unit": "cm"}
"""The documented defaults: a catalog that leaves these out expects them."""
TRACKING = ("ga_code", "google_ads_tracking_id", "fb_pixel_id", "pinterest_tag_id", "snapchat_pixel_id",
            "twitter_tracking_id", "custom_tracking_code")
STORE_PARAMS = ("store_name", "registered_name", "address_line1", "address_line2", "address_country",
                "address_city", "address_zipcode", "subdomain", "staff_emails", "order_id_prefix",
                "order_id_suffix", "weight_unit", "dimensions_unit", *TRACKING, "privacy_policy_url",
                "privacy_policy_text")
USER_SETTINGS = ("first_name", "last_name")
"""What a user's answer gives back as sent (the phone comes back masked, the password as ******)."""


def store_address(subdomain: str) -> Address:
    return Address(Kind.STORE, subdomain)


def user_address(email: str) -> Address:
    return Address(Kind.STAFF_USER, email.lower())  # the API compares emails without case


def store_fact_key(subdomain: str) -> str:
    return f"store:{subdomain}"


def user_fact_key(email: str) -> str:
    return f"staff_user:{email.lower()}"


def _blank(value: Any) -> str:
    """Unset is "" on both sides (a recorded "not set" is known, unlike an attribute never recorded)."""
    return "" if value is None else str(value)


def store_attrs(store: StoreFacts) -> dict[str, Any]:
    """Every documented parameter: the catalog's value, else the documented default, else None."""
    address = store.address
    tracking = store.tracking.model_dump() if store.tracking else {}
    given: dict[str, Any] = {
        "store_name": store.name, "registered_name": store.registered_name,
        "address_line1": address.line1 if address else None, "address_line2": address.line2 if address else None,
        "address_country": store.country, "address_city": address.city if address else None,
        "address_zipcode": address.zipcode if address else None, "subdomain": store.subdomain,
        "staff_emails": ",".join(store.staff_emails) or None, "order_id_prefix": store.order_id_prefix,
        "order_id_suffix": store.order_id_suffix, "weight_unit": store.weight_unit,
        "dimensions_unit": store.dimensions_unit, **{name: tracking.get(name) for name in TRACKING},
        "privacy_policy_url": store.privacy_policy_url, "privacy_policy_text": store.privacy_policy_text,
    }
    return {name: _blank(given[name] if given[name] is not None else STORE_DEFAULTS.get(name))
            for name in STORE_PARAMS}


def user_attrs(member: StaffMember) -> dict[str, Any]:
    """A user as planned: `password_env` names where the password comes from (never the password)."""
    return {"email": member.email, "first_name": _blank(member.first_name), "last_name": _blank(member.last_name),
            "phone_number": _blank(member.phone), "password_env": member.password_env}


def store_body(attrs: dict[str, Any]) -> dict[str, Any]:
    """The `POST /v1/stores` body: every parameter with a value (unset ones are left to the API)."""
    return {name: str(attrs[name]) for name in STORE_PARAMS if attrs.get(name)}


def user_body(attrs: dict[str, Any], password: str) -> dict[str, Any]:
    body = {"email": attrs["email"], "password": password}
    body.update({name: attrs[name] for name in ("first_name", "last_name", "phone_number") if attrs.get(name)})
    return body


def store_record(answer: Any, sent: dict[str, Any]) -> dict[str, Any]:
    """What state keeps of a created store: its id and settings as answered, never its keys.

    The country comes back as Shoprocket's own id ("96"), so the ISO code sent is kept instead.
    """
    store = _inner(answer, "store")
    settings = {name: _blank(store.get(name)) for name in STORE_PARAMS if name in store}
    settings["address_country"] = sent.get("address_country")
    return {"id": str(store.get("id") or store.get("store_id") or ""), "settings": settings}


def user_record(answer: Any) -> dict[str, Any]:
    """What state keeps of a created user: the id and the names (the answer masks the rest)."""
    user = _inner(answer, "user")
    return {"id": str(user.get("id") or ""), "settings": {name: _blank(user.get(name)) for name in USER_SETTINGS}}


def _inner(answer: Any, key: str) -> dict[str, Any]:
    data = answer.get("data") if isinstance(answer, dict) else None
    inner = data.get(key) if isinstance(data, dict) else None
    return inner if isinstance(inner, dict) else {}


EXISTING: dict[str, Any] = {"exists": True}
"""The record of a store or user that already existed (its create was refused as taken): settings unknown."""


def desired(catalog: Catalog) -> ResourceMap:
    """The catalog's store and staff as resources; ConfigError at file:line when the store lacks what
    Shoprocket's create requires (a subdomain too: the only key the API keeps unique)."""
    resources: ResourceMap = {}
    store = catalog.store
    if store is not None or catalog.staff:
        _require(store)
    if store is not None and store.subdomain is not None:
        resources[store_address(store.subdomain)] = Resource(store_address(store.subdomain), store_attrs(store))
    for member in catalog.staff:
        address = user_address(member.email)
        if address in resources:
            raise ConfigError(f"{_where(member)}staff user {member.email} is listed twice (emails ignore case)",
                              hint="Shoprocket keeps one user per email; remove one of them.")
        resources[address] = Resource(address, user_attrs(member))
    return resources


REQUIRED = {"name": "store_name", "registered_name": "registered_name", "country": "address_country",
            "address": "address_line1, address_city, address_zipcode", "subdomain": "subdomain (unique)"}


def _require(store: StoreFacts | None) -> None:
    if store is None:
        raise ConfigError("a shoprocket target needs a `store:` section to create the store from",
                          hint=f"give store: {', '.join(REQUIRED)}")
    missing = [name for name in REQUIRED if getattr(store, name) is None]
    if missing:
        raise ConfigError(
            f"{_where(store)}store: {', '.join(missing)} missing for Shoprocket, whose create-store call requires "
            f"{', '.join(REQUIRED[name] for name in missing)}",
            hint="the subdomain is how catalogctl recognises the store later: the API has no read")


def _where(item: Any) -> str:
    origin = getattr(item, "_origin", None)
    return f"{origin.position}: " if origin is not None else ""
