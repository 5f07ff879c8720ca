"""The catalog's and the store's resources indexed by product, for classify: each side read in one pass.

Which top-level addresses there are (each once: the catalog's, then the store's the catalog does not
name; a set of both sides cost two hashes and an equality check per resource: 240,000 in a large plan),
each product's children in the catalog, the children only the store has, and the children on both sides
as (desired, live) pairs, each product's in one stretch of two flat lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from operator import attrgetter

from catalogctl.core.kinds import TOP_LEVEL_ORDER
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.runs import grouped_in_runs


class ProductIndex:
    """Built once per plan; `children_of` and `paired` answer per product."""

    def __init__(self, desired: ResourceMap, live: ResourceMap) -> None:
        self.desired = desired
        self.top: dict[Kind, list[Address]] = {kind: [] for kind in TOP_LEVEL_ORDER}
        self.counts: dict[Address, int] | None = None  # how many children each product has in the catalog
        self.children: dict[Address, list[Resource]] | None = None  # which: made when a product needs them
        self.live_only: dict[Address, list[Address]] = defaultdict(list)  # children only the store has
        # the catalog's children in its order, and where each product's first stretch of them starts (counted)
        self.child_keys: list[Address] = []
        self.child_values: list[Resource] = []
        self.child_start: dict[Address, int] = {}
        self.children_by_keys = False  # `children` grouped by the keys' parents (not the resources' own addresses)
        if live:   # a product on both sides is told unchanged by its count of children (paired)
            self._count_children(desired)
        else:   # none is (a from-scratch apply): every product's children are needed, grouped in this pass
            self._group_children(desired)
        self._pair(desired, live)

    def children_of(self, product: Address) -> list[Resource]:
        """The product's children in the catalog, in its order (resources: each is then not looked up by its
        address again)."""
        if self.children is None:
            self.children = grouped_in_runs((resource.address.parent, resource)
                                            for resource in self.desired.values())[0]
        return self.children.get(product, [])

    def paired(self, product: Address) -> tuple[list[Resource], list[Resource]] | None:
        """The product's catalog children and their store copies, in two lists of the same order, when every
        one of them is in the store, in one stretch; None otherwise."""
        start = self.starts.get(product)
        count = self.counts.get(product, 0) if self.counts is not None else len(self.children_of(product))
        if start is None:
            return ([], []) if count == 0 else None
        stop = self.stops[product]
        if stop - start != count or product in self.scattered:
            return None  # a child only the catalog has (each pair is one of its children), or pairs apart
        return self.wants[start:stop], self.haves[start:stop]

    def _count_children(self, desired: ResourceMap) -> None:
        """The catalog's top-level addresses, and how many children each product has; and its children in its
        order, each product's from where they start (`_pair` finds a store child's twin there, mostly)."""
        self.counts = counts = {}
        keys, values, starts = self.child_keys, self.child_values, self.child_start
        last, run = None, 0
        for address, resource in desired.items():
            parent = address.parent
            if parent is None:
                self.top[address.kind].append(address)
                continue
            if parent is not last:  # a product's children mostly follow it: counted in one go
                if last is not None:
                    counts[last] = counts.get(last, 0) + run
                last, run = parent, 0
                starts.setdefault(parent, len(keys))
            run += 1
            keys.append(address)
            values.append(resource)
        if last is not None:
            counts[last] = counts.get(last, 0) + run

    @property
    def catalog_children(self) -> dict[Address, list[Resource]] | None:
        """Each product's children as `catalog_children` groups them (by the parent of each key of the catalog),
        when this index grouped them so; else None."""
        return self.children if self.children_by_keys else None

    def _group_children(self, desired: ResourceMap) -> None:
        """The catalog's top-level addresses, and each product's children in its order: in one pass, as
        _count_children and then children_of made them in two (the second was ~3% of the CPU of a
        10,000-product create plan: 110,000 children). Counting alone costs a no-op plan less."""
        self.children = children = {}
        self.children_by_keys = True
        top = self.top
        last, run = None, []
        for address, resource in desired.items():
            parent = address.parent
            if parent is None:
                top[address.kind].append(address)
                continue
            if parent is not last:  # a product's children mostly follow it: its list looked up once per run
                found = children.get(parent)
                run = children[parent] = [] if found is None else found
                last = parent
            run.append(resource)

    def _pair(self, desired: ResourceMap, live: ResourceMap) -> None:
        """The children on both sides as (desired, live) pairs, each product's in one stretch of two flat lists,
        found in the pass that finds what only the store has: a product without a difference is then told
        without a second lookup of each child (a large plan's 110,000). Flat lists, not lists or tuples per
        product: a burst of kept objects starts a collection that walks every resource made since the last.

        A store child's twin is looked for first where the catalog's children of its product stand, at the
        next one: its kind and key, and its product (the same object as the one found equal to the store's),
        are the address's equality without a Python __hash__ and __eq__ call (~2,700 instructions; 110,000
        children in a no-op plan). Stretches are keyed by the catalog's product, as `paired` is asked."""
        self.wants: list[Resource] = []
        self.haves: list[Resource] = []
        self.starts: dict[Address, int] = {}
        self.stops: dict[Address, int] = {}
        self.scattered: set[Address] = set()  # products whose children the store lists in several stretches
        wants, haves, starts, stops = self.wants, self.haves, self.starts, self.stops
        keys, values, found = self.child_keys, self.child_values, self.child_start
        last: Address | None = None  # the catalog's product of the current stretch
        seen: Address | None = None  # the store's product of the children last looked at, and the catalog's
        product: Address | None = None
        at, end = 0, len(keys)
        for address, have in live.items():
            parent = address.parent
            if parent is None:
                if desired.get(address) is None:
                    self.top[address.kind].append(address)
                continue
            if parent is not seen:
                seen, at = parent, found.get(parent, end)
                product = keys[at].parent if at < end else None  # == parent: found as its key
            key = keys[at] if at < end else None
            if key is not None and key.parent is product and key.kind is address.kind and key.key == address.key:
                want: Resource | None = values[at]
                at += 1
            else:
                want = desired.get(address)
            if want is None:
                self.live_only[parent].append(address)
                continue
            # the catalog's product (a child on both sides has one: its parent, found equal); the store's as a
            # stand-in otherwise, which cannot happen
            stretch = parent if product is None else product
            if stretch is not last:  # one object a product: identity tells a new stretch (no __eq__ call)
                if last is not None:
                    stops[last] = len(wants)
                if stretch in starts:
                    self.scattered.add(stretch)
                else:
                    starts[stretch] = len(wants)
                last = stretch
            wants.append(want)
            haves.append(have)
        if last is not None:
            stops[last] = len(wants)


def catalog_children(desired: ResourceMap) -> dict[Address, list[Resource]]:
    """Each product's children in the catalog, in its order, grouped by the parent of each key: the grouping
    build_plan's classification made of this very map when it hands it on (`handing`), else made here.
    Nothing may write to it. A second grouping was ~3% of the CPU of a 10,000-product create plan (120,000
    resources, each far in memory from the last)."""
    handed = _HANDED.get()
    if handed is not None and handed[0] is desired:
        return handed[1]
    return grouped_in_runs(zip(map(_PARENT, desired), desired.values(), strict=True))[0]


@contextmanager
def handing(desired: ResourceMap, children: dict[Address, list[Resource]] | None) -> Iterator[None]:
    """While the block runs, `catalog_children(desired)` is `children` (when given): for the planner, which does
    not change `desired` between grouping it and building its steps."""
    token = _HANDED.set(None if children is None else (desired, children))
    try:
        yield
    finally:
        _HANDED.reset(token)


_HANDED: ContextVar[tuple[ResourceMap, dict[Address, list[Resource]]] | None] = ContextVar("_HANDED", default=None)
_PARENT = attrgetter("parent")
