"""One function per policy: (Context) -> the violations of that policy in this plan."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from catalogctl.model.address import Address, Kind
from catalogctl.model.money import plain_string
from catalogctl.plan.classify import Item
from catalogctl.plan.diff import address_text
from catalogctl.plan.model import ChangeAction, PolicyViolation

if TYPE_CHECKING:
    from catalogctl.plan.policies.check import Context

_PRICED = (Kind.PRODUCT, Kind.VARIANT)
_SETS = (ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.REPLACE, ChangeAction.UNSUPPORTED)


def _violation(context: Context, policy: str, address: Address, name: str, message: str) -> PolicyViolation:
    return PolicyViolation(policy=policy, address=address_text(address), message=message,
                           location=context.guards.locate(address, name))


def _money(value: Any) -> str:
    """At least two decimals, as the plan shows money: 27 -> 27.00, 0.125 stays."""
    amount = Decimal(str(value))
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        amount = amount.quantize(Decimal("0.01"))
    return format(amount, "f")


def _number(value: Decimal) -> str:
    return plain_string(value)


def _setting(context: Context, *names: str) -> Iterator[tuple[Item, dict[str, Any]]]:
    """Products and variants the plan creates, or whose `names` it changes, with their desired attrs."""
    for item in context.items:
        change = item.change
        if item.address.kind not in _PRICED or change.action not in _SETS or change.after is None:
            continue
        if change.action is ChangeAction.CREATE or any(name in change.after for name in names):
            want = context.desired.get(item.address)
            if want is not None:
                yield item, dict(want.attrs)


def max_price_change(context: Context) -> Iterable[PolicyViolation]:
    limit = context.policies.max_price_change_percent
    assert limit is not None
    for item in context.items:
        before, after = item.change.before or {}, item.change.after or {}
        if item.address.kind not in _PRICED or before.get("price") is None or after.get("price") is None:
            continue
        old, new = Decimal(str(before["price"])), Decimal(str(after["price"]))
        if old <= 0:  # no percentage from zero: any move up from it is unbounded, and a typo's favourite
            if new > old:
                yield _violation(context, "max_price_change_percent", item.address, "price",
                                 f"price {_money(old)} -> {_money(new)} moves up from zero (no percentage: "
                                 f"more than any limit, {_number(limit)}% here)")
            continue
        percent = (new - old) / old * 100
        if abs(percent) > limit:
            yield _violation(context, "max_price_change_percent", item.address, "price",
                             f"price {_money(old)} -> {_money(new)} ({_percent(percent, limit)}) moves more than "
                             f"{_number(limit)}%")


def _percent(value: Decimal, limit: Decimal) -> str:
    """`+35.0%`; with more decimals where one would round onto the limit (`+30.04%`, not `+30.0%`)."""
    for places in (1, 2, 3, 4):
        shown = f"{value:+.{places}f}"
        if abs(Decimal(shown)) != limit:
            return shown + "%"
    return f"{value:+f}%"


def min_price(context: Context) -> Iterable[PolicyViolation]:
    floor = context.policies.min_price
    assert floor is not None
    for item, attrs in _setting(context, "price"):
        if attrs["price"] < floor:
            yield _violation(context, "min_price", item.address, "price",
                             f"price {_money(attrs['price'])} is below the minimum {_money(floor)}")


def min_margin(context: Context) -> Iterable[PolicyViolation]:
    floor = context.policies.min_margin_percent
    assert floor is not None
    for item, attrs in _setting(context, "price"):
        cost = context.guards.cost.get(item.address)
        price = attrs["price"]
        if cost is None:
            continue
        if price <= 0:  # no margin can be worked out of a zero price: it sells below any cost
            yield _violation(context, "min_margin_percent", item.address, "price",
                             f"price {_money(price)} leaves no margin over cost {_money(cost)} (below "
                             f"{_number(floor)}%)")
            continue
        margin = (price - cost) / price * 100
        if margin < floor:
            shown = _percent(margin, floor).removeprefix("+")
            yield _violation(context, "min_margin_percent", item.address, "price",
                             f"margin {shown} (price {_money(price)}, cost {_money(cost)}) is below "
                             f"{_number(floor)}%")


def compare_at_above_price(context: Context) -> Iterable[PolicyViolation]:
    for item, attrs in _setting(context, "price", "compare_at_price"):
        compare, price = attrs.get("compare_at_price") or Decimal(0), attrs["price"]
        if compare and compare <= price:
            yield _violation(context, "compare_at_above_price", item.address, "compare_at_price",
                             f"compare_at_price {_money(compare)} is not above price {_money(price)}")


def _deactivates(item: Item) -> bool:
    change = item.change
    if item.address.kind is not Kind.PRODUCT:
        return False
    if change.action is ChangeAction.DELETE:
        return True
    return (change.after or {}).get("active") is False and (change.before or {}).get("active") is not False


def max_deactivations(context: Context) -> Iterable[PolicyViolation]:
    limit = context.policies.max_deactivations
    assert limit is not None
    found = [item for item in context.items if _deactivates(item)]
    if len(found) > limit:
        yield _count_violation(context, "max_deactivations", found, "deactivates", limit, "active")


def max_new_products(context: Context) -> Iterable[PolicyViolation]:
    limit = context.policies.max_new_products
    assert limit is not None
    found = [item for item in context.items
             if item.address.kind is Kind.PRODUCT and item.change.action is ChangeAction.CREATE]
    if len(found) > limit:
        yield _count_violation(context, "max_new_products", found, "creates", limit, "sku")


def _count_violation(context: Context, policy: str, found: list[Item], verb: str, limit: int,
                     name: str) -> PolicyViolation:
    shown = ", ".join(address_text(i.address) for i in found[:5]) + (" ..." if len(found) > 5 else "")
    return _violation(context, policy, found[0].address, name,
                      f"the plan {verb} {len(found)} product{'s' if len(found) != 1 else ''}, more than the "
                      f"{limit} allowed: {shown}")


def require_images(context: Context) -> Iterable[PolicyViolation]:
    touched = {item.address.product for item in context.items if item.change.action in _SETS}
    for product in sorted(a for a in touched if a is not None):
        want = context.desired.get(product)
        if want is None or want.attrs.get("active") is False:
            continue
        if Address.image(product.key, 0) not in context.desired:
            yield _violation(context, "require_images", product, "images", "an active product without an image")


def allowed_image_hosts(context: Context) -> Iterable[PolicyViolation]:
    allowed = context.policies.allowed_image_hosts or []
    for item in context.items:
        after = item.change.after or {}
        name = {Kind.IMAGE: "src", Kind.VARIANT: "image"}.get(item.address.kind)
        url = after.get(name) if name else None
        if not isinstance(url, str):
            continue
        host = (urlsplit(url).hostname or "").lower()
        if not any(_host_matches(host, pattern.lower()) for pattern in allowed):
            yield _violation(context, "allowed_image_hosts", item.address, "images" if name == "src" else "image",
                             f"image host {host!r} is not in allowed_image_hosts ({', '.join(allowed)})")


def _host_matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern
