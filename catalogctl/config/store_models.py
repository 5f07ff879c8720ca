"""The `store` and `staff` sections: facts a target must match, and what a store is created with.

`store` holds the shop facts a provider can check (Shoplazza compares name, currency, locale,
timezone, country, domain, email with the live shop) and the settings Shoprocket's
`POST /v1/stores` takes. `staff` lists users to create; their initial passwords come from
environment variables named by `password_env`, never from YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr

from catalogctl.config import store_formats as formats
from catalogctl.config.countries import COUNTRIES
from catalogctl.config.source import Origin


def _check(test: Callable[[str], bool], problem: str) -> AfterValidator:
    def validate(value: Any) -> Any:
        if not test(value):
            raise ValueError(problem)
        return value

    return AfterValidator(validate)


def _pattern(pattern: re.Pattern[str], problem: str) -> Any:
    return Annotated[str, _check(lambda v: bool(pattern.fullmatch(v)), problem),
                     Field(json_schema_extra={"pattern": f"^{pattern.pattern}$"})]


Text = Annotated[str, Field(min_length=1)]
Email = _pattern(formats.EMAIL, "is not an email address (name@example.com)")
Phone = _pattern(formats.PHONE, "must be 6 to 15 digits with an optional leading + and no spaces")
Subdomain = _pattern(formats.SUBDOMAIN, "must be one host name label: lower-case letters, digits, inner hyphens")
EnvName = _pattern(formats.ENV_NAME, "must be the name of an environment variable, e.g. STAFF_PASSWORD")
HttpUrl = _pattern(formats.URL, "must be an http:// or https:// url")
Currency = _pattern(formats.CURRENCY, "must be a three-letter ISO 4217 code in capitals, e.g. USD")
Country = Annotated[str, _check(lambda v: v in COUNTRIES, "must be a two-letter ISO country code in capitals, e.g. US"),
                    Field(json_schema_extra={"pattern": "^[A-Z]{2}$"})]
WeightUnit = Literal["kg", "lb", "g", "oz"]
DimensionsUnit = Literal["mm", "cm", "in", "m", "yd"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class _Item(_Strict):
    _origin: Origin | None = PrivateAttr(default=None)


class StoreAddress(_Strict):
    """Where the store is registered (Shoprocket's address_* parameters; the country is `store.country`)."""

    line1: Text
    line2: str | None = None
    city: Text
    zipcode: Text


class Tracking(_Strict):
    """Analytics and ad tracking ids, sent as Shoprocket's parameters of the same names."""

    ga_code: str | None = None
    google_ads_tracking_id: str | None = None
    fb_pixel_id: str | None = None
    pinterest_tag_id: str | None = None
    snapchat_pixel_id: str | None = None
    twitter_tracking_id: str | None = None
    custom_tracking_code: str | None = None


class StoreFacts(_Item):
    """What the target store is (checked before anything changes) and, for Shoprocket, what it is created with."""

    name: Text | None = None
    currency: Currency | None = None
    locale: Text | None = None
    timezone: Text | None = None
    weight_unit: WeightUnit | None = None
    country: Country | None = None
    domain: Text | None = None
    email: Email | None = None
    registered_name: Text | None = None
    address: StoreAddress | None = None
    subdomain: Subdomain | None = None
    staff_emails: list[Email] = []
    order_id_prefix: str | None = None
    order_id_suffix: str | None = None
    dimensions_unit: DimensionsUnit | None = None
    tracking: Tracking | None = None
    privacy_policy_url: HttpUrl | None = None
    privacy_policy_text: str | None = None


class StaffMember(_Item):
    """A user to create; the initial password is read from the environment variable `password_env`."""

    email: Email
    password_env: EnvName
    first_name: str | None = None
    last_name: str | None = None
    phone: Phone | None = None
