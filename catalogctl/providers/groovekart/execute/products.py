"""Product actions: create (everything inline), replace, update, status, tags, images."""

from __future__ import annotations

from collections.abc import Awaitable
from functools import lru_cache
from typing import Any

from catalogctl.core.uncertain import current_log
from catalogctl.model.address import Address, Kind, child, variant_key
from catalogctl.providers.groovekart import read, wire
from catalogctl.providers.groovekart.actions import (
    AddImage,
    CreateProduct,
    GroupSpec,
    ProductSpec,
    ReplaceImage,
    ReplaceProduct,
    SetProductStatus,
    SetTags,
    UpdateProduct,
    VariantSpec,
    VariantValues,
)
from catalogctl.providers.groovekart.execute.context import Step, create_once, num
from catalogctl.providers.groovekart.execute.created import Created, decode_created
from catalogctl.providers.groovekart.execute.variants import (
    assign_images,
    group_types,
    variant_bodies,
    variant_ids_by_values,
)


def product_body(
    spec: ProductSpec, groups: tuple[GroupSpec, ...], variants: tuple[VariantSpec, ...],
    cover: str | None, category_id: str | None,
) -> dict[str, Any]:
    own = spec.__dict__   # the fields without the pydantic model's __getattr__ hook (see variant_bodies)
    body: dict[str, Any] = {
        "title": own["title"], "description": own["description"], "short_description": own["short_description"],
        "vendor": own["vendor"], "price": num(own["price"]), "compare_default_price": num(own["compare_at_price"]),
        "sku": own["sku"], "weight": num(own["weight"]), "visibility": own["visibility"],
        "tags": ",".join(own["tags"]),
    }
    if category_id is not None:
        body["category_id"] = int(category_id)
    if cover:
        body["image"] = {"src": cover, "position": 0}
    if variants:
        types = group_types(groups)
        body["variant_groups"] = [{"name": name, "group_type": kind} for name, kind in types]
        body["variants"] = variant_bodies(variants, types)
    return body


async def _create(
    step: Step, spec: ProductSpec, groups: tuple[GroupSpec, ...], variants: tuple[VariantSpec, ...],
    cover: str | None, newer_than: str | None,
) -> str:
    """Create the product (idempotently by sku), record its ids and facts; returns the new id."""
    own = spec.__dict__   # the spec's fields without the pydantic model's __getattr__ hook (see variant_bodies)
    sku = own["sku"]
    title = own["category"]   # step.category_id, without a coroutine when the id is known (nearly always)
    # Address.category(title) and the addresses below made by model.address.child: unchecked, in about half
    # the instructions of Address() (a create makes twelve)
    category_id = None if title is None else step.known(child(Kind.CATEGORY, title, None)) \
        or await step.category_id(title)
    ahead = step.ahead
    if ahead is not None and ahead.category_id == category_id:   # made of the same inputs, so the same body
        body, content = ahead.body, ahead.content
    else:
        body, content = {"product": product_body(spec, groups, variants, cover, category_id)}, None

    async def create() -> Created:
        # A plain answer's ids straight from its bytes (created.py); any other answer parsed and checked as ever
        answer = await step.call("products", body, idempotent=False, decode=decode_created, content=content)
        return answer if type(answer) is tuple else _created(answer)

    # Ids grow: the product we create is newer than the one the registry knew under this sku
    # (the one being replaced, or an inactive one), so that one is never mistaken for ours.
    # Not "newer than every known product": concurrent creates of other skus land in between.
    address = Address.for_product(sku)
    cover_address = child(Kind.IMAGE, "0", address)   # Address.image(sku, 0), under the one product address
    known = step.ids.get(address)
    floor = max(int(newer_than or 0), int(known or 0))

    async def lookup() -> Created | None:
        found = [p for p in await read.products_by_sku(step.client, sku) if int(p.id or 0) > floor]
        if not found:
            return None
        product = max(found, key=lambda p: int(p.id or 0))
        cover_id = product.images[0].id if product.images else None
        return str(product.id), cover_id, variant_ids_by_values(product)

    # The store forgets the short description and the options' order, and answers no image source.
    product_facts = {"short_description": own["short_description"], "options": list(own["options"])}
    learnt: dict[Address, dict[str, Any]] = {address: product_facts}
    if cover:
        learnt[cover_address] = {"src": cover}
    # A replacement looks first: an earlier apply's new product may have landed after its answer was
    # lost, and the read prefers the old one state knows, so the plan asks for the replacement again.
    landed = await lookup() if newer_than is not None else None
    if landed is not None:
        current_log().settled([address])
    product_id, image_id, by_values = landed or await create_once(
        step, create, lookup, f"create product {sku!r}", addresses=[address],
        key=f"sku={sku}", facts=learnt, before=str(floor) if floor else None)
    step.learn(address, product_id)
    step.facts[f"product:{product_id}"] = product_facts   # also marks it the managed one of its sku
    if image_id and cover:
        step.learn(cover_address, image_id)
        step.facts[f"image:{image_id}"] = {"src": cover}
    learn = step.new_ids
    images = False
    for variant in variants:
        fields = variant.__dict__   # two fields, one pass through the pydantic model's __getattr__ hook
        matched, key = _variant_ident(fields["values"])
        images = images or fields["image"] is not None
        variant_id = by_values.get(matched)
        if variant_id:   # Address.variant(sku, values), under the product's own address (one object fewer)
            learn[child(Kind.VARIANT, key, address)] = str(variant_id)   # step.learn, inline
    if images:   # assign_images does nothing for variants without an image (nearly every create)
        await assign_images(step, sku, variants)
    if not own["active"]:
        await _status(step, product_id, active=False)
    return product_id


@lru_cache(maxsize=4096)   # a catalog's products share a few value combinations (Color x Size)
def _variant_ident(values: VariantValues) -> tuple[frozenset[tuple[str, str]], str]:
    """A variant's values as the create answer is matched by, and its address key (`variant_key`)."""
    return frozenset(values), variant_key(values)


def _created(data: Any) -> Created:
    """The create answer's ids: read straight from a plainly shaped answer (issue 13: its pydantic model
    cost more CPU than the rest of a create's handling); anything else goes through wire.CreatedProduct,
    so its errors stay word for word the same."""
    plain = _plain_created(data)
    if plain is not None:
        return plain
    answer = wire.CreatedProduct.model_validate(data)
    by_values = {frozenset((g, v.name) for g, v in created.values.items()): created.variant_id
                 for created in answer.variants}
    return answer.id, answer.image_id, by_values


def _plain_id(value: Any) -> str | None:
    """wire's Id of a str or an int (not a bool); None when validation would do anything else."""
    kind = type(value)
    return value if kind is str else str(value) if kind is int else None


def _plain_created(data: Any) -> Created | None:
    """What wire.CreatedProduct.model_validate(data) holds, when every value it would keep is a plain
    str or int; None for any other shape (missing or differently spelled fields, other types)."""
    if type(data) is not dict or "id_product" not in data:
        return None
    product_id = _plain_id(data["id_product"])
    image = data.get("image_id")
    image_id = None if image is None else _plain_id(image)
    variants = data.get("variants", [])
    if product_id is None or (image is not None and image_id is None) or type(variants) is not list:
        return None
    by_values: dict[frozenset[tuple[str, str]], str] = {}
    for variant in variants:
        if type(variant) is not dict or "variant_id" not in variant or "variant_values" not in variant:
            return None
        variant_id, values = variant["variant_id"], variant["variant_values"]
        kind = type(variant_id)   # _plain_id, inline: ten variants a create
        if kind is int:
            variant_id = str(variant_id)
        elif kind is not str:
            return None
        if type(values) is not dict:
            return None
        pairs = []
        for group, value in values.items():
            if type(value) is not dict or type(name := value.get("variant_name")) is not str \
                    or type(value.get("variant_group_type", "")) is not str or type(value.get("color")) not in _COLOR:
                return None
            pairs.append((group, name))
        by_values[frozenset(pairs)] = variant_id
    return product_id, image_id, by_values


_COLOR = (str, type(None))


def create_product(step: Step, action: CreateProduct) -> Awaitable[str]:
    return _create(step, action.product, action.groups, action.variants, action.cover, newer_than=None)


async def replace_product(step: Step, action: ReplaceProduct) -> None:
    """Create the new product first, then deactivate the old one: the store is never without it."""
    old_id = await step.product_id(action.product.sku)
    await _create(step, action.product, action.groups, action.variants, action.cover, newer_than=old_id)
    await _status(step, old_id, active=False)


async def update_product(step: Step, action: UpdateProduct) -> None:
    """update_product; with `previous_sku`, a rename: the product's ids are learned under its new sku."""
    product_id = await step.product_id(action.previous_sku or action.sku)
    fields: dict[str, Any] = {"action": "update_product", "id": int(product_id)}
    if action.previous_sku is not None:
        fields["sku"] = action.sku
    for name, value in (("title", action.title), ("description", action.description), ("vendor", action.vendor)):
        if value is not None:
            fields[name] = value
    if action.price is not None:
        fields["price"] = num(action.price)
    if action.compare_at_price is not None:
        fields["compare_default_price"] = num(action.compare_at_price)
    await step.call("products", {"product": fields}, idempotent=True)  # the same sku again is harmless
    if action.previous_sku is not None:
        _learn_renamed(step, action.previous_sku, action.sku, product_id)


def _learn_renamed(step: Step, old: str, new: str, product_id: str) -> None:
    """The product and its images and variants keep their ids under the new sku (later steps of this
    apply address them by it; state is keyed by live id, so it follows by itself)."""
    before, after = Address.for_product(old), Address.for_product(new)
    step.learn(after, product_id)
    for address, live_id in list(step.ids.items()):
        if address.parent == before:
            step.learn(Address(address.kind, address.key, after), live_id)


async def _status(step: Step, product_id: str, *, active: bool) -> None:
    body = {"product": {"action": "product_status", "id": int(product_id), "active": active}}
    await step.call("products", body, idempotent=True)


async def set_product_status(step: Step, action: SetProductStatus) -> None:
    product_id = action.live_id or await step.product_id(action.sku)
    await _status(step, product_id, active=action.active)


async def set_tags(step: Step, action: SetTags) -> None:
    product_id = int(await step.product_id(action.sku))
    if action.tags:
        fields = {"action": "add_tags", "id": product_id, "delete_existing": True, "tags": ",".join(action.tags)}
    else:
        fields = {"action": "delete_tags", "id": product_id}
    await step.call("products", {"product": fields}, idempotent=True)


async def add_image(step: Step, action: AddImage) -> None:
    product_id = await step.product_id(action.sku)
    body = {"product": {"id": int(product_id), "image": {"src": action.src, "position": action.position}}}
    known = step.image_ids_of(action.sku)

    async def create() -> str:
        return wire.ImageAnswer.model_validate(await step.call("products", body, idempotent=False)).id

    async def lookup() -> str | None:
        # An image's natural key is its position: an unknown image there is the one we added.
        product = await read.product_by_id(step.client, product_id)
        images = product.images if product else []
        fresh = [image.id for image in images if image.id not in known]
        return fresh[-1] if fresh else None

    address = Address.image(action.sku, action.position)
    image_id = await create_once(step, create, lookup, f"add image {action.position} to {action.sku!r}",
                                 addresses=[address], key=f"src={action.src}", facts={address: {"src": action.src}})
    step.learn(Address.image(action.sku, action.position), image_id)
    step.facts[f"image:{image_id}"] = {"src": action.src}


async def replace_image(step: Step, action: ReplaceImage) -> None:
    """replace_image keeps the image id, so repeating it is safe."""
    product_id = await step.product_id(action.sku)
    image_id = step.image_id(action.sku, action.position)
    fields = {
        "action": "replace_image", "product_id": int(product_id), "image_id": int(image_id),
        "image": {"src": action.src, "position": action.position, "cover": 1 if action.cover else 0},
    }
    answer = wire.ImageAnswer.model_validate(await step.call("products", {"product": fields}, idempotent=True))
    step.learn(Address.image(action.sku, action.position), answer.id)
    step.facts[f"image:{answer.id}"] = {"src": action.src}
