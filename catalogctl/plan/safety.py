"""The safety threshold: how much of the live catalog a plan may destroy without --force."""

from __future__ import annotations

from collections.abc import Iterable

from catalogctl.model.address import Kind
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.model import Change, ChangeAction, Safety

MIN_OBJECTS = 10
# Destruction is counted on top-level objects: a recreated variant set is not a lost product.
_COUNTED_KINDS = frozenset({Kind.PRODUCT, Kind.WEBHOOK})


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


def assess(changes: Iterable[Change], desired: ResourceMap, live: ResourceMap, max_share: float) -> Safety:
    """Safety(destructive, managed_live = live products the catalog names, max_share, min_objects)."""
    managed = sum(1 for address in live if address.kind is Kind.PRODUCT and address in desired)
    destructive = sum(1 for change in changes if is_destructive(change))
    return Safety(destructive=destructive, managed_live=managed, max_share=max_share, min_objects=MIN_OBJECTS)
