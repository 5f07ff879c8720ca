"""The normalized attributes of each resource kind: the contract between config, providers and plan.

Desired resources (built from YAML) and live resources (read from a store) carry exactly these
keys, normalized the same way, so the planner can compare them with `==`:

category       title: str
variant_group  name: str, type: "select" | "radio" | "color"
product        sku: str, title: str, description: str (""), short_description: str (""),
               vendor: str (""), category: str | None (a category title), price: Decimal,
               compare_at_price: Decimal (0 when unset), weight: Decimal (0 when unset),
               visibility: "both" | "search" | "none" | "catalog", active: bool,
               tags: tuple[str, ...] (sorted, de-duplicated), options: tuple[str, ...] (group names, in order)
variant        values: tuple[tuple[str, str], ...] (group, value) in the product's option order,
               color: str | None (hex "#RRGGBB" upper-case, of the color-group value, if any),
               sku: str (""), price: Decimal, compare_at_price: Decimal (0), weight: Decimal (0),
               weight_unit: str | None, default: bool, image: str | None (source url of one of the
               product's images)
image          src: str (source url; on live resources the url recorded in state, or None when
               state does not know it: the live CDN url is no source url), position: int (0 is the cover)
webhook        name: str, endpoint: str

Decimals are canonical (`money.canonical`): 24.99, never 24.990000.

Live resources may say in `extra` what the store could not tell (plan/align.py resolves it):
`OPTIONS_UNORDERED` on a product whose option order state does not remember (`options` is then in
the store's order), `IMAGE_ID` on a variant: the live id of the image it shows, `LIVE_URL` on an
image: the store's url of it (cache-buster removed).
"""

from __future__ import annotations

from catalogctl.model.address import Kind

ATTRIBUTES: dict[Kind, tuple[str, ...]] = {
    Kind.CATEGORY: ("title",),
    Kind.VARIANT_GROUP: ("name", "type"),
    Kind.PRODUCT: (
        "sku", "title", "description", "short_description", "vendor", "category", "price",
        "compare_at_price", "weight", "visibility", "active", "tags", "options",
    ),
    Kind.VARIANT: (
        "values", "color", "sku", "price", "compare_at_price", "weight", "weight_unit",
        "default", "image",
    ),
    Kind.IMAGE: ("src", "position"),
    Kind.WEBHOOK: ("name", "endpoint"),
}

OPTIONS_UNORDERED = "options_unordered"
IMAGE_ID = "image_id"
LIVE_URL = "live_url"

GROUP_TYPES = ("select", "radio", "color")
VISIBILITIES = ("both", "search", "none", "catalog")
