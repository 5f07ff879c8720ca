"""Every policy rule of a target, run over one plan's changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from catalogctl.core.guardrails import Policies
from catalogctl.model.guards import Guards
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.classify import Item
from catalogctl.plan.model import PolicyViolation
from catalogctl.plan.policies import rules


@dataclass(frozen=True)
class Context:
    """What a rule may look at: the plan's items, the desired and live resources, the catalog's guards."""

    policies: Policies
    items: Sequence[Item]
    desired: ResourceMap
    live: ResourceMap
    guards: Guards


Rule = Callable[[Context], Iterable[PolicyViolation]]

RULES: dict[str, Rule] = {
    "max_price_change_percent": rules.max_price_change,
    "min_price": rules.min_price,
    "min_margin_percent": rules.min_margin,
    "compare_at_above_price": rules.compare_at_above_price,
    "max_deactivations": rules.max_deactivations,
    "max_new_products": rules.max_new_products,
    "require_images": rules.require_images,
    "allowed_image_hosts": rules.allowed_image_hosts,
}
assert set(RULES) == set(Policies.model_fields), "every policy setting has a rule"


def check_policies(policies: Policies, items: Sequence[Item], desired: ResourceMap, live: ResourceMap,
                   guards: Guards) -> tuple[PolicyViolation, ...]:
    """The violations of every policy the target sets, policy by policy in declaration order."""
    context = Context(policies, items, desired, live, guards)
    return tuple(violation for name in policies.enabled() for violation in RULES[name](context))
