"""Variant actions: add (then read back for ids), update in one call, recreate all, image assignment."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from operator import attrgetter
from typing import Any

from catalogctl.http.errors import ProviderError
from catalogctl.model.address import Address
from catalogctl.providers.groovekart import read, wire
from catalogctl.providers.groovekart.actions import (
    AddVariants,
    GroupSpec,
    RecreateVariants,
    SetVariantImages,
    UpdateVariants,
    VariantSpec,
    VariantUpdate,
    VariantValues,
)
from catalogctl.providers.groovekart.execute.catalog import create_groups
from catalogctl.providers.groovekart.execute.context import NUM_TEXTS, Step, create_once, num

ValueKey = frozenset[tuple[str, str]]
GroupTypes = tuple[tuple[str, str], ...]
"""(group name, group type) of a product's variant groups, in order."""
GROUPS_MISSING = "Variant Groups not found."


def variant_body(variant: VariantSpec, types: GroupTypes) -> dict[str, Any]:
    """One variant of a create or an add; `types`: group_types(the product's groups)."""
    return variant_bodies((variant,), types)[0]


def variant_bodies(variants: tuple[VariantSpec, ...] | list[VariantSpec], types: GroupTypes) -> list[dict[str, Any]]:
    """The `variants` of a create or an add, one body each; `types`: group_types(the product's groups).

    In one loop (issue 13: a create sends ten, 100,000 in a 10,000-product apply): the spec's fields read
    from its __dict__ (a pydantic model's attributes pass through its __getattr__ hook) and each amount's
    text from num's table by its str, num itself called only for one not seen yet. Held to the plain
    spelling by tests/unit/providers/test_groovekart_bodies.py."""
    texts = NUM_TEXTS
    bodies = []
    for variant in variants:
        own = variant.__dict__
        price, compare, weight = own["price"], own["compare_at_price"], own["weight"]
        body: dict[str, Any] = {
            "variant_values": variant_values(own["values"], own["color"], types),
            "price": texts.get(str(price)) or num(price),
            "compare_at_price": texts.get(str(compare)) or num(compare),
            "sku": own["sku"], "weight": texts.get(str(weight)) or num(weight),
            "default_on": 1 if own["default"] else 0,
        }
        unit = own["weight_unit"]
        if unit:
            body["weight_unit"] = unit
        bodies.append(body)
    return bodies


def group_types(groups: tuple[GroupSpec, ...]) -> GroupTypes:
    return tuple([(own["name"], own["type"]) for own in map(_FIELDS, groups)])


_FIELDS = attrgetter("__dict__")
"""A pydantic model's fields, read once (each attribute otherwise passes through its __getattr__ hook)."""


@lru_cache(maxsize=4096)   # a catalog's products share a few value combinations (Color x Size)
def variant_values(values: VariantValues, color: str | None, types: GroupTypes) -> dict[str, Any]:
    """A variant's `variant_values` as sent: one object per combination (and group types), shared by every body
    that sends it (issue 13: three dicts per variant, 100,000 times); a body is only encoded, never changed."""
    kinds = dict(types)
    sent: dict[str, dict[str, str]] = {}
    for group, value in values:
        kind = kinds.get(group, "select")
        sent[group] = {"variant_group_type": kind, "variant_name": value, "color": color} \
            if color and kind == "color" else {"variant_group_type": kind, "variant_name": value}
    return sent


def variant_ids_by_values(product: wire.WireProduct | None) -> dict[ValueKey, str]:
    if product is None:
        return {}
    return {frozenset((r.group, r.value) for r in rows): vid for vid, rows in read.regroup(product.variants).items()}


def learn_variants(step: Step, sku: str, product: wire.WireProduct | None, values: list[VariantValues]) -> None:
    have = variant_ids_by_values(product)
    for wanted in values:
        variant_id = have.get(frozenset(wanted))
        if variant_id is None:
            raise ProviderError("variants.json", f"variant {wanted} of {sku!r} is not in the store after writing it")
        step.learn(Address.variant(sku, wanted), variant_id)


async def assign_images(step: Step, sku: str, variants: tuple[VariantSpec, ...]) -> None:
    """Assign each variant its image, one call per image; images not created yet are left to a later step."""
    by_image: dict[str, list[int]] = defaultdict(list)
    for variant in variants:
        if variant.image is None:   # most variants have no image: no addresses built for them
            continue
        image_id = step.known(Address.image(sku, variant.image))
        variant_id = step.known(Address.variant(sku, variant.values)) if image_id else None
        if image_id and variant_id:
            by_image[image_id].append(int(variant_id))
    for image_id, variant_ids in by_image.items():
        await step.call("variants", {"variants": variant_ids, "image_id": [int(image_id)]}, idempotent=True)


async def _add(step: Step, sku: str, groups: tuple[GroupSpec, ...], variants: tuple[VariantSpec, ...]) -> None:
    """variants.json add; never repeated blindly: after a lost answer only the missing variants are sent."""
    product_id = await step.product_id(sku)
    types = group_types(groups)
    pending = list(variants)

    async def send() -> bool:
        body = {"action": "add", "product_id": int(product_id), "image_id": 0,
                "variants": variant_bodies(pending, types)}
        try:
            await step.call("variants", body, idempotent=False)
        except ProviderError as exc:
            if exc.store_message != GROUPS_MISSING:
                raise
            await create_groups(step, groups, only_missing=True)
            await step.call("variants", body, idempotent=False)
        return True

    async def lookup() -> bool | None:
        have = variant_ids_by_values(await read.product_by_id(step.client, product_id))
        pending[:] = [v for v in pending if frozenset(v.values) not in have]
        return True if not pending else None

    if pending:
        await create_once(step, send, lookup, f"add variants to {sku!r}",
                          addresses=[Address.variant(sku, v.values) for v in pending],
                          key="values=" + "; ".join(",".join(f"{g}={n}" for g, n in v.values) for v in pending))
    product = await read.product_by_id(step.client, product_id)
    learn_variants(step, sku, product, [v.values for v in variants])
    await assign_images(step, sku, variants)


async def add_variants(step: Step, action: AddVariants) -> None:
    await _add(step, action.sku, action.groups, action.variants)


async def recreate_variants(step: Step, action: RecreateVariants) -> None:
    """Delete all the product's variants (the API has no single delete), add the remaining ones back."""
    product_id = await step.product_id(action.sku)
    await step.call("variants", {"action": "delete", "product_id": int(product_id)}, idempotent=True)
    await _add(step, action.sku, action.groups, action.variants)
    step.facts[f"product:{product_id}"] = {"options": [group.name for group in action.groups]}


def _complete_row(update: VariantUpdate, variant_id: str, rows: list[wire.VariantRow], claimed: bool) -> dict[str, Any]:
    """A whole update row: the changes, and the current value of everything else.

    The document requires id, price, compare_at_price and default_on in every row, and
    update_all_fields may reset what a row leaves out, so sku, weight and image ids go too.
    `claimed`: another row of this call makes its variant the default (only one may say 1).
    """
    now = rows[0]
    default = update.default if update.default is not None else any(r.default_on for r in rows) and not claimed
    return {
        "id": int(variant_id),
        "price": num(now.price if update.price is None else update.price),
        "compare_at_price": num(now.compare_price if update.compare_at_price is None else update.compare_at_price),
        "sku": now.sku if update.sku is None else update.sku,
        "weight": num(now.weight if update.weight is None else update.weight),
        "image_id": sorted({int(r.image.id) for r in rows if r.image is not None}),
        "default_on": 1 if default else 0,
        "update_all_fields": True,
    }


async def update_variants(step: Step, action: UpdateVariants) -> None:
    """One update call for all of the product's changed variants, each row complete (read first)."""
    product_id = await step.product_id(action.sku)
    product = await read.product_by_id(step.client, product_id)
    unknown = [u.values for u in action.updates if not step.known(Address.variant(action.sku, u.values))]
    learn_variants(step, action.sku, product, unknown)
    current = read.regroup(product.variants if product else [])
    rows = []
    for update in action.updates:
        variant_id = step.known(Address.variant(action.sku, update.values))
        if variant_id is None or variant_id not in current:
            raise ProviderError("variants.json", f"variant {update.values} of {action.sku!r} is not in the store")
        claimed = any(u.default for u in action.updates if u is not update)
        rows.append(_complete_row(update, variant_id, current[variant_id], claimed))
    body = {"action": "update", "product_id": int(product_id), "variants": rows}
    await step.call("variants", body, idempotent=True)


async def set_variant_images(step: Step, action: SetVariantImages) -> None:
    """Read the variants' current images, unassign where they change, then assign per image."""
    product_id = await step.product_id(action.sku)
    product = await read.product_by_id(step.client, product_id)
    rows = read.regroup(product.variants if product else [])
    learn_variants(step, action.sku, product, [a.values for a in action.assignments])
    current = {vid: next((r.image.id for r in vrows if r.image is not None), None) for vid, vrows in rows.items()}
    clear: dict[str, list[int]] = defaultdict(list)  # image id -> the variants to unassign it from
    assign: dict[str, list[int]] = defaultdict(list)
    for item in action.assignments:
        variant_id = step.new_ids[Address.variant(action.sku, item.values)]
        wanted = step.image_id(action.sku, item.image) if item.image is not None else None
        now = current.get(variant_id)
        if now == wanted:
            continue
        if now is not None:
            clear[now].append(int(variant_id))
        if wanted is not None:
            assign[wanted].append(int(variant_id))
    for image_id, variant_ids in clear.items():
        await _unassign(step, variant_ids, image_id)
    for image_id, variant_ids in assign.items():
        await step.call("variants", {"variants": variant_ids, "image_id": [int(image_id)]}, idempotent=True)


async def _unassign(step: Step, variant_ids: list[int], image_id: str) -> None:
    """delete_image names the image: the document's failure body says both ids are needed."""
    body = {"action": "delete_image", "variants": variant_ids, "image_id": [int(image_id)]}
    try:
        await step.call("variants", body, idempotent=True)
    except ProviderError as exc:  # a repeat after a lost answer finds the pair already gone
        if not (exc.attempts > 1 and "does not exists" in exc.store_message):
            raise
