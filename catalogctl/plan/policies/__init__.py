"""Target policies (`policies:` in catalogctl.yaml): guardrails checked on every plan against the
live store, listed in every format, enforced by apply unless `--override-policy NAME`.

Each rule looks only at what the plan changes (a product already in the store that the plan leaves
alone is not this plan's doing), and each violation names the resource, the file:line of the value,
the rule and the numbers.
"""

from catalogctl.plan.policies.check import check_policies
from catalogctl.plan.policies.enforce import check_overrides, overridden

__all__ = ["check_overrides", "check_policies", "overridden"]
