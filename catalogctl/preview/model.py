"""What a shopper sees of one product, independent of where it came from (catalog YAML or the
sandbox's SQLite store): the static preview and the sandbox storefront render the same model."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "INR": "₹"}
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
UNCATEGORISED = "Uncategorised"


@dataclass(frozen=True)
class Swatch:
    """One colour value of a colour group: its name and `#RRGGBB` code."""

    name: str
    color: str


@dataclass(frozen=True)
class VariantRow:
    """One combination of the variant grid."""

    label: str  # "Color: Black / Size: L"
    values: tuple[tuple[str, str], ...]
    sku: str
    price: Decimal
    compare_at_price: Decimal
    weight: Decimal
    weight_unit: str
    default: bool
    image: str | None
    swatch: Swatch | None = None


@dataclass(frozen=True)
class ProductView:
    """A product as a shopper would see it; `warnings` are validation findings about it."""

    sku: str
    title: str
    slug: str
    price: Decimal
    compare_at_price: Decimal
    weight: Decimal
    category: str
    vendor: str
    active: bool
    visibility: str
    images: tuple[str, ...]
    tags: tuple[str, ...]
    description: str  # HTML as written; sanitised when rendered
    short_description: str
    options: tuple[str, ...]
    variants: tuple[VariantRow, ...]
    warnings: tuple[str, ...] = ()

    @property
    def prices(self) -> tuple[Decimal, Decimal]:
        """The lowest and highest price a shopper can pay (variants' prices, else the product's)."""
        amounts = [v.price for v in self.variants] or [self.price]
        return min(amounts), max(amounts)

    @property
    def swatches(self) -> tuple[Swatch, ...]:
        """Distinct colours of the variants, in the order they first appear."""
        seen: dict[str, Swatch] = {}
        for variant in self.variants:
            if variant.swatch is not None:
                seen.setdefault(variant.swatch.color, variant.swatch)
        return tuple(seen.values())

    @property
    def cover(self) -> str | None:
        return self.images[0] if self.images else None


@dataclass(frozen=True)
class Placeholder:
    """What stands in for an image that cannot load: initials on a colour derived from the product."""

    initials: str
    hue: int


def placeholder(title: str, key: str) -> Placeholder:
    """Up to two initials of the title and a stable hue from `key` (the sku), so cards differ."""
    words = [w for w in re.split(r"[^\w]+", title) if w]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    hue = int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:2], "big") % 360
    return Placeholder(initials, hue)


def slugify(text: str) -> str:
    """A file-name-safe slug: `Hoodies & Sweatshirts` -> `hoodies-sweatshirts`."""
    return _SLUG_UNSAFE.sub("-", text.lower()).strip("-") or "item"


def money(amount: Decimal, currency: str) -> str:
    """`$24.99`, `€5.00`, or `24.99 CHF` for a currency without a known symbol."""
    shown = amount.normalize()
    exponent = shown.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        shown = shown.quantize(Decimal("0.01"))
    text = f"{shown:,f}"
    symbol = _CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def price_text(product: ProductView, currency: str) -> str:
    """`$24.99`, or `$44.00 – $48.00` when variants differ in price."""
    low, high = product.prices
    if low == high:
        return money(low, currency)
    return f"{money(low, currency)} – {money(high, currency)}"
