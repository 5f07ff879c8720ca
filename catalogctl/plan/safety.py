"""The safety threshold: how much of the live catalog a plan may destroy without --force.

Destructive, and so in the warning block and counted: product deactivations, webhook deletes,
replacements that will run, and variant-set rebuilds (every variant of the product is deleted
and created again: all variant ids change), counted once per product.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalogctl.model.address import Kind
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.model import Change, ChangeAction, Safety

MIN_OBJECTS = 10
# Deletes are counted on top-level objects; a product's variant set counts once, as a rebuild.
_COUNTED_KINDS = frozenset({Kind.PRODUCT, Kind.WEBHOOK})
_REBUILD_MARK = "of the product: ids change"
_VARIANT = Kind.VARIANT  # Kind.VARIANT is a Python-level EnumType.__getattr__ call in 3.11: read once


def rebuild_note(count: int) -> str:
    """The note every variant change of a rebuilt variant set carries (the planner writes it)."""
    return f"recreates all {count} variant{'s' if count != 1 else ''} {_REBUILD_MARK}"


def is_rebuild(change: Change) -> bool:
    """A variant change that is part of rebuilding its product's whole variant set."""
    return change.kind is _VARIANT and change.note is not None and _REBUILD_MARK in change.note


def is_destructive(change: Change) -> bool:
    """A delete or deactivation, or a replacement that will run (a blocked one changes nothing)."""
    if change.kind not in _COUNTED_KINDS:
        return False
    match change.action:
        case ChangeAction.DELETE:
            return True
        case ChangeAction.REPLACE:
            return not change.blocked
        case _:
            return False


def rebuilt_products(changes: Iterable[Change]) -> list[str]:
    """The products whose variant set the plan rebuilds, in plan order."""
    found: dict[str, None] = {}
    for change in changes:
        if is_rebuild(change):
            found.setdefault(change.address.partition(".variant[")[0], None)
    return list(found)


def assess(changes: Iterable[Change], desired: ResourceMap, live: ResourceMap, max_share: float) -> Safety:
    """Safety(destructive, managed_live = live products the catalog names, max_share, min_objects)."""
    # A create without a note is neither destructive nor part of a rebuild: told apart in one pass
    # (a 10,000-product create plan's 120,000 changes).
    create = ChangeAction.CREATE
    changes = [change for change in changes if change.action is not create or change.note is not None]
    managed, product = 0, Kind.PRODUCT  # a loop, not a generator, the kind read once: 120,000 live addresses
    for address in live:
        if address.kind is product and address in desired:
            managed += 1
    destructive = sum(1 for change in changes if is_destructive(change)) + len(rebuilt_products(changes))
    return Safety(destructive=destructive, managed_live=managed, max_share=max_share, min_objects=MIN_OBJECTS)
