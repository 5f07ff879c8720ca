"""apply: walk a Plan's steps against a provider (bounded concurrency, stop-on-failure of dependents)."""

from catalogctl.apply.outcome import Outcome, StepOutcome, StepStatus
from catalogctl.apply.run import check_safety, execute_plan, seed_ids
from catalogctl.apply.walker import walk

__all__ = ["Outcome", "StepOutcome", "StepStatus", "check_safety", "execute_plan", "seed_ids", "walk"]
