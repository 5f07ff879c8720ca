"""The guardrails a target may set in catalogctl.yaml: `ignore_changes` for every product and
`policies:`, checked on every plan against the live store and enforced by apply."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

IgnorableField = Literal[
    "title", "description", "short_description", "vendor", "category", "price", "compare_at_price",
    "weight", "visibility", "active", "tags", "images",
]
"""What `ignore_changes` may name: a product's fields; price, compare_at_price, weight and images
also cover its variants' own (a variant's price, its image)."""

Percent = Annotated[Decimal, Field(ge=0)]
Count = Annotated[int, Field(ge=0)]
_HOST = re.compile(r"^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")


def _host(value: str) -> str:
    if not _HOST.match(value):
        raise ValueError(f"{value!r} is not a host: write a host name such as cdn.example.com, or "
                         "*.example.com for its subdomains (no scheme, port or path)")
    return value


Host = Annotated[str, AfterValidator(_host)]


class Policies(BaseModel):
    """Each key set is one policy, named by its key (`--override-policy NAME` lifts it for one apply)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_price_change_percent: Percent | None = None  # per product and variant, up or down
    min_price: Annotated[Decimal, Field(ge=0)] | None = None
    min_margin_percent: Annotated[Decimal, Field(le=100)] | None = None  # (price - cost) / price, where cost is set
    compare_at_above_price: StrictBool = False  # a compare-at price must be above the price (or unset)
    max_deactivations: Count | None = None
    max_new_products: Count | None = None
    require_images: StrictBool = False  # active products the plan touches must have an image
    allowed_image_hosts: list[Host] | None = None  # exact hosts, or `*.example.com` for its subdomains

    def enabled(self) -> tuple[str, ...]:
        """The names of the policies this target sets, in declaration order."""
        return tuple(name for name in type(self).model_fields
                     if getattr(self, name) is not None and getattr(self, name) is not False)
