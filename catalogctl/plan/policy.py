"""What the caller allows a plan to do: the target, replacements, pruning, scope."""

from __future__ import annotations

from dataclasses import dataclass

from catalogctl.model.address import Address


@dataclass(frozen=True)
class PlanPolicy:
    """`addresses` limits the plan to those resources and what they depend on (empty: everything)."""

    target: str
    allow_replace: bool = False
    prune: bool = False
    max_destructive_share: float = 0.25
    addresses: tuple[Address, ...] = ()
