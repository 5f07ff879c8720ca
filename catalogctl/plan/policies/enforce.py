"""Apply's side of the policies: refuse a plan that breaks one, unless each is overridden by name."""

from __future__ import annotations

from collections.abc import Iterable

from catalogctl.core.guardrails import Policies
from catalogctl.errors import PlanError
from catalogctl.plan.model import Plan


def check_overrides(plan: Plan, overrides: Iterable[str]) -> None:
    """PlanError when `overrides` names no policy, or the plan breaks a policy not overridden."""
    asked = tuple(overrides)
    known = tuple(Policies.model_fields)
    if unknown := [name for name in asked if name not in known]:
        raise PlanError(f"--override-policy {unknown[0]!r} is not a policy (policies: {', '.join(known)})")
    left = [v for v in plan.policy_violations if v.policy not in asked]
    if not left:
        return
    names = sorted({v.policy for v in left})
    count = f"{len(left)} violation{'s' if len(left) != 1 else ''}"
    raise PlanError(f"the plan breaks the target's policies ({count}):\n  " + "\n  ".join(str(v) for v in left),
                    hint="Fix the catalog, or if this change is intended, apply again with "
                         + " ".join(f"--override-policy {name}" for name in names)
                         + " (recorded in the apply report).")


def overridden(plan: Plan, overrides: Iterable[str]) -> tuple[str, ...]:
    """The overridden policies this plan actually breaks (what the apply report records)."""
    asked = set(overrides)
    return tuple(sorted({v.policy for v in plan.policy_violations if v.policy in asked}))
