"""JSON: the Plan's canonical form (format_version'd; what `--out FILE` saves and `apply FILE` reads)."""

from __future__ import annotations

from catalogctl.plan.model import Plan


def render_json(plan: Plan) -> str:
    """Plan.to_json(): indented, newline-terminated, no secrets (a plan never holds any)."""
    return plan.to_json()
