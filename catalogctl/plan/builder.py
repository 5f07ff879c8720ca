"""build_plan: desired + live + provider + policy -> one frozen Plan (SQLMesh's PlanBuilder)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

import msgspec

import catalogctl
from catalogctl.core import LiveState
from catalogctl.core.frozen import only_of_type
from catalogctl.errors import PlanError
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.align import align, not_compared_note
from catalogctl.plan.classify import Item, classify
from catalogctl.plan.diff import address_text
from catalogctl.plan.lifecycle import check_protection, without_ignored
from catalogctl.plan.model import (
    NOT_COMPUTED,
    Change,
    ChangeAction,
    Plan,
    PolicyViolation,
    Precondition,
    Safety,
    Step,
    empty_summary,
)
from catalogctl.plan.policies import check_policies
from catalogctl.plan.policy import PlanPolicy
from catalogctl.plan.product_index import handing
from catalogctl.plan.renames import find_renames
from catalogctl.plan.safety import assess

if TYPE_CHECKING:  # the planner knows the contract, never a provider
    from catalogctl.providers.base import ProviderSpec

__all__ = ["NOT_COMPUTED", "PlanPolicy", "build_plan", "catalog_digest", "live_digest"]


def build_plan(desired: ResourceMap, live: LiveState, provider: ProviderSpec, policy: PlanPolicy,
               notes: Iterable[str] = (), *, digests: bool = True) -> Plan:
    """Diff, classify by the provider's capabilities, let the provider draft its steps, assess
    safety; deterministic for equal inputs. `notes` are said once (e.g. unmanaged sections).
    `digests=False` leaves both digests NOT_COMPUTED, for a plan that is shown but never saved
    (they cost a canonical encoding of every resource: ~0.4 s at 10,000 products).

    The live state is first aligned with the catalog (plan/align.py: what the store cannot return
    is unknown, never a difference); the digest is of the live state as read.
    """
    capabilities = provider.capabilities
    renames = find_renames(desired, live, policy.guards, capabilities)  # before anything is keyed or compared
    held = [a for a in renames.held if a in desired]  # the catalog's products (not their previous skus)
    aligned = align(desired, renames.live, capabilities)
    read, live, written = live, aligned.live, desired
    desired, ignored = without_ignored(desired, live.resources, policy.guards)
    result = classify(desired, live, capabilities, policy)
    items, unmanaged, loose_warnings = renames.items(result.items), result.unmanaged, result.warnings
    if policy.addresses:
        scope = _scope(policy.addresses, desired, live.resources)
        items = [i for i in items if i.address in scope]
        unmanaged = [a for a in unmanaged if a in scope]
        held = [a for a in held if a in scope]
        loose_warnings = []
    check_protection(items, policy.guards)
    with handing(desired, result.children):   # the index's grouping of the catalog, not made again
        steps = provider.build_steps(items, desired, live.resources)
    # by the first step that carries each change, then by address: the keys made in C (map, zip), not by
    # a key function call nor a comprehension's bytecode per item (a 10,000-product create plan has 120,000)
    ordered = list(map(items.__getitem__, sorted(range(len(items)), key=_order_keys(items, steps).__getitem__)))
    changes = tuple(map(_CHANGE, ordered))
    violations = check_policies(policy.rules, ordered, desired, live.resources, policy.guards)
    summary = empty_summary()   # every action, counted in C (a dict update per change: 120,000 at 10,000 products)
    actions = list(map(_ACTION, changes))
    for action in summary:
        summary[action] = actions.count(action)
    if sum(summary.values()) != len(actions):   # an action summary does not list: as `summary[action] += 1` would
        raise KeyError(next(a for a in actions if a not in summary))
    compared = not_compared_note(aligned.not_compared)
    all_notes = (*notes, *live.notes, *([compared] if compared else []),
                 *([ignored_note] if (ignored_note := ignored.note()) else []))
    failed = [p.message for p in result.preconditions if not p.ok]  # warnings: every format shows them
    warnings = (failed + list(renames.warnings) + [w for w in map(_WARNING, ordered) if w is not None]
                + loose_warnings)
    return _made(
        provider=provider.name,
        target=policy.target,
        catalog_digest=catalog_digest(written) if digests else NOT_COMPUTED,
        live_digest=live_digest(read) if digests else NOT_COMPUTED,
        summary=summary,
        changes=changes,
        steps=tuple(steps),
        unmanaged=tuple(address_text(a) for a in unmanaged),
        warnings=tuple(warnings),
        safety=assess(changes, desired, live.resources, policy.max_destructive_share),
        preconditions=tuple(result.preconditions),
        policies=policy.rules.enabled(),
        policy_violations=violations,
        held=tuple(sorted(address_text(a) for a in held)),
        notes=all_notes,
        metadata={"requests": {"read": live.requests}, "catalogctl_version": catalogctl.__version__},
    )


def _order_keys(items: list[Item], steps: list[Step]) -> list[tuple[int, str]]:
    """Each item's (index of the first step that carries its change, else len(steps); its address text)."""
    first_step: dict[str, int] = {}
    for index in range(len(steps) - 1, -1, -1):   # an earlier step's index written over a later one's
        first_step.update(zip(steps[index].addresses, repeat(index)))
    # str(address), read from the text the address keeps once made (the change made it): str() is a type
    # call into a Python __str__, ~2% of a create plan's build_plan (120,000 items at 10,000 products)
    texts = [item.address._text or str(item.address) for item in items]
    return list(zip(map(first_step.get, texts, repeat(len(steps))), texts, strict=True))


_CHANGE, _ACTION, _WARNING = attrgetter("change"), attrgetter("action"), attrgetter("warning")


def _made(**fields: Any) -> Plan:
    """Plan(**fields), the changes and steps the planner just made not validated again one by one when every
    value has exactly its field's type (a 10,000-product create plan's 130,000 records: ~40 ms), told in C
    (only_of_type: a generator step per record was ~30 M instructions)."""
    texts = ("unmanaged", "warnings", "notes", "policies", "held")
    records = (("changes", Change), ("steps", Step), ("preconditions", Precondition),
               ("policy_violations", PolicyViolation))
    exact = (all(type(fields[name]) is str for name in ("provider", "target", "catalog_digest", "live_digest"))
             and type(fields["summary"]) is dict and type(fields["safety"]) is Safety
             and type(fields["metadata"]) is dict
             and all(type(key) is ChangeAction and type(count) is int for key, count in fields["summary"].items())
             and all(type(fields[name]) is tuple and all(type(item) is str for item in fields[name]) for name in texts)
             and all(type(fields[name]) is tuple and only_of_type(fields[name], kind) for name, kind in records))
    return Plan.model_construct(**fields) if exact and fields.keys() == _PLAN_FIELDS else Plan(**fields)


_PLAN_FIELDS = frozenset(Plan.model_fields) - {"format_version"}


def catalog_digest(desired: ResourceMap) -> str:
    """sha256 of the canonical JSON of the desired resources (address order, sorted keys)."""
    return _digest({"resources": desired.values()}, with_ids=False)


def live_digest(live: LiveState) -> str:
    """sha256 of the canonical JSON of the live resources with their ids (shadowed/unkeyed too).

    `apply PLANFILE` recomputes it on a fresh read: equal digests mean the store did not change.
    """
    return _digest({"resources": live.resources.values(), "shadowed": live.shadowed, "unkeyed": live.unkeyed},
                   with_ids=True)


def _digest(groups: dict[str, Iterable[Resource]], with_ids: bool) -> str:
    """Canonical JSON of the resources in address order (sorted keys, compact, UTF-8), fed to sha256
    a chunk of rows at a time (C-speed encoding, bounded memory)."""
    hasher = hashlib.sha256()
    for name, resources in groups.items():
        hasher.update(f"{name}\n".encode())
        rows = sorted([(str(r.address), r.live_id or "", r) for r in resources], key=_ADDRESS_AND_ID)
        for start in range(0, len(rows), _CHUNK):
            # each resource's own dict (never written to): the encoder takes no read-only view
            chunk = [(address, resource.plain, live_id) if with_ids else (address, resource.plain)
                     for address, live_id, resource in rows[start:start + _CHUNK]]
            try:
                hasher.update(_ENCODER.encode(chunk))
            except TypeError:  # what msgspec refuses (a mapping with other than str keys): json, as before
                hasher.update(_JSON.encode(chunk).encode())
            hasher.update(b"\n")
    return "sha256:" + hasher.hexdigest()


_CHUNK = 2048


_ADDRESS_AND_ID = itemgetter(0, 1)


def _not_a_plan_value(value: object) -> object:
    if isinstance(value, str):  # a str subclass (the loader's ScalarText): json wrote its text, and so do we
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a plan value")


# The digests once went through json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# with Decimals as str(); msgspec writes the same bytes (tests/unit/plan/test_digest.py holds it to that)
# about ten times faster, and a 10,000-product plan digests 240,000 resources.
_ENCODER = msgspec.json.Encoder(enc_hook=_not_a_plan_value, decimal_format="string", order="sorted")
_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                         default=lambda value: str(value) if isinstance(value, Decimal) else _not_a_plan_value(value))


def _scope(addresses: tuple[Address, ...], desired: ResourceMap, live: ResourceMap) -> set[Address]:
    """The asked addresses and what they depend on: their product, its category and groups.

    A product brings its children; a variant brings all its siblings, because the store changes a
    product's variant set as one (a removal recreates them all).
    """
    scope: set[Address] = set()
    for address in addresses:
        if address not in desired and address not in live:
            raise PlanError(f"{address} is neither in the catalog nor in the store",
                            hint="addresses look like product[\"TS-1\"] or product[\"TS-1\"].variant[\"Size=L\"]")
        scope.add(address)
        product = address.product
        if product is None:
            continue
        scope.add(product)
        for resource in (desired.get(product), live.get(product)):
            if resource is not None:
                scope.update(_dependencies(resource))
        kinds = {Kind.VARIANT, Kind.IMAGE} if address.kind is Kind.PRODUCT else {address.kind} - {Kind.IMAGE}
        scope.update(a for a in (*desired, *live) if a.parent == product and a.kind in kinds)
    return scope


def _dependencies(product: Resource) -> set[Address]:
    found = {Address.variant_group(name) for name in product.attrs.get("options", ())}
    if product.attrs.get("category"):
        found.add(Address.category(product.attrs["category"]))
    return found

