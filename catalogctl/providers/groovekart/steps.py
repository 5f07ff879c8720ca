"""Changes -> Steps: one provider Action each, with the steps it must wait for.

Order of phases (and so of step ids): categories, variant groups, products (each: create or
replace or update, tags, images, variants, variant images, status), webhooks, then the
destructive steps (deactivations, webhook deletes). Variant image assignments always go in a
SetVariantImages step after the images exist: create/add/recreate actions carry `image=None`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import compress
from operator import attrgetter, is_
from typing import Any

from catalogctl.errors import InternalError
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.classify import Item
from catalogctl.plan.diff import address_text
from catalogctl.plan.drafts import StepDrafts
from catalogctl.plan.model import ChangeAction, Step
from catalogctl.plan.product_index import catalog_children
from catalogctl.plan.runs import grouped_in_runs as _grouped
from catalogctl.providers.groovekart import actions as A

_UPDATE_PRODUCT_FIELDS = ("title", "description", "vendor", "price", "compare_at_price")
_VARIANT_UPDATE_FIELDS = ("sku", "price", "compare_at_price", "weight", "default")


class _Builder:
    def __init__(self, items: list[Item], desired: ResourceMap, live: ResourceMap) -> None:
        self.desired, self.live = desired, live
        self.drafts = StepDrafts()
        self.top: dict[Kind, list[Item]] = defaultdict(list)
        product_kind = Kind.PRODUCT
        self.by_product: dict[Address, list[Item]]
        addresses = list(map(_ADDRESS, items))   # the keys in a comprehension, paired in C: no generator step per item
        keys = [address if address.kind is product_kind else address.parent for address in addresses]
        self.by_product, unowned = _grouped(zip(keys, items, strict=True))
        # The items of the products themselves (a product's key is its own address): all _destructive reads, told
        # from the lists at hand. Its look at every item's action read 120,000 changes of a 10,000-product create
        # plan (a pydantic attribute and its dict, each far from the last: ~35 ms).
        self.product_items: list[Item] = list(compress(items, map(is_, keys, addresses)))
        for item in unowned:
            self.top[item.address.kind].append(item)
        self.created_categories: set[str] = set()
        self.created_groups: set[str] = set()
        self.category_step: int | None = None
        self.group_step: int | None = None
        self.product_steps: dict[Address, list[int]] = defaultdict(list)
        # desired children per product, in catalog order: when a product needs them (a no-op plan never does)
        self._children: dict[Address, list[Resource]] | None = None
        self.groups: dict[str, A.GroupSpec] = {}
        self.groups_of_options: dict[tuple[str, ...], tuple[A.GroupSpec, ...]] = {}   # a few: one per option list
        self.values_seen: set[int] = set()   # variant values tuples found exact (actions.variant_spec_of)

    @property
    def children(self) -> dict[Address, list[Resource]]:
        if self._children is None:
            self._children = catalog_children(self.desired)
        return self._children

    def add(self, action: A.Action, addresses: Iterable[Address | str], depends_on: Iterable[int | None] = ()) -> int:
        return self.drafts.add(action, addresses, depends_on)

    def build(self) -> list[Step]:
        self._categories_and_groups()
        products = sorted(self.by_product, key=address_text)
        for product in products:
            self._product(product)
        self._webhooks()
        self._destructive(products)
        return self.drafts.steps()

    def _categories_and_groups(self) -> None:
        created = [i for i in self.top[Kind.CATEGORY] if _executable(i) and i.change.action is ChangeAction.CREATE]
        if created:
            self.created_categories = {i.address.key for i in created}
            titles = tuple(i.address.key for i in created)
            self.category_step = self.add(A.CreateCategories(titles=titles), [i.address for i in created])
        groups = [i for i in self.top[Kind.VARIANT_GROUP]
                  if _executable(i) and i.change.action is ChangeAction.CREATE]
        if groups:
            self.created_groups = {i.address.key for i in groups}
            specs = tuple(self._group(i.address.key) for i in groups)
            self.group_step = self.add(A.CreateVariantGroups(groups=specs), [i.address for i in groups])

    def _group(self, name: str) -> A.GroupSpec:
        spec = self.groups.get(name)   # one per group: every product of a large catalog names the same few
        if spec is None:
            resource = self.desired.get(Address.variant_group(name)) or self.live.get(Address.variant_group(name))
            group_type = resource.attrs.get("type", "select") if resource is not None else "select"
            spec = self.groups[name] = A.GroupSpec(name=name, type=group_type or "select")
        return spec

    def _groups_of(self, product: Resource) -> tuple[A.GroupSpec, ...]:
        """The groups of the product's options, in order: once per list of options (a large catalog's
        products share a few; each group's spec is one object already, see _group)."""
        options = product.plain.get("options", ())
        try:
            specs = self.groups_of_options.get(options)
        except TypeError:   # not hashable: nothing a catalog makes, but made as before
            return tuple(self._group(name) for name in options)
        if specs is None:
            specs = self.groups_of_options[options] = tuple(self._group(name) for name in options)
        return specs

    def _needs(self, product: Resource) -> list[int | None]:
        """The category / group steps a product (or its variant set) must wait for."""
        deps: list[int | None] = []
        if product.attrs.get("category") in self.created_categories:
            deps.append(self.category_step)
        if any(name in self.created_groups for name in product.attrs.get("options", ())):
            deps.append(self.group_step)
        return deps

    def _product(self, address: Address) -> None:
        items = self.by_product[address]
        own = next((i for i in items if (i.address is address or i.address == address) and i.live_id is None), None)
        create, product_kind = ChangeAction.CREATE, Kind.PRODUCT
        # a child's kind tells it from the product without Address.__eq__ (a Python call: 110,000 children)
        children = [i for i in items if i.address is not address
                    and (i.address.kind is not product_kind or i.address != address)
                    and (i.change.action is create or _executable(i))]
        renamed_from = own.change.renamed_from if own is not None else None
        rename = self.add(A.UpdateProduct(sku=address.key, previous_sku=renamed_from), [address]) if (
            renamed_from) else None
        since = len(self.drafts)
        if own is not None and own.change.action is ChangeAction.CREATE:
            self._whole_product(address, own, children, A.CreateProduct)
        elif own is not None and own.change.action is ChangeAction.REPLACE and not own.change.blocked:
            self._whole_product(address, own, children, A.ReplaceProduct)
        else:
            self._existing_product(address, own, children)
        if rename is not None:  # every other step finds the product under its new sku
            self.drafts.wait_for(rename, since)

    def _whole_product(self, address: Address, own: Item, children: list[Item],
                       kind: type[A.CreateProduct] | type[A.ReplaceProduct]) -> None:
        """Create (or recreate) the product in one call, then its other images, variant images, status."""
        want = self.desired[address]
        images = self._desired_children(address, Kind.IMAGE)
        desired_variants = self._desired_children(address, Kind.VARIANT)
        cover = next((r.plain["src"] for r in images if r.plain["position"] == 0), None)
        seen = self.values_seen
        variants = tuple([A.variant_spec_of(r.plain, seen) or _variant_spec(r) for r in desired_variants])
        # The main step carries the product, its variants, the cover and what the new product drops;
        # every other image is carried by its own AddImage step below.
        variant_kind, desired = Kind.VARIANT, self.desired
        # a comprehension, not a generator unpacked: no generator step per child (110,000 at 10,000 products)
        covered = [address]
        covered += [i.address for i in children if i.address.kind is variant_kind
                    or i.address.key == "0" or i.address not in desired]
        product = A.product_spec_of(want.plain) or _product_spec(want)
        action = A.whole_product(kind, product, self._groups_of(want), variants, cover)
        main = self.add(action, covered, self._needs(want))
        steps = [main]
        image_steps: list[int] = []
        changed: set[Address] | None = None   # made when an image or an assignment needs it
        for image in images:
            if image.plain["position"] == 0:
                continue
            changed = {i.address for i in children} if changed is None else changed
            step = self.add(A.AddImage(sku=address.key, position=image.attrs["position"], src=image.attrs["src"]),
                            [image.address] if image.address in changed else [],
                            [main, *image_steps[-1:]])  # one at a time: the store places images in arrival order
            image_steps.append(step)
        with_images = [r.address for r in desired_variants if r.plain.get("image") is not None]
        assignments = self._assignments(address, with_images, images=images) if with_images else ()
        if assignments:
            changed = {i.address for i in children} if changed is None else changed
            with_image = [a for a in _variant_addresses(address, assignments)]
            steps.append(self.add(A.SetVariantImages(sku=address.key, assignments=assignments),
                                  [a for a in with_image if a in changed], [main, *image_steps]))
        steps.extend(image_steps)
        if want.attrs.get("active") is False:
            steps.append(self.add(A.SetProductStatus(sku=address.key, active=False), [address], steps))
        self.product_steps[address] = steps

    def _existing_product(self, address: Address, own: Item | None, children: list[Item]) -> None:
        sku = address.key
        steps: list[int] = []
        fields = _fields(own) if own is not None else {}
        deactivate = False
        if fields:
            want = self.desired[address]
            update = {name: want.attrs[name] for name in _UPDATE_PRODUCT_FIELDS if name in fields}
            unknown = set(fields) - set(_UPDATE_PRODUCT_FIELDS) - {"tags", "active", "options", "sku"}
            if unknown:
                raise InternalError(f"no action can change {', '.join(sorted(unknown))} of {address}")
            if "active" in fields and want.attrs["active"] is True:
                steps.append(self.add(A.SetProductStatus(sku=sku, active=True), [address]))
            deactivate = "active" in fields and want.attrs["active"] is False
            if update:
                steps.append(self.add(A.UpdateProduct(sku=sku, **update), [address]))
            if "tags" in fields:
                steps.append(self.add(A.SetTags(sku=sku, tags=tuple(want.attrs["tags"])), [address]))
        image_steps = self._image_steps(sku, [i for i in children if i.address.kind is Kind.IMAGE])
        steps.extend(image_steps)
        variant_items = [i for i in children if i.address.kind is Kind.VARIANT]
        options_changed = own is not None and "options" in (own.change.after or {})
        steps.extend(self._variant_steps(address, variant_items, options_changed, own, image_steps))
        if deactivate:
            steps.append(self.add(A.SetProductStatus(sku=sku, active=False), [address], steps))
        self.product_steps[address] = steps

    def _image_steps(self, sku: str, items: list[Item]) -> list[int]:
        steps: list[int] = []
        # One image step at a time, by position: the store appends images in arrival order, and a
        # create whose answer was lost is looked up by position before it is retried.
        for item in sorted(items, key=lambda i: int(i.address.key)):
            want = self.desired[item.address]
            position, src = want.attrs["position"], want.attrs["src"]
            if item.change.action is ChangeAction.CREATE:
                steps.append(self.add(A.AddImage(sku=sku, position=position, src=src), [item.address], steps[-1:]))
            elif "src" in _fields(item):
                action = A.ReplaceImage(sku=sku, position=position, src=src, cover=position == 0)
                steps.append(self.add(action, [item.address], steps[-1:]))
        return steps

    def _variant_steps(self, product: Address, items: list[Item], options_changed: bool, own: Item | None,
                       image_steps: list[int]) -> list[int]:
        want = self.desired.get(product)
        if want is None:
            return []
        sku = product.key
        recreate = options_changed or any(
            i.change.action is ChangeAction.DELETE or "color" in _fields(i) for i in items)
        steps: list[int] = []
        if recreate:
            desired = self._desired_children(product, Kind.VARIANT)
            action = A.RecreateVariants(sku=sku, groups=self._groups_of(want),
                                        variants=tuple(_variant_spec(r) for r in desired))
            covered = [i.address for i in items] + ([product] if options_changed and own is not None else [])
            steps.append(self.add(action, covered, self._needs(want)))
            assignments = self._assignments(product, [r.address for r in desired])
            changed_images = [i.address for i in items if "image" in _fields(i)]
        else:
            updates = [_variant_update(self.desired[i.address], _fields(i)) for i in items
                       if i.change.action is not ChangeAction.CREATE and set(_fields(i)) - {"image"}]
            if updates:
                addresses = [i.address for i in items if i.change.action is not ChangeAction.CREATE
                             and set(_fields(i)) - {"image"}]
                steps.append(self.add(A.UpdateVariants(sku=sku, updates=tuple(updates)), addresses))
            added = [i for i in items if i.change.action is ChangeAction.CREATE]
            if added:
                specs = tuple(_variant_spec(self.desired[i.address]) for i in added)
                action = A.AddVariants(sku=sku, groups=self._groups_of(want), variants=specs)
                steps.append(self.add(action, [i.address for i in added], self._needs(want)))
            changed_images = [i.address for i in items if "image" in _fields(i) or (
                i.change.action is ChangeAction.CREATE and self.desired[i.address].attrs.get("image"))]
            moved = self._moved_by_image_replacement(product, set(changed_images))
            assignments = self._assignments(product, changed_images + moved, unassign=True)
        if assignments:
            action = A.SetVariantImages(sku=sku, assignments=assignments)
            steps.append(self.add(action, changed_images, [*steps, *image_steps]))
        return steps

    def _moved_by_image_replacement(self, product: Address, skip: set[Address]) -> list[Address]:
        """Unchanged variants whose image is replaced in place: the store keeps the image id, so they
        would silently show the new picture; assign them again to the image they ask for."""
        replaced = {self.live[i.address].attrs["src"] for i in self.by_product[product]
                    if i.address.kind is Kind.IMAGE and i.change.action is ChangeAction.UPDATE and "src" in _fields(i)}
        if not replaced:
            return []
        return [r.address for r in self._desired_children(product, Kind.VARIANT)
                if r.address not in skip and r.address in self.live and r.attrs.get("image") is not None
                and self.live[r.address].attrs.get("image") in replaced]

    def _assignments(self, product: Address, variants: list[Address], unassign: bool = False,
                     images: list[Resource] | None = None) -> tuple[A.VariantImage, ...]:
        """Image positions for these variants (by src among the product's desired `images`, found when not given)."""
        result = []
        positions: dict[str, int] | None = None
        for address in variants:
            src = self.desired[address].attrs.get("image")
            if src is None and not unassign:
                continue
            if positions is None:
                found = self._desired_children(product, Kind.IMAGE) if images is None else images
                positions = {r.attrs["src"]: r.attrs["position"] for r in found}
            result.append(A.VariantImage(values=tuple(self.desired[address].attrs["values"]),
                                         image=None if src is None else positions.get(src)))
        return tuple(result)

    def _desired_children(self, product: Address, kind: Kind) -> list[Resource]:
        found = [r for r in self.children.get(product, ()) if r.address.kind is kind]
        if kind is Kind.IMAGE:
            return sorted(found, key=lambda r: r.attrs["position"])
        # Variants in catalog order: the store lists them by id, so this is the order a
        # shopper's selector and a later `catalogctl import` show (S, M, L, XL; not L, M, S, XL).
        return found

    def _webhooks(self) -> None:
        items = [i for i in self.top[Kind.WEBHOOK] if _executable(i)]
        created = [i for i in items if i.change.action is ChangeAction.CREATE]
        if created:
            specs = tuple(A.WebhookSpec(name=i.address.key, endpoint=self.desired[i.address].attrs["endpoint"])
                          for i in created)
            self.add(A.CreateWebhooks(webhooks=specs), [i.address for i in created])
        for item in items:
            if item.change.action is ChangeAction.UPDATE:
                endpoint = self.desired[item.address].attrs["endpoint"]
                self.add(A.UpdateWebhook(name=item.address.key, endpoint=endpoint), [item.address])

    def _destructive(self, products: list[Address]) -> None:
        """Deactivations and deletes last: nothing else in the plan waits for them (`products` in address order)."""
        delete = ChangeAction.DELETE
        # told in C, from the products' own items: only a product's own delete makes a step here
        deletes = delete in map(_ACTION_OF, self.product_items)
        for product in products if deletes else ():   # a plan without a delete: no product looked at again
            for item in self.by_product[product]:
                if item.change.action is not delete or item.address != product:
                    continue
                action = A.SetProductStatus(sku=product.key, active=False, live_id=item.live_id)
                self.add(action, [product], self.product_steps.get(product, []))
        for item in self.top[Kind.WEBHOOK]:
            if item.change.action is ChangeAction.DELETE:
                self.add(A.DeleteWebhook(name=item.address.key), [item.address])

def build_steps(items: list[Item], desired: ResourceMap, live: ResourceMap) -> list[Step]:
    """The ordered steps that carry out every executable part of these changes."""
    return _Builder(items, desired, live).build()


def _executable(item: Item) -> bool:
    """Whether any step carries (part of) this change: not a blocked replace's only field, not unsupported."""
    if item.change.action is ChangeAction.UNSUPPORTED or (item.change.action is ChangeAction.REPLACE
                                                          and item.change.blocked):
        return bool(_fields(item))
    return True


def _fields(item: Item) -> dict[str, Any]:
    """Fields of an update that a step changes: every differing field without a blocking reason."""
    after = item.change.after or {}
    if item.change.before is None or item.change.action is ChangeAction.DELETE:
        return {}
    return {k: v for k, v in after.items() if k not in item.change.reasons}


_ACTION_OF, _ADDRESS = attrgetter("change.action"), attrgetter("address")


def _variant_addresses(product: Address, assignments: tuple[A.VariantImage, ...]) -> list[Address]:
    return [Address.variant(product.key, a.values) for a in assignments]


# The field names once: pydantic's `model_fields` is a property that builds its answer on every access
# (1.7 s of a 10,000-product plan's step building, asked 900,000 times).
_PRODUCT_FIELDS = tuple(A.ProductSpec.model_fields)
_VARIANT_FIELDS = frozenset(A.VariantSpec.model_fields) - {"image"}


def _product_spec(want: Resource) -> A.ProductSpec:
    attrs = want.attrs
    return A.ProductSpec(**{k: attrs[k] for k in _PRODUCT_FIELDS if k in attrs})


def _variant_spec(want: Resource) -> A.VariantSpec:
    return A.VariantSpec(**{k: v for k, v in want.plain.items() if k in _VARIANT_FIELDS})


def _variant_update(want: Resource, fields: dict[str, Any]) -> A.VariantUpdate:
    values = {name: want.attrs[name] for name in _VARIANT_UPDATE_FIELDS if name in fields}
    return A.VariantUpdate(values=tuple(want.attrs["values"]), **values)
