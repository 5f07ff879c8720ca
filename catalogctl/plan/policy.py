"""What the caller allows a plan to do: the target, replacements, pruning, scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalogctl.core.guardrails import Policies
from catalogctl.model.address import Address
from catalogctl.model.guards import Guards


@dataclass(frozen=True)
class PlanPolicy:
    """`addresses` limits the plan to those resources and what they depend on (empty: everything)."""

    target: str
    allow_replace: bool = False
    prune: bool = False
    max_destructive_share: float = 0.25
    addresses: tuple[Address, ...] = ()
    guards: Guards = field(default_factory=Guards)  # the catalog's lifecycle, costs, previous skus
    rules: Policies = field(default_factory=Policies)  # the target's `policies:`
