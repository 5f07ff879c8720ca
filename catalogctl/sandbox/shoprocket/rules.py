"""The request tables of `POST /v1/stores` and `POST /v1/user`, one row per documented parameter.

The document marks each parameter optional or not and names a few formats (a two-letter ISO
country, unit enums, comma-separated emails). Where it is silent the sandbox reads strictly:
every value is a string, unknown parameters are refused, a subdomain is one lower-case DNS label,
a phone number is digits with an optional leading `+`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catalogctl.config.countries import is_country_code
from catalogctl.config.store_formats import DIMENSION_UNITS, EMAIL, PHONE, SUBDOMAIN, URL, WEIGHT_UNITS

Check = Callable[[str], str | None]


def _country(value: str) -> str | None:
    return None if len(value) == 2 and is_country_code(value) else "must be a two-letter ISO country code"


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: str) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


def _matches(pattern: re.Pattern[str], what: str) -> Check:
    def check(value: str) -> str | None:
        return None if pattern.fullmatch(value) else f"must be {what}"

    return check


def _emails(value: str) -> str | None:
    parts = [part.strip() for part in value.split(",")]
    if all(EMAIL.fullmatch(part) for part in parts):
        return None
    return "must be email addresses separated by commas"


@dataclass(frozen=True)
class Param:
    """One documented request parameter: required or not, and the format its value must have."""

    name: str
    required: bool = False
    check: Check | None = None


STORE_PARAMS: tuple[Param, ...] = (
    Param("store_name", required=True),
    Param("registered_name", required=True),
    Param("address_line1", required=True),
    Param("address_line2"),
    Param("address_country", required=True, check=_country),
    Param("address_city", required=True),
    Param("address_zipcode", required=True),
    Param("subdomain", check=_matches(SUBDOMAIN, "lower-case letters, digits and inner hyphens (a host name label)")),
    Param("staff_emails", check=_emails),
    Param("order_id_prefix"),
    Param("order_id_suffix"),
    Param("weight_unit", check=_one_of(WEIGHT_UNITS)),
    Param("dimensions_unit", check=_one_of(DIMENSION_UNITS)),
    Param("ga_code"),
    Param("google_ads_tracking_id"),
    Param("fb_pixel_id"),
    Param("pinterest_tag_id"),
    Param("snapchat_pixel_id"),
    Param("twitter_tracking_id"),
    Param("custom_tracking_code"),
    Param("privacy_policy_url", check=_matches(URL, "an http or https url")),
    Param("privacy_policy_text"),
)

USER_PARAMS: tuple[Param, ...] = (
    Param("email", required=True, check=_matches(EMAIL, "an email address")),
    Param("password", required=True),
    Param("first_name"),
    Param("last_name"),
    Param("phone_number", check=_matches(PHONE, "digits with an optional leading +")),
    Param("referrer"),
)


def problems(params: tuple[Param, ...], body: dict[str, Any]) -> dict[str, list[str]]:
    """Every refusal of `body` under the table, by parameter name (empty: the request is valid)."""
    known = {param.name for param in params}
    found = {name: [f"The {name} parameter is not taken by this call."] for name in body if name not in known}
    for param in params:
        problem = _problem(param, body.get(param.name))
        if problem:
            found[param.name] = [f"The {param.name} {problem}."]
    return found


def _problem(param: Param, value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "field is required" if param.required else None
    if not isinstance(value, str):
        return "must be a string"
    return param.check(value) if param.check else None
